from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.images import delete_variants, make_variants
from comments.markup import render_markup
from comments.models import Discussion

NAVIGATION_KEY = "articles:navigation"
BYLINE_SQL = """SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'name',
    u.display_name) ORDER BY a.id), '[]'::jsonb) FROM articles_article_authors a
    JOIN accounts_user u ON u.id = a.user_id WHERE a.article_id = articles_article.id"""
TAGS_SQL = """SELECT coalesce(jsonb_agg(jsonb_build_object('name', t.name,
    'slug', t.slug) ORDER BY t.name), '[]'::jsonb) FROM articles_article_tags at
    JOIN articles_tag t ON t.id = at.tag_id WHERE at.article_id = articles_article.id"""
SEARCH_CONFIG = "kindred"  # english stemming with accents folded (migration 0002)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(NAVIGATION_KEY)

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(NAVIGATION_KEY)
        return result

    @classmethod
    def navigation(cls):
        """Names and slugs of all sections for the menu: one query an hour at most."""
        return cache.get_or_set(
            NAVIGATION_KEY,
            lambda: [
                cls(pk=s.pk, name=s.name, slug=s.slug)
                for s in cls.objects.only("name", "slug")
            ],
            3600,
        )


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Published and due: a scheduled article appears by itself at its time."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def visible_to(self, user):
        """What a person may open at its URL: editors also preview drafts."""
        if user.is_staff and user.has_perm("articles.change_article"):
            return self.all()
        return self.published()

    def with_byline(self):
        """Authors (id, name) and tags (name, slug) as lists, in the same query.

        Written in SQL because this runs on every page: the ORM's equivalent
        (ArraySubquery of JSONObject) costs a millisecond more to compile.
        """
        return self.annotate(
            byline=models.expressions.RawSQL(
                BYLINE_SQL, [], output_field=models.JSONField()
            ),
            tag_list=models.expressions.RawSQL(
                TAGS_SQL, [], output_field=models.JSONField()
            ),
        )

    def for_listing(self):
        return (
            self.select_related("section", "discussion")
            .with_byline()
            .defer("body", "body_html", "search_vector")
            .order_by("-published_at", "-pk")
        )


def validate_image_size(image):
    limit = settings.KINDRED["IMAGE_MAX_BYTES"]
    if image.size > limit:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": round(image.size / 1e6, 1), "limit": limit // 1_000_000},
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published (or scheduled)")

    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("section"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="articles", verbose_name=_("tags")
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="articles_written",
        verbose_name=_("authors"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "A time in the future schedules the article: it appears by itself."
        ),
    )
    is_lead = models.BooleanField(
        _("lead story"),
        default=False,
        help_text=_("Shown first on the home page (the newest lead story wins)."),
    )
    image = models.ImageField(
        _("image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_image_size,
        ],
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    image_alt = models.CharField(
        _("image description (alt text)"), max_length=300, blank=True
    )
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made the picture, e.g. “Photo: Ana Ruiz / Kindred”."),
    )
    # The resized copies of `image` (articles.images), remade when the image changes.
    image_variants = models.JSONField(default=dict, blank=True, editable=False)
    study_title = models.CharField(_("study title"), max_length=300, blank=True)
    study_journal = models.CharField(_("journal"), max_length=200, blank=True)
    study_url = models.URLField(_("study link"), max_length=500, blank=True)
    discussion = models.OneToOneField(
        Discussion,
        on_delete=models.PROTECT,
        related_name="article",
        editable=False,
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            GinIndex(
                fields=["title"],
                opclasses=["gin_trgm_ops"],
                name="article_title_trgm_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "article"
        self.body_html = render_markup(self.body, staff=True)
        if self.discussion_id is None:
            self.discussion = Discussion.objects.create()
        if self.image_variants.get("source") != (self.image.name or None):
            self._replace_image_variants()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    def _replace_image_variants(self):
        old = self.image_variants
        if self.image and not self.image._committed:
            # Store the upload first: the copies are made from the stored file.
            self.image.save(self.image.name, self.image.file, save=False)
        self.image_variants = make_variants(self.image.name) if self.image else {}
        delete_variants(old)

    @property
    def picture(self):
        """The lead image's copies, narrowest first, for srcset; [] without one."""
        return [
            {**variant, "url": default_storage.url(variant["name"])}
            for variant in self.image_variants.get("variants", [])
        ]

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self):
        return (
            self.published_at is not None
            and (self.updated_at - self.published_at).total_seconds() > 3600
        )

    def related(self, limit=3):
        """Published articles sharing the most tags, then the same section."""
        return (
            Article.objects.published()
            .for_listing()
            .exclude(pk=self.pk)
            .filter(
                models.Q(tags__in=self.tags.all()) | models.Q(section=self.section_id)
            )
            .annotate(
                shared=models.Count("tags", filter=models.Q(tags__in=self.tags.all()))
            )
            .order_by("-shared", "-published_at")
            .distinct()[:limit]
        )
