"""Tells nginx, to the second, until when its shared copy of a page is fresh.

A response that the app lets a shared cache keep (`Cache-Control: public`) is
marked `X-Accel-Expires: @S`, S being the second in which the request began:
nginx serves its copy only until that second ends, so what a reader gets was
begun at most a second earlier, and a new or moderated comment reaches the
next anonymous reader within one second. nginx counts freshness in whole
seconds, so `max-age=1` alone would let a copy live for up to two. nginx takes
the header out before the response leaves it (README, "The cache in front").
"""

import time


class FrontCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        began = int(time.time())
        response = self.get_response(request)
        directives = {
            part.strip().split("=")[0].lower()
            for part in response.get("Cache-Control", "").split(",")
        }
        if "public" in directives and not response.cookies:
            response["X-Accel-Expires"] = f"@{began}"
        return response
