"""Reactions: what they cost a thread page, a reaction and its notification.

An article with 1,000 comments (pages of about 100), a third of them with
reactions from 40 members. For the first page, oldest first and "Most helpful":
SQL queries and the median time uncached (cache cleared before each request),
for a guest and for a member who reacted to comments on it. Then reacting
through the view, without JavaScript (redirect) and with it (JSON): queries and
median time; and the notification task for one comment.
"""

import random
import re
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.notifications import notify_reaction
from bench.build import member, thread
from bench.comments import count_queries, median_ms, uncached
from bench.timing import load_average
from comments.models import Comment, ModerationSettings, Reaction
from comments.models.reactions import Kind

SIZE = 1000
REACTORS = 40
REACTIONS = 25  # reactions posted through the view, each way
COUNTS_SHOWN = re.compile(rb'id="reaction-counts-\d+">[^<]')


def react_in_bulk(discussion, people, rng):
    """A third of the comments get reactions from some of `people`."""
    rows = []
    for pk in discussion.comments.values_list("pk", flat=True):
        if rng.random() < 1 / 3:
            for person in rng.sample(people, rng.randint(1, 6)):
                rows.append(
                    Reaction(comment_id=pk, member=person, kind=rng.choice(Kind.values))
                )
    Reaction.objects.bulk_create(rows, batch_size=2000)
    counts = {}
    for row in rows:
        kinds = counts.setdefault(row.comment_id, {})
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
    for pk, kinds in counts.items():
        Comment.objects.filter(pk=pk).update(reaction_counts=kinds)
    discussion.record_change()
    return len(rows)


def measure_page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200
        return response

    uncached()
    queries = count_queries(get)
    return {
        "queries": queries,
        "uncached_ms": median_ms(get, before=uncached),
        "reactions_shown": len(COUNTS_SHOWN.findall(get().content)),
    }


def measure_reacting(people, comments, json):
    """Each of `people` reacts once to a comment through the view."""
    times, queries = [], []
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    for person, target in zip(people, comments, strict=False):
        client = Client()
        client.force_login(person)
        url = reverse("comments:react", args=[target.pk])
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, {"kind": "helpful"}, **headers)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == (200 if json else 302), response.status_code
        queries.append(len(captured.captured_queries))
    return {
        "median_ms": round(statistics.median(times), 2),
        "queries": sorted(set(queries)),
    }


def run():
    ModerationSettings.objects.create(hold_first_comments=False)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    rng = random.Random(9)
    load_before = load_average()
    article, authors = thread(SIZE, depth=8, seed=9)
    discussion = article.discussion
    people = [member() for _ in range(REACTORS)]
    made = react_in_bulk(discussion, people, rng)
    url = article.get_absolute_url()
    guest, reactor = Client(), Client()
    reactor.force_login(people[0])
    pages = {}
    for order in ("oldest", "helpful"):
        address = f"{url}?order={order}"
        pages[order] = {
            "guest": measure_page(guest, address),
            "member": measure_page(reactor, address),
        }
    targets = list(
        discussion.comments.filter(author__isnull=False).order_by("pk")[:REACTIONS]
    )
    fresh = [member() for _ in range(2 * REACTIONS)]
    reacting = {
        "without_js": measure_reacting(fresh[:REACTIONS], targets, json=False),
        "with_js": measure_reacting(fresh[REACTIONS:], targets, json=True),
    }
    task = {"queries": count_queries(lambda: notify_reaction.call(targets[0].pk))}
    task["queries_again_within_the_hour"] = count_queries(
        lambda: notify_reaction.call(targets[0].pk)
    )
    print(
        f"Reactions: an article with {SIZE:,} comments, {made:,} reactions by "
        f"{REACTORS} members; first page (about 100 comments), uncached, median ms."
    )
    print("order | reader | queries | uncached ms | comments with counts")
    for order, readers in pages.items():
        for reader, row in readers.items():
            print(
                f"{order} | {reader} | {row['queries']} | {row['uncached_ms']} | "
                f"{row['reactions_shown']}"
            )
    for way, row in reacting.items():
        print(
            f"reacting {way.replace('_', ' ')}: {row['median_ms']} ms, "
            f"{'/'.join(map(str, row['queries']))} queries"
        )
    load = f"{load_before}/{load_average()}"
    print(
        f"notification task: {task['queries']} queries; again within the hour: "
        f"{task['queries_again_within_the_hour']}; load average before/after: {load}"
    )
    return {
        "reactions": made,
        "pages": pages,
        "reacting": reacting,
        "task": task,
        "load": load,
    }
