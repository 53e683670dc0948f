"""Reading a discussion: which rows a page shows, and its HTML in one flat pass.

Two queries fetch a page whatever the size of the discussion: the paths of the
top-level comments (to page by thread), then every row of the page's threads by
sort path (`ORDER BY path`, C collation: depth-first display order). The HTML is
built in one pass that opens and closes the nested lists from changes of depth;
no template runs per comment. What everyone sees is cached under the discussion's
version, which every change bumps; what depends on the reader (their own edit and
delete links, their comments awaiting moderation, moderators' view) is added after.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from comments.models import Comment, RemovalReason
from comments.models.moderation import usual_wait_words

ORDERS = ("oldest", "newest")
SAMPLE_ID = 918273645
CACHE_SECONDS = 60 * 60
# Where a reader's own tools go; replaced per reader, left as a comment otherwise.
TOOLS_MARK = "<!--tools:%d-->"
TOOLS_RE = re.compile(r"<!--tools:(\d+)-->")
PLACEHOLDERS = {
    Comment.Status.DELETED: gettext_noop("Deleted by the author"),
    Comment.Status.REMOVED: gettext_noop("Removed by a moderator"),
    Comment.Status.REJECTED: gettext_noop("Removed by a moderator"),
    Comment.Status.SPAM: gettext_noop("Removed by a moderator"),
    Comment.Status.PENDING: gettext_noop("Held for review by a moderator"),
}


@dataclass
class ThreadPage:
    number: int
    num_pages: int
    order: str
    html: str

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages


def top_level_paths(discussion, *, include=None, moderator=False):
    """Paths of the top-level comments that have something to show, in path order."""
    top = discussion.comments.filter(depth=0).order_by("path")
    if not moderator:
        has_replies = Exists(Comment.objects.filter(parent=OuterRef("pk")))
        visible = Q(status=Comment.Status.PUBLISHED) | Q(has_replies=True)
        if include:
            visible |= Q(pk__in=include)
        top = top.annotate(has_replies=has_replies).filter(visible)
    return list(top.values_list("path", flat=True))


def page_of(paths, top_path, order):
    """The page number on which the thread starting at `top_path` appears."""
    per_page = settings.KINDRED["COMMENTS_THREADS_PER_PAGE"]
    ordered = paths if order == "oldest" else paths[::-1]
    try:
        return ordered.index(top_path) // per_page + 1
    except ValueError:
        return 1


def fetch_page(discussion, *, page=1, order="oldest", include=None, moderator=False):
    """The rows of one page of threads, in display order, and the page count."""
    paths = top_level_paths(discussion, include=include, moderator=moderator)
    per_page = settings.KINDRED["COMMENTS_THREADS_PER_PAGE"]
    num_pages = max(1, -(-len(paths) // per_page))
    page = min(max(1, page), num_pages)
    ordered = paths if order == "oldest" else paths[::-1]
    chosen = ordered[(page - 1) * per_page : page * per_page]
    if not chosen:
        return [], page, num_pages
    first, last = min(chosen), max(chosen)
    # Every row of the chosen threads: from the first top-level path to the end of
    # the last thread's subtree (its path followed by anything greater in the step).
    rows = list(
        discussion.comments.filter(path__gte=first, path__lt=last + "~")
        .select_related("author")
        .only(
            "pk",
            "discussion_id",
            "parent_id",
            "depth",
            "path",
            "author_id",
            "author__display_name",
            "author__is_staff",
            "author__avatar",
            "author__role",
            "guest_name",
            "body_html",
            "status",
            "status_reason",
            "public_reason_id",
            "author_note",
            "created_at",
            "edited_at",
        )
        .order_by("path")
    )
    if order == "newest":
        rows = _threads_newest_first(rows)
    return rows, page, num_pages


def _threads_newest_first(rows):
    threads, current = [], None
    for row in rows:
        if row.depth == 0:
            current = []
            threads.append(current)
        if current is not None:
            current.append(row)
    return [row for thread in reversed(threads) for row in thread]


def visible(rows, *, include=(), moderator=False):
    """Which rows to show: published ones, and any other with shown replies.

    `include` are extra ids shown in full (a reader's own held comments); a
    moderator sees everything. Returns {id: number of shown descendants}.
    """
    shown, counts = {}, {}
    for row in reversed(rows):
        below = counts.get(row.pk, 0)
        published = row.status == Comment.Status.PUBLISHED
        if moderator or published or row.pk in include or below:
            shown[row.pk] = below
            if row.parent_id is not None:
                counts[row.parent_id] = counts.get(row.parent_id, 0) + below + 1
    return shown


class Renderer:
    """Builds the thread HTML in one pass. Strings are translated once per page."""

    def __init__(self, *, include=(), moderator=False, replies_open=True):
        self.include = set(include)
        self.replies_open = replies_open
        self.moderator = moderator
        self.cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
        self.tz = timezone.get_current_timezone()
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.text = {
            "reply": _("Reply"),
            "permalink": _("Permalink"),
            "next": _("Next"),
            "member": _("member"),
            "guest": _("guest"),
            "staff": escape(_("%(site)s team") % {"site": settings.SITE_NAME}),
            "edited": _("edited"),
            "pending": _("Awaiting moderation"),
            "note": _("Note from the moderators:"),
            "internal": _("For moderators:"),
        }
        # URL patterns resolved once per page, not once per comment.
        self.urls = {
            name: reverse(name, args=[SAMPLE_ID]).replace(str(SAMPLE_ID), "{}")
            for name in (
                "comments:permalink",
                "comments:reply",
                "comments:thread",
                "accounts:member",
            )
        }

    def date(self, moment):
        local = moment.astimezone(self.tz)
        return (
            f'<time datetime="{moment.isoformat()}">{local.day} '
            f"{self.months[local.month]} {local.year}, {local:%H:%M}</time>"
        )

    def render(self, rows, shown):
        """The <ol> of `rows` (display order); `shown` from visible()."""
        rows = [row for row in rows if row.pk in shown]
        if not rows:
            return ""
        names = {row.pk: self.name(row) for row in rows}
        following = self._next_ids(rows)
        base = rows[0].depth
        out, open_depths, skip_below = ['<ol class="thread">'], [], None
        for row in rows:
            depth = row.depth - base
            if skip_below is not None:
                if depth > skip_below:
                    continue  # beyond the indentation cap: on the thread's own page
                skip_below = None
            while open_depths and open_depths[-1] >= depth:
                open_depths.pop()
                out.append("</ol></details></li>")
            replies = shown[row.pk]
            out.append(self.comment(row, depth, names, following.get(row.pk)))
            if not replies:
                out.append("</li>")
            elif depth + 1 >= self.cap:
                out.append(self.continue_link(row, replies))
                out.append("</li>")
                skip_below = depth
            else:
                summary = ngettext(
                    "%(count)s reply to %(name)s",
                    "%(count)s replies to %(name)s",
                    replies,
                ) % {"count": replies, "name": names[row.pk]}
                out.append(
                    f'<details open class="replies"><summary>{summary}</summary><ol>'
                )
                open_depths.append(depth)
        out.extend("</ol></details></li>" for _ in open_depths)
        out.append("</ol>")
        return "".join(out)

    def _next_ids(self, rows):
        """For each comment, the first comment after its replies (the "Next" link)."""
        following, open_rows = {}, []
        for row in rows:
            while open_rows and open_rows[-1].depth >= row.depth:
                following[open_rows.pop().pk] = row.pk
            open_rows.append(row)
        return following

    def name(self, row):
        hidden = row.status != Comment.Status.PUBLISHED
        if hidden and not (self.moderator or row.pk in self.include):
            if row.status == Comment.Status.DELETED:
                return escape(_("a deleted comment"))
            return escape(_("a hidden comment"))
        if row.author_id:
            return escape(row.author.display_name)
        return escape(row.guest_name)

    def comment(self, row, depth, names, next_id):
        text = self.text
        status = row.status
        hidden = status != Comment.Status.PUBLISHED
        placeholder = hidden and not (self.moderator or row.pk in self.include)
        classes = f"comment depth-{min(depth, self.cap)}"
        if hidden:
            classes += f" status-{status}"
        parts = [
            f'<li id="comment-{row.pk}" class="{classes}">'
            f'<article class="comment-card" aria-labelledby="comment-{row.pk}-by">'
        ]
        if placeholder:
            placeholder_text = PLACEHOLDERS.get(
                status, PLACEHOLDERS[Comment.Status.REMOVED]
            )
            # Readers see the decision and its public reason, never the rule or
            # the moderator's own words.
            message = escape(_(placeholder_text)) + self.public_reason(row)
            parts.append(
                f'<p class="comment-meta" id="comment-{row.pk}-by">'
                f"<strong>{message}</strong></p>"
            )
        else:
            parts.append(self.meta(row, names))
            if hidden:
                parts.append(self.status_note(row))
            parts.append(f'<div class="comment-body">{row.body_html}</div>')
        parts.append('<ul class="comment-actions">')
        if self.replies_open and not placeholder and status == Comment.Status.PUBLISHED:
            reply_url = self.urls["comments:reply"].format(row.pk)
            parts.append(
                f'<li><a href="{reply_url}">{text["reply"]}'
                f'<span class="visually-hidden"> {_("to")} {names[row.pk]}'
                "</span></a></li>"
            )
        permalink = self.urls["comments:permalink"].format(row.pk)
        parts.append(
            f'<li><a href="{permalink}">{text["permalink"]}'
            f'<span class="visually-hidden"> {_("to this comment by")} '
            f"{names[row.pk]}</span></a></li>"
        )
        if row.parent_id and row.parent_id in names:
            label = _("In reply to %(name)s") % {"name": names[row.parent_id]}
            parts.append(f'<li><a href="#comment-{row.parent_id}">{label}</a></li>')
        if next_id:
            parts.append(
                f'<li><a href="#comment-{next_id}">{text["next"]}'
                f'<span class="visually-hidden"> {_("comment")}</span>'
                "</a></li>"
            )
        if not placeholder:
            parts.append(TOOLS_MARK % row.pk)
        parts.append("</ul></article>")
        return "".join(parts)

    def meta(self, row, names):
        if row.author_id:
            author = row.author
            url = self.urls["accounts:member"].format(row.author_id)
            who = (
                f'<img class="avatar" src="{escape(author.avatar_url)}" alt="" '
                f'width="40" height="40"> '
                f'<a class="comment-author" href="{url}">{names[row.pk]}</a>'
            )
            if author.is_staff:  # editors answering readers are named as such
                who += f' <span class="badge badge-staff">{self.text["staff"]}</span>'
            if author.role:
                role = escape(author.get_role_display())
                who += f' <span class="badge badge-role">{role}</span>'
        else:
            who = (
                f'<span class="comment-author">{names[row.pk]}</span> '
                f'<span class="badge">{self.text["guest"]}</span>'
            )
        replying = ""
        if row.parent_id:
            replying = (
                f' <span class="visually-hidden">'
                f"{_('replying to')} {self._parent_name(row, names)}</span>"
            )
        edited = ""
        if row.edited_at:
            edited = f' <span class="edited">({self.text["edited"]})</span>'
        return (
            f'<p class="comment-meta" id="comment-{row.pk}-by">{who}{replying} '
            f"{self.date(row.created_at)}{edited}</p>"
        )

    def _parent_name(self, row, names):
        return names.get(row.parent_id) or escape(_("an earlier comment"))

    @cached_property
    def reasons(self):
        """The public reasons by id: one query, only for a page that shows one."""
        return dict(RemovalReason.objects.values_list("pk", "label"))

    def public_reason(self, row):
        """ " · Off-topic" for a comment removed with a public reason, else ""."""
        label = row.public_reason_id and self.reasons.get(row.public_reason_id)
        return f" · {escape(label)}" if label else ""

    @cached_property
    def held_label(self):
        """ "Awaiting moderation", and to its author how long that usually takes."""
        label = self.text["pending"]
        if not self.moderator and (wait := usual_wait_words()):
            label += _(" · a moderator usually reads held comments within %(wait)s") % {
                "wait": wait
            }
        return escape(label)

    def status_note(self, row):
        """What a hidden comment's author (or a moderator) reads above it: the
        decision, its public reason and the note to the author; how long a held
        comment usually waits; and, for moderators only, the internal reason."""
        if row.status == Comment.Status.PENDING:
            label = self.held_label
        else:
            label = escape(Comment.Status(row.status).label) + self.public_reason(row)
        parts = [f'<p class="status-note" role="note"><strong>{label}</strong>']
        if row.author_note:
            parts.append(f"<br>{self.text['note']} {escape(row.author_note)}")
        if self.moderator and row.status_reason:
            parts.append(
                f'<br><span class="internal">{self.text["internal"]} '
                f"{escape(row.status_reason)}</span>"
            )
        parts.append("</p>")
        return "".join(parts)

    def continue_link(self, row, replies):
        url = self.urls["comments:thread"].format(row.pk)
        label = ngettext(
            "Continue this thread (%(count)s reply)",
            "Continue this thread (%(count)s replies)",
            replies,
        ) % {"count": replies}
        return f'<p class="continue"><a href="{url}">{label}</a></p>'


def cache_key(discussion, page, order):
    state = "open" if discussion.takes_replies else "closed"
    return f"thread:{discussion.pk}:{discussion.version}:{state}:{order}:{page}"


def _pages_key(discussion):
    return cache_key(discussion, "count", "any")


def render_page(discussion, *, page=1, order="oldest", include=(), moderator=False):
    """One page of a discussion as HTML. Public pages come from the cache.

    Only the page numbers that exist are cached: a number past the end is
    clamped to the last page first (the page count is cached beside the pages),
    so that ?page=99999 cannot fill the cache with copies of the last page.
    """
    personal = bool(include) or moderator
    if not personal:
        key, pages_key = cache_key(discussion, page, order), _pages_key(discussion)
        found = cache.get_many([key, pages_key])
        if key in found:
            return ThreadPage(**found[key])
        if pages_key in found:
            clamped = min(max(1, page), found[pages_key])
            if (cached := cache.get(cache_key(discussion, clamped, order))) is not None:
                return ThreadPage(**cached)
    rows, number, num_pages = fetch_page(
        discussion,
        page=page,
        order=order,
        include=include or None,
        moderator=moderator,
    )
    shown = visible(rows, include=set(include), moderator=moderator)
    renderer = Renderer(
        include=include, moderator=moderator, replies_open=discussion.takes_replies
    )
    html = renderer.render(rows, shown)
    result = {
        "number": number,
        "num_pages": num_pages,
        "order": order,
        "html": html,
    }
    if not personal:
        cache.set_many(
            {
                cache_key(discussion, number, order): result,
                _pages_key(discussion): num_pages,
            },
            CACHE_SECONDS,
        )
    return ThreadPage(**result)


def add_reader_tools(html, tools, others=None):
    """Put each {comment id: HTML} of the reader's own tools in its place, and
    `others` (a function of the id) at every other comment, when given."""
    if not tools and others is None:
        return html

    def tools_for(match):
        pk = int(match.group(1))
        if pk in tools:
            return tools[pk]
        return others(pk) if others else ""

    return TOOLS_RE.sub(tools_for, html)
