"""The article page with N = 10 ... 20,000 comments, against a template baseline.

The whole discussion is put on one page (threads per page raised above N) so that
every figure covers all N comments: the heaviest page the site can serve. The
baseline (bench/baseline.py) writes the same HTML as the renderer with a Django
template; this checks that on every size before timing. Variants are timed in
turns (A, B, A, B ...) in this one process; each comparison gives the medians,
the ratio of the medians and the range of the paired ratios, with the load
average before and after; the raw samples go to var/bench/comments.json.
"""

import os
import statistics
import time
import uuid
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Section
from bench import baseline
from bench.build import thread
from bench.timing import compare, interleaved, load_average, rounded, sample_ms
from comments import paging
from comments import rendering as threads
from comments.models import Comment, ModerationSettings

SIZES = [10, 100, 1000, 5000, 20000]
# KINDRED_BENCH_SIZES=1000,20000 measures only those (a quicker run).
SIZES = [
    int(size) for size in os.environ.get("KINDRED_BENCH_SIZES", "").split(",") if size
] or SIZES
REPEAT = 7  # forums.py's single timings
REPLIES = 25  # replies posted through the view at each size
FIRST_PAGE_ROUNDS = 41  # a round is two cheap pages now: more rounds, a steadier median


def rounds_for(size):
    """More rounds where a round is cheap: the medians steady, the run bounded."""
    return 15 if size <= 1000 else 7 if size <= 5000 else 3


def median_ms(call, repeat=REPEAT, before=None):
    return round(statistics.median(sample_ms(call, before) for _ in range(repeat)), 2)


def uncached():
    cache.clear()
    Section.navigation()  # the menu stays cached for an hour on a live site


def count_queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def measure(size, built):
    article, people = thread(size, depth=8, seed=size)
    built[size] = article, people
    discussion = article.discussion
    url = article.get_absolute_url()
    anonymous, member = Client(), Client()
    member.force_login(people[1])
    assert anonymous.get(url).status_code == 200
    figures = {"comments": size, "load_before": load_average()}
    uncached()
    figures["queries_anonymous"] = count_queries(lambda: anonymous.get(url))
    uncached()
    figures["queries_member"] = count_queries(lambda: member.get(url))

    def ours():
        rows = threads.fetch_page(discussion, threads.cut_for(discussion))
        return threads.Renderer().render(rows, threads.visible(rows))

    def theirs():
        return baseline.page_html(discussion, threads.cut_for(discussion))

    # The same HTML, or the comparison means nothing.
    ours_html, theirs_html = ours(), theirs()
    assert baseline.normalise(ours_html) == baseline.normalise(theirs_html), size
    figures["shown_on_page"] = ours_html.count('<li id="comment-')
    figures["thread_kb"] = round(len(ours_html.encode()) / 1024, 1)

    def page():
        response = anonymous.get(url)
        assert response.status_code == 200
        return response

    def page_with_baseline():
        with mock.patch.object(threads, "render_page", baseline.render_page):
            return page()

    assert (
        page().content.count(b'<li id="comment-')
        == page_with_baseline().content.count(b'<li id="comment-')
        == figures["shown_on_page"]
    )
    figures["page_kb"] = round(len(page().content) / 1024, 1)
    rounds = rounds_for(size)
    # The plan of pages is cached apart from the rows: both variants start cold.
    thread_samples = interleaved(
        {"thread": ours, "baseline": theirs}, rounds, before=uncached
    )
    page_samples = interleaved(
        {"page": page, "page_baseline": page_with_baseline}, rounds, before=uncached
    )
    figures["thread"] = compare(thread_samples["thread"], thread_samples["baseline"])
    figures["page"] = compare(page_samples["page"], page_samples["page_baseline"])
    page()
    figures["page_cached_ms"] = median_ms(page, repeat=rounds)
    figures["reply"] = measure_reply(discussion, people[2])
    figures["load_after"] = load_average()
    figures["rounds"] = rounds
    figures["samples_ms"] = {
        name: rounded(values)
        for name, values in {**thread_samples, **page_samples}.items()
    }
    return figures


def measure_reply(discussion, person):
    """Replies posted through the view (the whole request), each timed and its
    queries counted in the same request."""
    client = Client()
    client.force_login(person)
    parents = list(
        discussion.comments.filter(status=Comment.Status.PUBLISHED).order_by(
            "-depth", "pk"
        )[:REPLIES]
    )
    before = dict(discussion.comments.values_list("pk", "path"))
    times, queries = [], []
    for index, parent in enumerate(parents):
        data = {
            "body": f"A reply, number {index} ({uuid.uuid4()})",
            "token": uuid.uuid4(),
        }
        reply_url = reverse("comments:reply", args=[parent.pk])
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(reply_url, data)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.content[:2000]
        queries.append(len(captured.captured_queries))
    after = dict(discussion.comments.filter(pk__in=before).values_list("pk", "path"))
    return {
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "queries": sorted(set(queries)),
        "renumbered": sum(1 for pk, path in before.items() if after[pk] != path),
        "samples_ms": rounded(times),
    }


def with_range(compared):
    return f"{compared['ratio']} [{compared['ratio_min']}-{compared['ratio_max']}]"


def line(row):
    thread_, page_, reply = row["thread"], row["page"], row["reply"]
    return " | ".join(
        str(value)
        for value in (
            f"{row['comments']:,}",
            row["queries_anonymous"],
            row["queries_member"],
            row["thread_kb"],
            thread_["fast_ms"],
            thread_["slow_ms"],
            with_range(thread_),
            row["page_kb"],
            page_["fast_ms"],
            page_["slow_ms"],
            with_range(page_),
            row["page_cached_ms"],
            f"{reply['median_ms']} ({'/'.join(map(str, reply['queries']))})",
            f"{row['load_before']}/{row['load_after']}",
        )
    )


def ratio(rows, key, big, small):
    by_size = {row["comments"]: row for row in rows}
    if big not in by_size or small not in by_size:
        return None
    return round(by_size[big][key]["fast_ms"] / by_size[small][key]["fast_ms"], 2)


def run():
    kindred = settings.KINDRED
    settings.KINDRED = {
        **kindred,
        "COMMENTS_PER_PAGE": 100_000,
        "COMMENTS_RATE_SECONDS": 0,
    }
    paging.configure()  # the stored pages follow the page size
    ModerationSettings.objects.create(hold_first_comments=False)
    print(
        "Article page, whole discussion on one page, uncached. thread = fetch + "
        "render of the comments; baseline = bench/baseline.py, a Django template "
        "writing the same HTML from the same rows; page = the whole request through "
        "the test client, with the renderer or with the baseline in its place. "
        "Median ms (rounds timed in turns); ratio = baseline ÷ ours, [range of the "
        "paired ratios]; load = 1-minute load average before/after."
    )
    print(
        "comments | queries anon | queries member | thread KB | thread ms | "
        "baseline ms | ratio [range] | page KB | page ms | page with baseline ms | "
        "ratio [range] | cached page ms | reply ms (queries) | load",
        flush=True,
    )
    rows, built = [], {}
    try:
        for size in SIZES:  # each line as soon as it is measured
            rows.append(measure(size, built))
            print(line(rows[-1]), flush=True)
        replies = reply_growth(built)
    finally:
        settings.KINDRED = kindred
        paging.configure()  # every discussion cut again at the site's page size
    first = first_page(built)  # the site's own page size
    growth = {
        "thread_20000_1000": ratio(rows, "thread", 20000, 1000),
        "page_20000_1000": ratio(rows, "page", 20000, 1000),
    }
    by_size = {row["comments"]: row for row in rows}
    if 20000 in by_size and 1000 in by_size:
        growth["thread_bytes_20000_1000"] = round(
            by_size[20000]["thread_kb"] / by_size[1000]["thread_kb"], 2
        )
    print(
        f"time(20,000) / time(1,000): thread {growth['thread_20000_1000']}, "
        f"page {growth['page_20000_1000']}; thread bytes "
        f"{growth.get('thread_bytes_20000_1000')}; comments renumbered by replies: "
        f"{sum(row['reply']['renumbered'] for row in rows)}"
    )
    assert Comment.objects.exists()
    return {
        "sizes": rows,
        "growth": growth,
        "first_page": first,
        "reply_growth": replies,
    }


def first_page(built, small=1000, big=20000):
    """The first page as the site serves it (about COMMENTS_PER_PAGE comments),
    uncached, at `small` and `big` comments, timed in turns: whatever grows with
    the discussion shows in the ratio."""
    if small not in built or big not in built:
        return None
    client = Client()
    urls = {size: built[size][0].get_absolute_url() for size in (small, big)}
    # The tables as a site has them, not as a bulk load leaves them a moment
    # before: vacuumed and analysed (autovacuum would do it within a minute,
    # and did, in the middle of the rounds).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE comments_comment, comments_discussionpage")
    figures = {"load_before": load_average()}
    for size, url in urls.items():
        uncached()
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content
        figures[f"queries_{size}"] = len(captured.captured_queries)
        figures[f"shown_{size}"] = html.count(b'<li id="comment-')

    def get(url):
        return lambda: client.get(url)

    samples = interleaved(
        {size: get(url) for size, url in urls.items()}, FIRST_PAGE_ROUNDS, uncached
    )
    figures["ratio"] = compare(samples[small], samples[big])
    figures["load_after"] = load_average()
    figures["samples_ms"] = {size: rounded(values) for size, values in samples.items()}
    compared = figures["ratio"]
    print(
        f"First page (about {settings.KINDRED['COMMENTS_PER_PAGE']} comments), "
        f"uncached, {FIRST_PAGE_ROUNDS} rounds in turns: {small:,} comments "
        f"{compared['fast_ms']} ms ({figures[f'queries_{small}']} queries, "
        f"{figures[f'shown_{small}']} shown), {big:,} comments "
        f"{compared['slow_ms']} ms ({figures[f'queries_{big}']} queries, "
        f"{figures[f'shown_{big}']} shown); time({big:,}) / time({small:,}) "
        f"{with_range(compared)}; load {figures['load_before']}/"
        f"{figures['load_after']}",
        flush=True,
    )
    return figures


def reply_growth(built, small=10, big=20000):
    """A reply posted through the view in a discussion of `small` and of `big`
    comments, in turns: no work on the write path grows with the thread."""
    if small not in built or big not in built:
        return None
    figures = {"load_before": load_average()}
    posters = {}
    for size in (small, big):
        article, people = built[size]
        client = Client()
        client.force_login(people[3])
        parent = article.discussion.comments.filter(
            status=Comment.Status.PUBLISHED
        ).latest("pk")
        posters[size] = reply_poster(
            client, reverse("comments:reply", args=[parent.pk])
        )
    samples = interleaved(posters, REPLIES)
    figures["ratio"] = compare(samples[small], samples[big])
    figures["load_after"] = load_average()
    figures["samples_ms"] = {size: rounded(values) for size, values in samples.items()}
    compared = figures["ratio"]
    print(
        f"Reply through the view, {REPLIES} in turns: {small:,} comments "
        f"{compared['fast_ms']} ms, {big:,} comments {compared['slow_ms']} ms; "
        f"time({big:,}) / time({small:,}) {with_range(compared)}; load "
        f"{figures['load_before']}/{figures['load_after']}",
        flush=True,
    )
    return figures


def reply_poster(client, url):
    def post():
        data = {"body": f"A reply ({uuid.uuid4()})", "token": uuid.uuid4()}
        response = client.post(url, data)
        assert response.status_code == 302, response.content[:2000]

    return post
