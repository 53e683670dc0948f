"""Comments in the admin: the lists, the queues, and the decisions on them.

Every decision comes from the one table of transitions (comments.models
.moderation.TRANSITIONS): the batch actions of the lists, the buttons of each
queue row (comments.admin.queues) and the "Decide" box of a comment's page.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.admin.decisions import Decisions, ReasonForm, decision_action
from comments.admin.lists import CheckedListAdmin
from comments.models import (
    Comment,
    Discussion,
    MemberNote,
    ModerationRecord,
    Report,
    Restriction,
)
from comments.models.transitions import DECISIONS, KEEP
from comments.owners import registry

MODERATE = "comments.moderate_comment"


class HasReportsFilter(admin.SimpleListFilter):
    title = _("open reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Has open reports")), ("no", _("No open reports"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "no":
            return queryset.filter(open_reports=0)
        return queryset


class PageFilter(admin.SimpleListFilter):
    """The page a comment belongs to (an article now): the 30 most recently active."""

    title = _("page")
    parameter_name = "discussion"

    def lookups(self, request, model_admin):
        recent = Comment.objects.order_by("-created_at").values_list(
            "discussion", flat=True
        )[:500]
        discussions = Discussion.objects.filter(pk__in=recent).select_related(
            *registry.related_names()
        )[:30]
        return [(d.pk, str(_owner(d))) for d in discussions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters(f"page {self.value()!r}")
        return queryset.filter(discussion=int(self.value()))


def identify(comment):
    """Who wrote a comment, as moderators need to know: the name (a member's
    linked to their account) and what identifies them (email, a guest's address)."""
    if comment.author_id:
        url = reverse("admin:accounts_user_change", args=[comment.author_id])
        name = format_html('<a href="{}">{}</a>', url, comment.author.display_name)
        return name, [comment.author.email]
    name = format_html("{} ({})", comment.guest_name, _("guest"))
    return name, [part for part in (comment.guest_email, comment.ip_address) if part]


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
    fields = ["created_at", "reporter", "reason", "note", "resolved_at", "resolved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE)


@admin.register(Comment)
class CommentAdmin(Decisions, CheckedListAdmin):
    list_display = [
        "excerpt",
        "author_info",
        "page",
        "status_and_reason",
        "report_count",
        "created_at",
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
    actions = [decision_action(transition) for transition in DECISIONS]
    inlines = [ModerationRecordInline, ReportInline]
    fields = [
        "in_thread",
        "author_info",
        "author_history",
        "page",
        "replying_to",
        "status",
        "status_reason",
        "public_reason",
        "author_note",
        "created_at",
        "edited_at",
        "body",
    ]
    readonly_fields = fields
    change_form_template = "admin/comments/comment_change_form.html"

    def get_queryset(self, request):
        queryset = (
            self.model._default_manager.get_queryset()
            .select_related(
                "author",
                "public_reason",
                *[f"discussion__{r}" for r in registry.related_names()],
            )
            .annotate(
                open_reports=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True)
                )
            )
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
        name, details = identify(comment)
        return format_html_join(
            mark_safe("<br>"), "{}", ((part,) for part in [name, *details])
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

    def restrict_url(self, comment):
        """The restriction form, filled in for this comment's author: a week's
        suspension of the member, or of the guest's email and address."""
        if comment.author_id:
            who = {"member": comment.author_id}
        else:
            who = {"guest_email": comment.guest_email}
            if comment.ip_address:
                who["ip_address"] = comment.ip_address
        until = timezone.localtime() + timezone.timedelta(days=7)
        query = {"kind": Restriction.Kind.SUSPEND, "until": f"{until:%Y-%m-%dT%H:%M}"}
        return reverse("admin:comments_restriction_add") + "?" + urlencode(query | who)

    def offered(self, comment):
        """The decisions that apply to this comment now, in the table's order."""
        offered = [t for t in DECISIONS if comment.can(t.verb)]
        if comment.can(KEEP.verb) and comment.reports.open().exists():
            offered.insert(0, KEEP)
        return offered

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and self.has_moderate_permission(request):
            context["decisions"] = self.offered(obj)
            context["reason_form"] = ReasonForm()
            context["decide_url"] = self.decide_url(
                obj, filters=request.GET.get("_changelist_filters", "")
            )
            context["restrict_url"] = self.restrict_url(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.display(description=_("status"), ordering="status")
    def status_and_reason(self, comment):
        if not comment.status_reason:
            return comment.get_status_display()
        return format_html(
            "{}<br><small>{}</small>",
            comment.get_status_display(),
            comment.status_reason,
        )

    @admin.display(description=_("page"))
    def page(self, comment):
        return _owner(comment.discussion)

    @admin.display(description=_("open reports"), ordering="open_reports")
    def report_count(self, comment):
        return comment.open_reports

    @admin.display(description=_("on the site"))
    def in_thread(self, comment):
        url = reverse("comments:moderate_in_thread", args=[comment.pk])
        return format_html('<a href="{}">{}</a>', url, _("View in thread"))
