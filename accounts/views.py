from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.services import refresh_threads_of
from articles.models import Article
from comments.models import Comment

RECENT_COMMENTS = 20


def member(request, pk):
    person = get_object_or_404(get_user_model().objects.filter(is_active=True), pk=pk)
    # What they said where everyone can read it: published comments on public pages.
    said = Comment.objects.published().filter(
        author=person, discussion__article__in=Article.objects.published()
    )
    recent = said.select_related("discussion__article").order_by("-created_at")
    return render(
        request,
        "accounts/member.html",
        {
            "person": person,
            "comments": recent[:RECENT_COMMENTS],
            "comment_total": said.count(),
        },
    )


@login_required
def settings_view(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "bio": user.bio},
    )
    if request.method == "POST" and form.is_valid():
        renamed = user.display_name != form.cleaned_data["display_name"]
        user.display_name = form.cleaned_data["display_name"]
        user.bio = form.cleaned_data["bio"]
        with transaction.atomic():
            user.save(update_fields=["display_name", "bio"])
            if renamed:
                refresh_threads_of(user)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
