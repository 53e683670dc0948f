"""A member's data and account: download all of it, or delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import confirmation, member_data
from accounts.adapter import AccountAdapter
from accounts.forms import DeleteAccountForm


@login_required
def account(request):
    """The page of both: the download button and the deletion form, which
    posts here and comes back with its messages beside the fields."""
    member = request.user
    form = DeleteAccountForm(
        request.POST or None, member=member, session=request.session
    )
    if request.method == "POST":
        if confirmation.too_many_tries(member):
            form.add_error(
                None,
                _("Too many wrong tries. Wait a quarter of an hour, then try again."),
            )
        elif form.is_valid():
            member_data.delete_account(
                member, keep_posts=form.cleaned_data["posts"] == member_data.KEEP_POSTS
            )
            logout(request)
            messages.success(request, _("Your account was deleted. Goodbye."))
            return redirect("articles:home")
        elif any(
            request.POST.get(name) for name in {"password", "code"} & set(form.errors)
        ):
            confirmation.count_wrong_try(member)  # a wrong answer, not a blank one
    context = {
        "form": form,
        "needs_code": "code" in form.fields,
        "code_sent": confirmation.has_code(request.session),
    }
    return render(request, "accounts/account.html", context)


@require_POST
@login_required
def export(request):
    """Everything they wrote and everything kept about them, as one JSON file."""
    data = with_full_addresses(member_data.export(request.user), request)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"kindred-{request.user.pk}-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def with_full_addresses(data, request):
    """The file is read away from the site: every "url" becomes a full address."""
    if isinstance(data, dict):
        return {
            key: request.build_absolute_uri(value)
            if key in ("url", "picture") and isinstance(value, str)
            else with_full_addresses(value, request)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [with_full_addresses(value, request) for value in data]
    return data


@require_POST
@login_required
def send_code(request):
    """Email the member a code that confirms the deletion of an account
    without a password."""
    code = confirmation.new_code(request.session)
    AccountAdapter(request).send_mail(
        "accounts/email/confirmation_code",
        request.user.email,
        {"user": request.user, "code": code, "minutes": confirmation.CODE_MINUTES},
    )
    messages.success(request, _("We emailed you a code. Type it below."))
    return redirect("accounts:account")
