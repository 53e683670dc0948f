"""Many comments at once, for demo content and benchmarks: one query for the ids,
one INSERT per thousand rows, and the same paths a reply posted on the site gets.
The pages of the discussion are cut once, after the rows (comments.paging)."""

from django.db import connection
from django.db.models import F
from django.utils import timezone

from comments import paging
from comments.markup import render_markup
from comments.models import Comment, Discussion, path_step


def insert_thread(discussion, rows):
    """Add `rows` to `discussion` in order; return the new comments.

    Each row is a dict of Comment fields plus `reply_to`: the index in `rows` of its
    parent (which must come earlier), or None for a top-level comment.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('comments_comment', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    made = []
    for pk, row in zip(ids, rows, strict=True):
        fields = dict(row)
        index = fields.pop("reply_to", None)
        parent = made[index] if index is not None else None
        fields.setdefault("created_at", timezone.now())
        fields.setdefault("status", Comment.Status.PUBLISHED)
        made.append(
            Comment(
                pk=pk,
                discussion=discussion,
                parent=parent,
                depth=parent.depth + 1 if parent else 0,
                path=(parent.path if parent else "") + path_step(pk),
                body_html=render_markup(fields["body"]),
                **fields,
            )
        )
    with paging.paused():
        Comment.objects.bulk_create(made, batch_size=1000)
        paging.rebuild([discussion.pk])
    published = sum(c.status == Comment.Status.PUBLISHED for c in made)
    Discussion.objects.filter(pk=discussion.pk).update(
        comment_count=F("comment_count") + published, version=F("version") + 1
    )
    return made


RECOUNT_THREADS = """
UPDATE comments_comment c SET has_replies = NOT has_replies
 WHERE has_replies <> EXISTS (
    SELECT 1 FROM comments_comment r WHERE r.parent_id = c.id);
UPDATE comments_discussion d SET thread_count = (
    SELECT count(*) FROM comments_comment c
     WHERE c.discussion_id = d.id AND c.depth = 0
       AND (c.status = 'published' OR c.has_replies));
"""


def recount_threads():
    """Whether each comment has replies, each discussion's thread count and its
    pages, from the rows (the triggers of migrations comments/0012 and 0013 keep
    them): after a load with the triggers off, or to check them."""
    with paging.paused(), connection.cursor() as cursor:
        cursor.execute(RECOUNT_THREADS)
        paging.rebuild()
