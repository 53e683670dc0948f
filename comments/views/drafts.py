"""A member's unsent drafts, all in one place: each with a way back to its form,
its text to copy (the form may be gone: a closed discussion, an edit past its
time), and a "Discard draft" button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments.models import Draft


@login_required
def drafts(request):
    return render(
        request,
        "comments/drafts.html",
        {"drafts": request.user.drafts.order_by("-updated_at", "-pk")},
    )


@require_POST
@login_required
def discard(request, pk):
    draft = get_object_or_404(Draft.objects.filter(author=request.user), pk=pk)
    draft.delete()
    messages.success(request, _("Your draft was discarded."))
    return redirect("comments:drafts")
