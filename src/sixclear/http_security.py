"""Middleware that guards every request and response (ASVS V5.1, V8.2, V14.4).

- `RefuseInvalidCharacters`: a NUL byte in the path or the query string is refused with 400
  before any view runs. PostgreSQL cannot store or compare text holding NUL and answered 500
  (`/portal/?q=a%00b`); one check here covers every view, filter and selector. Form and API
  fields are already checked by Django's and DRF's CharField (ProhibitNullCharactersValidator).
- `SecurityHeaders`: a Permissions-Policy on every response, and `Cache-Control: no-store` on
  everything a signed-in person (or an API token) receives: their pages, evidence, reports and
  exports must not stay in a shared or browser cache after they leave. Public pages of the portal
  keep their own caching for anonymous visitors.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
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
