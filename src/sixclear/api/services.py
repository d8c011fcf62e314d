"""Personal API tokens: a person creates, lists and revokes their own."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import TOKEN_PREFIX, ApiToken, hash_token, new_token_value

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_token(*, actor: Any, name: str | None,
                 days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token for `actor`. Returns (token, raw value); the raw value is never stored
    and cannot be shown again. `days` None means no expiry."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Name the token after where it is used, e.g. the reporting system.")
    elif len(name) > 100:
        errors["name"] = _("Use at most 100 characters.")
    max_days = settings.SIXCLEAR_API_TOKEN_MAX_DAYS
    if days is not None and not 1 <= int(days) <= max_days:
        errors["days"] = _("A token lasts from 1 to %(max)s days.") % {"max": max_days}
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).filter(
        active_q()).count()
    if active >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("You already have %(count)s active tokens; revoke one first.") % {
            "count": active}
    if errors:
        raise ValidationError(errors)
    raw = new_token_value()
    token = ApiToken.objects.create(
        user=actor, name=name, key_hash=hash_token(raw),
        key_start=raw[: len(TOKEN_PREFIX) + 4],
        expires_at=timezone.now() + datetime.timedelta(days=int(days)) if days else None,
    )
    return token, raw


def active_q() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of one's own tokens; it stops working at once."""
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
