"""Tasks enqueued durably: written in the transaction that makes them due,
handed to the task backend when it commits, and swept up later if it failed.

Redis (the stack's queue) can be down when a comment's transaction commits;
an enqueue made then would be lost, and with it the comment's notifications.
So enqueue_on_commit writes a PendingTask row in the same transaction (it
commits or rolls back with the comment), and on commit hands it to the backend
and deletes it. A row still there HAND_OVER_SECONDS later is one whose hand-over
failed: sweep(), run by every worker between tasks (config.tasks_rq.Worker,
accounts' db_worker), enqueues it. Each row is locked (SKIP LOCKED) while it is
handed over, so the commit and a sweep never enqueue the same row twice; a
crash between the enqueue and the row's delete can enqueue it again, which the
tasks allow (every Kindred task can run twice without harm).
"""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
SWEEP_BATCH = 1000  # rows per sweep; the next sweep takes the rest


def enqueue_on_commit(task, *args):
    """Enqueue `task(*args)` once the current transaction commits, surely."""
    from outbox.models import PendingTask  # noqa: PLC0415 (apps must be ready)

    pending = PendingTask.objects.create(task_path=task.module_path, args=list(args))
    transaction.on_commit(lambda: hand_over(PendingTask.objects.filter(pk=pending.pk)))


def hand_over(pending):
    """Enqueue the first row of `pending` that nobody else is handing over and
    delete it; False when there was none or the backend refused it."""
    try:
        with transaction.atomic():
            row = pending.select_for_update(skip_locked=True).first()
            if row is None:
                return False
            import_string(row.task_path).enqueue(*row.args)
            row.delete()
    except Exception:  # the backend is down: the row stays for sweep()
        logger.warning("Task not enqueued, left for the sweep", exc_info=True)
        return False
    return True


def sweep():
    """Enqueue the tasks whose hand-over failed; return how many were.

    Each row is tried on its own, so one that cannot be enqueued (a task that
    no longer exists) does not hold back the others.
    """
    from outbox.models import PendingTask  # noqa: PLC0415 (apps must be ready)

    stale = PendingTask.objects.stale()
    pks = list(stale.order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(hand_over(stale.filter(pk=pk)) for pk in pks)
