"""The two queues moderators empty: comments held for review, and comments with
open reports. Each row shows the whole comment and carries its own decisions,
so that a moderator decides without leaving the list; the first row's first
decision has the focus when the queue opens, and the next row's after each one.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comments.admin.comments import CommentAdmin, PageFilter, _owner, identify
from comments.admin.decisions import FOCUS
from comments.models import (
    Comment,
    PendingComment,
    RemovalReason,
    Report,
    ReportedComment,
)
from comments.models.transitions import BY_VERB, KEEP


class QueueAdmin(CommentAdmin):
    list_display = ["comment_in_full", "decide"]
    list_display_links = None
    list_filter = [PageFilter, "created_at"]
    row_decisions = []  # verbs offered in each row, where they apply

    def changelist_view(self, request, extra_context=None):
        if FOCUS in request.GET:
            request.GET = request.GET.copy()
            request.queue_focus = request.GET.pop(FOCUS)[-1]
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        """The list, each row given what its decisions need: the reasons to pick
        from, where to send the decision, and whether it has the focus."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)  # evaluated once; the template reuses it
        if not rows:
            return changelist
        reasons = list(RemovalReason.objects.filter(is_active=True))
        asked = getattr(request, "queue_focus", "")
        focus = next((row for row in rows if str(row.pk) == asked), rows[0])
        filters = request.GET.urlencode()
        for row, following in zip(rows, [*rows[1:], None], strict=True):
            row.reasons = reasons
            row.has_focus = row is focus
            row.decide_url = self.decide_url(row, filters=filters, following=following)
            row.change_url = self.change_url(row, filters)
        self.add_row_details(rows)
        return changelist

    def add_row_details(self, rows):
        """What a queue shows of each row besides the comment."""

    def change_url(self, comment, filters):
        """The comment's page within this queue, so that a decision taken there
        comes back to the queue, its filters kept."""
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[comment.pk],
        )
        return (
            f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url
        )

    @admin.display(description=gettext_lazy("comment"))
    def comment_in_full(self, comment):
        meta = [
            format_html("{} {}", _("By"), self.author_line(comment)),
            format_html("{} {}", _("on"), _owner(comment.discussion)),
            date_format(comment.created_at, "DATETIME_FORMAT"),
        ]
        if comment.status_reason:
            meta.append(format_html("<strong>{}</strong>", comment.status_reason))
        links = format_html(
            '<a href="{}">{}</a> <a href="{}">{}</a>',
            comment.change_url,
            _("Context and history"),
            reverse("comments:moderate_in_thread", args=[comment.pk]),
            _("View in thread"),
        )
        return format_html(
            '<div class="queue-comment" id="queue-comment-{}">{}</div>'
            '<p class="queue-meta">{}</p>{}<div class="queue-links">{}</div>',
            comment.pk,
            mark_safe(comment.body_html),  # made by render_markup on save
            format_html_join(mark_safe(" · "), "{}", ((part,) for part in meta)),
            self.row_extra(comment),
            links,
        )

    def row_extra(self, comment):
        return ""

    def author_line(self, comment):
        name, details = identify(comment)
        return format_html("{} ({})", name, ", ".join(details))

    @admin.display(description=gettext_lazy("decide"))
    def decide(self, comment):
        offered = [
            BY_VERB[verb]
            for verb in self.row_decisions
            if comment.can(verb) and hasattr(comment, "decide_url")
        ]
        if not offered:
            return ""
        who = comment.author_name
        buttons = format_html_join(
            "",
            '<button type="submit" class="button" formaction="{}" name="decision" '
            'value="{}" aria-label="{}"{}>{}</button>',
            (
                (
                    comment.decide_url,
                    decision.verb,
                    _("%(decision)s: the comment by %(name)s")
                    % {"decision": decision.label, "name": who},
                    mark_safe(" autofocus") if comment.has_focus and first else "",
                    decision.label,
                )
                for first, decision in zip(
                    [True] + [False] * len(offered), offered, strict=False
                )
            ),
        )
        fields = ""
        if any(decision.asks_reason for decision in offered):
            fields = self.reason_fields(comment)
        return format_html(
            '<div class="queue-decide">{}<div class="queue-buttons">{}</div></div>',
            fields,
            buttons,
        )

    def reason_fields(self, comment):
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((reason.label, reason.label) for reason in comment.reasons),
        )
        return format_html(
            '<label for="reason-{pk}">{reason}</label>'
            '<select id="reason-{pk}" name="reason-{pk}">'
            '<option value="">{pick}</option>{options}</select>'
            '<label for="note-{pk}">{note}</label>'
            '<input type="text" id="note-{pk}" name="note-{pk}" maxlength="1000">',
            pk=comment.pk,
            reason=_("Public reason (to reject or remove)"),
            pick=_("Pick a reason"),
            options=options,
            note=_("Note to the author (optional)"),
        )


@admin.register(PendingComment)
class PendingCommentAdmin(QueueAdmin):
    ordering = ["created_at", "pk"]  # oldest waits longest: first
    row_decisions = ["approve", "reject", "mark_spam"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Comment.Status.PENDING)


@admin.register(ReportedComment)
class ReportedCommentAdmin(QueueAdmin):
    """Comments with reports no moderator has decided on: most reported first."""

    row_decisions = ["keep", "remove", "mark_spam"]

    def get_ordering(self, request):
        return ["-open_reports", "-created_at", "-pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(open_reports__gt=0, status__in=KEEP.sources)
        )

    def add_row_details(self, rows):
        reports = {}
        for report in Report.objects.open().filter(comment__in=rows):
            reports.setdefault(report.comment_id, []).append(report)
        for row in rows:
            row.open_report_list = reports.get(row.pk, [])

    def row_extra(self, comment):
        reports = getattr(comment, "open_report_list", [])
        return format_html(
            '<ul class="queue-reports" aria-label="{}">{}</ul>',
            _("Open reports"),
            format_html_join(
                "",
                "<li>{}{}</li>",
                (
                    (report.get_reason_display(), report.note and f": {report.note}")
                    for report in reports
                ),
            ),
        )
