"""Members: notifying a topic's 10,000 followers, the bell, the New marks, mutes.

A forum topic followed by 10,000 members. A reply is posted through the view
(the task backend only records the task): the request's queries with no
follower and with 10,000. Then the task itself (notify_comment) fans the reply
out: its queries, how many of them are INSERTs, and its time. The bell: the
queries on notifications of a member's page. The marks and the mutes: what
each reader pass adds to a member's topic page (1,000 replies, the 100 of the
first page new to them, 10 by a member they muted), in queries and in median
ms (cached thread, passes on and off timed in turns), and what the "new
replies" counts add to a category page.
"""

import statistics
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import forums.views
from accounts.models import Follow, Mute, User
from accounts.notifications import notify_comment
from bench.build import member
from bench.comments import count_queries
from bench.timing import compare, interleaved, load_average, rounded
from comments.bulk import insert_thread
from comments.models import Discussion, ModerationSettings, Visit
from comments.views import reading
from forums.models import Category
from forums.services import start_topic

FOLLOWERS = 10_000
REPLIES = 1_000
ROUNDS = 15


def run():
    kindred, tasks = settings.KINDRED, settings.TASKS
    settings.KINDRED = {**kindred, "COMMENTS_RATE_SECONDS": 0}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    try:
        return measure()
    finally:
        settings.KINDRED, settings.TASKS = kindred, tasks


def measure():
    moderation = ModerationSettings.current()
    moderation.hold_first_comments = False
    moderation.save()
    load_before = load_average()
    category = Category.objects.create(name="Members bench", slug="members-bench")
    starter, writer, reader, loud = (member() for _ in range(4))
    topic, verdict = start_topic(
        category=category,
        author=starter,
        title="Followed by ten thousand",
        body=f"First words {uuid.uuid4()}",
        token=uuid.uuid4(),
    )
    assert topic is not None and verdict.action == "publish", verdict
    figures = {"fan_out": fan_out(topic, writer)}
    figures["bell_queries"] = bell_queries(topic, starter)
    figures["passes"] = reader_passes(category, topic, reader, loud)
    figures["load"] = f"{load_before}/{load_average()}"
    report(figures)
    return figures


def post_reply(client, discussion):
    url = reverse("comments:post", args=[discussion.pk])
    data = {"body": f"A reply {uuid.uuid4()}", "token": uuid.uuid4(), "homepage": ""}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302, response.status_code
    return len(captured.captured_queries)


def fan_out(topic, writer):
    """The request's queries with 0 and 10,000 followers; the task's work."""
    client = Client()
    client.force_login(writer)
    discussion = topic.discussion
    without = post_reply(client, discussion)
    people = User.objects.bulk_create(
        User(email=f"follower{n}@example.com", display_name=f"Follower {n}")
        for n in range(FOLLOWERS)
    )
    Follow.objects.bulk_create(
        (Follow(member=person, discussion=discussion) for person in people),
        batch_size=2000,
    )
    with_followers = post_reply(client, discussion)
    reply = discussion.comments.order_by("-pk").first()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        made = notify_comment.call(reply.pk)
        task_ms = (time.perf_counter() - start) * 1000
    statements = [query["sql"] for query in captured.captured_queries]
    inserts = [sql for sql in statements if sql.startswith("INSERT")]
    return {
        "followers": FOLLOWERS,
        "request_queries_no_followers": without,
        "request_queries_10000_followers": with_followers,
        "task_notifications": made,
        "task_queries": len(statements),
        "task_inserts": len(inserts),
        "task_ms": round(task_ms, 1),
    }


def bell_queries(topic, starter):
    """Queries about notifications in a page of a member who has unread ones
    (the topic's starter hears of each reply to it)."""
    client = Client()
    client.force_login(starter)
    url = topic.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in captured.captured_queries
        if "accounts_notification" in query["sql"]
    )


def reader_passes(category, topic, reader, loud):
    """What the New marks and the mutes add to a member's topic page."""
    discussion = Discussion.objects.get(pk=topic.discussion_id)
    Visit.objects.record(reader, discussion, now=timezone.now() - timedelta(days=2))
    Visit.objects.record(reader, discussion, now=timezone.now() - timedelta(days=1))
    others = [member() for _ in range(9)]
    rows = []
    for n in range(REPLIES):
        author = loud if n % 10 == 0 else others[n % len(others)]
        rows.append({"reply_to": None, "author": author, "body": f"Reply {n}."})
    insert_thread(discussion, rows)
    Mute.objects.create(muter=reader, muted=loud)
    client = Client()
    client.force_login(reader)
    url = topic.get_absolute_url()
    every = list(reading.READER_PASSES)
    by_name = {p.__name__: p for p in every}

    def page(passes):
        def get():
            reading.READER_PASSES[:] = passes
            response = client.get(url)
            assert response.status_code == 200
            return response.content

        return get

    variants = {
        "none": page([]),
        "marks": page([by_name["mark_new"]]),
        "marks_and_mutes": page(every),
    }
    try:
        for get in variants.values():
            get()  # the thread rendered and cached, the menu read: as on a live site
        queries = {name: count_queries(get) for name, get in variants.items()}
        shown = variants["marks_and_mutes"]()
        samples = interleaved(variants, ROUNDS)
    finally:
        reading.READER_PASSES[:] = every
    list_url = category.get_absolute_url()
    with_counts = count_queries(lambda: client.get(list_url))
    saved = forums.views.with_new_replies
    forums.views.with_new_replies = lambda request, topics: list(topics)
    try:
        without_counts = count_queries(lambda: client.get(list_url))
    finally:
        forums.views.with_new_replies = saved
    return {
        "replies": REPLIES,
        "marked_new": shown.count(b"badge-new"),
        "folded": shown.count(b'class="muted-post"'),
        "queries": queries,
        "median_ms": {
            name: round(statistics.median(s), 2) for name, s in samples.items()
        },
        "marks_vs_none": compare(samples["none"], samples["marks"]),
        "both_vs_none": compare(samples["none"], samples["marks_and_mutes"]),
        "samples_ms": {name: rounded(s) for name, s in samples.items()},
        "category_queries_with_counts": with_counts,
        "category_queries_without_counts": without_counts,
    }


def report(figures):
    out = figures["fan_out"]
    print(
        f"Members: a forum topic with {out['followers']:,} followers; a reply posted "
        "through the view."
    )
    print(
        f"request queries: {out['request_queries_no_followers']} with no follower, "
        f"{out['request_queries_10000_followers']} with {out['followers']:,}"
    )
    print(
        f"task notify_comment: {out['task_notifications']:,} notifications, "
        f"{out['task_queries']} queries of which {out['task_inserts']} INSERTs, "
        f"{out['task_ms']} ms"
    )
    print(f"bell: {figures['bell_queries']} query on notifications per page view")
    passes = figures["passes"]
    queries, ms = passes["queries"], passes["median_ms"]
    print(
        f"topic with {passes['replies']:,} replies, first page, a member with "
        f"{passes['marked_new']} comments marked New and {passes['folded']} folded "
        "(muted author); cached thread, median ms of "
        f"{ROUNDS} in turns:"
    )
    print("reader passes | queries | median ms")
    for name in ("none", "marks", "marks_and_mutes"):
        print(f"{name.replace('_', ' ')} | {queries[name]} | {ms[name]}")
    for key in ("marks_vs_none", "both_vs_none"):
        row = passes[key]
        print(
            f"{key.replace('_', ' ')}: ratio {row['ratio']} "
            f"(pairs {row['ratio_min']}-{row['ratio_max']})"
        )
    print(
        f"category page, member: {passes['category_queries_with_counts']} queries "
        f"with the new-reply counts, {passes['category_queries_without_counts']} "
        f"without; load average before/after: {figures['load']}"
    )
