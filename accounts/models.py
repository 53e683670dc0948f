from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.avatars import colour_for, initials
from comments.models.reactions import counts_words
from comments.owners import registry


class KindredUserManager(UserManager):
    """Users are known by email; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Role(models.TextChoices):
    """How a member describes their place in the community, if they wish."""

    LIVING_WITH_ALS = "als", _("Living with ALS")
    CAREGIVER = "caregiver", _("Caregiver")
    FAMILY = "family", _("Family or friend")
    CLINICIAN = "clinician", _("Clinician")
    RESEARCHER = "researcher", _("Researcher")


class EmailChoice(models.TextChoices):
    NOW = "now", _("Email me at once")
    DIGEST = "digest", _("Email me a daily digest")
    OFF = "off", _("No email")


# The address a deleted account keeps (unique, and never deliverable: RFC 6761).
FORMER_DOMAIN = "deleted.invalid"

# By default a member is emailed only when someone replies to them.
EMAIL_DEFAULTS = {"reply": EmailChoice.NOW}


def email_choice(choices, kind):
    """The choice for `kind` in a member's `email_choices`, or its default."""
    return choices.get(kind, EMAIL_DEFAULTS.get(kind, EmailChoice.OFF))


class User(AbstractUser):
    Role = Role

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown beside everything you write. Your email is never shown."),
    )
    bio = models.TextField(_("about"), blank=True, max_length=2000)
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=Role.choices,
        blank=True,
        help_text=_("Optional: shown beside your name."),
    )
    # Always a JPEG that accounts.avatars drew from the upload, never the upload.
    avatar = models.ImageField(_("picture"), upload_to="avatars/", blank=True)
    # {notification kind: EmailChoice} where the member chose other than the default.
    email_choices = models.JSONField(_("emails"), default=dict, blank=True)

    objects = KindredUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or _("Member %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("accounts:member", args=[self.pk])

    @property
    def avatar_url(self):
        """The uploaded picture, or the member's initials on a coloured disc."""
        if self.avatar:
            return self.avatar.url
        return reverse(
            "accounts:initials",
            args=[initials(self.display_name), colour_for(self.pk)],
        )

    def email_choice(self, kind):
        """How this member wants to hear of notifications of `kind` by email."""
        return email_choice(self.email_choices, kind)

    @cached_property
    def unread_notification_count(self):
        """The bell's number: one query on a partial index, once per request
        (request.user is one object for the whole request)."""
        return self.notifications.unread().count()

    @property
    def is_former_member(self):
        """Whether this row is what remains of a deleted account
        (accounts.member_data.delete_account)."""
        return not self.is_active and self.email.endswith("@" + FORMER_DOMAIN)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at=None)

    def for_list(self):
        """Who, what and where of each, in the same query as the notifications."""
        where = [f"comment__discussion__{name}" for name in registry.related_names()]
        return self.select_related(
            "actor", "comment__discussion", "comment__public_reason", *where
        )

    def with_access(self, request):
        """Each with `can_open`: whether its comment is still one this reader
        may be taken to (Comment.objects.readable_by): not when it, or the page
        it is on, was held or removed since. In the same query."""
        from comments.models import Comment  # noqa: PLC0415 (comments imports us)

        readable = Comment.objects.readable_by(request).filter(pk=OuterRef("comment"))
        return self.annotate(can_open=Exists(readable))

    def mark_read(self):
        """One UPDATE; returns how many were unread."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something a member should hear about, about one comment. Made in bulk by
    accounts.tasks (never in the request), read at /notifications/."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Replies to my comments and topics")
        MENTION = "mention", _("Mentions of my name")
        FOLLOWED = "followed", _("New comments where I follow")
        DECISION = "decision", _("Moderators' decisions on my comments")
        REPORT = "report", _("Reviews of my reports")
        REACTION = "reaction", _("Reactions to my comments and topics")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("comment"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's count: only unread rows are in it.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at=None),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["recipient", "-created_at"], name="notification_list_idx"
            ),
        ]
        constraints = [
            # A task run again (a retry, a worker restarted) adds nothing twice.
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"],
                name="notification_once_per_comment",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def who(self):
        if self.kind == self.Kind.REACTION:
            return self.reacted_words
        if self.kind in (self.Kind.DECISION, self.Kind.REPORT):
            return _("the moderators")
        if self.actor_id:
            return self.actor.display_name
        return self.comment.guest_name or _("A guest")

    @property
    def summary(self):
        """Who did what where: "Ben replied to you on “Tofersen news”"."""
        where = self.comment.discussion.owner
        if self.kind in (self.Kind.DECISION, self.Kind.REPORT):
            decision = self.decision_words
            if self.kind == self.Kind.REPORT:
                words = _(
                    "The comment you reported on “%(where)s” was reviewed: %(decision)s"
                )
            elif self.starts_its_page:
                words = _("Your topic “%(where)s”: %(decision)s")
            else:
                words = _("Your comment on “%(where)s”: %(decision)s")
            return words % {"where": where, "decision": decision}
        if self.kind == self.Kind.REACTION:
            counts = counts_words(self.comment.reaction_counts)
            words = _("%(who)s reacted to your comment on “%(where)s”")
            words = words % {"who": self.reacted_words, "where": where}
            return f"{words}: {counts}" if counts else words
        if self.kind == self.Kind.FOLLOWED and self.starts_its_page:
            return _("%(who)s started “%(where)s” where you follow") % {
                "who": self.who,
                "where": where,
            }
        words = {
            self.Kind.REPLY: _("%(who)s replied to you on “%(where)s”"),
            self.Kind.MENTION: _("%(who)s mentioned you on “%(where)s”"),
            self.Kind.FOLLOWED: _("%(who)s commented on “%(where)s”, which you follow"),
        }[self.kind]
        return words % {"who": self.who, "where": where}

    @property
    def decision_words(self):
        """The decision as it reads in the list and the emails: the comment's
        status and public reason, or for the author of a page, what was
        decided on the whole page ("Removed by a moderator · <reason>")."""
        if self.kind == self.Kind.DECISION and self.page_decision:
            return self.page_decision
        decision = self.comment.get_status_display()
        if self.comment.public_reason_id:
            decision = f"{decision} · {self.comment.public_reason}"
        return decision

    @property
    def page_decision(self):
        """A moderator's decision on the page this comment opens, as the page
        words it (`decision_words`: a forum topic removed, with the reason), or
        "": the page is as public as its first post."""
        if not self.starts_its_page:
            return ""
        return getattr(self.comment.discussion.owner, "decision_words", "")

    @property
    def link_hint(self):
        """What the "Open the comment" link adds for screen readers."""
        if self.kind == self.Kind.REACTION:
            return _("of yours that %(who)s reacted to") % {"who": self.who}
        return _("by %(who)s") % {"who": self.who}

    @property
    def reacted_words(self):
        """ "3 people": how many reacted to the comment, counted now, so that
        the one notification of a period tells of every reaction in it."""
        number = sum(self.comment.reaction_counts.values())
        return ngettext("%(count)s person", "%(count)s people", number) % {
            "count": number
        }

    @property
    def starts_its_page(self):
        """The first post of a page that has one (a new forum topic)."""
        page = self.comment.discussion.owner
        return getattr(page, "opening_post_id", None) == self.comment_id

    @property
    def excerpt(self):
        """The comment's words while it is public (it may since have been removed)."""
        published = self.comment.status == self.comment.Status.PUBLISHED
        published = published and not self.page_decision
        if not published and self.kind == self.Kind.REPORT:
            return ""  # what was removed is not quoted back to the reporter
        if not published and self.kind != self.Kind.DECISION:
            return ""  # the author reads their own words whatever the decision
        return self.comment.body

    @property
    def public_excerpt(self):
        """What an email may quote: the comment's words only while it is public.
        An email travels beyond the site, so even the author's own held or
        removed words stay out of it; the summary tells the decision."""
        if self.comment.status != self.comment.Status.PUBLISHED or self.page_decision:
            return ""
        return self.comment.body


class DiscussionEmail(models.Model):
    """When a member was last emailed about one discussion, whatever the kinds
    of notification the email carried (a reply, a decision, a reaction...) and
    whether it went at once or in a digest: the hour that keeps them to one
    email per discussion (accounts.emails.HOLD_BACK) counts from here. Its row,
    locked, is also what keeps two workers from emailing the same at once."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_emails",
        verbose_name=_("member"),
    )
    discussion = models.ForeignKey(
        "comments.Discussion",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("discussion"),
    )
    sent_at = models.DateTimeField(_("last emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("email about a discussion")
        verbose_name_plural = _("emails about discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "discussion"], name="discussion_email_once"
            )
        ]

    def __str__(self):
        return f"{self.member} ✉ {self.discussion}"


class DigestDay(models.Model):
    """A day whose digests were queued. Every worker looks, between tasks,
    whether the digest hour has come (accounts.emails.queue_digests_if_due):
    the first to write the day's row queues them, the others find it there."""

    day = models.DateField(_("day"), unique=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        verbose_name = _("digest day")
        verbose_name_plural = _("digest days")

    def __str__(self):
        return str(self.day)


class Follow(models.Model):
    """A member following a discussion: an article's or a topic's alike."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("member"),
    )
    discussion = models.ForeignKey(
        "comments.Discussion",
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("discussion"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["member", "discussion"], name="follow_once")
        ]

    def __str__(self):
        return f"{self.member} → {self.discussion}"


class MuteQuerySet(models.QuerySet):
    def muted_by(self, member):
        """The ids of the members `member` muted."""
        return self.filter(muter=member).values_list("muted_id", flat=True)


class Mute(models.Model):
    """A member who does not want to read another: their posts fold away for
    the muter (accounts.reading), and they send the muter no notifications."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mutes",
        verbose_name=_("member"),
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="muted_by",
        verbose_name=_("muted member"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = MuteQuerySet.as_manager()

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.muter} ⊘ {self.muted}"
