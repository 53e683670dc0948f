"""What the balancer and the monitoring ask a Kindred process.

/healthz/live: the process answers (no database, no cache): restart it when not.
/healthz/ready (and /healthz): it can serve, the primary database, the cache and
the task queue all answer; the balancer sends requests only to ready processes.
A lagging or dead replica does not make a process unready: the router then reads
from the primary (config/replica.py), and readiness says so.
/metrics: Prometheus text (django-prometheus: requests, latencies, database and
cache timings) plus the task queue's depth and the replica's lag, for loopback
or a bearer token (KINDRED_METRICS_TOKEN) only.
"""

import ipaddress

import prometheus_client
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from django_tasks import TaskResultStatus, task_backends

from config import replica
from config.clientip import client_ip
from outbox.models import PendingTask

TEXT = "text/plain; charset=utf-8"


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.set("kindred:healthz", "ok", 10)
    if cache.get("kindred:healthz") != "ok":
        raise RuntimeError(_("the cache did not keep a value"))


def queue_depths() -> dict[str, int]:
    """Tasks waiting to run, by queue, on whichever backend runs them."""
    backend = task_backends["default"]
    queues = sorted(backend.queues) or ["default"]
    # django-tasks-rq's backend or a subclass of it (config/tasks_rq.py).
    if any(c.__module__.startswith("django_tasks_rq") for c in type(backend).__mro__):
        import django_rq  # noqa: PLC0415 (only the RQ backend needs Redis)

        return {name: django_rq.get_queue(name).count for name in queues}
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    waiting = dict(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .values_list("queue_name")
        .annotate(Count("id"))
    )
    return {name: waiting.get(name, 0) for name in queues}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "queue": queue_depths,
}


@never_cache
def live(request):
    return HttpResponse("ok\n", content_type=TEXT)


@never_cache
def ready(request):
    """200 when every check passes, 503 naming the one that failed."""
    lines, healthy = [], True
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a part means "not ready"
            healthy = False
            lines.append(f"{name}: {_('unavailable')} ({type(error).__name__})")
        else:
            lines.append(f"{name}: ok")
    lines.append(f"replica: {replica.describe()}")
    return HttpResponse(
        "\n".join(lines) + "\n", status=200 if healthy else 503, content_type=TEXT
    )


def _may_read_metrics(request) -> bool:
    token = settings.KINDRED["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and sent and constant_time_compare(sent, token):
        return True
    try:
        return ipaddress.ip_address(client_ip(request) or "").is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request):
    """Missing (404) to anyone else: nothing tells that the page exists."""
    if not _may_read_metrics(request):
        raise Http404
    response = ExportToDjangoView(request)
    ours = prometheus_client.CollectorRegistry()
    depth = prometheus_client.Gauge(
        "kindred_task_queue_depth",
        "Tasks waiting to run",
        ["queue"],
        registry=ours,
    )
    try:
        for name, waiting in queue_depths().items():
            depth.labels(queue=name).set(waiting)
    except Exception:  # the queue is down: readiness says so; the rest still counts
        pass
    try:
        kept = PendingTask.objects.count()
    except DatabaseError:  # the primary is down: readiness says so
        pass
    else:
        prometheus_client.Gauge(
            "kindred_task_outbox_depth",
            "Tasks kept in the outbox, not yet handed to the queue (outbox/)",
            registry=ours,
        ).set(kept)
    lag = prometheus_client.Gauge(
        "kindred_replica_lag_seconds",
        "How far the replica's replay is behind (-1: no replica, or it is down)",
        registry=ours,
    )
    seconds = replica.lag()
    lag.set(-1 if seconds is None else seconds)
    response.content += prometheus_client.generate_latest(ours)
    return response
