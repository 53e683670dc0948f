"""The balancer's checks (/healthz/live, /healthz/ready) and /metrics."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.utils import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.notifications import notify_comment
from outbox.models import PendingTask

pytestmark = pytest.mark.django_db


def test_live_answers_without_the_database(client):
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("down")
    ):
        response = client.get(reverse("healthz-live"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_ready_names_every_part_it_checked(client):
    response = client.get(reverse("healthz-ready"))
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "database: ok",
        "cache: ok",
        "queue: ok",
        "replica: none configured",
    ]
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_503_when_the_cache_is_down(client):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("refused")):
        response = client.get(reverse("healthz-ready"))
    assert response.status_code == 503
    text = response.content.decode()
    assert "cache: unavailable (ConnectionError)" in text
    assert "database: ok" in text


def test_ready_is_503_when_the_queue_is_unreachable(client):
    # CHECKS holds the functions themselves: patch the entry the view calls.
    with mock.patch.dict(
        "config.health.CHECKS", {"queue": mock.Mock(side_effect=OSError)}
    ):
        response = client.get(reverse("healthz-ready"))
    assert response.status_code == 503
    assert "queue: unavailable (OSError)" in response.content.decode()


def test_metrics_give_requests_database_timings_and_the_queue_depth(client):
    waiting = DBTaskResult.objects.filter(status="READY").count()
    notify_comment.enqueue(0)  # stored, not run: the worker is not running
    PendingTask.objects.create(task_path=notify_comment.module_path, args=[0])
    client.get(reverse("healthz-ready"))
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'django_db_execute_total{alias="default",vendor="postgresql"}' in text
    assert "django_db_query_duration_seconds_bucket" in text
    assert f'kindred_task_queue_depth{{queue="default"}} {waiting + 1}.0' in text
    assert "kindred_task_outbox_depth 1.0" in text
    assert "kindred_replica_lag_seconds -1.0" in text


def test_metrics_are_missing_to_anyone_but_loopback(client):
    response = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404


def test_metrics_answer_a_remote_scraper_with_the_token(client, settings):
    settings.KINDRED = {**settings.KINDRED, "METRICS_TOKEN": "s3cret-token"}
    wrong = client.get(
        reverse("metrics"),
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer guess",
    )
    right = client.get(
        reverse("metrics"),
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token",
    )
    assert wrong.status_code == 404
    assert right.status_code == 200


def test_behind_a_proxy_the_forwarded_client_decides(client, settings):
    settings.KINDRED = {**settings.KINDRED, "TRUSTED_PROXIES": 1}
    # nginx on the same machine: the socket is loopback, the client is not.
    response = client.get(
        reverse("metrics"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 404
