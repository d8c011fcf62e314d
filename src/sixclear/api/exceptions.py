"""One error shape for the whole API, in the caller's language.

    {"code": "invalid", "message": "Check the fields named below.", "fields": {"deadline": [...]}}

Service errors map to statuses: PermissionDenied → 403 with its reason, ValidationError → 400
naming each field, references.NeedsChangeRequest (an issued task's clear or an adopted target's
figure edited without its authority) → 403 `change_request_required` naming each field,
versioning.StaleEdit → 409. A database out of reach (restarting, failing over) → 503
`unavailable` with Retry-After. Anything unexpected is logged with its traceback
and answered 500 in the same shape, never with an HTML page (unless DEBUG shows the traceback).
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from sixclear.http_security import RETRY_AFTER_SECONDS, database_unavailable
from sixclear.references import NeedsChangeRequest
from sixclear.versioning import StaleEdit

logger = logging.getLogger("sixclear.api")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def error_body(code, message, fields=None):
    return {"code": code, "message": str(message), "fields": fields or {}}


def _messages(value):
    """Any DRF error detail (string, list, dict) as a flat list of strings."""
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _field_errors(detail, prefix=""):
    """{"field": [messages]} from a DRF error dict; nested fields are named with dots."""
    fields = {}
    for key, value in detail.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            fields.update(_field_errors(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    fields.update(_field_errors(item, f"{name}.{index}."))
                elif item:
                    fields.setdefault(name, []).extend(_messages(item))
        else:
            fields[name] = _messages(value)
    return fields


def _validation_response(fields, general):
    general = list(general) + fields.pop(NON_FIELD_ERRORS, []) + fields.pop(
        "non_field_errors", [])
    if general:
        message = " ".join(general)
    else:
        message = _("Some fields are not valid: %(fields)s.") % {"fields": ", ".join(fields)}
    return Response(error_body("invalid", message, fields), status=status.HTTP_400_BAD_REQUEST)


def handle_exception(exc, context):
    if database_unavailable(exc):
        logger.warning("Database unavailable: %r", exc)
        response = Response(error_body("unavailable", _(
            "The service is briefly unavailable. Try again in a moment: a write that was "
            "not answered is sent again safely with the same Idempotency-Key.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    if isinstance(exc, StaleEdit):
        return Response(
            error_body("stale", " ".join(exc.messages)), status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, NeedsChangeRequest):
        # The caller may edit the record but not what its authority fixed: 403, naming the
        # fields and pointing to the change request that can change them.
        fields = dict(exc.message_dict)
        message = " ".join(dict.fromkeys(m for ms in fields.values() for m in ms))
        return Response(error_body("change_request_required", message, fields),
                        status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return _validation_response(dict(exc.message_dict), [])
        return _validation_response({}, exc.messages)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("You may not do this.")
        return Response(error_body("permission_denied", message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None
        view = context.get("view")
        logger.error("Unexpected error in %s", type(view).__name__, exc_info=exc)
        return Response(error_body("server_error", _(
            "Something went wrong on our side; nothing was saved. Try again in a moment.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(exc.detail, dict):
            return _validation_response(_field_errors(exc.detail), [])
        return _validation_response({}, _messages(exc.detail))
    if isinstance(exc, exceptions.NotFound):
        message = _("Not found, or you may not see it.")
    else:
        message = " ".join(_messages(exc.detail))
    codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    code = codes if isinstance(codes, str) else "error"
    response.data = error_body(code, message)
    return response
