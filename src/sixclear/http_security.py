"""Middleware that guards every request and response (ASVS V5.1, V8.2, V14.4).

- `RefuseInvalidCharacters`: a NUL byte in the path or the query string is refused with 400
  before any view runs. PostgreSQL cannot store or compare text holding NUL and answered 500
  (`/portal/?q=a%00b`); one check here covers every view, filter and selector. Form and API
  fields are already checked by Django's and DRF's CharField (ProhibitNullCharactersValidator).
- `SecurityHeaders`: a Permissions-Policy on every response, and `Cache-Control: no-store` on
  everything a signed-in person (or an API token) receives: their pages, evidence, reports and
  exports must not stay in a shared or browser cache after they leave. Public pages of the portal
  keep their own caching for anonymous visitors.
- `server_error` (the 500 handler): a database that cannot be reached (restarting, failing
  over) answers 503 with Retry-After, never 500: in the API's error format under /api/, else a
  short translated page that needs no database. The write it interrupted was one transaction,
  rolled back whole by the server. Any other error keeps the 500 page (JSON under /api/).
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
INVALID = "\x00"


def _has_invalid_characters(request):
    if INVALID in request.path:
        return True
    return any(INVALID in key or any(INVALID in value for value in values)
               for key, values in request.GET.lists())


class RefuseInvalidCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_invalid_characters(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("The address holds a character that is not allowed (NUL).")
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"code": "invalid_characters", "message": message, "fields": {}}, status=400)
        return render(request, "400.html", {"reason": message}, status=400)


class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SIXCLEAR_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.SIXCLEAR_PERMISSIONS_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        return response


# SQLite raises OperationalError for its own mistakes too ("no such table"): only these mean
# the database is (for now) out of reach.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")
RETRY_AFTER_SECONDS = "5"


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` says the database cannot be reached now (connection refused or lost,
    server shutting down or starting, SQLite locked), as opposed to a mistake in a query."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is not None and type(cause).__module__.startswith("sqlite3"):
        return any(text in str(cause).lower() for text in SQLITE_UNAVAILABLE)
    return True


def unavailable_response(request):
    """503 for a database out of reach: the API's error format, or a page without the database
    (no header navigation, no session: those need it)."""
    if request.path.startswith(API_PREFIX):
        message = _("The service is briefly unavailable. Try again in a moment: a write that "
                    "was not answered is sent again safely with the same Idempotency-Key.")
        response = JsonResponse({"code": "unavailable", "message": message, "fields": {}},
                                status=503)
    else:
        message = _("The service is briefly unavailable. Try again in a moment.")
        # No request in the context: the context processors would read the session and the
        # header's counts from the database.
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}),
                                status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 handler (`handler500`): Django calls it while handling the exception."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": "server_error", "message": _(
            "Something went wrong on our side; nothing was saved. Try again in a moment."),
            "fields": {}}, status=500)
    return HttpResponseServerError(loader.render_to_string("500.html"))
