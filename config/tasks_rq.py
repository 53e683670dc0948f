"""The RQ task backend, with one change: a task whose worker died under it
(kill -9, a lost machine) runs again.

RQ finds such a job "abandoned" when its heartbeat expires and, at its next
maintenance, moves it to the failed jobs unless it has retries left; the
django-tasks-rq backend enqueues without any. Every Kindred task can run twice
without harm (README, "Background work"), so each job gets ABANDONED_RETRIES,
and the workers (Worker below) do their maintenance every 30 s instead of 10
minutes, so that a dead worker's task is taken up again within about two minutes.

The workers run each task in their own process (RQ's SimpleWorker) rather than
in a fork per task: a fork of a Django process per notification kept two
workers from keeping up with 40 members posting on this machine (the load test's
queue grew by hundreds). Killing the worker still kills the task under way, which
the retries above take care of. Between tasks the worker drops a database
connection that broke (a restart of PostgreSQL), as Django does between requests.

At each maintenance a worker also enqueues the tasks that could not be handed to
Redis when their transaction committed (outbox.sweep): a Redis down or loading
its data then delays a comment's notifications instead of losing them. And it
queues the day's email digests once their hour has come
(accounts.emails.queue_digests_if_due).
"""

from django.db import close_old_connections
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq import Retry
from rq.job import Callback, JobStatus
from rq.worker import SimpleWorker

from outbox import sweep

ABANDONED_RETRIES = 3
MAINTENANCE_SECONDS = 30


class RQBackend(rq_backend.RQBackend):
    def enqueue(self, task, args, kwargs):
        """django-tasks-rq's enqueue, with retries."""
        import django_rq  # noqa: PLC0415 (settings must be ready)

        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=rq_backend.Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(rq_backend.failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=ABANDONED_RETRIES, interval=5),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


class Worker(SimpleWorker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        close_old_connections()
        try:
            if handed := sweep():
                self.log.info("Enqueued %d task(s) left in the outbox", handed)
            from accounts.emails import queue_digests_if_due  # noqa: PLC0415

            if queue_digests_if_due():
                self.log.info("Queued the daily digests")
        except Exception:  # PostgreSQL is down: the next maintenance tries again
            self.log.exception("Could not sweep the outbox")
        finally:
            close_old_connections()
