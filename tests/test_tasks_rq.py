"""The RQ backend of the stack (config/tasks_rq.py): a task whose worker died
under it runs again, because every job is enqueued with retries."""

from unittest import mock

from django.test import override_settings

from accounts.notifications import notify_comment
from config.tasks_rq import ABANDONED_RETRIES, MAINTENANCE_SECONDS, Worker

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


def test_a_task_waits_for_redis_restarting_rather_than_being_lost():
    from redis.exceptions import BusyLoadingError, ConnectionError

    queue = mock.MagicMock()
    queue.create_job.side_effect = [
        ConnectionError("refused"),
        BusyLoadingError("Redis is loading the dataset in memory"),
        mock.DEFAULT,
    ]
    with (
        override_settings(**RQ),
        mock.patch("django_rq.get_queue", return_value=queue),
        mock.patch("config.tasks_rq.time.sleep") as slept,
    ):
        from django_tasks import task_backends

        task_backends["default"].enqueue(notify_comment, [7], {})
    assert queue.create_job.call_count == 3
    assert slept.call_count == 2
    queue.enqueue_job.assert_called_once()
