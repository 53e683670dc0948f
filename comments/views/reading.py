import json
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from comments import posting, rendering
from comments.drafting import restored
from comments.forms import GUEST_COOKIE, GUEST_COOKIE_SALT, CommentForm
from comments.models import Comment, Reaction, place_for
from comments.models.discussion import GUEST_SESSION_KEY, MODERATE, PATH_STEP
from comments.models.reactions import Kind
from comments.posting import Submission
from comments.views import moderation, passes
from comments.views.notices import show_done
from config.public_cache import public_page


def _order(request):
    order = request.GET.get("order")
    return order if order in rendering.ORDERS else "oldest"


def _page_number(request):
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _is_moderating(request):
    return request.GET.get("moderation") == "on" and request.user.has_perm(MODERATE)


def own_comments(request, discussion):
    """The reader's comments in this discussion (no query for a stranger)."""
    if not request.user.is_authenticated and not request.session.get(GUEST_SESSION_KEY):
        return []
    return list(
        Comment.objects.mine(request)
        .filter(discussion=discussion)
        .values("pk", "status", "created_at")
    )


# An author sees their own held, rejected and removed comments, with the reason.
AUTHOR_SEES = (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.REMOVED)


def shown_to_author(own):
    return [row["pk"] for row in own if row["status"] in AUTHOR_SEES]


def reader_tools(own):
    """Edit and Delete links for the reader's own comments, by comment id."""
    edit_since = Comment.edit_window_start()
    live = (Comment.Status.PUBLISHED, Comment.Status.PENDING)
    tools = {}
    for row in own:
        if row["status"] not in live:
            tools[row["pk"]] = ""  # nothing to do, and nothing to report
            continue
        links = []
        if row["created_at"] >= edit_since:
            links.append((reverse("comments:edit", args=[row["pk"]]), _("Edit")))
        links.append((reverse("comments:delete", args=[row["pk"]]), _("Delete")))
        tools[row["pk"]] = format_html_join(
            "",
            '<li><a href="{}">{}<span class="visually-hidden"> {}</span></a></li>',
            ((url, label, _("your comment")) for url, label in links),
        )
    return tools


def reaction_buttons(request, html):
    """For a member who may react here: a function of a comment's id giving
    its form, their own reaction pressed (one query for the page); else None."""
    ids = rendering.reaction_ids(html)
    if not request.user.is_authenticated or not ids:
        return None
    chosen = dict(
        Reaction.objects.filter(member=request.user, comment_id__in=ids).values_list(
            "comment_id", "kind"
        )
    )
    pattern = reverse("comments:react", args=[rendering.SAMPLE_ID]).replace(
        str(rendering.SAMPLE_ID), "{}"
    )
    if (order := _order(request)) != "oldest":  # back to the page in this order
        pattern += f"?order={order}"
    token = escape(get_token(request))
    labels = [(kind.value, escape(kind.label)) for kind in Kind]

    react = escape(_("React"))

    def buttons(pk):
        mine = chosen.get(pk)
        # The four buttons fold under one "React" (a <details>: keyboard and no
        # JavaScript alike): one tab stop a comment instead of four, and the
        # words people wrote stay the heaviest thing on the page. Open where the
        # member's own reaction is, so its state shows.
        parts = [
            f'<details class="react"{" open" if mine else ""}>'
            f'<summary aria-describedby="comment-{pk}-by">{react}</summary>'
            f'<form class="reaction-form" method="post" action="{pattern.format(pk)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        ]
        for value, label in labels:
            # The member's own reaction takes itself back when pressed again.
            name, pressed = (
                ("take_back", "true") if value == mine else ("kind", "false")
            )
            parts.append(
                f'<button type="submit" name="{name}" value="{value}" '
                f'aria-pressed="{pressed}" aria-describedby="comment-{pk}-by">'
                f"{label}</button>"
            )
        parts.append("</form></details>")
        return "".join(parts)

    return buttons


def add_reactions(request, html, *, may_react):
    """The thread's HTML with the member's reaction forms, or without any."""
    buttons = reaction_buttons(request, html) if may_react else None
    return rendering.add_reactions(html, buttons or (lambda pk: ""))


def posting_block(request, discussion):
    """Why this reader cannot post here, or "" when they can: the steps of
    comments.posting that concern the person and the page, not the text."""
    author = request.user if request.user.is_authenticated else None
    submission = Submission(discussion=discussion, body="", author=author)
    checks = [posting.closed, posting.restricted] if author else [posting.closed]
    for check in checks:
        verdict = check(submission)
        if verdict is not None and verdict.action == "refuse":
            return verdict.message
    return ""


def comment_form(request, data=None, draft=None):
    """The form for this reader: guests get name and email, remembered if asked;
    a member gets back the draft they left in it."""
    guest = not request.user.is_authenticated
    initial = {"body": draft.body} if draft else {}
    if guest:
        try:
            saved = request.get_signed_cookie(GUEST_COOKIE, salt=GUEST_COOKIE_SALT)
            initial = {**json.loads(saved), "remember": True}
        except (KeyError, signing.BadSignature, ValueError, TypeError):
            initial = {}
    form = CommentForm(data, guest=guest, initial=initial)
    # A guest's form is on pages every reader shares, so it carries no CSRF token
    # (config.guest_csrf) unless the browser sent it back unverified.
    form.csrf_unverified = getattr(request, "csrf_unverified", False)
    return form


# What a signed-in member's copy of a thread page adds, in order: functions of
# a comments.views.passes.Reading. Other apps append theirs in ready().
READER_PASSES = [passes.mark_new]


def read_as_member(request, discussion, html):
    """The thread HTML after the reader passes, and their notes for the top
    of the discussion (none for a reader who is not signed in)."""
    reading = passes.Reading(request=request, discussion=discussion, html=html)
    if request.user.is_authenticated:
        for reader_pass in READER_PASSES:
            reader_pass(reading)
    return reading.html, [mark_safe(note) for note in reading.notes]


THREAD_SLOT = "<!--kindred:thread-->"


def render_with_thread(request, template_name, context, status=200):
    """Render a page whose context came from discussion_context().

    The template gets a small slot where the thread goes, and the thread's HTML
    (a megabyte for a long discussion) is put in once at the end, instead of being
    copied again at every level of template nesting.
    """
    thread_html = context["thread_html"]
    page = render_to_string(
        template_name,
        {**context, "thread_html": mark_safe(THREAD_SLOT if thread_html else "")},
        request,
    )
    page = page.replace(THREAD_SLOT, thread_html, 1)
    thread_page = context["thread_page"]
    if thread_page.num_pages > 1:
        # Every page that shows a discussion says which page of it this is in
        # its title, whichever template it comes from.
        number = _(" (comments, page %(number)s of %(total)s)") % {
            "number": thread_page.number,
            "total": thread_page.num_pages,
        }
        page = _title_with(page, escape(number))
    return HttpResponse(page, status=status)


def _title_with(page, words):
    """The page with `words` after the name in its <title> ("Name · Site")."""
    start, end = page.find("<title>"), page.find("</title>")
    if start < 0 or end < 0:
        return page
    middle = page.find(" · ", start, end)
    at = middle if middle >= 0 else end
    return page[:at] + words + page[at:]


def discussion_context(request, discussion):
    """Everything the discussion part of a page needs."""
    order, moderating = _order(request), _is_moderating(request)
    own = own_comments(request, discussion)
    include = shown_to_author(own)
    page = rendering.render_page(
        discussion,
        page=_page_number(request),
        order=order,
        include=include,
        moderator=moderating,
    )
    block = posting_block(request, discussion)
    html = rendering.add_reader_tools(
        page.html, reader_tools(own), moderation.report_tools(request, discussion)
    )
    html = add_reactions(request, html, may_react=not block)
    html, notes = read_as_member(request, discussion, html)
    html, notice = show_done(request, discussion, html)
    guests_allowed = settings.KINDRED["COMMENTS_ALLOW_GUESTS"]
    can_post = not block and (request.user.is_authenticated or guests_allowed)
    # Outside the cached thread: the form is the reader's own (one query). When
    # the discussion closed while they wrote, their text is still shown to copy.
    place = place_for(discussion=discussion)
    draft = restored(request, place) if can_post or block else None
    return {
        "discussion": discussion,
        "thread_page": page,
        "thread_html": mark_safe(html),  # built from escaped text and body_html
        "comment_form": comment_form(request, draft=draft) if can_post else None,
        "comment_draft": draft,
        "posting_block": block,
        "moderating": moderating,
        "notice": notice,
        "reader_notes": notes,
    }


def _moderation_query(request):
    return {"moderation": "on"} if request.GET.get("moderation") == "on" else {}


def permalink(request, pk):
    """The comment on a page that shows it, scrolled to it: its place in the
    discussion, or past the indentation cap the thread page it continues on."""
    comment = get_object_or_404(
        Comment.objects.readable_by(request).with_owners(), pk=pk
    )
    if request.user.is_authenticated:
        # Opening the comment a notification is about reads it, whichever link
        # led here (the notification list, an email, a bookmark): one UPDATE.
        request.user.notifications.filter(comment=comment).mark_read()
    root_pk = continued_from(comment)
    if root_pk is not None:
        url = reverse("comments:thread", args=[root_pk])
        query = _moderation_query(request)
        if query:
            url += "?" + urlencode(query)
        return redirect(f"{url}#comment-{comment.pk}")
    return redirect(place_url(request, comment.discussion, comment.path, comment.pk))


def place_url(request, discussion, path, anchor):
    """The discussion page that shows the comment at `path` for this reader,
    scrolled to comment `anchor`."""
    order = _order(request)
    number = rendering.page_number(
        discussion,
        path,
        order=order,
        include=shown_to_author(own_comments(request, discussion)),
        moderator=_is_moderating(request),
    )
    query = {"page": number} if number > 1 else {}
    if order != "oldest":
        query["order"] = order
    query.update(_moderation_query(request))
    url = discussion.get_absolute_url()
    if query:
        url += "?" + urlencode(query)
    return f"{url}#comment-{anchor}"


def continued_from(comment):
    """The id of the comment whose "Continue this thread" page shows `comment`,
    or None when the discussion's own page shows it (within the indentation cap).

    A page indents COMMENTS_MAX_INDENT levels and continues the thread from the
    comment at the last of them; that page starts again at that comment, so the
    continuation roots sit every cap - 1 levels.
    """
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    if comment.depth < cap:
        return None
    step = cap - 1
    root_depth = comment.depth if step < 1 else (comment.depth - 1) // step * step
    return int(comment.path[root_depth * PATH_STEP : (root_depth + 1) * PATH_STEP], 36)


@public_page
def subthread(request, pk):
    """Continue this thread: a comment and all its replies, on a page of their own."""
    root = get_object_or_404(
        Comment.objects.visible_to(request).with_owners().select_related("parent"),
        pk=pk,
    )
    discussion = root.discussion
    moderating = _is_moderating(request)
    own = own_comments(request, discussion)
    include = set(shown_to_author(own))
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    rows = rendering.rows_of(
        discussion.comments.filter(
            path__startswith=root.path, depth__lte=root.depth + cap
        ).order_by("path")
    )
    shown = rendering.visible(rows, include=include, moderator=moderating)
    if root.pk not in shown:  # hidden, and nothing below it is shown either
        raise Http404
    renderer = rendering.Renderer(
        include=include,
        moderator=moderating,
        replies_open=discussion.takes_replies,
    )
    html = rendering.add_reader_tools(
        renderer.render(rows, shown),
        reader_tools(own),
        moderation.report_tools(request, discussion),
    )
    html = add_reactions(
        request, html, may_react=not posting_block(request, discussion)
    )
    html, _notes = read_as_member(request, discussion, html)
    html, notice = show_done(request, discussion, html)
    return render(
        request,
        "comments/subthread.html",
        {
            "root": root,
            # The comment it continues from, quoted when readers may see it.
            "parent": root.parent
            if root.parent_id and root.parent.status == Comment.Status.PUBLISHED
            else None,
            "owner": discussion.owner,
            "thread_html": mark_safe(html),  # built from escaped text and body_html
            "back_url": reverse("comments:permalink", args=[root.pk]),
            "notice": notice,
        },
    )
