"""What a member typed into a form and has not sent yet, kept server-side so that
it is offered back on any device (issue 9, part 10)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LABEL_LENGTH = 300


class DraftQuerySet(models.QuerySet):
    def of(self, user, place):
        """The member's draft for one form; none for a guest (no query)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user, place=place)

    def keep(self, *, author, place, body, title="", url="", label=""):
        """Store the member's text for this form: one upsert, never a second row."""
        self.bulk_create(
            [
                Draft(
                    author=author,
                    place=place,
                    title=title,
                    body=body,
                    url=url,
                    label=label,
                    updated_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["author", "place"],
            update_fields=["title", "body", "url", "label", "updated_at"],
        )


class Draft(models.Model):
    """One member's unsent text for one form.

    `place` names the form, so that the engine needs to know nothing of the pages
    around it: "discussion-<id>" (a new comment), "reply-<comment id>",
    "edit-<comment id>", and whatever an owner of forms chooses for its own
    ("topic-in-<category id>"). The text is bounded by the form's own limit when
    it is kept (Drafting.check), so a draft always fits back into its form.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="drafts",
        verbose_name=_("author"),
    )
    place = models.CharField(_("form"), max_length=60)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    # Where the form is, and its name, for the member's list of drafts.
    url = models.CharField(_("address"), max_length=500, blank=True)
    label = models.CharField(_("where"), max_length=LABEL_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "place"], name="one_draft_per_member_and_form"
            )
        ]

    def __str__(self):
        return f"{self.author_id}:{self.place}"


def place_for(*, discussion=None, parent=None, comment=None):
    """The draft key of a comment form: a reply, an edit, or a new comment."""
    if comment is not None:
        return f"edit-{comment.pk}"
    if parent is not None:
        return f"reply-{parent.pk}"
    return f"discussion-{discussion.pk}"
