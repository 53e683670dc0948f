"""allauth made Kindred's: the site its emails name, and the login form.

The name and domain come from settings (KINDRED_SITE_NAME, KINDRED_SITE_DOMAIN)
rather than from django.contrib.sites: that app would keep them in a database row
that a migration or an admin must fill in and keep in step with the environment,
and it would cost a query per email, for two values that never change while the
site runs. allauth asks its adapter for everything it sends, so the adapter is the
one place to say it.
"""

from typing import NamedTuple

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Site(NamedTuple):
    name: str
    domain: str


def current_site(request):
    """The site as emails name it; the host the request came to when
    KINDRED_SITE_DOMAIN is unset (development)."""
    domain = settings.SITE_DOMAIN or (request.get_host() if request else "")
    return Site(name=settings.SITE_NAME, domain=domain)


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        site = current_site(self.request)
        super().send_mail(
            template_prefix,
            email,
            {**context, "current_site": site, "site_name": site.name},
        )

    def get_reauthentication_methods(self, user):
        # "Passkey", the word the site uses, rather than allauth's "security key".
        words = {
            "reauthenticate": _("Use my password"),
            "mfa_reauthenticate:webauthn": _("Use my passkey"),
        }
        methods = super().get_reauthentication_methods(user)
        return [
            {**m, "description": words.get(m["id"], m["description"])} for m in methods
        ]

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Each notice says what to do when the change was not the member's own.
        reset = build_absolute_uri(self.request, reverse("account_reset_password"))
        context = {**(context or {}), "password_reset_url": reset}
        super().send_notification_mail(template_prefix, user, context, email)


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self):
        # The name a passkey dialog shows: the site's, not its host's.
        return {
            **super().get_public_key_credential_rp_entity(),
            "name": settings.SITE_NAME,
        }


# Here rather than in accounts/forms.py: allauth's forms import that module (our
# SignupForm is ACCOUNT_SIGNUP_FORM_CLASS), so it cannot import them back.
class LoginForm(AllauthLoginForm):
    """Remember me is ticked: most people log in on their own device, and being
    asked again on every visit is what makes them give up. The link for a forgotten
    password moves out of the password's help text (read before the field, in the
    tab order between email and password) to after the form's button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        self.fields["remember"].label = _("Remember me")
        self.fields["remember"].initial = True
