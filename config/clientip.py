"""The address a request came from, the one helper for rate limits and IP blocks.

Each reverse proxy appends the address it was reached from to X-Forwarded-For,
so with N trusted proxies in front of the site the client is the Nth entry from
the right; anything further left was written by the client and proves nothing.
With no proxy (KINDRED_TRUSTED_PROXIES=0, the default) the header is ignored:
anyone can send it. allauth reads the same count (ALLAUTH_TRUSTED_PROXY_COUNT).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.KINDRED["TRUSTED_PROXIES"]
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        # A request that did not pass through every proxy: the socket's address
        # is the only one that was not typed by the client.
        return remote
    candidate = forwarded[-proxies].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
