"""Forgery protection for forms that guests send from pages every reader shares.

A page that anyone may be served from a shared cache cannot carry Django's CSRF
token: the token is different for every request and sets a cookie. So a guest's
form carries none, and the browser tells where the form was sent from instead:
`Sec-Fetch-Site: same-origin` (every current browser sends it), or else an
`Origin` header naming this site. A form sent from another site is refused, its
text given back. Only when a browser sends neither header does the guest need the
cookie token: the form comes back, with the typed text, carrying one.

Members have a session, so their pages are never shared: they keep Django's own
check (cookie and token), as every other form on the site does.
"""

from functools import wraps

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

SAME, OTHER, UNKNOWN = "same", "other", "unknown"


def sent_from(request):
    """Whether the browser says the request came from a page of this site."""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return SAME if site == "same-origin" else OTHER
    origin = request.headers.get("Origin")
    if not origin:
        return UNKNOWN
    scheme = "https" if request.is_secure() else "http"
    ours = f"{scheme}://{request.get_host()}"
    return SAME if origin in (ours, *settings.CSRF_TRUSTED_ORIGINS) else OTHER


def _django_check(request):
    """Django's cookie-and-token check: None when it passes, else its refusal."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})


def guest_form(view):
    """A view whose form guests send from shared pages (module docstring).

    A guest's form from a browser that sent no header and no token is passed to
    the view with `request.csrf_unverified` set: the view shows the form again,
    text kept, with a token, and stores nothing.
    """

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        request.csrf_unverified = False
        if request.method == "POST":
            if request.user.is_authenticated:
                refusal = _django_check(request)
                if refusal is not None:
                    return refusal
            else:
                where = sent_from(request)
                if where == OTHER:
                    failure = import_string(settings.CSRF_FAILURE_VIEW)
                    return failure(request, reason="Sent from another site.")
                if where == UNKNOWN and _django_check(request) is not None:
                    request.csrf_unverified = True
        return view(request, *args, **kwargs)

    return checked
