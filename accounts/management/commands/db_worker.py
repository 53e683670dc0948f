"""django-tasks-db's worker, which takes back the tasks of workers that died.

A worker killed mid-task (power cut, OOM, kill -9) leaves its task marked
running for ever: nobody would run it again. So each worker holds, for its
whole life, a PostgreSQL session advisory lock named after its worker id, on a
connection of its own that nothing else uses or closes. PostgreSQL lets go of
the lock the moment that session ends, however the process ended. A running
task whose last worker's lock is free therefore belongs to a dead worker, and
is put back in the queue: by every worker when it starts, and then every
RECLAIM_EVERY seconds while it runs (and then enqueues what the outbox
holds). Every task here can run twice without
harm (notifications are one row per member, comment and kind; an email marks
its notifications only once sent).
"""

import hashlib
import logging
import os
import threading
import time

import psycopg
from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand
from django_tasks_db.models import DBTaskResult

from accounts.emails import queue_digests_if_due
from outbox import sweep

logger = logging.getLogger(__name__)
RECLAIM_EVERY = 5  # seconds between two looks for a dead worker's tasks


def lock_key(worker_id):
    """The advisory lock (a signed 64-bit number) that says `worker_id` is alive."""
    digest = hashlib.sha256(f"kindred-db-worker:{worker_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_connection():
    """A psycopg connection of its own to the default database, in autocommit."""
    params = connections["default"].get_connection_params()
    for django_only in ("cursor_factory", "context"):
        params.pop(django_only, None)
    return psycopg.connect(**params, autocommit=True)


def try_lock(lock, worker_id):
    return lock.execute(
        "SELECT pg_try_advisory_lock(%s)", [lock_key(worker_id)]
    ).fetchone()[0]


def unlock(lock, worker_id):
    lock.execute("SELECT pg_advisory_unlock(%s)", [lock_key(worker_id)])


def requeue_abandoned(lock, own_id=None, at_start=False):
    """Put back in the queue the running tasks whose last worker is dead.

    `lock` is a psycopg connection holding the lock of the worker `own_id`.
    Another worker is dead when its lock can be taken: it is then held while
    its task goes back, so a new worker of the same id cannot start in between,
    and let go at once. At its start a worker also takes back the tasks of the
    dead worker that had its id before it.
    """
    requeued = 0
    running = DBTaskResult.objects.running().values_list("pk", "worker_ids")
    for pk, worker_ids in running:
        worker_id = worker_ids[-1] if worker_ids else None
        if worker_id is None or (worker_id == own_id and not at_start):
            continue
        if worker_id != own_id and not try_lock(lock, worker_id):
            continue  # alive
        try:
            # Only if nobody claimed it since (a claim adds a worker id).
            requeued += (
                DBTaskResult.objects.running()
                .filter(pk=pk, worker_ids=worker_ids)
                .update(status=TaskResultStatus.READY, started_at=None)
            )
        finally:
            if worker_id != own_id:
                unlock(lock, worker_id)
    return requeued


class Command(WorkerCommand):
    help = WorkerCommand.help + " Tasks left running by a dead worker run again."

    def handle(self, *args, **options):
        reloader_parent = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not reloader_parent:  # the process that runs tasks
            self.stay_alive(options["worker_id"])
        super().handle(*args, **options)

    def stay_alive(self, worker_id):
        """Hold this worker's lock, take back dead workers' tasks, and go on."""
        lock = lock_connection()
        for _ in range(50):  # another worker may be checking this id: wait
            if try_lock(lock, worker_id):
                break
            time.sleep(0.1)
        else:
            lock.close()
            raise CommandError(f"A worker with the id {worker_id!r} is running.")
        self.report(requeue_abandoned(lock, own_id=worker_id, at_start=True))
        threading.Thread(
            target=self.keep_requeuing, args=(lock, worker_id), daemon=True
        ).start()

    def report(self, requeued):
        if requeued:
            self.stdout.write(f"Took back {requeued} task(s) of a worker that died.")

    def keep_requeuing(self, lock, worker_id):
        while True:
            time.sleep(RECLAIM_EVERY)
            try:
                self.report(requeue_abandoned(lock, own_id=worker_id))
                sweep()  # tasks whose hand-over at commit failed (outbox)
                queue_digests_if_due()
            except Exception:  # the database went away: try again later
                logger.exception("Could not look for the tasks of dead workers")
            finally:
                connections.close_all()  # this thread's, not the worker's
