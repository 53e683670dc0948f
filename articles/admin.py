from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Tag
from comments.admin.lists import CheckedListAdmin


@admin.register(Section)
class SectionAdmin(CheckedListAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ArticleForm(forms.ModelForm):
    comments_closed = forms.BooleanField(
        label=_("Close comments"),
        required=False,
        help_text=_("The discussion stays readable; nobody can post in it."),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "section",
            "tags",
            "authors",
            "status",
            "published_at",
            "is_lead",
            "image",
            "image_alt",
            "image_caption",
            "image_credit",
            "study_title",
            "study_journal",
            "study_url",
        ]
        # Widgets that work by keyboard, switch and voice: a box per tag and per
        # author (no dual list with tiny arrows), one native date-time field.
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "authors": forms.CheckboxSelectMultiple,
            "published_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        field_classes = {"published_at": forms.DateTimeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The article's address. Left empty, it is made from the headline."
        )
        if self.instance.discussion_id:
            self.fields["comments_closed"].initial = self.instance.discussion.is_closed

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = self._free_slug(
                slugify(cleaned["title"])[:190] or "article"
            )
            self.instance.slug = cleaned["slug"]
        return cleaned

    def _free_slug(self, base):
        taken = set(
            Article.objects.exclude(pk=self.instance.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug


class PublicationFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        published = Article.objects.published()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED).exclude(
                pk__in=published.values("pk")
            )
        if self.value() == "published":
            return queryset.filter(pk__in=published.values("pk"))
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "section",
        "publication",
        "published_at",
        "is_lead",
        "comment_count",
    ]
    list_filter = [PublicationFilter, "section", "tags", "is_lead"]
    list_select_related = ["section", "discussion"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "body",
                    "section",
                    "tags",
                    "authors",
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "is_lead", "comments_closed"]},
        ),
        (
            _("Image"),
            {
                "fields": [
                    "image",
                    "image_preview",
                    "image_alt",
                    "image_caption",
                    "image_credit",
                ]
            },
        ),
        (
            _("The study reported on"),
            {"fields": ["study_title", "study_journal", "study_url"]},
        ),
    ]

    readonly_fields = ["image_preview"]

    @admin.display(description=_("as readers see it"))
    def image_preview(self, article):
        """The smallest copy, with its alt text, to check the picture and words."""
        if not article.picture:
            return _("No image yet.")
        first = article.picture[0]
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            first["url"],
            first["width"],
            first["height"],
            article.image_alt,
        )

    @admin.display(description=_("status"))
    def publication(self, article):
        if article.is_scheduled:
            return _("Scheduled")
        return (
            article.get_status_display() if not article.is_published else _("Published")
        )

    @admin.display(description=_("comments"), ordering="discussion__comment_count")
    def comment_count(self, article):
        return article.discussion.comment_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":  # bylines are for staff, not every member
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        discussion = obj.discussion
        discussion.is_closed = form.cleaned_data["comments_closed"]
        discussion.opened_at = obj.published_at
        discussion.save(update_fields=["is_closed", "opened_at"])
