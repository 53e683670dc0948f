"""How a comment's status may change: the statuses, the one table of allowed
transitions, and Moderatable, which makes them.

Every change of a comment's status goes through Moderatable.transition(), used by
the admin and the site alike, and leaves a ModerationRecord: who, when, from what
to what, why. Nothing here deletes a comment: removal keeps the node, so replies
keep their place.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy


class Status(models.TextChoices):
    """A comment's status (Comment.Status): named here so that the transition
    table below can use the names."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting moderation")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")
    REMOVED = "removed", _("Removed by a moderator")
    DELETED = "deleted", _("Deleted by the author")


@dataclass(frozen=True)
class Transition:
    """One way a comment's status may change: the method that makes it (`verb`),
    the status it leads to, and the statuses it may start from. Those a moderator
    decides carry the admin's wording: a button label and a message once done."""

    verb: str
    to: str
    sources: frozenset
    label: str = ""  # the decision's button
    batch: str = ""  # the admin's action on selected comments
    done: str = ""  # the message once made
    asks_reason: bool = False  # the moderator picks a public reason first


def _done(singular, plural):
    return ngettext_lazy(singular, plural, "count")


TRANSITIONS = [
    Transition(
        "approve",
        Status.PUBLISHED,
        frozenset({Status.PENDING, Status.REJECTED}),
        _("Approve"),
        _("Approve selected comments"),
        _done("Approved %(count)s comment.", "Approved %(count)s comments."),
    ),
    Transition(
        "restore",
        Status.PUBLISHED,
        frozenset({Status.REMOVED, Status.SPAM}),
        _("Restore"),
        _("Restore selected comments"),
        _done("Restored %(count)s comment.", "Restored %(count)s comments."),
    ),
    Transition(
        "reject",
        Status.REJECTED,
        frozenset({Status.PENDING, Status.PUBLISHED, Status.SPAM}),
        _("Reject"),
        _("Reject selected comments (with a reason)"),
        _done("Rejected %(count)s comment.", "Rejected %(count)s comments."),
        asks_reason=True,
    ),
    Transition(
        "mark_spam",
        Status.SPAM,
        frozenset({Status.PENDING, Status.PUBLISHED, Status.REJECTED, Status.REMOVED}),
        _("Spam"),
        _("Mark selected comments as spam"),
        _done(
            "Marked %(count)s comment as spam.", "Marked %(count)s comments as spam."
        ),
    ),
    Transition(
        "remove",
        Status.REMOVED,
        frozenset({Status.PUBLISHED, Status.PENDING}),
        _("Remove"),
        _("Remove selected comments (with a reason)"),
        _done("Removed %(count)s comment.", "Removed %(count)s comments."),
        asks_reason=True,
    ),
    Transition("hold", Status.PENDING, frozenset({Status.PUBLISHED})),
    Transition(
        "delete_by_author",
        Status.DELETED,
        frozenset({Status.PUBLISHED, Status.PENDING}),
    ),
]
# Keeping a reported comment changes no status (or publishes one the reports
# held): it closes the comment's open reports. Moderatable.keep() makes it.
KEEP = Transition(
    "keep",
    Status.PUBLISHED,
    frozenset({Status.PUBLISHED, Status.PENDING}),
    _("Keep it"),
    _("Keep selected comments (close their reports)"),
    _done(
        "Kept %(count)s comment; its reports are closed.",
        "Kept %(count)s comments; their reports are closed.",
    ),
)
BY_VERB = {transition.verb: transition for transition in [*TRANSITIONS, KEEP]}
# What moderators decide in the admin, in the order their buttons appear.
DECISIONS = [transition for transition in TRANSITIONS if transition.label]


# Called after each change of status, and after a moderator keeps a reported
# comment, as listener(comment, before=, by=): apps that
# react to decisions (members' notifications) join from their ready(), so the
# engine names none of them.
AFTER_TRANSITION = []


class Moderatable:
    """Transition methods for Comment, made from the table TRANSITIONS.

    A transition is decided against the row as it stands in the database (read
    with a lock), so that of two moderators deciding at once the second finds the
    new status and is told it was already decided; each real change leaves one
    ModerationRecord and moves the discussion's count once.
    """

    # to-status: the statuses it may come from (any transition leading there)
    ALLOWED = {
        status: frozenset().union(*(t.sources for t in TRANSITIONS if t.to == status))
        for status in Status.values
    }  # keyed by Status; KEEP is no change of status and is not in it

    def approve(self, *, by):
        return self.transition(Status.PUBLISHED, by=by, verb="approve")

    def restore(self, *, by):
        return self.transition(Status.PUBLISHED, by=by, verb="restore")

    def reject(self, *, by, public_reason=None, note="", reason=""):
        return self.transition(
            Status.REJECTED,
            by=by,
            public_reason=public_reason,
            note=note,
            reason=reason,
        )

    def mark_spam(self, *, by, public_reason=None, note="", reason=""):
        return self.transition(
            Status.SPAM, by=by, public_reason=public_reason, note=note, reason=reason
        )

    def remove(self, *, by, public_reason=None, note="", reason=""):
        return self.transition(
            Status.REMOVED, by=by, public_reason=public_reason, note=note, reason=reason
        )

    def hold(self, *, reason, rule="", by=None):
        return self.transition(Status.PENDING, by=by, reason=reason, rule=rule)

    def delete_by_author(self, *, by=None):
        return self.transition(Status.DELETED, by=by)

    def can_become(self, status):
        return self.status in self.ALLOWED[status]

    def can(self, verb):
        """Whether the transition named `verb` applies to the current status."""
        return self.status in BY_VERB[verb].sources

    @transaction.atomic
    def transition(
        self,
        status,
        *,
        by=None,
        reason="",
        rule="",
        public_reason=None,
        note="",
        verb=None,
    ):
        """Move to `status`, recording who, when and why; False if not allowed.

        `reason` is for moderators (the rule that held it, their own words);
        `public_reason` (a RemovalReason) is what readers see of a removal, and
        `note` what only the author reads besides it.
        """
        reason, note = reason.strip(), note.strip()
        if status in (Status.REJECTED, Status.REMOVED) and not (
            public_reason or reason
        ):
            raise ValidationError(_("Pick a reason: the author will see it."))
        # The row as it is now, locked until this transaction ends: a decision
        # taken meanwhile by someone else is seen here, not overwritten.
        self.status = (
            type(self)
            .objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=self.pk)
        )
        sources = BY_VERB[verb].sources if verb else self.ALLOWED[status]
        if self.status not in sources:
            return False
        before = self.status
        self.status = status
        published = status == Status.PUBLISHED
        # What moderators read; approving or restoring clears every reason.
        self.status_reason = "" if published else reason or str(public_reason or "")
        self.public_reason = None if published else public_reason
        self.author_note = "" if published else note
        self.save(
            update_fields=[
                "status",
                "status_reason",
                "public_reason",
                "author_note",
                "updated_at",
            ]
        )
        moderator = by if by and by.is_authenticated else None
        self.moderation_records.create(
            actor=moderator,
            from_status=before,
            to_status=status,
            rule=rule,
            reason=self.status_reason,
        )
        if moderator is not None and status in SETTLING:
            self.reports.open().resolve(by=moderator)
        delta = (status == Status.PUBLISHED) - (before == Status.PUBLISHED)
        self.discussion.record_change(published_delta=delta)
        for listener in AFTER_TRANSITION:
            listener(self, before=before, by=moderator)
        return True

    @transaction.atomic
    def keep(self, *, by):
        """A moderator looked at the reports and the comment stays: its open
        reports are closed (and a comment the reports held is published again).
        False when nothing was left to decide."""
        if not self.can("keep"):
            return False
        if self.can("approve") and self.reports.open().exists():
            return self.approve(by=by)
        # A conditional UPDATE: of two moderators keeping it at once, the second
        # finds no open report left and is told so.
        closed = self.reports.open().resolve(by=by)
        if not closed:
            return False
        self.moderation_records.create(
            actor=by,
            from_status=self.status,
            to_status=self.status,
            rule=KEPT_RULE,
            reason=ngettext(
                "kept: %(count)s report closed",
                "kept: %(count)s reports closed",
                closed,
            )
            % {"count": closed},
        )
        for listener in AFTER_TRANSITION:
            listener(self, before=self.status, by=by)
        return True


KEPT_RULE = "kept"
# The decisions that settle a comment's reports when a moderator takes them.
SETTLING = frozenset({Status.PUBLISHED, Status.REJECTED, Status.SPAM, Status.REMOVED})
