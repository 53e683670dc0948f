"""The article page with N = 10 ... 5,000 comments: queries, time, and a baseline.

The whole discussion is put on one page (threads per page raised above N) so that
every figure covers all N comments: the heaviest page the site can serve.
"""

import statistics
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Section
from bench.build import thread
from comments import rendering as threads
from comments.models import Comment, ModerationSettings
from comments.posting import Submission
from comments.services import post_comment

SIZES = [10, 100, 1000, 5000]
REPEAT = 7
# The straightforward way: one template, one loop over the same rows.
BASELINE = Template(
    '{% load i18n %}<ol>{% for c in comments %}<li id="comment-{{ c.pk }}">'
    "<p>{% if c.author_id %}<a href=\"{% url 'accounts:member' c.author_id %}\">"
    "{{ c.author.display_name }}</a>{% else %}{{ c.guest_name }}{% endif %} "
    "<time datetime=\"{{ c.created_at|date:'c' }}\">"
    "{{ c.created_at|date:'j F Y, H:i' }}</time></p>"
    "<div>{{ c.body_html|safe }}</div><ul>"
    "<li><a href=\"{% url 'comments:reply' c.pk %}\">{% translate 'Reply' %}</a></li>"
    "<li><a href=\"{% url 'comments:permalink' c.pk %}\">{% translate 'Permalink' %}"
    "</a></li></ul></li>{% endfor %}</ol>"
)


def median_ms(call, repeat=REPEAT, before=None):
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def uncached():
    cache.clear()
    Section.navigation()  # the menu stays cached for an hour on a live site


def count_queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def measure(size):
    article, people = thread(size, depth=8, seed=size)
    discussion = article.discussion
    url = article.get_absolute_url()
    anonymous, member = Client(), Client()
    member.force_login(people[1])
    assert anonymous.get(url).status_code == 200
    figures = {"comments": size}
    uncached()
    figures["queries_anonymous"] = count_queries(lambda: anonymous.get(url))
    uncached()
    figures["queries_member"] = count_queries(lambda: member.get(url))
    figures["page_uncached_ms"] = median_ms(lambda: anonymous.get(url), before=uncached)
    anonymous.get(url)
    figures["page_cached_ms"] = median_ms(lambda: anonymous.get(url))

    def ours():
        rows = threads.fetch_page(discussion, threads.plan_for(discussion))
        return threads.Renderer().render(rows, threads.visible(rows))

    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]

    def baseline():
        # The rows the page shows: deeper ones continue on their own pages.
        rows = list(
            discussion.comments.published()
            .filter(depth__lt=cap)
            .select_related("author")
            .order_by("path")
        )
        return BASELINE.render(Context({"comments": rows}))

    shown = discussion.comments.filter(depth__lt=cap).count()
    assert ours().count('<li id="comment-') == shown
    assert baseline().count('<li id="comment-') == shown
    figures["shown_on_page"] = shown
    figures["thread_render_ms"] = median_ms(ours)
    figures["baseline_ms"] = median_ms(baseline)
    figures["speedup"] = round(figures["baseline_ms"] / figures["thread_render_ms"], 1)
    figures.update(measure_reply(discussion, people))
    return figures


def measure_reply(discussion, people):
    parents = list(discussion.comments.order_by("-depth", "pk")[:REPEAT])
    before = dict(discussion.comments.values_list("pk", "path"))
    times, total_queries, store_queries = [], 0, 0
    for index, parent in enumerate(parents):
        submission = Submission(
            discussion=discussion,
            parent=parent,
            author=people[index % len(people)],
            body=f"A reply, number {index} ({uuid.uuid4()})",
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            comment, verdict = post_comment(submission=submission, token=uuid.uuid4())
            times.append((time.perf_counter() - start) * 1000)
        assert comment is not None and verdict.action == "publish", verdict
        total_queries = len(captured.captured_queries)
        store_queries = sum(
            1
            for q in captured.captured_queries
            if "nextval" in q["sql"] or q["sql"].startswith(("INSERT", "UPDATE"))
        )
    after = dict(discussion.comments.filter(pk__in=before).values_list("pk", "path"))
    return {
        "reply_ms": round(statistics.median(times), 2),
        "reply_queries": total_queries,
        "reply_store_queries": store_queries,
        "renumbered": sum(1 for pk, path in before.items() if after[pk] != path),
    }


def run():
    kindred = settings.KINDRED
    settings.KINDRED = {
        **kindred,
        "COMMENTS_PER_PAGE": 100_000,
        "COMMENTS_RATE_SECONDS": 0,
    }
    ModerationSettings.objects.create(hold_first_comments=False)
    try:
        rows = [measure(size) for size in SIZES]
    finally:
        settings.KINDRED = kindred
    header = (
        "comments",
        "queries anon",
        "queries member",
        "page uncached ms",
        "page cached ms",
        "thread ms",
        "baseline ms",
        "speedup",
        "reply ms",
        "reply queries",
        "of which store",
    )
    keys = (
        "comments",
        "queries_anonymous",
        "queries_member",
        "page_uncached_ms",
        "page_cached_ms",
        "thread_render_ms",
        "baseline_ms",
        "speedup",
        "reply_ms",
        "reply_queries",
        "reply_store_queries",
    )
    print(
        "Article page, whole discussion on one page (median of "
        f"{REPEAT}; thread = fetch + render of the comments, baseline = a flat "
        "Django template loop over the same rows)"
    )
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[key]) for key in keys))
    by_size = {row["comments"]: row for row in rows}
    ratio = round(
        by_size[5000]["page_uncached_ms"] / by_size[1000]["page_uncached_ms"], 2
    )
    print(
        f"time(5,000) / time(1,000), uncached page: {ratio}; comments renumbered "
        f"by replies: {sum(row['renumbered'] for row in rows)}"
    )
    assert Comment.objects.exists()
    return {"sizes": rows, "uncached_ratio_5000_1000": ratio}
