"""What a reader just did, said next to the comment it concerns.

After posting, editing, reporting or deleting, the reader lands on the page that
shows the comment; the confirmation is put right after it (a live region), and
the comment is marked so that it is highlighted and takes the focus, instead of
a message at the top of the page, far from where they were.
"""

from django.utils.html import format_html

DONE_KEY = "kindred_comment_done"


def tell_beside(request, comment, message):
    """Say `message` next to `comment` on the next discussion page shown."""
    request.session[DONE_KEY] = {
        "discussion": comment.discussion_id,
        "comment": comment.pk,
        "message": str(message),
    }


def show_done(request, discussion, html):
    """(thread HTML with the waiting confirmation after its comment, the
    message itself when no comment on this page could take it, else "")."""
    done = request.session.get(DONE_KEY)
    if not done or done["discussion"] != discussion.pk:
        return html, ""
    del request.session[DONE_KEY]
    opening = f'<li id="comment-{done["comment"]}" class="'
    start = html.find(opening)
    end = html.find("</article>", start)  # the comment's own card, before replies
    if start < 0 or end < 0:
        return html, done["message"]
    end += len("</article>")
    notice = format_html(
        '<p class="comment-notice" id="comment-notice" role="status">{}</p>',
        done["message"],
    )
    marked = f'<li id="comment-{done["comment"]}" tabindex="-1" class="just-changed '
    return html[:start] + marked + html[start + len(opening) : end] + notice + html[
        end:
    ], ""
