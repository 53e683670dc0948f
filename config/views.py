"""Site-wide views that belong to no app: refused forms (health: config/health.py)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

# What people type in our forms, by field name, with the words to show it under.
# Passwords, tokens and the honeypot are never echoed back.
TYPED_FIELDS = {
    "body": _("Your comment"),
    "name": _("Name"),
    "email": _("Email"),
    "url": _("Website"),
    "note": _("Your note to the moderators"),
    "display_name": _("Display name"),
    "bio": _("About you"),
}


def typed_fields(request):
    """What the person typed in the form they sent, to show back as text."""
    return [
        {"id": f"typed-{name}", "label": label, "value": request.POST[name]}
        for name, label in TYPED_FIELDS.items()
        if request.POST.get(name, "").strip()
    ]


@never_cache
def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (cookies cleared, or the person logged in
    or out in another tab while typing): explain, and give back what they typed so
    that nothing is lost. It is shown as text to copy, never sent on by itself."""
    typed = typed_fields(request)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("articles:home")
    return render(request, "403_csrf.html", {"typed": typed, "back": back}, status=403)
