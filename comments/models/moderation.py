"""What moderation keeps besides the transitions (comments.models.transitions):
public reasons, the record of every change, reports, restrictions on people,
notes, words and thresholds."""

import re
import statistics
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models.transitions import KEEP, Status

KEEPABLE = KEEP.sources


class RemovalReason(models.Model):
    """The public reasons a moderator picks from, kept in the admin: readers see
    "Removed by a moderator · <label>"."""

    label = models.CharField(_("reason"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Retired reasons stay on the comments that carry them."),
    )

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("public reason")
        verbose_name_plural = _("public reasons")

    def __str__(self):
        return self.label


# How many recent decisions on held comments the usual wait is taken from, and
# for how long it is cached (it is read on every held post and held comment).
WAIT_SAMPLE = 50
WAIT_CACHE_SECONDS = 10 * 60


class ModerationRecordQuerySet(models.QuerySet):
    def usual_wait(self, now=None):
        """The median time from posting to a moderator's decision over the last
        WAIT_SAMPLE held comments decided in the past 30 days, or None."""
        now = now or timezone.now()
        decided = (
            self.filter(
                from_status=Status.PENDING,
                actor__isnull=False,
                created_at__gte=now - timezone.timedelta(days=30),
            )
            .annotate(waited=models.F("created_at") - models.F("comment__created_at"))
            .order_by("-created_at")
            .values_list("waited", flat=True)[:WAIT_SAMPLE]
        )
        waits = [waited for waited in decided if waited.total_seconds() >= 0]
        return statistics.median(waits) if waits else None


def roughly(duration):
    """A wait in the words a person would use: "about 3 hours"."""
    minutes = max(1, round(duration.total_seconds() / 60))
    if minutes < 60:
        minutes = max(5, round(minutes / 5) * 5)
        return ngettext("about %(n)s minute", "about %(n)s minutes", minutes) % {
            "n": minutes
        }
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("about %(n)s hour", "about %(n)s hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("about %(n)s day", "about %(n)s days", days) % {"n": days}


def usual_wait_words():
    """How long a held comment usually waits, in words ("about 3 hours"), or ""
    when moderators have decided nothing lately. Cached for WAIT_CACHE_SECONDS."""
    seconds = cache.get("moderation:usual-wait")
    if seconds is None:
        wait = ModerationRecord.objects.usual_wait()
        seconds = wait.total_seconds() if wait is not None else -1
        cache.set("moderation:usual-wait", seconds, WAIT_CACHE_SECONDS)
    if seconds < 0:
        return ""
    return roughly(timezone.timedelta(seconds=seconds))


class ModerationRecord(models.Model):
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="moderation_records",
        verbose_name=_("comment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_records",
        verbose_name=_("by"),
        help_text=_("Empty when the site itself decided (a rule or an author)."),
    )
    from_status = models.CharField(_("from"), max_length=12)
    to_status = models.CharField(_("to"), max_length=12)
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ModerationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation record")
        verbose_name_plural = _("moderation records")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has decided on yet."""
        return self.filter(resolved_at__isnull=True)

    def to_decide(self):
        """The Reported queue's work: open reports on comments still up for a
        decision (not deleted by their author meanwhile)."""
        return self.open().filter(comment__status__in=KEEPABLE)

    def resolve(self, *, by):
        """Close these reports as decided by `by`; how many were closed."""
        return self.update(resolved_at=timezone.now(), resolved_by=by)


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSIVE = "abusive", _("Abusive or hateful")
        MISINFORMATION = "misinformation", _("Medical misinformation")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("comment"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(
        _("decided"),
        null=True,
        blank=True,
        help_text=_("When a moderator decided on the comment; empty while open."),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_decided",
        verbose_name=_("decided by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment_id}"


class RestrictionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gt=now))

    def against(self, *, member=None, email="", ip_address=None):
        """Restrictions that apply to a member, or to a guest's email or address."""
        match = models.Q(pk__in=[])
        if member is not None and member.is_authenticated:
            match |= models.Q(member=member)
        if email:
            match |= models.Q(guest_email__iexact=email)
        if ip_address:
            match |= models.Q(ip_address=ip_address)
        return self.filter(match)


class Restriction(models.Model):
    """A limit on who may post: suspended until a date, banned, or always held."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Suspended until a date")
        BAN = "ban", _("Banned")
        HOLD = "hold", _("Every comment held for review")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="restrictions",
        verbose_name=_("member"),
    )
    guest_email = models.EmailField(_("guest email"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Required for a suspension; empty means for good."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("Shown to the member."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="restrictions_made",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("posting restriction")
        verbose_name_plural = _("posting restrictions")

    def __str__(self):
        who = self.member or self.guest_email or self.ip_address
        return f"{self.get_kind_display()}: {who}"

    def clean(self):
        if not (self.member_id or self.guest_email or self.ip_address):
            raise ValidationError(_("Name a member, a guest email or an IP address."))
        if self.kind == self.Kind.SUSPEND and not self.until:
            raise ValidationError({"until": _("A suspension needs an end date.")})


class MemberNote(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notes_about",
        verbose_name=_("member"),
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notes_written",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note on a member")
        verbose_name_plural = _("notes on members")

    def __str__(self):
        return self.text[:60]


def fold(text):
    """Lower case, without accents, spaces collapsed: how moderation words compare."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.casefold().split()))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class WordQuerySet(models.QuerySet):
    def pattern(self, kind):
        """One regex matching any word of this kind as a whole word, or None."""
        words = [fold(w) for w in self.filter(kind=kind).values_list("word", flat=True)]
        words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
        if not words:
            return None
        return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)")


class ModerationWord(models.Model):
    class Kind(models.TextChoices):
        BLOCKED = "blocked", _("Blocked: the comment is refused")
        WATCHED = "watched", _("Watched: the comment is held for review")

    word = models.CharField(_("word or phrase"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = WordQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = _("moderation word")
        verbose_name_plural = _("moderation words")
        constraints = [
            models.UniqueConstraint(fields=["word", "kind"], name="unique_word_kind"),
        ]

    def __str__(self):
        return self.word


class ModerationSettings(models.Model):
    """Thresholds moderators tune in the admin; one row, read on every judgement."""

    links_to_hold = models.PositiveSmallIntegerField(
        _("links that hold a comment"),
        default=2,
        help_text=_("A comment with this many links or more waits for review."),
    )
    reports_to_hold = models.PositiveSmallIntegerField(
        _("reports that hold a comment"),
        default=3,
        help_text=_(
            "After this many reports from different members, a published "
            "comment is held for review."
        ),
    )
    hold_first_comments = models.BooleanField(
        _("hold first comments"),
        default=True,
        help_text=_("Hold an author's comments until one of them has been approved."),
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self):
        return str(_("Moderation settings"))

    @classmethod
    def current(cls):
        return cls.objects.first() or cls()
