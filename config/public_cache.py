"""Pages a shared cache may keep: the anonymous reader's copy of a public page.

A view marked with @public_page (home, lists, articles, the forums, profiles)
renders the same bytes for every anonymous reader: no cookie, no nonce, no token
(README, "Pages every reader can share"). For a GET of such a page by a reader
who sends no cookie of ours (a CSRF cookie alone changes nothing on these pages)
and whose response sets none, PublicCacheMiddleware adds

- `Cache-Control: public, max-age=1`: a shared cache may keep it for a second,
  so a new or moderated comment reaches the next reader within one;
- `ETag` (a hash of the bytes) and `Last-Modified` (when this URL first answered
  these bytes), and answers `If-None-Match` / `If-Modified-Since` with 304;
- `Vary: Cookie`: a member's request is never answered with the shared copy.

Everyone else (a session, a guest's remembered name, a page that set a cookie)
gets `Cache-Control: private, no-cache`, unless the view said otherwise.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

MAX_AGE = 1
# Cookies that leave a public page as it is for everyone.
HARMLESS_COOKIES = {settings.CSRF_COOKIE_NAME}
# How long the first answer of a URL's bytes is remembered (for Last-Modified).
REMEMBER_SECONDS = 24 * 60 * 60


def public_page(view):
    """Mark a view whose anonymous GET is the same for every reader."""
    view.public_page = True
    return view


def _shareable(request, response):
    return (
        getattr(request, "public_page", False)
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not set(request.COOKIES) - HARMLESS_COOKIES
    )


def first_answered(request, etag):
    """When this URL first answered the bytes tagged `etag`, in whole seconds:
    a later change always gets a later time, so If-Modified-Since cannot take
    new bytes for old ones answered in the same second."""
    # Hashed: an address can be longer than any cache allows a key to be.
    url = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False)
    key = f"kindred:public:{url.hexdigest()}"
    known = cache.get(key)
    if known and known[0] == etag:
        return known[1]
    moment = datetime.now(UTC).replace(microsecond=0)
    if known and moment <= known[1]:
        moment = known[1] + timedelta(seconds=1)
    cache.set(key, (etag, moment), REMEMBER_SECONDS)
    return moment


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _shareable(request, response):
            return self.share(request, response)
        if not response.has_header("Cache-Control") and (
            getattr(request, "public_page", False)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.public_page = getattr(view_func, "public_page", False)

    def share(self, request, response):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        set_response_etag(response)
        modified = first_answered(request, response["ETag"])
        response["Last-Modified"] = http_date(modified.timestamp())
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=modified.timestamp(),
            response=response,
        )
