"""The admin's moderation queues, as proxies of Comment with their own admin pages."""

from django.utils.translation import gettext_lazy as _

from comments.models.discussion import Comment


class PendingComment(Comment):
    """The admin's queue of held comments."""

    class Meta:
        proxy = True
        verbose_name = _("pending comment")
        verbose_name_plural = _("pending comments")


class ReportedComment(Comment):
    """The admin's queue of reported comments, most reported first."""

    class Meta:
        proxy = True
        verbose_name = _("reported comment")
        verbose_name_plural = _("reported comments")
