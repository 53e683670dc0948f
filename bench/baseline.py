"""The same thread HTML as comments/rendering.py, the straightforward Django way.

The benchmarks compare the real renderer with this: model instances from the
ORM (select_related), a little Python that works out the shape of the thread
(which comments show, where the nested lists open and close), and one Django
template that writes every comment with {% url %}, {% translate %} and the
date filter. tests/comments/test_baseline.py asserts that both give the same
HTML (after whitespace normalisation) on threads with everything a thread can
show, so that the "speedup" compares the same work.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.utils.translation import gettext as _

from accounts.avatars import colour_for, initials
from comments import rendering
from comments.models import Comment
from comments.models.discussion import PATH_STEP
from comments.models.moderation import usual_wait_words
from comments.models.reactions import Kind

ENGINE = Engine(
    dirs=[Path(__file__).resolve().parent / "templates"],
    libraries={
        "i18n": "django.templatetags.i18n",
        "tz": "django.templatetags.tz",
    },
)
_LINE_BREAK = re.compile(r"\s*\n\s*")


def normalise(html):
    """The HTML without its line breaks and the indentation around them: how the
    two outputs are compared (the template is written on many lines, the renderer
    writes one; spaces within a line must match)."""
    return _LINE_BREAK.sub("", html)


def fetch(discussion, cut, *, order="oldest"):
    """The rows of a page (a comments.paging.Cut) as model instances: the same
    rows as rendering.fetch_page, the way a template wants them."""
    where = cut.rows()
    rows = list(
        discussion.comments.filter(
            where, depth__lte=settings.KINDRED["COMMENTS_MAX_INDENT"]
        )
        .select_related("author", "public_reason")
        .order_by("newest_key" if order == "newest" else "path")
    )
    if order == "helpful":
        helpful = {
            row.path: (row.reaction_counts or {}).get("helpful", 0)
            for row in rows
            if row.depth == 0
        }
        rows.sort(key=lambda row: -helpful.get(row.path[:PATH_STEP], 0))
    return rows


def render(rows, *, include=(), moderator=False, replies_open=True):
    """The thread's <ol>, as rendering.Renderer.render writes it."""
    include = set(include)
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    # Which comments show: published ones, any other the reader may see, and
    # any with a shown reply (as a placeholder). Counts of shown replies.
    replies = {}
    shown = []
    for row in reversed(rows):
        below = replies.get(row.pk, 0)
        if (
            moderator
            or row.status == Comment.Status.PUBLISHED
            or row.pk in include
            or below
        ):
            shown.append(row)
            if row.parent_id is not None:
                replies[row.parent_id] = replies.get(row.parent_id, 0) + below + 1
    shown.reverse()
    if not shown:
        return ""
    for row in shown:
        row.reply_count = replies.get(row.pk, 0)
        row.full = (
            row.status == Comment.Status.PUBLISHED or moderator or row.pk in include
        )
        row.shown_name = _name(row)
        row.at = rendering.moment_number(row.created_at)  # for the New marks
        if not row.author_id:  # a guest's picture: initials, a colour by name
            row.initials = initials(row.guest_name)
            row.colour = colour_for(f"guest:{row.guest_name}")
        counts = row.reaction_counts or {}
        row.reaction_words = [
            (kind.label, counts[kind.value]) for kind in Kind if counts.get(kind.value)
        ]
    names = {row.pk: row.shown_name for row in shown}
    # The "Next" link: the first comment after a comment's replies.
    open_rows = []
    for row in shown:
        row.next_id = None
        while open_rows and open_rows[-1].depth >= row.depth:
            open_rows.pop().next_id = row.pk
        open_rows.append(row)
    # The nesting: how many lists close before each comment, and what follows it.
    base, comments, open_depths, skip_below = shown[0].depth, [], [], None
    for row in shown:
        depth = row.depth - base
        if skip_below is not None:
            if depth > skip_below:
                continue
            skip_below = None
        closes = 0
        while open_depths and open_depths[-1] >= depth:
            open_depths.pop()
            closes += 1
        row.closes = range(closes)
        row.level = min(depth, cap)
        row.parent_name = names.get(row.parent_id)
        if not row.reply_count:
            row.after = "end"
        elif depth + 1 >= cap:
            row.after = "continue"
            skip_below = depth
        else:
            row.after = "replies"
            open_depths.append(depth)
        comments.append(row)
    template = ENGINE.get_template("baseline/thread.html")
    return template.render(
        Context(
            {
                "comments": comments,
                "closes_at_end": range(len(open_depths)),
                "moderator": moderator,
                "replies_open": replies_open,
                "site_name": settings.SITE_NAME,
                "wait": "" if moderator else usual_wait_words(),
            }
        )
    )


def _name(row):
    if not row.full:
        if row.status == Comment.Status.DELETED:
            return _("a deleted comment")
        return _("a hidden comment")
    if row.author_id:
        return row.author.display_name
    return row.guest_name


def page_html(discussion, cut, *, order="oldest", include=(), moderator=False):
    """One page of the discussion (a comments.paging.Cut): fetch and render."""
    rows = fetch(discussion, cut, order=order)
    return render(
        rows,
        include=include,
        moderator=moderator,
        replies_open=discussion.takes_replies,
    )


def render_page(discussion, *, page=1, order="oldest", include=(), moderator=False):
    """rendering.render_page, with the thread from the baseline and no cache: the
    benchmarks put it in place of the real one to time the whole page with it."""
    cut = rendering.cut_for(
        discussion, page=page, order=order, include=include, moderator=moderator
    )
    html = page_html(discussion, cut, order=order, include=include, moderator=moderator)
    return rendering.ThreadPage(
        number=cut.number,
        num_pages=cut.count,
        order=order,
        html=html,
        continued=cut.continued,
        continues=cut.continues,
    )
