from django.db import models
from django.utils.translation import gettext_lazy as _

from comments.models.discussion import Discussion


class DiscussionPage(models.Model):
    """Where one page of a discussion starts, in one order, and how many comments
    it counts: kept by the trigger of migration comments/0013 in the transaction
    of every write, so that no read cuts the whole discussion into pages.

    A page runs from its start key to the next page's start (the first page's is
    ""): the comment's path in order "oldest", its newest_key in order "newest".
    """

    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.CASCADE,
        related_name="pages",
        verbose_name=_("discussion"),
    )
    sort = models.CharField(_("order"), max_length=8)
    start = models.TextField(_("start"), db_collation="C")
    size = models.IntegerField(_("comments counted"), default=0)

    class Meta:
        verbose_name = _("page of a discussion")
        verbose_name_plural = _("pages of discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "sort", "start"], name="discussion_page_start"
            ),
        ]

    def __str__(self):
        return f"{self.discussion_id} {self.sort} {self.start!r} ({self.size})"
