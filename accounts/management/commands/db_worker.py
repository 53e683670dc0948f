"""django-tasks-db's worker, which first takes back the tasks of a worker that died.

A worker killed mid-task (power cut, OOM, kill -9) leaves its task marked
running for ever: nobody would run it again. Every task here can run twice
without harm (notifications are one row per member, comment and kind; an email
marks its notifications only once sent), so a task running for longer than any
of them takes is put back in the queue when a worker starts.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand
from django_tasks_db.models import DBTaskResult

ABANDONED_AFTER = timedelta(minutes=15)


def requeue_abandoned(now=None):
    """Put back in the queue the tasks left running by a dead worker."""
    started_before = (now or timezone.now()) - ABANDONED_AFTER
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=started_before)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


class Command(WorkerCommand):
    help = WorkerCommand.help + " Tasks left running by a dead worker run again."

    def handle(self, *args, **options):
        if requeued := requeue_abandoned():
            self.stdout.write(f"Took back {requeued} task(s) of a worker that died.")
        super().handle(*args, **options)
