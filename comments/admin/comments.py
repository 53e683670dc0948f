"""Comments in the admin: the lists, the queues, and the actions on them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from comments.models import (
    Comment,
    MemberNote,
    ModerationRecord,
    PendingComment,
    Report,
    ReportedComment,
    Restriction,
)
from comments.models.discussion import OWNER_RELATIONS

MODERATE = "comments.moderate_comment"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The author sees it on their comment; keep it kind and specific."),
        widget=forms.TextInput(attrs={"size": 60}),
    )


class HasReportsFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Has reports")), ("no", _("No reports"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class PageFilter(admin.SimpleListFilter):
    """The page a comment belongs to (an article now): the 30 most recently active."""

    title = _("page")
    parameter_name = "discussion"

    def lookups(self, request, model_admin):
        recent = Comment.objects.order_by("-created_at").values_list(
            "discussion", flat=True
        )[:500]
        from comments.models import Discussion

        discussions = Discussion.objects.filter(pk__in=recent).select_related(
            *OWNER_RELATIONS
        )[:30]
        return [(d.pk, str(_owner(d))) for d in discussions]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(discussion=self.value())
        return queryset


def _owner(discussion):
    try:
        return discussion.owner
    except LookupError:
        return discussion


class ModerationRecordInline(admin.TabularInline):
    model = ModerationRecord
    fields = ["created_at", "actor", "from_status", "to_status", "rule", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE)


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["created_at", "reporter", "reason", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author_info",
        "page",
        "status",
        "status_reason",
        "report_count",
        "created_at",
        "in_thread",
    ]
    list_filter = ["status", PageFilter, HasReportsFilter, "created_at"]
    search_fields = [
        "body",
        "author__display_name",
        "author__email",
        "guest_name",
        "guest_email",
        "ip_address",
    ]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "reject", "mark_spam", "remove", "restore"]
    inlines = [ModerationRecordInline, ReportInline]
    fields = [
        "in_thread",
        "author_info",
        "author_history",
        "page",
        "replying_to",
        "status",
        "status_reason",
        "created_at",
        "edited_at",
        "body",
    ]
    readonly_fields = fields
    change_form_template = "admin/comments/comment_change_form.html"
    # The decisions offered on a comment's own page: action, the status it leads
    # to, and whether it asks for a reason. Approve and Restore both publish.
    DECISIONS = [
        ("approve", "published", _("Approve")),
        ("restore", "published", _("Restore")),
        ("reject", "rejected", _("Reject (with a reason)")),
        ("mark_spam", "spam", _("Mark as spam")),
        ("remove", "removed", _("Remove (with a reason)")),
    ]

    def get_queryset(self, request):
        queryset = (
            self.model._default_manager.get_queryset()
            .select_related("author", *[f"discussion__{r}" for r in OWNER_RELATIONS])
            .annotate(report_count=Count("reports"))
        )
        ordering = self.get_ordering(request)  # may name the annotation
        return queryset.order_by(*ordering) if ordering else queryset

    # Permissions: seeing and deciding need `moderate_comment`; nobody adds, edits
    # or deletes comments here.
    def has_module_permission(self, request):
        return request.user.has_perm(MODERATE)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE)

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(90)

    @admin.display(description=_("author"))
    def author_info(self, comment):
        if comment.author_id:
            return format_html(
                '<a href="{}">{}</a><br>{}',
                reverse("admin:accounts_user_change", args=[comment.author_id]),
                comment.author.display_name,
                comment.author.email,
            )
        return format_html(
            "{} ({})<br>{}<br>{}",
            comment.guest_name,
            _("guest"),
            comment.guest_email,
            comment.ip_address or "",
        )

    @admin.display(description=_("author's record"))
    def author_history(self, comment):
        """Context for a decision: how this author's comments have fared so far,
        the restrictions on them and the notes about them, each linked to its list."""
        if comment.author_id:
            theirs = Comment.objects.filter(author_id=comment.author_id)
            who, against = comment.author.email, {"member": comment.author}
        else:
            theirs = Comment.objects.filter(
                author=None, guest_email__iexact=comment.guest_email
            )
            who, against = comment.guest_email, {"email": comment.guest_email}
        counts = dict(theirs.values_list("status").annotate(n=Count("pk")).order_by())
        fared = ", ".join(
            f"{counts[status]} {label.lower()}"
            for status, label in Comment.Status.choices
            if counts.get(status)
        )
        restricted = Restriction.objects.against(**against).active().count()
        lines = [
            (
                "admin:comments_comment_changelist",
                _("Comments: %(statuses)s") % {"statuses": fared},
            ),
            (
                "admin:comments_restriction_changelist",
                ngettext(
                    "%(count)s restriction in force",
                    "%(count)s restrictions in force",
                    restricted,
                )
                % {"count": restricted},
            ),
        ]
        if comment.author_id:
            notes = MemberNote.objects.filter(member_id=comment.author_id).count()
            lines.append(
                (
                    "admin:comments_membernote_changelist",
                    ngettext("%(count)s note", "%(count)s notes", notes)
                    % {"count": notes},
                )
            )
        query = urlencode({"q": who})
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}?{}">{}</a>',
            ((reverse(name), query, text) for name, text in lines),
        )

    @admin.display(description=_("in reply to"))
    def replying_to(self, comment):
        parent = comment.parent
        if parent is None:
            return _("Nobody: it starts a thread.")
        return format_html(
            '<a href="{}">{}</a>: {}',
            reverse("admin:comments_comment_change", args=[parent.pk]),
            parent.author_name,
            Truncator(parent.body).chars(300),
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and self.has_moderate_permission(request):
            context["decisions"] = [
                (action, label)
                for action, status, label in self.DECISIONS
                if obj.can_become(status)
                and (action != "approve" or obj.status == "pending")
                and (action != "restore" or obj.status != "pending")
            ]
            context["changelist_url"] = reverse("admin:comments_comment_changelist")
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.display(description=_("page"))
    def page(self, comment):
        return _owner(comment.discussion)

    @admin.display(description=_("reports"), ordering="report_count")
    def report_count(self, comment):
        return comment.report_count

    @admin.display(description=_("on the site"))
    def in_thread(self, comment):
        url = reverse("comments:moderate_in_thread", args=[comment.pk])
        return format_html('<a href="{}">{}</a>', url, _("View in thread"))

    # Actions: each calls the model's transition, one comment at a time, so that
    # every change is recorded and counted (never queryset.update()).
    def _apply(self, request, queryset, verb, done_message, **kwargs):
        changed = skipped = 0
        for comment in queryset.select_related("discussion"):
            if getattr(comment, verb)(by=request.user, **kwargs):
                changed += 1
                self.log_change(request, comment, f"{verb}: {kwargs.get('reason', '')}")
            else:
                skipped += 1
        self.message_user(request, done_message % {"count": changed}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s comment was left as it was: that change does not "
                    "apply to its status.",
                    "%(count)s comments were left as they were: that change does not "
                    "apply to their status.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def _with_reason(self, request, queryset, verb, title, done_message):
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                try:
                    self._apply(
                        request,
                        queryset,
                        verb,
                        done_message,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    self.message_user(request, error.messages[0], messages.ERROR)
                return None
        else:
            form = ReasonForm()
        return TemplateResponse(
            request,
            "admin/comments/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "comments": queryset,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._apply(
            request,
            queryset,
            "approve",
            ngettext_lazy(
                "Approved %(count)s comment.", "Approved %(count)s comments.", "count"
            ),
        )

    @admin.action(
        description=_("Reject selected comments (with a reason)"),
        permissions=["moderate"],
    )
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "reject",
            _("Reject comments"),
            ngettext_lazy(
                "Rejected %(count)s comment.", "Rejected %(count)s comments.", "count"
            ),
        )

    @admin.action(
        description=_("Mark selected comments as spam"), permissions=["moderate"]
    )
    def mark_spam(self, request, queryset):
        self._apply(
            request,
            queryset,
            "mark_spam",
            ngettext_lazy(
                "Marked %(count)s comment as spam.",
                "Marked %(count)s comments as spam.",
                "count",
            ),
        )

    @admin.action(
        description=_("Remove selected comments (with a reason)"),
        permissions=["moderate"],
    )
    def remove(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "remove",
            _("Remove comments"),
            ngettext_lazy(
                "Removed %(count)s comment.", "Removed %(count)s comments.", "count"
            ),
        )

    @admin.action(description=_("Restore selected comments"), permissions=["moderate"])
    def restore(self, request, queryset):
        self._apply(
            request,
            queryset,
            "restore",
            ngettext_lazy(
                "Restored %(count)s comment.", "Restored %(count)s comments.", "count"
            ),
        )


@admin.register(PendingComment)
class PendingCommentAdmin(CommentAdmin):
    ordering = ["created_at"]  # oldest waits longest: first

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Comment.Status.PENDING)


@admin.register(ReportedComment)
class ReportedCommentAdmin(CommentAdmin):
    def get_ordering(self, request):
        return ["-report_count", "-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(report_count__gt=0)
