"""Reading a discussion: which rows a page shows, and its HTML in one flat pass.

Two queries fetch a page whatever the size of the discussion: where the page
starts and ends and how many pages there are (stored, comments.paging), then
the rows of that page by sort key (`ORDER BY path`, C collation: depth-first
display order; `newest_key` for threads newest first). The HTML is
built in one pass that opens and closes the nested lists from changes of depth;
no template runs per comment. What everyone sees is cached under the discussion's
version, which every change bumps; what depends on the reader (their own edit and
delete links, their comments awaiting moderation, moderators' view) is added after.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.avatars import colour_for, initials
from comments import paging
from comments.models import Comment, RemovalReason
from comments.models.discussion import PATH_STEP
from comments.models.moderation import usual_wait_words
from comments.models.reactions import counts_words
from comments.paging import counted_paths, plan_pages

ORDERS = ("oldest", "newest", "helpful")
SAMPLE_ID = 918273645
CACHE_SECONDS = 60 * 60
# Where a reader's own tools go; replaced per reader, left as a comment otherwise.
TOOLS_MARK = "<!--tools:%d-->"
TOOLS_RE = re.compile(r"<!--tools:(\d+)-->")
# Where a member's reaction buttons go (comments.views.reactions); the counts
# beside it are the same for everyone and are cached.
REACT_MARK = "<!--react:%d-->"
REACT_RE = re.compile(r"<!--react:(\d+)-->")
PLACEHOLDERS = {
    Comment.Status.DELETED: gettext_noop("Deleted by the author"),
    Comment.Status.REMOVED: gettext_noop("Removed by a moderator"),
    Comment.Status.REJECTED: gettext_noop("Removed by a moderator"),
    Comment.Status.SPAM: gettext_noop("Removed by a moderator"),
    Comment.Status.PENDING: gettext_noop("Held for review by a moderator"),
}


EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


def moment_number(moment):
    """A time as whole microseconds since 1970: exact, and compared as numbers."""
    return (moment - EPOCH) // timedelta(microseconds=1)


@dataclass
class ThreadPage:
    number: int
    num_pages: int
    order: str
    html: str
    continued: bool = False  # the first thread began on the page before
    continues: bool = False  # the last thread goes on on the next page

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages


def fetch_page(discussion, cut, *, order="oldest"):
    """The rows of one page (a paging.Cut), in display order: its comments, the
    deeper replies that make its "Continue this thread" links, and, when it
    continues a thread, the comments that thread continues from."""
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    where = cut.rows()
    comments = discussion.comments.filter(where, depth__lte=cap)
    # Order "newest" by its own key: threads newest first, each in its order.
    rows = rows_of(comments.order_by("newest_key" if order == "newest" else "path"))
    if order == "helpful":  # as plan_pages orders them; sort() keeps the rest
        helpful = {
            row.path: row.reaction_counts.get("helpful", 0)
            for row in rows
            if row.depth == 0
        }
        rows.sort(key=lambda row: -helpful.get(row.path[:PATH_STEP], 0))
    return rows


# What the renderer reads of a comment and its author: plain values (named
# tuples), since nothing needs the models (a third of the time went on building
# them).
ROW_FIELDS = (
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
    "reaction_counts",
)


def rows_of(comments):
    """The rows the renderer reads, from a queryset of comments in display order."""
    return list(comments.values_list(*ROW_FIELDS, named=True))


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
            "to": _("to"),
            "hide": _("Hide replies"),
            "to_comment": _("to this comment by"),
            "to_deleted": _("to this deleted comment"),
            "to_hidden": _("to this hidden comment"),
            "comment": _("comment"),
            "replying": _("replying to"),
            "earlier": escape(_("an earlier comment")),
            "deleted_name": escape(_("a deleted comment")),
            "hidden_name": escape(_("a hidden comment")),
            "in_reply": _("In reply to %(name)s"),
        }
        # What a placeholder says, and a hidden comment's status, by status.
        self.placeholders = {
            status: escape(_(text)) for status, text in PLACEHOLDERS.items()
        }
        self.status_labels = {
            status: escape(label) for status, label in Comment.Status.choices
        }
        # Per render: each author's byline, the plural forms by count, the
        # reaction words by counts: built the first time, then reused.
        self.bylines = {}
        self.plurals = {}
        self.reaction_words = {}
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
        self.initials_url = (
            reverse("accounts:initials", args=["AB", 0])
            .replace("/AB/", "/{}/")
            .replace("/0.svg", "/{}.svg")
        )
        self.guest_pictures = {}

    def guest_picture(self, name):
        """A guest's initials on a disc, the same colour for the same name."""
        if name not in self.guest_pictures:
            url = self.initials_url.format(
                quote(initials(name), safe=""), colour_for(f"guest:{name}")
            )
            self.guest_pictures[name] = (
                f'<img class="avatar" src="{escape(url)}" alt="" '
                'width="40" height="40"> '
            )
        return self.guest_pictures[name]

    def date(self, moment):
        local = moment.astimezone(self.tz)
        return (
            f'<time datetime="{moment.isoformat()}">{local.day} '
            f"{self.months[local.month]} {local.year}, "
            f"{local.hour:02}:{local.minute:02}</time>"
        )

    def plural(self, singular, plural, count):
        """ngettext, asked once per render for each form and count."""
        key = (singular, count)
        if (text := self.plurals.get(key)) is None:
            text = self.plurals[key] = ngettext(singular, plural, count)
        return text

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
                out.append(self.continue_link(row, replies, names[row.pk]))
                out.append("</li>")
                skip_below = depth
            else:
                summary = self.summary(replies, names[row.pk])
                out.append(f'<details open class="replies">{summary}<ol>')
                open_depths.append(depth)
        out.extend("</ol></details></li>" for _ in open_depths)
        out.append("</ol>")
        return "".join(out)

    def summary(self, replies, name):
        """ "Show 3 replies" on a closed thread, "Hide replies" on an open one
        (site CSS shows the one that fits), each naming whose replies to a
        screen reader."""
        show = self.plural("Show %(count)s reply", "Show %(count)s replies", replies)
        to_name = f'<span class="visually-hidden"> {self.text["to"]} {name}</span>'
        return (
            f'<summary><span class="when-closed">{show % {"count": replies}}'
            f'{to_name}</span><span class="when-open">{self.text["hide"]}'
            f"{to_name}</span></summary>"
        )

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
                return self.text["deleted_name"]
            return self.text["hidden_name"]
        if row.author_id:
            return escape(row.author__display_name)
        return escape(row.guest_name)

    def comment(self, row, depth, names, next_id):
        text = self.text
        status = row.status
        hidden = status != Comment.Status.PUBLISHED
        placeholder = hidden and not (self.moderator or row.pk in self.include)
        classes = f"comment depth-{min(depth, self.cap)}"
        if hidden:
            classes += f" status-{status}"
        # When and by whom, for the reader passes (comments.views.reading) that
        # mark a page for one member; a placeholder tells neither.
        data = ""
        if not placeholder:
            data = f' data-at="{moment_number(row.created_at)}"'
            if row.author_id:
                data += f' data-by="{row.author_id}"'
        parts = [
            f'<li id="comment-{row.pk}" class="{classes}"{data}>'
            f'<article class="comment-card" aria-labelledby="comment-{row.pk}-by">'
        ]
        if placeholder:
            placeholders = self.placeholders
            # Readers see the decision and its public reason, never the rule or
            # the moderator's own words.
            message = placeholders.get(
                status, placeholders[Comment.Status.REMOVED]
            ) + self.public_reason(row)
            parts.append(
                f'<p class="comment-meta" id="comment-{row.pk}-by">'
                f"<strong>{message}</strong></p>"
            )
        else:
            parts.append(self.meta(row, names))
            if hidden:
                parts.append(self.status_note(row))
            parts.append(f'<div class="comment-body">{row.body_html}</div>')
            if status == Comment.Status.PUBLISHED:
                parts.append(self.reactions(row))
        parts.append('<ul class="comment-actions">')
        if self.replies_open and not placeholder and status == Comment.Status.PUBLISHED:
            reply_url = self.urls["comments:reply"].format(row.pk)
            parts.append(
                f'<li><a href="{reply_url}">{text["reply"]}'
                f'<span class="visually-hidden"> {text["to"]} {names[row.pk]}'
                "</span></a></li>"
            )
        permalink = self.urls["comments:permalink"].format(row.pk)
        if not placeholder:
            whose = f"{text['to_comment']} {names[row.pk]}"
        elif status == Comment.Status.DELETED:
            whose = text["to_deleted"]
        else:
            whose = text["to_hidden"]
        parts.append(
            f'<li><a href="{permalink}">{text["permalink"]}'
            f'<span class="visually-hidden"> {whose}</span></a></li>'
        )
        if row.parent_id and row.parent_id in names:
            label = text["in_reply"] % {"name": names[row.parent_id]}
            parts.append(f'<li><a href="#comment-{row.parent_id}">{label}</a></li>')
        if next_id:
            parts.append(
                f'<li><a href="#comment-{next_id}">{text["next"]}'
                f'<span class="visually-hidden"> {text["comment"]}</span>'
                "</a></li>"
            )
        if not placeholder:
            parts.append(TOOLS_MARK % row.pk)
        parts.append("</ul></article>")
        return "".join(parts)

    def byline(self, row, name):
        """A member's picture, name and badges: the same on each of their
        comments, so built once per render for each member."""
        if (who := self.bylines.get(row.author_id)) is not None:
            return who
        # The one model instance per member: avatar_url and the role's label.
        author = Comment.author.field.related_model(
            pk=row.author_id,
            display_name=row.author__display_name,
            avatar=row.author__avatar,
            role=row.author__role,
        )
        url = self.urls["accounts:member"].format(row.author_id)
        who = (
            f'<img class="avatar" src="{escape(author.avatar_url)}" alt="" '
            f'width="40" height="40"> '
            f'<a class="comment-author" href="{url}">{name}</a>'
        )
        if row.author__is_staff:  # editors answering readers are named as such
            who += f' <span class="badge badge-staff">{self.text["staff"]}</span>'
        if author.role:
            role = escape(author.get_role_display())
            who += f' <span class="badge badge-role">{role}</span>'
        self.bylines[row.author_id] = who
        return who

    def meta(self, row, names):
        if row.author_id:
            who = self.byline(row, names[row.pk])
        else:
            who = (
                f"{self.guest_picture(row.guest_name)}"
                f'<span class="comment-author">{names[row.pk]}</span> '
                f'<span class="badge">{self.text["guest"]}</span>'
            )
        replying = ""
        if row.parent_id:
            replying = (
                f' <span class="visually-hidden">'
                f"{self.text['replying']} {self._parent_name(row, names)}</span>"
            )
        edited = ""
        if row.edited_at:
            edited = f' <span class="edited">({self.text["edited"]})</span>'
        return (
            f'<p class="comment-meta" id="comment-{row.pk}-by">{who}{replying} '
            f"{self.date(row.created_at)}{edited}</p>"
        )

    def reactions(self, row):
        """The counts, as words, and the place of a member's buttons."""
        counts = row.reaction_counts
        if not counts:
            words = ""
        else:
            key = tuple(sorted(counts.items()))
            if (words := self.reaction_words.get(key)) is None:
                words = escape(counts_words(counts))
                self.reaction_words[key] = words
        return (
            f'<div class="reactions"><p class="reaction-counts" '
            f'id="reaction-counts-{row.pk}">{words}</p>{REACT_MARK % row.pk}</div>'
        )

    def _parent_name(self, row, names):
        return names.get(row.parent_id) or self.text["earlier"]

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
            label = self.status_labels[row.status] + self.public_reason(row)
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

    def continue_link(self, row, replies, name):
        """The link to the thread's own page. A page fetches one level past the
        cap, so `replies` counts the replies to this comment, not their replies."""
        url = self.urls["comments:thread"].format(row.pk)
        label = self.plural(
            "Continue this thread (%(count)s reply to %(name)s)",
            "Continue this thread (%(count)s replies to %(name)s)",
            replies,
        ) % {"count": replies, "name": name}
        return f'<p class="continue"><a href="{url}">{label}</a></p>'


def cache_key(discussion, page, order):
    state = "open" if discussion.takes_replies else "closed"
    return f"thread:{discussion.pk}:{discussion.version}:{state}:{order}:{page}"


def plan_for(discussion, *, order="helpful", include=(), moderator=False):
    """The pages of the discussion in a computed order ("helpful"), for this
    reader: one query, and none for a reader with nothing personal to see while
    the discussion is unchanged."""
    personal = bool(include) or moderator
    key = cache_key(discussion, "plan", order)
    if not personal and (plan := cache.get(key)) is not None:
        return plan
    counted = counted_paths(
        discussion,
        include=include or None,
        moderator=moderator,
        helpful=order == "helpful",
    )
    if order == "helpful":
        paths = [path for path, _count in counted]
        plan = plan_pages(paths, order, helpful=dict(counted))
    else:
        plan = plan_pages(counted, order)
    if not personal:
        cache.set(key, plan, CACHE_SECONDS)
    return plan


def cut_for(discussion, *, page=1, order="oldest", include=(), moderator=False):
    """Page `page` of the discussion (clamped to the pages there are). Orders
    "oldest" and "newest" are read from the stored pages (one query whatever
    the size of the discussion), the same for every reader: what a reader sees
    besides (their held comments, a moderator's view) falls within their ranges."""
    if order in paging.STORED:
        return paging.stored_page(discussion, page, order)
    plan = plan_for(discussion, order=order, include=include, moderator=moderator)
    return paging.planned_page(plan, page)


def page_number(discussion, path, *, order="oldest", include=(), moderator=False):
    """The number of the page that shows the comment at `path`. The ranges of
    the pages tile the discussion, so a comment a page does not count (a deep
    reply, a hidden one) falls in the page of the comments around it."""
    if order in paging.STORED:
        return paging.stored_page_of(discussion, path, order)
    plan = plan_for(discussion, order=order, include=include, moderator=moderator)
    return paging.page_of(plan, path)


def render_page(discussion, *, page=1, order="oldest", include=(), moderator=False):
    """One page of a discussion as HTML. Public pages come from the cache.

    Only the page numbers that exist are cached: a number past the end is
    clamped to the last page first, so that ?page=99999 cannot fill the cache
    with copies of the last page.
    """
    personal = bool(include) or moderator
    if not personal and (cached := cache.get(cache_key(discussion, page, order))):
        return ThreadPage(**cached)
    cut = cut_for(
        discussion, page=page, order=order, include=include, moderator=moderator
    )
    number = cut.number
    if not personal and number != page:
        if (cached := cache.get(cache_key(discussion, number, order))) is not None:
            return ThreadPage(**cached)
    rows = fetch_page(discussion, cut, order=order)
    shown = visible(rows, include=set(include), moderator=moderator)
    renderer = Renderer(
        include=include, moderator=moderator, replies_open=discussion.takes_replies
    )
    result = {
        "number": number,
        "num_pages": cut.count,
        "order": order,
        "html": renderer.render(rows, shown),
        "continued": cut.continued,
        "continues": cut.continues,
    }
    if not personal:
        cache.set(cache_key(discussion, number, order), result, CACHE_SECONDS)
    return ThreadPage(**result)


def add_reactions(html, buttons):
    """Put `buttons(id)` (a member's reaction form) at each comment that takes
    reactions; the ids are those of REACT_MARK in `html`."""
    return REACT_RE.sub(lambda match: buttons(int(match.group(1))), html)


def reaction_ids(html):
    """The ids of the comments of `html` that take reactions."""
    return [int(pk) for pk in REACT_RE.findall(html)]


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
