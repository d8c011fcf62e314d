"""`Idempotency-Key` on POST: a retried request replays the first response.

The key is claimed with an INSERT under a unique constraint (person, key) in the same
transaction as the write it guards. A concurrent retry therefore waits for the first request to
commit and then replays its response (PostgreSQL), or is serialized behind it (SQLite takes the
write lock when the transaction begins); when the first request fails, its claim is rolled back
with everything else and the retry runs afresh.
"""

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import IdempotencyKeyReused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def lifetime():
    return datetime.timedelta(hours=settings.SIXCLEAR_API_IDEMPOTENCY_HOURS)


def fingerprint(request):
    payload = json.dumps(
        [request.method, request.path, request.data], sort_keys=True, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _key(request):
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError({HEADER: [_(
            "An idempotency key is 1 to %(max)s printable characters.") % {
            "max": MAX_KEY_LENGTH}]})
    return key


def _replay(record):
    headers = {REPLAY_HEADER: "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(record.body, status=record.status_code, headers=headers)


def run(request, handler):
    """Run `handler` once per (person, key); replay its response to later identical requests."""
    key = _key(request)
    if key is None or not request.user.is_authenticated:
        return handler()
    digest = fingerprint(request)
    with transaction.atomic():
        IdempotencyKey.objects.filter(
            user=request.user, key=key, created_at__lt=timezone.now() - lifetime()
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, fingerprint=digest, status_code=0
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=request.user, key=key)
            if record.fingerprint != digest:
                raise IdempotencyKeyReused(_(
                    "This Idempotency-Key was already used for a different request. Use a new "
                    "key for a new request; resend the same body to retry the first one."
                )) from None
            return _replay(record)
        response = handler()
        record.status_code = response.status_code
        record.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        record.location = response.headers.get("Location", "")[:500]
        record.save(update_fields=["status_code", "body", "location"])
        return response


def idempotent(method):
    """Decorate a viewset's POST handler (create or an action) to honour Idempotency-Key."""

    @functools.wraps(method)
    def wrapper(self, request, *args, **kwargs):
        return run(request, lambda: method(self, request, *args, **kwargs))

    return wrapper


def purge_expired(now=None):
    """Delete keys older than their lifetime; returns how many."""
    now = now or timezone.now()
    deleted, _types = IdempotencyKey.objects.filter(created_at__lt=now - lifetime()).delete()
    return deleted
