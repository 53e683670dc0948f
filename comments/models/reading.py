"""What a member has read: their last visit to each discussion's page.

A page's "New" marks compare each comment's time with the visit's `since`; the
forum lists count the comments posted after `seen_at`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models.discussion import Comment

# Visits closer together than this are one sitting: the marks stay as they were
# when it began, so that a member reading page 1 and then page 2 of a long
# discussion finds page 2's new comments marked too.
SITTING = timedelta(minutes=30)


class VisitQuerySet(models.QuerySet):
    def record(self, member, discussion, now=None):
        """Record that `member` reads `discussion` now, and return the moment
        from which comments are new to them (None on their first visit).

        One statement: the upsert computes and returns the new `since` from the
        row as it was, so the marks cost the page no query of their own.
        """
        now = now or timezone.now()
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (member_id, discussion_id, seen_at, since)
                VALUES (%s, %s, %s, NULL)
                ON CONFLICT (member_id, discussion_id) DO UPDATE SET
                    seen_at = EXCLUDED.seen_at,
                    since = CASE
                        WHEN {table}.since IS NULL
                            OR {table}.seen_at < EXCLUDED.seen_at - %s
                        THEN {table}.seen_at
                        ELSE {table}.since
                    END
                RETURNING since
                """,
                [member.pk, discussion.pk, now, SITTING],
            )
            return cursor.fetchone()[0]

    def new_counts(self, member, discussion_ids, hidden_authors=None):
        """{discussion id: comments published by others since `member` last
        read it}, for the discussions they have read: one query. Comments by
        `hidden_authors` (ids, or a subquery of them) are not counted."""
        comments = (
            Comment.objects.published()
            .filter(
                discussion_id__in=discussion_ids,
                discussion__visits__member=member,
                created_at__gt=F("discussion__visits__seen_at"),
            )
            .exclude(author=member)
        )
        if hidden_authors is not None:
            comments = comments.exclude(author__in=hidden_authors)
        rows = comments.values("discussion_id").annotate(count=Count("pk")).order_by()
        return {row["discussion_id"]: row["count"] for row in rows}


class Visit(models.Model):
    """A member's last reading of a discussion's page (any page of it)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("member"),
    )
    discussion = models.ForeignKey(
        "comments.Discussion",
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("discussion"),
    )
    seen_at = models.DateTimeField(_("last read"))
    # The start of the marks: the visit before this sitting (see SITTING).
    since = models.DateTimeField(_("new from"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["member", "discussion"], name="visit_once")
        ]

    def __str__(self):
        return f"{self.member_id} → {self.discussion_id}"
