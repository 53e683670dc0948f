"""The moderators' moves on a whole topic: pin, lock, move, rename, remove.

Each is one method used by the topic page and the admin alike; each writes a
TopicRecord (who, when, from, to, why) and keeps the categories' counts right
with F() updates in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.notifications import tell_author
from comments.models import Comment


class TopicModeration:
    """Methods for Topic. `by` is the moderator; False means nothing changed."""

    def pin(self, *, by):
        return self._flag("is_pinned", True, self.records.model.Action.PIN, by)

    def unpin(self, *, by):
        return self._flag("is_pinned", False, self.records.model.Action.UNPIN, by)

    def lock(self, *, by, reason=""):
        if self.is_locked:
            return False
        self.lock_reason = reason.strip()
        return self._flag(
            "is_locked", True, self.records.model.Action.LOCK, by, reason=reason
        )

    def unlock(self, *, by):
        self.lock_reason = ""
        return self._flag("is_locked", False, self.records.model.Action.UNLOCK, by)

    @transaction.atomic
    def rename(self, *, title, by):
        title = title.strip()
        if not title or title == self.title:
            return False
        before = self.title
        self.title = title
        self.save(update_fields=["title", "slug", "updated_at"])
        self._record(self.records.model.Action.RENAME, by, before, title)
        return True

    @transaction.atomic
    def move(self, *, to, by):
        if to.pk == self.category_id:
            return False
        before = self.category
        if self.is_listed:
            self._count_in(before, -1)
        self.category = to
        self.save(update_fields=["category", "updated_at"])
        if self.is_listed:
            self._count_in(to, +1)
            before.refresh_latest()
            to.refresh_latest()
        self._record(self.records.model.Action.MOVE, by, before.name, to.name)
        return True

    @transaction.atomic
    def remove(self, *, by, reason):
        if self.is_removed:
            return False
        if not reason.strip():
            raise ValidationError(_("Give a reason: the author will see it."))
        listed = self.is_listed
        self.is_removed, self.removal_reason = True, reason.strip()
        self.is_listed = False
        self.save(
            update_fields=["is_removed", "removal_reason", "is_listed", "updated_at"]
        )
        if listed:
            self._count_in(self.category, -1)
            self.category.refresh_latest()
        self._record(self.records.model.Action.REMOVE, by, reason=reason.strip())
        tell_author(self.opening_post)
        return True

    @transaction.atomic
    def restore(self, *, by):
        if not self.is_removed:
            return False
        self.is_removed, self.removal_reason = False, ""
        self.is_listed = not self.is_held
        self.save(
            update_fields=["is_removed", "removal_reason", "is_listed", "updated_at"]
        )
        if self.is_listed:
            self._count_in(self.category, +1)
            self.category.refresh_latest()
        self._record(self.records.model.Action.RESTORE, by)
        tell_author(self.opening_post)
        return True

    @transaction.atomic
    def _flag(self, name, value, action, by, reason=""):
        if getattr(self, name) == value:
            return False
        setattr(self, name, value)
        self.save(update_fields=[name, "lock_reason", "updated_at"])
        self._record(action, by, reason=reason.strip())
        return True

    def _record(self, action, by, before="", after="", reason=""):
        self.records.create(
            action=action,
            actor=by if by and by.is_authenticated else None,
            from_value=before[:150],
            to_value=after[:150],
            reason=reason,
        )

    def _count_in(self, category, sign):
        """Add (+1) or take away (-1) this topic and its posts in a category."""
        opening = self.opening_post.status == Comment.Status.PUBLISHED
        type(category).objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + sign,
            post_count=F("post_count") + sign * (self.reply_count + opening),
        )
