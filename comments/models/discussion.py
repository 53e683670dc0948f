from django.conf import settings
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.markup import render_markup
from comments.models.transitions import Moderatable, Status
from comments.owners import registry

# Each level of a comment's sort path is its id in base 36, zero-padded to a fixed
# width, so that ordering by path (C collation) gives depth-first display order and
# a reply is one INSERT that never renumbers anything.
PATH_STEP = 7  # 36**7 ids, about 78 billion
MAX_DEPTH = 200  # keeps a path (7 characters a level) well inside a btree entry
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# A guest may edit or delete the comments posted from this browser session.
GUEST_SESSION_KEY = "kindred_guest_comments"
MODERATE = "comments.moderate_comment"


def path_step(pk: int) -> str:
    out = ""
    while pk:
        pk, rem = divmod(pk, 36)
        out = DIGITS[rem] + out
    return out.rjust(PATH_STEP, "0")


class DiscussionQuerySet(models.QuerySet):
    def visible_to(self, request):
        """Discussions whose page this reader may open (comments.owners)."""
        return self.filter(registry.visible(request.user))

    def with_owners(self):
        """The page of each discussion in the same query."""
        return self.select_related(*registry.related_names())


class Discussion(models.Model):
    """The comment thread of one page: an article now, a forum topic later.

    Nothing here knows about articles; the page that owns a discussion points at
    it with a one-to-one field and joins comments.owners.registry.
    """

    is_closed = models.BooleanField(_("comments closed"), default=False)
    opened_at = models.DateTimeField(
        _("opened"),
        null=True,
        blank=True,
        help_text=_("When the page went public; automatic closing counts from here."),
    )
    comment_count = models.PositiveIntegerField(
        _("published comments"), default=0, editable=False
    )
    # Top-level comments that readers see (published, or with replies): kept by
    # the trigger of migration comments/0012 in the transaction of every write.
    thread_count = models.PositiveIntegerField(_("threads"), default=0, editable=False)
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bumped on every change (cache key)."
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DiscussionQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self):
        return _("Discussion %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return self.owner.get_absolute_url()

    @property
    def owner(self):
        """The page this discussion belongs to (reverse one-to-one by kind of page)."""
        return registry.owner_of(self)[0]

    def may_write(self, user):
        """Whether the page lets `user` write here now (is_open aside)."""
        return registry.may_write(self, user)

    @property
    def takes_replies(self):
        """Open, and its page is out: a draft that an editor previews offers no
        Reply links."""
        return self.is_open and registry.takes_replies(self)

    @property
    def is_open(self):
        """Open unless closed by an editor or by age (COMMENTS_CLOSE_AFTER_DAYS)."""
        if self.is_closed:
            return False
        days = settings.KINDRED["COMMENTS_CLOSE_AFTER_DAYS"]
        if days and self.opened_at:
            return timezone.now() < self.opened_at + timezone.timedelta(days=days)
        return True

    def record_change(self, published_delta=0):
        """One UPDATE: bump the cache version and move the published count."""
        Discussion.objects.filter(pk=self.pk).update(
            version=models.F("version") + 1,
            comment_count=models.F("comment_count") + published_delta,
        )


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def visible_to(self, request):
        """Comments on pages this reader may open: the scope of every comments
        URL, so that a draft's discussion is not found through any of them."""
        return self.filter(registry.visible(request.user, through="discussion__"))

    def readable_by(self, request):
        """Comments a reader may be sent to on a page they may open: published
        ones, their own, or any for moderators."""
        visible = self.visible_to(request)
        if request.user.has_perm(MODERATE):
            return visible
        own = Comment.objects.mine(request).values("pk")
        return visible.filter(
            models.Q(status=Comment.Status.PUBLISHED) | models.Q(pk__in=own)
        )

    def with_owners(self):
        """Each comment's discussion and its page, in the same query."""
        return self.select_related(
            "discussion", *[f"discussion__{name}" for name in registry.related_names()]
        )

    def mine(self, request):
        """The reader's own comments: a member's, or a guest's from this session."""
        if request.user.is_authenticated:
            return self.filter(author=request.user)
        return self.filter(
            author=None, pk__in=request.session.get(GUEST_SESSION_KEY, [])
        )

    def editable_by(self, request):
        """Own comments still inside the edit window (COMMENTS_EDIT_MINUTES)."""
        return self.mine(request).filter(
            status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING],
            created_at__gte=Comment.edit_window_start(),
        )

    def deletable_by(self, request):
        return self.mine(request).filter(
            status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING]
        )


class Comment(Moderatable, models.Model):
    Status = Status  # defined beside the transitions that move between them

    # No index of its own: (discussion, path) and the others below begin with
    # it. With one, the planner took it for a page's range of a big discussion
    # whose paths sit high among all others (ids grow), filtering every comment
    # of the discussion (6 ms at 20,000 instead of 0.2).
    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("discussion"),
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Whether any comment replies to this one, whatever its status: a hidden
    # comment with replies keeps its place in the thread. Set by the trigger of
    # migration comments/0012 when a reply is stored, so that a page's plan reads
    # it instead of asking the database once per comment.
    has_replies = models.BooleanField(default=False, editable=False)
    path = models.TextField(editable=False, db_collation="C")
    # The path with its first step (the thread) counted down instead of up:
    # ordering by it shows the threads newest first, each in its own order, so
    # that order "newest" is ranges of one index too (comments.paging).
    newest_key = models.GeneratedField(
        expression=models.Func(
            models.F("path"),
            template=f"translate(left(%(expressions)s, {PATH_STEP}), "
            f"'{DIGITS}', '{DIGITS[::-1]}') "
            f"|| substr(%(expressions)s, {PATH_STEP + 1})",
        ),
        output_field=models.TextField(db_collation="C"),
        db_persist=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("member"),
    )
    guest_name = models.CharField(_("name"), max_length=80, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    guest_url = models.URLField(_("website"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
    )
    status_reason = models.CharField(
        _("internal reason"),
        max_length=300,
        blank=True,
        help_text=_(
            "Why it was held, rejected or removed, with the rule's name: for "
            "moderators only."
        ),
    )
    public_reason = models.ForeignKey(
        "comments.RemovalReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("public reason"),
        help_text=_("What readers see of a removal."),
    )
    author_note = models.CharField(
        _("note to the author"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to the author only, beside the public reason."),
    )
    # {reaction kind: number of members}, set from comments.Reaction's rows on
    # each change: a thread shows its counts without reading those rows.
    reaction_counts = models.JSONField(default=dict, blank=True, editable=False)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["discussion", "path"], name="comment_thread_idx"),
            models.Index(
                fields=["discussion", "newest_key"], name="comment_newest_idx"
            ),
            # What is new in a discussion since a member's last visit (the
            # forum lists' counts): a range of this index, not the whole thread.
            models.Index(
                fields=["discussion", "created_at"], name="comment_recent_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "path"], name="comment_path_unique"
            ),
        ]
        permissions = [("moderate_comment", _("Can moderate comments"))]

    def __str__(self):
        return _("%(name)s: %(excerpt)s") % {
            "name": self.author_name,
            "excerpt": self.body[:60],
        }

    def save(self, *args, **kwargs):
        self.body_html = render_markup(self.body)
        if self._state.adding and self.pk is None:
            self._assign_position()
            kwargs["force_insert"] = True  # skip the UPDATE Django tries for a set pk
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])

    def _assign_position(self):
        """Take an id from the sequence and derive depth and path from the parent."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
                [self._meta.db_table],
            )
            self.pk = cursor.fetchone()[0]
        if self.parent is None:
            self.depth, prefix = 0, ""
        else:
            self.depth, prefix = self.parent.depth + 1, self.parent.path
        self.path = prefix + path_step(self.pk)

    @property
    def author_name(self):
        return self.author.display_name if self.author_id else self.guest_name

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @staticmethod
    def edit_window_start(now=None):
        """The oldest time of posting that may still be edited: the one home of
        the edit window (COMMENTS_EDIT_MINUTES), for queries and rows alike."""
        minutes = settings.KINDRED["COMMENTS_EDIT_MINUTES"]
        return (now or timezone.now()) - timezone.timedelta(minutes=minutes)
