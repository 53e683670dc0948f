from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

PER_PAGE = 30


@login_required
def notification_list(request):
    notifications = request.user.notifications.for_list().with_access(request)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/notifications.html",
        {"page_obj": page, "notifications": page.object_list},
    )


@login_required
def open_notification(request, pk):
    """Follow a notification to its comment, which marks it read."""
    notification = get_object_or_404(
        request.user.notifications.with_access(request), pk=pk
    )
    request.user.notifications.filter(pk=pk).mark_read()
    if not notification.can_open:
        messages.info(request, _("This comment is no longer public."))
        return redirect("notifications:list")
    return redirect(notification.comment)


@require_POST
@login_required
def mark_read(request, pk):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    request.user.notifications.filter(pk=notification.pk).mark_read()
    messages.success(request, _("Marked as read."))
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    count = request.user.notifications.mark_read()
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")
