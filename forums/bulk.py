"""Many topics at once, for demo content, benchmarks and tests: a few INSERTs
per thousand topics, with the counts the site itself would keep."""

import functools

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from comments.bulk import recount_threads
from comments.markup import render_markup
from comments.models import Comment, Discussion, path_step
from forums.models import Category, Topic


def _ids(count):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('comments_comment', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_topics(category, rows):
    """Add published topics to `category`; return them.

    Each row: title, author, body, and optionally created_at. Replies come after,
    through comments.bulk.insert_thread (counted by the trigger) or
    insert_replies().
    """
    now = timezone.now()
    rendered = functools.cache(render_markup)
    discussions = Discussion.objects.bulk_create(
        [
            Discussion(opened_at=row.get("created_at", now), comment_count=1)
            for row in rows
        ]
    )
    posts = [
        Comment(
            pk=pk,
            discussion=discussion,
            depth=0,
            path=path_step(pk),
            author=row["author"],
            body=row["body"],
            body_html=rendered(row["body"]),
            created_at=row.get("created_at", now),
        )
        for pk, discussion, row in zip(_ids(len(rows)), discussions, rows, strict=True)
    ]
    Comment.objects.bulk_create(posts, batch_size=1000)
    topics = []
    for discussion, post, row in zip(discussions, posts, rows, strict=True):
        topic = Topic(
            category=category,
            title=row["title"],
            author=row["author"],
            discussion=discussion,
            opening_post=post,
            created_at=post.created_at,
            last_active=post.created_at,
            last_poster=row["author"],
        )
        topic.slug = slugify(topic.title)[:160] or "topic"  # save() is skipped
        topics.append(topic)
    Topic.objects.bulk_create(topics, batch_size=1000)
    Category.objects.filter(pk=category.pk).update(
        topic_count=F("topic_count") + len(topics),
        post_count=F("post_count") + len(topics),
    )
    category.refresh_latest()
    return topics


# The forums' counts (forums/0002), the threads' (comments/0012) and their
# pages (comments/0013), set again by recount() after a load.
COUNTING_TRIGGERS = [
    "forums_count_post",
    "comments_keep_thread_data",
    "comments_keep_pages",
]


def insert_replies(rows, *, then_recount=True):
    """Top-level replies in bulk, each row: topic, author, body, created_at.

    The counting trigger is switched off for the load and the counts set from
    the data after (recount()), for the benchmark's 200,000 posts; a caller
    loading in parts recounts once, after the last.
    """
    rendered = functools.cache(render_markup)  # bodies repeat in bulk data
    posts = [
        Comment(
            pk=pk,
            discussion_id=row["topic"].discussion_id,
            depth=0,
            path=path_step(pk),
            author=row["author"],
            body=row["body"],
            body_html=rendered(row["body"]),
            created_at=row["created_at"],
        )
        for pk, row in zip(_ids(len(rows)), rows, strict=True)
    ]
    with connection.cursor() as cursor:
        for trigger in COUNTING_TRIGGERS:
            cursor.execute(f"ALTER TABLE comments_comment DISABLE TRIGGER {trigger}")
        try:
            Comment.objects.bulk_create(posts, batch_size=2000)
        finally:
            for trigger in COUNTING_TRIGGERS:
                cursor.execute(f"ALTER TABLE comments_comment ENABLE TRIGGER {trigger}")
    if then_recount:
        recount()
    return posts


RECOUNT = [
    """UPDATE forums_topic t SET is_listed = NOT t.is_removed
              AND o.status NOT IN ('pending', 'rejected', 'spam')
       FROM comments_comment o WHERE o.id = t.opening_post_id""",
    """UPDATE comments_discussion d SET comment_count = c.n, version = version + 1
       FROM (SELECT discussion_id, count(*) AS n FROM comments_comment
             WHERE status = 'published' GROUP BY discussion_id) c
       WHERE c.discussion_id = d.id
         AND d.id IN (SELECT discussion_id FROM forums_topic)""",
    """UPDATE forums_topic t SET reply_count = r.n, last_active = r.last,
              last_poster_id = r.poster
       FROM (SELECT DISTINCT ON (c.discussion_id) c.discussion_id,
                    count(*) OVER (PARTITION BY c.discussion_id) AS n,
                    max(c.created_at) OVER (PARTITION BY c.discussion_id) AS last,
                    c.author_id AS poster
             FROM comments_comment c JOIN forums_topic t2
               ON t2.discussion_id = c.discussion_id AND c.id <> t2.opening_post_id
             WHERE c.status = 'published'
             ORDER BY c.discussion_id, c.created_at DESC) r
       WHERE r.discussion_id = t.discussion_id""",
    """UPDATE forums_category k SET topic_count = s.topics, post_count = s.posts
       FROM (SELECT t.category_id, count(*) AS topics,
                    sum(t.reply_count + (o.status = 'published')::int) AS posts
             FROM forums_topic t JOIN comments_comment o ON o.id = t.opening_post_id
             WHERE t.is_listed
             GROUP BY t.category_id) s
       WHERE s.category_id = k.id""",
]


def recount():
    """Every forum count from the data: after a bulk load, or to repair."""
    with connection.cursor() as cursor:
        for statement in RECOUNT:
            cursor.execute(statement)
    recount_threads()
    for category in Category.objects.all():
        category.refresh_latest()
