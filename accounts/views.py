from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import profile_lists
from accounts.avatars import PALETTE, initials_svg, reencoded
from accounts.emails import kind_labels, read_unsubscribe_token
from accounts.forms import EmailChoicesForm, ProfileForm
from accounts.models import EmailChoice, Follow, Mute
from accounts.services import refresh_threads_of
from comments.models import Comment, Discussion
from config.public_cache import public_page

COMMENTS_PER_PAGE = 20


@public_page
def member(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    if person.is_former_member:
        # Their posts may still link here: say what happened, not "not found".
        return render(request, "accounts/former_member.html", status=410)
    if not person.is_active:
        raise Http404
    # What they said where this reader may read it, on any kind of page.
    said = (
        Comment.objects.visible_to(request)
        .published()
        .filter(author=person)
        .with_owners()
        .order_by("-created_at", "-pk")
    )
    page = Paginator(said, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    # What they started (forum topics), each list paged on its own.
    started = []
    for shown in profile_lists.LISTS:
        param = f"{shown.name}_page"
        items = Paginator(shown.items(person, request.user), COMMENTS_PER_PAGE)
        started.append(
            {
                "list": shown,
                "page_obj": items.get_page(request.GET.get(param)),
                "param": param,
            }
        )
    viewer = request.user
    may_mute = viewer.is_authenticated and viewer.pk != person.pk
    return render(
        request,
        "accounts/member.html",
        {
            "person": person,
            "page_obj": page,
            "comments": page.object_list,
            "started": started,
            "may_mute": may_mute,
            "is_muted": may_mute
            and Mute.objects.filter(muter=viewer, muted=person).exists(),
        },
    )


@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def initials(request, letters, colour):
    """The picture of a member without one: drawn from the URL alone, no query."""
    if len(letters) > 2 or colour >= len(PALETTE):
        raise Http404
    return HttpResponse(initials_svg(letters, colour), content_type="image/svg+xml")


@login_required
def settings_view(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"display_name": user.display_name, "bio": user.bio, "role": user.role},
    )
    if request.method == "POST" and form.is_valid():
        save_profile(user, form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:settings")
    muted = user.mutes.select_related("muted").order_by("muted__display_name")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "person": user, "mutes": muted},
    )


def save_profile(user, data):
    """Store the settings form; threads that show this member render afresh
    when something they show changed (name, picture, role)."""
    old_avatar = user.avatar.name
    before = [user.display_name, user.role]
    user.display_name, user.bio, user.role = (
        data["display_name"],
        data["bio"],
        data["role"],
    )
    if data.get("avatar_image") is not None:
        picture = reencoded(data["avatar_image"])
        user.avatar.save(picture.name, picture, save=False)
    elif data["remove_avatar"]:
        user.avatar = ""
    with transaction.atomic():
        user.save(update_fields=["display_name", "bio", "role", "avatar"])
        shown = [user.display_name, user.role]
        if shown != before or user.avatar.name != old_avatar:
            refresh_threads_of(user)
    if old_avatar and old_avatar != user.avatar.name:
        user.avatar.storage.delete(old_avatar)


@login_required
def email_settings(request):
    user = request.user
    form = EmailChoicesForm(request.POST or None, member=user)
    if request.method == "POST" and form.is_valid():
        user.email_choices = form.cleaned_data
        user.save(update_fields=["email_choices"])
        messages.success(request, _("Your email choices were saved."))
        return redirect("accounts:emails")
    return render(request, "accounts/email_settings.html", {"form": form})


# A mail program's one-click unsubscribe (RFC 8058) is a POST from outside the
# site, with no CSRF token; the signed token in the URL is what authorises it.
@csrf_exempt
def unsubscribe(request, token):
    """Stop one kind of email for the member the signed link names, logged in
    or not. GET asks (mail filters open links); POST does it."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "accounts/unsubscribe_invalid.html", status=400)
    member, kinds = found
    done = request.method == "POST"
    if done:
        stopped = dict.fromkeys(kinds, EmailChoice.OFF)
        member.email_choices = {**member.email_choices, **stopped}
        member.save(update_fields=["email_choices"])
    return render(
        request,
        "accounts/unsubscribe.html",
        {"done": done, "kind_label": kind_labels(kinds)},
    )


@require_POST
@login_required
def follow(request, discussion_id):
    """Follow (follow=1) or unfollow (follow=0) a discussion the member can see."""
    discussion = get_object_or_404(
        Discussion.objects.visible_to(request), pk=discussion_id
    )
    if request.POST.get("follow") == "1":
        Follow.objects.get_or_create(member=request.user, discussion=discussion)
        messages.success(request, _("You now follow this discussion."))
    else:
        Follow.objects.filter(member=request.user, discussion=discussion).delete()
        messages.success(request, _("You no longer follow this discussion."))
    return redirect(discussion)


@require_POST
@login_required
def mute(request, pk):
    """Mute (mute=1) or unmute (mute=0) a member, then go back to `next`."""
    person = get_object_or_404(get_user_model(), pk=pk)
    if person.is_former_member:
        # Their posts may still link here: say what happened, not "not found".
        return render(request, "accounts/former_member.html", status=410)
    if not person.is_active:
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, require_https=request.is_secure()
    ):
        back = person.get_absolute_url()
    name = person.display_name
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot mute yourself."))
    elif request.POST.get("mute") == "1":
        Mute.objects.get_or_create(muter=request.user, muted=person)
        messages.success(
            request,
            _(
                "You muted %(name)s: their posts are folded away for you, and "
                "they send you no notifications. Your settings page can undo it."
            )
            % {"name": name},
        )
    else:
        Mute.objects.filter(muter=request.user, muted=person).delete()
        messages.success(request, _("You no longer mute %(name)s.") % {"name": name})
    return redirect(back)
