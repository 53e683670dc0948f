"""How a discussion is cut into pages of about a hundred comments.

A page counts the comments it shows within the indentation cap (deeper ones
continue on their thread's own page). Whole threads stay together while they
fit; a thread longer than a page continues on the next one, where the comments
it replies to come along as context. Pages are described by ranges of sort
keys, so that the row query of any page is a range scan, whatever the size of
the discussion.

Orders "oldest" and "newest" are stored (comments.models.DiscussionPage, kept
by the trigger of migration comments/0013): reading page n reads n + 1 rows of
that table and counts its pages (a few hundred at 20,000 comments), never the
comments. Order "helpful" changes with every reaction, so it is still cut from
all the counted comments when read (plan_pages), and cached.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import IntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from comments.models import Comment, DiscussionPage
from comments.models.discussion import DIGITS, PATH_STEP

HELPFUL = Coalesce(Cast(KT("reaction_counts__helpful"), IntegerField()), 0)
STORED = ("oldest", "newest")
# Comment.newest_key: the thread's step counted down. Its own inverse, so the
# same table turns a key back into a path.
FLIP = str.maketrans(DIGITS, DIGITS[::-1])


@dataclass
class Cut:
    """One page of a discussion: which of how many, and where its comments are."""

    number: int
    count: int  # pages in all
    first: str  # path where it starts ("" from the start); its ancestors are context
    ranges: list  # [(low, high)] of `field`, high None: to the end
    field: str = "path"
    continues: bool = False  # its last thread goes on on the next page

    @property
    def continued(self):
        """Its first thread began on the page before."""
        return len(self.first) > PATH_STEP

    def rows(self):
        """Which comments the page fetches: those in its ranges, and the
        ancestors of its first comment, which come along as context."""
        where = Q()
        for low, high in self.ranges:
            bounds = {f"{self.field}__gte": low}
            if high is not None:
                bounds[f"{self.field}__lt"] = high
            where |= Q(**bounds)
        ancestors = [
            self.first[:end] for end in range(PATH_STEP, len(self.first), PATH_STEP)
        ]
        if ancestors:
            where |= Q(path__in=ancestors)
        return where


def newest_key(path):
    """Comment.newest_key of a path, and the path of a newest_key."""
    return path[:PATH_STEP].translate(FLIP) + path[PATH_STEP:]


STORED_PAGE = """
SELECT n.total, p.start
  FROM (SELECT count(*) AS total FROM comments_discussionpage
         WHERE discussion_id = %(discussion)s AND sort = %(sort)s) n
  LEFT JOIN LATERAL (
       SELECT start FROM comments_discussionpage
        WHERE discussion_id = %(discussion)s AND sort = %(sort)s
        ORDER BY start OFFSET greatest(least(%(number)s, n.total), 1) - 1 LIMIT 2
  ) p ON true
"""


def stored_page(discussion, number, order):
    """Page `number` (clamped to those that exist) of a stored order: one query."""
    field = "path" if order == "oldest" else "newest_key"
    with connection.cursor() as cursor:
        cursor.execute(
            STORED_PAGE,
            {"discussion": discussion.pk, "sort": order, "number": number},
        )
        rows = cursor.fetchall()
    total = rows[0][0]
    starts = [start for _total, start in rows if start is not None]
    if not starts:  # nothing counted yet: one page of whatever there is
        return Cut(number=1, count=1, first="", ranges=[("", None)], field=field)
    high = starts[1] if len(starts) > 1 else None
    return Cut(
        number=max(1, min(number, total)),
        count=total,
        first=starts[0] if order == "oldest" else newest_key(starts[0]),
        ranges=[(starts[0], high)],
        field=field,
        continues=high is not None and len(high) > PATH_STEP,
    )


def stored_page_of(discussion, path, order):
    """The number of the stored page of `order` whose range holds `path`."""
    key = path if order == "oldest" else newest_key(path)
    starts = DiscussionPage.objects.filter(
        discussion=discussion, sort=order, start__lte=key
    )
    return max(1, starts.count())


def planned_page(plan, number):
    """Page `number` of a plan from plan_pages (clamped), as a Cut."""
    count = max(1, len(plan))
    number = min(max(1, number), count)
    if not plan:
        return Cut(number=1, count=1, first="", ranges=[("", None)])
    following = plan[number] if number < len(plan) else None
    return Cut(
        number=number,
        count=count,
        first=plan[number - 1]["first"],
        ranges=plan[number - 1]["ranges"],
        continues=following is not None and len(following["first"]) > PATH_STEP,
    )


def configure(using=connection, *, force=False):
    """Store the page size and the indentation cap of the settings for the
    trigger; when they changed (or with `force`), cut every discussion again."""
    per_page = settings.KINDRED["COMMENTS_PER_PAGE"]
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    with using.cursor() as cursor:
        cursor.execute(
            "UPDATE comments_page_settings SET per_page = %s, max_indent = %s "
            "WHERE (per_page, max_indent) IS DISTINCT FROM (%s, %s)",
            [per_page, cap, per_page, cap],
        )
        changed = cursor.rowcount
    if changed or force:
        rebuild(using=using)


@contextmanager
def paused():
    """The trigger does not move pages until the end of the block, for a bulk
    load, whose many rows per statement it would count while cutting; the
    caller cuts the pages after (rebuild)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('kindred.pages_paused', 'on', true)")
        yield
        cursor.execute("SELECT set_config('kindred.pages_paused', '', true)")


def rebuild(discussion_ids=None, *, using=connection):
    """Cut discussions into pages again from their rows (all with None):
    whole threads while they fit, as plan_pages does."""
    with using.cursor() as cursor:
        if discussion_ids is None:
            cursor.execute("SELECT comments_rebuild_pages(id) FROM comments_discussion")
        else:
            cursor.execute(
                "SELECT comments_rebuild_pages(id) FROM unnest(%s::bigint[]) id",
                [list(discussion_ids)],
            )


def counted_paths(discussion, *, include=None, moderator=False, helpful=False):
    """Paths of the comments a page counts, in path order: those within the
    indentation cap that have something to show (deeper ones continue on the
    thread's own page). With `helpful`, (path, "Helpful" count) pairs."""
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    rows = discussion.comments.filter(depth__lt=cap).order_by("path")
    if not moderator:
        visible = Q(status=Comment.Status.PUBLISHED) | Q(has_replies=True)
        if include:
            visible |= Q(pk__in=include)
        rows = rows.filter(visible)
    if helpful:
        return list(rows.annotate(helpful=HELPFUL).values_list("path", "helpful"))
    return list(rows.values_list("path", flat=True))


def plan_pages(paths, order, helpful=None):
    """Cut the discussion into pages of about COMMENTS_PER_PAGE comments.

    Whole threads go together while they fit; a thread longer than a page
    continues on the next. Threads come oldest first, newest first, or (order
    "helpful", with `helpful` {path: count}) those whose first comment most
    members found helpful first, oldest first among equals. Each page is a list
    of path ranges [low, high) (high None: to the end), which the row query
    fetches, and the path of the first comment it shows, whose ancestors come
    along as context when the page continues a thread.
    """
    per_page = settings.KINDRED["COMMENTS_PER_PAGE"]
    # Where each thread starts (a top-level path is one step long): one pass in
    # C over the paths, then a loop over threads, not over comments.
    starts = [
        index for index, path in enumerate(paths) if len(path) == PATH_STEP or not index
    ]
    threads = list(zip(starts, [*starts[1:], len(paths)], strict=False))
    if order == "newest":
        threads.reverse()
    elif order == "helpful":
        threads.sort(key=lambda thread: -helpful.get(paths[thread[0]], 0))
    pages, current, room = [], [], per_page
    for start, end in threads:
        if current and end - start > room and end - start <= per_page:
            pages.append(current)
            current, room = [], per_page
        while start < end:
            take = min(room, end - start)
            current.append((start, start + take))
            start, room = start + take, room - take
            if not room:
                pages.append(current)
                current, room = [], per_page
    if current:
        pages.append(current)
    return [_page_ranges(paths, segments) for segments in pages]


def _page_ranges(paths, segments):
    """Index segments as path ranges, neighbours merged (a newest-first page's
    whole threads are one range)."""
    first = paths[segments[0][0]]
    merged = []
    for start, end in sorted(segments):
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    ranges = [(paths[a], paths[b] if b < len(paths) else None) for a, b in merged]
    return {"first": first, "ranges": ranges}


def page_of(plan, path):
    """The number of the page that shows the comment at `path`. The ranges of
    the pages tile the discussion, so a comment a page does not count (a deep
    reply, a hidden one) falls in the page of the comments around it."""
    for number, planned in enumerate(plan, start=1):
        for low, high in planned["ranges"]:
            if low <= path and (high is None or path < high):
                return number
    return 1
