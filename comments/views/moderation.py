from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from comments.models import Comment, Report
from comments.services import report_comment


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


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    comment = get_object_or_404(
        Comment.objects.published().select_related("author", "discussion"), pk=pk
    )
    if comment.author_id == request.user.pk:
        messages.info(
            request, _("This is your own comment: you can edit or delete it.")
        )
        return redirect(comment.get_absolute_url())
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        received = report_comment(
            comment=comment, reporter=request.user, **form.cleaned_data
        )
        if received:
            messages.success(
                request,
                _(
                    "Thank you: your report was received. A "
                    "moderator will look at this comment."
                ),
            )
        else:
            messages.info(
                request,
                _(
                    "You have already reported this comment; the "
                    "moderators have your report."
                ),
            )
        return redirect(comment.get_absolute_url())
    return render(request, "comments/report.html", {"comment": comment, "form": form})


@permission_required("comments.moderate_comment", raise_exception=True)
def in_thread(request, pk):
    """For moderators: the comment in its thread, whatever its status."""
    comment = get_object_or_404(Comment.objects.select_related("discussion"), pk=pk)
    url = reverse("comments:permalink", args=[comment.pk])
    return redirect(f"{url}?moderation=on")
