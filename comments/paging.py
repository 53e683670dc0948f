"""How a discussion is cut into pages of about a hundred comments.

A page counts the comments it shows within the indentation cap (deeper ones
continue on their thread's own page). Whole threads stay together while they
fit; a thread longer than a page continues on the next one, where the comments
it replies to come along as context. Pages are described by ranges of sort
paths, so that the row query of any page is a range scan, whatever the size of
the discussion.
"""

from django.conf import settings
from django.db.models import IntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from comments.models import Comment
from comments.models.discussion import PATH_STEP

HELPFUL = Coalesce(Cast(KT("reaction_counts__helpful"), IntegerField()), 0)


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
