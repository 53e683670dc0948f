"""The Pending queue with 10,000 waiting comments, and a bulk action on 500."""

import statistics
import time

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.build import member, thread
from comments.admin import PendingCommentAdmin
from comments.models import Comment

WAITING = 10_000
PAGE_SIZES = [50, 100, 200]
BATCH = 500


def measure(call, repeat=5):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return round(statistics.median(times), 1), queries


def run():
    thread(WAITING, status=Comment.Status.PENDING, seed=2)
    moderator = member(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(moderator)
    url = reverse("admin:comments_pendingcomment_changelist")
    figures = {"waiting": WAITING, "pending_list": [], "bulk_approve": {}}
    print(f"Pending queue, {WAITING:,} comments waiting")
    print(f"{'page size':>10} {'queries':>8} {'median ms':>10}")
    default = PendingCommentAdmin.list_per_page
    try:
        for size in PAGE_SIZES:
            PendingCommentAdmin.list_per_page = size
            ms, queries = measure(lambda: client.get(url))
            figures["pending_list"].append(
                {"page_size": size, "queries": queries, "median_ms": ms}
            )
            print(f"{size:>10} {queries:>8} {ms:>10}")
    finally:
        PendingCommentAdmin.list_per_page = default
    ids = list(
        Comment.objects.filter(status=Comment.Status.PENDING).values_list(
            "pk", flat=True
        )[:BATCH]
    )
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(url, {"action": "approve", "_selected_action": ids})
        elapsed = (time.perf_counter() - start) * 1000
    approved = Comment.objects.published().filter(pk__in=ids).count()
    figures["bulk_approve"] = {
        "comments": BATCH,
        "approved": approved,
        "status": response.status_code,
        "ms": round(elapsed, 1),
        "queries": len(captured.captured_queries),
    }
    print(
        f"Bulk approve of {BATCH} comments: one request, HTTP {response.status_code}, "
        f"{approved} approved, {elapsed:.0f} ms, {len(captured.captured_queries)} "
        "queries"
    )
    return figures
