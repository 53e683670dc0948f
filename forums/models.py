"""Categories and topics. A topic owns a Discussion exactly as an article does;
its first post is the discussion's first comment (README, "Forums").

What the lists show is kept as data: a topic's reply count, last activity and
last poster, a category's topic and post counts and latest topic. New posts and
decisions on them move these in the same transaction, through the trigger of
migration 0002 (the comments engine cannot call the forums); what the forums
themselves do (start, move, remove a topic) moves them here with F().
"""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, Discussion
from comments.models.discussion import MODERATE
from forums.moderation import TopicModeration

# A topic is public once its first post has been let through; a held, rejected
# or spam first post keeps the topic to its author and the moderators. (A first
# post deleted or removed later leaves the topic and its replies in place.)
HIDDEN_OPENINGS = (
    Comment.Status.PENDING,
    Comment.Status.REJECTED,
    Comment.Status.SPAM,
)
RESERVED_SLUGS = {"latest", "topic"}
LISTED_FIELDS = [
    "title",
    "slug",
    "category__name",
    "category__slug",
    "author__display_name",
    "last_poster__display_name",
    "is_pinned",
    "is_locked",
    "reply_count",
    "last_active",
    "created_at",
    "discussion_id",  # the "new replies" counts of a member's list (forums.views)
]


def not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the forums' own pages."), params={"slug": slug}
        )


class CategoryQuerySet(models.QuerySet):
    def for_index(self):
        """With each category's latest topic and its last poster, in one query."""
        return self.select_related(
            "latest_topic__last_poster", "latest_topic__category"
        )

    def startable_by(self, user):
        """Where `user` may start a topic: open categories, staff-only ones for
        staff. Email verification is the view's concern (one message for it)."""
        if not user.is_authenticated:
            return self.none()
        allowed = self.filter(is_archived=False)
        if not user.is_staff:
            allowed = allowed.filter(who_may_start=Category.Starters.MEMBERS)
        return allowed


class Category(models.Model):
    class Starters(models.TextChoices):
        MEMBERS = "members", _("Members")
        STAFF = "staff", _("Staff only (announcements)")

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[not_reserved]
    )
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(
        _("group"),
        max_length=80,
        blank=True,
        help_text=_(
            "Categories with the same group are listed together; groups come in "
            "the order of their first category."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    who_may_start = models.CharField(
        _("who may start topics"),
        max_length=10,
        choices=Starters.choices,
        default=Starters.MEMBERS,
    )
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("Read-only: kept for reading, no new topics or replies."),
    )
    topic_count = models.PositiveIntegerField(_("topics"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    latest_topic = models.ForeignKey(
        "forums.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("latest topic"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:category", args=[self.slug])

    @property
    def is_staff_only(self):
        return self.who_may_start == self.Starters.STAFF

    def refresh_latest(self):
        """After a topic left (moved, removed): the latest listed one again."""
        latest = self.topics.listed().order_by("-last_active", "-id").first()
        Category.objects.filter(pk=self.pk).update(latest_topic=latest)


class TopicQuerySet(models.QuerySet):
    def listed(self):
        """What lists show: topics not removed whose first post is let through."""
        return self.filter(is_listed=True)

    def visible_to(self, user):
        """Topics `user` may open: listed ones, their own (held or removed, with
        the reason), and every topic for moderators."""
        if user.has_perm(MODERATE):
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(is_listed=True) | Q(author=user))
        return self.listed()

    def for_listing(self):
        """What a row of a topic list shows, and nothing else."""
        return self.select_related("category", "author", "last_poster").only(
            *LISTED_FIELDS
        )

    def page(self, start, stop, count=None):
        """Rows start:stop of this ordered list, found through the listing index
        on ids alone (an index-only scan that still steps over the entries
        before them), then read with what a row shows: one query. Given the
        list's length, a page past the middle is counted from the far end (the
        same index read backwards), so the last page costs what the first does.
        """
        order = self._order()
        if count is not None and start > count // 2:
            backwards = [name.removeprefix("-") for name in order]
            ids = self.order_by(*backwards).values("pk")
            ids = ids[max(0, count - stop) : max(0, count - start)]
        else:
            ids = self.values("pk")[start:stop]
        return self.model.objects.for_listing().filter(pk__in=ids).order_by(*order)

    def _order(self):
        return list(self.query.order_by or self.model._meta.ordering)

    def next_to(self, cursor, size, *, forward=True):
        """The `size` rows after (or, forward=False, before) the row whose sort
        key is `cursor` (from `cursor_of`), in this list's order: a keyset page,
        which starts where the index holds the cursor, so a page reached by its
        Next or Previous link costs the same at any depth. None if the cursor
        cannot be read (typed by hand): the caller falls back to page().
        """
        order = self._order()
        fields = [name.removeprefix("-") for name in order]
        assert all(name.startswith("-") for name in order), order
        values = read_cursor(cursor, fields)
        if values is None:
            return None
        # One row comparison, which the listing index answers as a range: the
        # ids first (LIMIT inside), then the rows, as page() does, so that the
        # planner never joins the names of every row beyond the cursor.
        compare = LessThan if forward else GreaterThan
        beyond = compare(
            Func(*[F(name) for name in fields], function="ROW", output_field=KEY),
            Func(*[Value(v) for v in values], function="ROW", output_field=KEY),
        )
        direction = order if forward else [name.removeprefix("-") for name in order]
        ids = self.filter(beyond).order_by(*direction).values("pk")[:size]
        rows = self.model.objects.for_listing().filter(pk__in=ids).order_by(*order)
        return list(rows)


EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
KEY = models.Field()  # a ROW(...) of sort keys has no type of its own


def cursor_of(topic, fields):
    """A row's sort key as URL text: booleans 0/1, times in microseconds."""
    parts = []
    for name in fields:
        value = getattr(topic, name)
        if isinstance(value, datetime):
            value = (value - EPOCH) // timedelta(microseconds=1)
        parts.append(str(int(value)))
    return ".".join(parts)


def read_cursor(text, fields):
    """The values of a cursor_of() text for `fields`, or None if it is not one."""
    parts = (text or "").split(".")
    if len(parts) != len(fields) or len(text) > 100:
        return None
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return None
    values = []
    for name, number in zip(fields, numbers, strict=True):
        if name == "is_pinned":
            if number not in (0, 1):
                return None
            values.append(bool(number))
        elif name in ("last_active", "created_at"):
            try:
                values.append(EPOCH + timedelta(microseconds=number))
            except OverflowError:
                return None
        elif 0 < number < 2**63:
            values.append(number)
        else:
            return None
    return values


class Topic(TopicModeration, models.Model):
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("started by"),
    )
    discussion = models.OneToOneField(
        Discussion,
        on_delete=models.PROTECT,
        related_name="topic",
        verbose_name=_("discussion"),
    )
    opening_post = models.OneToOneField(
        Comment,
        on_delete=models.PROTECT,
        related_name="opened_topic",
        verbose_name=_("first post"),
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    lock_reason = models.CharField(_("why locked"), max_length=300, blank=True)
    is_removed = models.BooleanField(_("removed"), default=False)
    removal_reason = models.CharField(_("why removed"), max_length=300, blank=True)
    # Not removed, and its first post let through: kept as data (by the forums
    # and by the trigger of migration 0002) so that lists read one table.
    is_listed = models.BooleanField(_("listed"), default=True, editable=False)
    reply_count = models.PositiveIntegerField(_("replies"), default=0, editable=False)
    last_active = models.DateTimeField(_("last activity"), default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last reply by"),
    )
    # The article this topic discusses ("Discuss this in the forums"), if an
    # editor started it from the article's admin page.
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_topic",
        verbose_name=_("article discussed"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Title (weight A) and first post (C) for the site search, written by the
    # triggers of migration 0004 (the first post lives in comments_comment,
    # which a generated column cannot read, and the engine cannot call us).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_active", "-id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(
                F("category"),
                F("is_pinned").desc(),
                F("last_active").desc(),
                F("id").desc(),
                name="topic_listing_idx",
                condition=Q(is_listed=True),
            ),
            models.Index(
                F("last_active").desc(),
                F("id").desc(),
                name="topic_latest_idx",
                condition=Q(is_listed=True),
            ),
            GinIndex(fields=["search_vector"], name="topic_search_idx"),
            GinIndex(
                fields=["title"],
                opclasses=["gin_trgm_ops"],
                name="topic_title_trgm_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:160] or "topic"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("forums:topic", args=[self.category.slug, self.pk, self.slug])

    @property
    def decision_words(self):
        """A moderator's decision on the whole topic as its author is told it
        (accounts' decision notifications): "Removed by a moderator · <reason>",
        or "" while it is not removed."""
        if not self.is_removed:
            return ""
        return f"{Comment.Status.REMOVED.label} · {self.removal_reason}"

    @property
    def is_held(self):
        return self.opening_post.status in HIDDEN_OPENINGS

    def write_refusal(self, user):
        """Why `user` may not reply here, in the page's own words, or ""."""
        if closure := self.closure():
            return closure
        if not user or not user.is_authenticated:
            return gettext("Please log in to reply in the forums.")
        return ""

    def closure(self):
        """Why nobody may reply here (removed, archived, locked), or ""."""
        if self.is_removed:
            return gettext("This topic was removed.")
        if self.category.is_archived:
            return gettext("This category is archived: it is kept for reading.")
        if self.is_locked:
            if self.lock_reason:
                return gettext("This topic is locked: %(reason)s") % {
                    "reason": self.lock_reason
                }
            return gettext("This topic is locked.")
        return ""

    def followers_of_post(self, comment):
        """Members who hear of `comment` because they follow where this topic
        lives (accounts.notifications asks every page): the followers of its
        category hear of its first post, that is of a new topic."""
        if comment.pk != self.opening_post_id:
            return CategoryFollow.objects.none().values_list("member_id", flat=True)
        return CategoryFollow.objects.filter(
            category=self.category_id, member__is_active=True
        ).values_list("member_id", flat=True)

    def title_editable_by(self, user):
        """Moderators at any time; the author within the comments' edit window."""
        if user.has_perm(MODERATE):
            return True
        return (
            user.is_authenticated
            and user.pk == self.author_id
            and self.created_at >= Comment.edit_window_start()
        )


class CategoryFollow(models.Model):
    """A member following a whole category: each new topic there reaches them
    through the notifications (accounts.notifications asks the topic)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="category_follows",
        verbose_name=_("member"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("category"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("category follow")
        verbose_name_plural = _("category follows")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "member"], name="category_follow_once"
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.category}"


class TopicRecord(models.Model):
    """A moderator's move on a topic: the topics' side of the audit trail whose
    comment side is comments.ModerationRecord (who, when, from, to, why)."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        MOVE = "move", _("Moved")
        RENAME = "rename", _("Renamed")
        REMOVE = "remove", _("Removed")
        RESTORE = "restore", _("Restored")

    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("topic"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_records",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_value = models.CharField(_("from"), max_length=150, blank=True)
    to_value = models.CharField(_("to"), max_length=150, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("topic record")
        verbose_name_plural = _("topic records")

    def __str__(self):
        return f"{self.get_action_display()}: {self.topic_id}"
