"""The forums at scale: a category of 10,000 topics and 200,000 posts.

For the category page (page 1, page 200 typed as ?page=200, and page 200 as
its Next link on page 199 gives it: a keyset page), the front page, /forums/latest/
and a topic page with 1,000 replies: SQL queries and the median time, uncached
(cache cleared before each request) and cached, first with 100 topics in the
category, then with 10,000. Then starting a topic and replying: queries each.

Equal work: a category of 100 topics has no page 200, and its last page holds
10 topics, so the deep page at 100 topics is its deepest full page (page 3, 30
topics, as page 200 of 10,000 holds). Each ratio is the median of the ratios of
one round, where the two pages were fetched one after the other, with the
lowest and highest round beside it.
"""

import os
import random
import re
import statistics
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.build import SENTENCES, member
from bench.comments import count_queries, median_ms, uncached
from comments.bulk import insert_thread
from comments.models import Discussion, ModerationSettings
from comments.posting import Submission
from comments.services import post_comment
from forums.bulk import insert_replies, insert_topics, recount
from forums.models import Category, Topic
from forums.services import start_topic

REPEAT = 15  # the machine is shared: more runs for a steadier median
POSTS_PER_TOPIC = 20  # 10,000 topics: 200,000 posts, first posts included
CHUNK = 2000


def fill(category, count, people, rng, now):
    """`count` topics, each with POSTS_PER_TOPIC - 1 replies, over the last year."""
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        topics = insert_topics(
            category,
            [
                {
                    "title": f"{rng.choice(SENTENCES)[:60]} ({start + n})",
                    "author": rng.choice(people),
                    "body": rng.choice(SENTENCES),
                    "created_at": now - timedelta(days=365 * rng.random()),
                }
                for n in range(size)
            ],
        )
        replies = [
            {
                "topic": topic,
                "author": rng.choice(people),
                "body": rng.choice(SENTENCES),
                "created_at": topic.created_at + (now - topic.created_at) * k / 20,
            }
            for topic in topics
            for k in range(1, POSTS_PER_TOPIC)
        ]
        insert_replies(replies, then_recount=False)
    recount()
    with connection.cursor() as cursor:
        # What autovacuum does on a live site after a load this size: the
        # visibility map lets the listing index answer deep pages on its own.
        cursor.execute("VACUUM ANALYZE")


def long_topic(category, people, rng):
    """One topic with 1,000 replies, threaded as a real discussion is."""
    [topic] = insert_topics(
        category,
        [
            {
                "title": "A topic with a thousand replies",
                "author": people[0],
                "body": "?",
            }
        ],
    )
    rows, depths = [], []
    for index in range(1000):
        parent = None
        if index and rng.random() < 0.6:
            parent = rng.randrange(max(0, index - 40), index)
            if depths[parent] >= 7:
                parent = None
        depths.append(depths[parent] + 1 if parent is not None else 0)
        rows.append(
            {"reply_to": parent, "author": rng.choice(people), "body": SENTENCES[0]}
        )
    insert_thread(topic.discussion, rows)
    return Topic.objects.select_related("category").get(pk=topic.pk)


def deepest(category, number):
    """Page `number`, or the deepest page that is full (30 topics) if fewer."""
    return max(1, min(number, category.topic_count // 30))


def page_figures(urls):
    """Queries, then median ms uncached and cached, for each of `urls` (by name).

    The pages take turns, run after run, so that a burst of load on the shared
    machine falls on all of them alike rather than on one page's runs.
    """
    anonymous = Client()
    figures = {}
    for name, url in urls.items():
        assert anonymous.get(url).status_code == 200, url
        uncached()
        figures[name] = {"queries": count_queries(lambda u=url: anonymous.get(u))}
    for key, before in (("uncached_ms", uncached), ("cached_ms", None)):
        runs = {name: [] for name in urls}
        for _ in range(REPEAT):
            for name, url in urls.items():
                runs[name].append(
                    median_ms(lambda u=url: anonymous.get(u), repeat=1, before=before)
                )
        for name, times in runs.items():
            figures[name][key] = round(statistics.median(times), 2)
            figures[name][key.replace("_ms", "_runs")] = times
    return figures


def linked(category, number):
    """The address of page `number` (or the last page, if fewer) as its Next
    link on the page before it gives it: a keyset page (forums.views)."""
    url = category.get_absolute_url()
    before = max(1, deepest(category, number) - 1)
    html = Client().get(url, {"page": before}).content.decode()
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert found, "no Next link"
    return url + found.group(1).replace("&amp;", "&")


def pages(category, topic):
    return {
        "category page 1": category.get_absolute_url(),
        "category page 200": category.get_absolute_url()
        + f"?page={deepest(category, 200)}",
        "category page 200 by its link": linked(category, 200),
        "forum front page": reverse("forums:index"),
        "latest": reverse("forums:latest"),
        "topic, 1,000 replies": topic.get_absolute_url(),
    }


def posting(category, people):
    """Queries and median ms to start a topic and to reply to it."""
    start_times, reply_times, start_queries, reply_queries = [], [], 0, 0
    for n in range(REPEAT):
        author = people[n]
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            topic, verdict = start_topic(
                category=category,
                author=author,
                title=f"A new topic {n}",
                body=f"First words {uuid.uuid4()}",
                token=uuid.uuid4(),
            )
            start_times.append((time.perf_counter() - begun) * 1000)
        assert topic is not None and verdict.action == "publish", verdict
        start_queries = len(captured.captured_queries)
        discussion = Discussion.objects.with_owners().get(pk=topic.discussion_id)
        submission = Submission(
            discussion=discussion,
            author=people[n + REPEAT],
            body=f"A reply {uuid.uuid4()}",
        )
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            comment, verdict = post_comment(submission=submission, token=uuid.uuid4())
            reply_times.append((time.perf_counter() - begun) * 1000)
        assert comment is not None, verdict
        reply_queries = len(captured.captured_queries)
    median = sorted(start_times)[REPEAT // 2], sorted(reply_times)[REPEAT // 2]
    return {
        "start_queries": start_queries,
        "start_ms": round(median[0], 2),
        "reply_queries": reply_queries,
        "reply_ms": round(median[1], 2),
    }


def spread(a, b):
    """The median ratio b / a over rounds, and the lowest and highest round's."""
    ratios = sorted(y / x for x, y in zip(a, b, strict=True))
    return [
        round(statistics.median(ratios), 2),
        round(ratios[0], 2),
        round(ratios[-1], 2),
    ]


def run():
    kindred = settings.KINDRED
    settings.KINDRED = {
        **kindred,
        "COMMENTS_RATE_SECONDS": 0,
        "FORUMS_TOPIC_RATE_SECONDS": 0,
    }
    try:
        return measure()
    finally:
        settings.KINDRED = kindred


def measure():
    load_before = os.getloadavg()[0]
    ModerationSettings.objects.create(hold_first_comments=False)
    rng = random.Random(8)
    now = timezone.now()
    people = [member() for _ in range(50)]
    small = Category.objects.create(name="Small", slug="small")
    fill(small, 100, people, rng, now)
    topic = long_topic(small, people, rng)
    small.refresh_from_db()
    at_100 = page_figures(pages(small, topic))
    big = Category.objects.create(name="Big", slug="big")
    fill(big, 10_000, people, rng, now)
    big.refresh_from_db()
    topic.move(to=big, by=None)
    # The category pages at 100 topics again, in turns with those at 10,000.
    small_pages = {
        f"{name} (100)": url
        for name, url in pages(small, topic).items()
        if name.startswith("category")
    }
    both = page_figures({**pages(big, topic), **small_pages})
    at_10000 = {name: both[name] for name in at_100}
    for name in at_100:
        at_100[name] = both.get(f"{name} (100)", at_100[name])
    big.refresh_from_db()
    writing = posting(big, people)
    load = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(
        f"Forums: category of {big.topic_count:,} topics and {big.post_count:,} "
        f"posts (median of {REPEAT}; anonymous reader; uncached = cache cleared "
        "before each request; the category pages at 100 and at 10,000 topics "
        "measured in turns, page 200 at 100 topics being its deepest full page; "
        f"load average {load[0]} to {load[1]})"
    )
    print(
        "page | queries at 100 | queries at 10,000 | uncached ms at 100 | "
        "uncached ms at 10,000 | cached ms at 10,000 | ratio 10,000 / 100 "
        "[lowest-highest round]"
    )
    rows = []
    for name in at_100:
        a, b = at_100[name], at_10000[name]
        ratio, low, high = spread(a.pop("uncached_runs"), b.pop("uncached_runs"))
        for figures in (a, b):
            figures.pop("cached_runs")
        rows.append(
            {
                "page": name,
                "at_100": a,
                "at_10000": b,
                "ratio": ratio,
                "ratio_range": [low, high],
            }
        )
        print(
            f"{name} | {a['queries']} | {b['queries']} | {a['uncached_ms']} | "
            f"{b['uncached_ms']} | {b['cached_ms']} | {ratio} [{low}-{high}]"
        )
    print(
        f"start a topic: {writing['start_queries']} queries, {writing['start_ms']} ms; "
        f"reply: {writing['reply_queries']} queries, {writing['reply_ms']} ms"
    )
    cache.clear()
    return {
        "topics": big.topic_count,
        "posts": big.post_count,
        "load_average": load,
        "pages": rows,
        **writing,
    }
