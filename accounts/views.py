from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm


def member(request, pk):
    person = get_object_or_404(get_user_model().objects.filter(is_active=True), pk=pk)
    return render(request, "accounts/member.html", {"person": person})


@login_required
def settings_view(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "bio": user.bio},
    )
    if request.method == "POST" and form.is_valid():
        user.display_name = form.cleaned_data["display_name"]
        user.bio = form.cleaned_data["bio"]
        user.save(update_fields=["display_name", "bio"])
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
