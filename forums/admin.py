"""Categories for editors; topics and their trail for moderators.

A topic's words are its first post, a comment moderated in the comments'
queues; here moderators pin, lock and restore topics through the same methods
as the topic page, and read both halves of the trail: the topic's own records
and the decisions on its first post.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models.discussion import MODERATE
from forums.models import Category, Topic, TopicRecord


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "group",
        "position",
        "who_may_start",
        "is_archived",
        "topic_count",
        "post_count",
    ]
    list_filter = ["who_may_start", "is_archived"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "description",
        "group",
        "position",
        "who_may_start",
        "is_archived",
    ]


class TopicRecordInline(admin.TabularInline):
    model = TopicRecord
    fields = ["created_at", "actor", "action", "from_value", "to_value", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "author",
        "reply_count",
        "last_active",
        "is_pinned",
        "is_locked",
        "is_removed",
    ]
    list_filter = ["category", "is_pinned", "is_locked", "is_removed"]
    list_select_related = ["category", "author"]
    search_fields = ["title"]
    date_hierarchy = "last_active"
    fields = [
        "title",
        "category",
        "author",
        "page",
        "first_post",
        "article",
        "is_pinned",
        "is_locked",
        "lock_reason",
        "is_removed",
        "removal_reason",
        "reply_count",
        "last_active",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [TopicRecordInline]
    actions = ["pin", "unpin", "lock", "unlock", "restore"]

    def has_add_permission(self, request):
        return False  # topics are started on the site, judged like comments

    def has_delete_permission(self, request, obj=None):
        return False  # removal keeps the topic and says why

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE)

    @admin.display(description=_("on the site"))
    def page(self, topic):
        return format_html('<a href="{0}">{0}</a>', topic.get_absolute_url())

    @admin.display(description=_("first post and its decisions"))
    def first_post(self, topic):
        post = topic.opening_post
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[post.pk]),
            post.get_status_display(),
        )
        decisions = format_html_join(
            "",
            "<li>{} {} → {} {}</li>",
            (
                (record.created_at, record.from_status, record.to_status, record.reason)
                for record in post.moderation_records.all()
            ),
        )
        return format_html("{}<ul>{}</ul>", link, decisions)

    def _apply(self, request, queryset, method, **kwargs):
        done = sum(
            bool(getattr(topic, method)(by=request.user, **kwargs))
            for topic in queryset.select_related("category", "opening_post")
        )
        self.message_user(
            request,
            ngettext("%(count)d topic changed.", "%(count)d topics changed.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Pin selected topics"), permissions=["moderate"])
    def pin(self, request, queryset):
        self._apply(request, queryset, "pin")

    @admin.action(description=_("Unpin selected topics"), permissions=["moderate"])
    def unpin(self, request, queryset):
        self._apply(request, queryset, "unpin")

    @admin.action(description=_("Lock selected topics"), permissions=["moderate"])
    def lock(self, request, queryset):
        self._apply(request, queryset, "lock")

    @admin.action(description=_("Unlock selected topics"), permissions=["moderate"])
    def unlock(self, request, queryset):
        self._apply(request, queryset, "unlock")

    @admin.action(
        description=_("Restore selected removed topics"), permissions=["moderate"]
    )
    def restore(self, request, queryset):
        self._apply(request, queryset, "restore")


@admin.register(TopicRecord)
class TopicRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "topic", "actor", "action", "from_value", "to_value"]
    list_filter = ["action"]
    list_select_related = ["topic", "actor"]
    search_fields = ["topic__title", "reason"]
    readonly_fields = [
        "created_at",
        "topic",
        "actor",
        "action",
        "from_value",
        "to_value",
        "reason",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
