from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingTaskQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Tasks whose hand-over at commit failed (or never ran: the process
        died between the commit and it)."""
        since = (now or timezone.now()) - PendingTask.HAND_OVER_SECONDS
        return self.filter(created_at__lt=since)


class PendingTask(models.Model):
    """A task to enqueue, written in the transaction that made it due."""

    HAND_OVER_SECONDS = timedelta(seconds=10)

    task_path = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PendingTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.task_path}{tuple(self.args)}"
