"""When the primary database is down (restarting, failing over), say so: 503
with Retry-After, and give back what the person typed, instead of a 500.

Reads of anonymous readers go on from the replica meanwhile (config/replica.py);
everything that needs the primary lands here. The page is rendered without the
request's context processors, which would ask the database for the session and
the navigation.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from config.views import typed_fields

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        html = render_to_string(
            "503.html",
            {
                "typed": typed_fields(request),
                "was_sending": request.method == "POST",
                "retry_after": RETRY_AFTER_SECONDS,
            },
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
