from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from comments import rendering
from comments.models import Comment, Report
from comments.services import report_comment
from comments.views.notices import tell_beside


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "note"]
        widgets = {
            "reason": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "reason": gettext_lazy("What is wrong with this comment?"),
            "note": gettext_lazy("Anything the moderators should know (optional)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No "---------" choice, and so none chosen until the reader picks one.
        self.fields["reason"].choices = Report.Reason.choices


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    comment = get_object_or_404(
        Comment.objects.published()
        .visible_to(request)
        .select_related("author", "discussion"),
        pk=pk,
    )
    if comment.author_id == request.user.pk:
        messages.info(
            request, _("This is your own comment: you can edit or delete it.")
        )
        return redirect(comment.get_absolute_url())
    earlier = Report.objects.filter(comment=comment, reporter=request.user).first()
    if earlier is not None:
        messages.info(request, report_state(earlier.resolved_at is not None))
        return redirect(comment.get_absolute_url())
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        received = report_comment(
            comment=comment, reporter=request.user, **form.cleaned_data
        )
        if received:
            message = _(
                "Thank you: your report was received. A "
                "moderator will look at this comment."
            )
        else:
            message = _(
                "You have already reported this comment; the "
                "moderators have your report."
            )
        tell_beside(request, comment, message)
        return redirect(comment.get_absolute_url())
    return render(request, "comments/report.html", {"comment": comment, "form": form})


def report_state(reviewed):
    """What a member who reported a comment is told of their report: whether a
    moderator has reviewed it, never what was decided or by whom."""
    if reviewed:
        return _("A moderator has reviewed your report on this comment. Thank you.")
    return _(
        "You have already reported this comment; a moderator will review your report."
    )


def report_tools(request, discussion):
    """For signed-in members, what goes at each comment of `discussion` that is
    not theirs: a Report link, or, where they reported it, whether their report
    was reviewed. One query; None for anonymous readers."""
    if not request.user.is_authenticated:
        return None
    reported = dict(
        Report.objects.filter(
            reporter=request.user, comment__discussion=discussion
        ).values_list("comment_id", "resolved_at")
    )
    pattern = reverse("comments:report", args=[rendering.SAMPLE_ID]).replace(
        str(rendering.SAMPLE_ID), "{}"
    )
    label, hint = _("Report"), _("this comment to the moderators")
    states = {
        reviewed: format_html(
            '<li class="report-state">{}</li>', report_state(reviewed)
        )
        for reviewed in (False, True)
    }

    def tools(pk):
        if pk in reported:
            return states[reported[pk] is not None]
        return (
            f'<li><a href="{pattern.format(pk)}">{label}'
            f'<span class="visually-hidden"> {hint}</span></a></li>'
        )

    return tools


@permission_required("comments.moderate_comment", raise_exception=True)
def in_thread(request, pk):
    """For moderators: the comment in its thread, whatever its status."""
    comment = get_object_or_404(Comment.objects.visible_to(request), pk=pk)
    url = reverse("comments:permalink", args=[comment.pk])
    return redirect(f"{url}?moderation=on")
