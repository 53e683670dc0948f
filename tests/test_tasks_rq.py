"""The RQ backend of the stack (config/tasks_rq.py): a task whose worker died
under it runs again, because every job is enqueued with retries; a task that
Redis refused at commit is enqueued by a worker's next maintenance (outbox)."""

from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.notifications import notify_comment
from config.tasks_rq import ABANDONED_RETRIES, MAINTENANCE_SECONDS, Worker
from outbox import enqueue_on_commit
from outbox.models import PendingTask
from tests.test_outbox import later

RQ = {
    "TASKS": {"default": {"BACKEND": "config.tasks_rq.RQBackend"}},
    "RQ_QUEUES": {"default": {"URL": "redis://127.0.0.1:1/0"}},
}


def test_every_job_is_enqueued_with_retries_for_a_dead_worker():
    queue = mock.MagicMock()
    with (
        override_settings(**RQ),
        mock.patch("django_rq.get_queue", return_value=queue),
    ):
        from django_tasks import task_backends

        result = task_backends["default"].enqueue(notify_comment, [7], {})
    create = queue.create_job.call_args
    assert create.args == (notify_comment.module_path,)
    assert create.kwargs["args"] == [7]
    assert create.kwargs["retry"].max == ABANDONED_RETRIES == 3
    queue.enqueue_job.assert_called_once()
    assert result.args == [7]


def test_workers_look_for_abandoned_jobs_every_30_seconds():
    with mock.patch("rq.worker.SimpleWorker.__init__", return_value=None) as init:
        Worker(["default"])
    assert init.call_args.kwargs["maintenance_interval"] == MAINTENANCE_SECONDS == 30


def test_readiness_counts_the_queue_in_redis_for_the_subclass_too():
    queue = mock.MagicMock(count=4)
    with (
        override_settings(**RQ),
        mock.patch("django_rq.get_queue", return_value=queue),
    ):
        from config.health import queue_depths

        assert queue_depths() == {"default": 4}


@pytest.mark.django_db
def test_a_task_redis_refused_at_commit_is_enqueued_by_a_worker_later(
    django_capture_on_commit_callbacks,
):
    from redis.exceptions import BusyLoadingError

    queue = mock.MagicMock()
    queue.create_job.side_effect = [
        BusyLoadingError("Redis is loading the dataset in memory"),
        mock.DEFAULT,
    ]
    with (
        override_settings(**RQ),
        mock.patch("django_rq.get_queue", return_value=queue),
    ):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue_on_commit(notify_comment, 7)
        queue.enqueue_job.assert_not_called()
        assert PendingTask.objects.get().args == [7]

        with (
            mock.patch("rq.worker.SimpleWorker.__init__", return_value=None),
            mock.patch("rq.worker.SimpleWorker.run_maintenance_tasks") as maintain,
            # it would close the connection that holds the test's transaction
            mock.patch("config.tasks_rq.close_old_connections"),
            later(11),
        ):
            worker = Worker(["default"])
            worker.log = mock.MagicMock()
            worker.run_maintenance_tasks()
    maintain.assert_called_once()
    assert queue.create_job.call_args.kwargs["args"] == (7,)
    queue.enqueue_job.assert_called_once()
    assert not PendingTask.objects.exists()
