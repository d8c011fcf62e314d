"""A person's own settings: the language they read the site in, and how they hear of events."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sixclear.orgs.models import Membership, Role

from .models import SecondFactorEvent, UserPreference

security_log = logging.getLogger("sixclear.security")

# The session remembers the person's language so it is applied on every request without a
# query; it is filled at sign-in and whenever the person changes language.
LANGUAGE_SESSION_KEY = "sixclear_language"


def available_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def preferred_language(user: Any) -> str | None:
    """The language the person chose, or None when they never chose one."""
    if not user.is_authenticated:
        return None
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return language if language in available_languages() else None


def remember_language(*, actor: Any, language: str) -> str:
    """Keep `language` as the person's choice; only the site's languages are accepted."""
    if language not in available_languages():
        raise ValidationError({"language": _("This language is not available.")})
    UserPreference.objects.update_or_create(user=actor, defaults={"language": language})
    return language


def email_at_once(user: Any) -> bool:
    """Whether the person chose to be e-mailed at once (default: the daily digest only)."""
    return bool(UserPreference.objects.filter(user=user, email_at_once=True).exists())


def choose_email_at_once(*, actor: Any, at_once: bool) -> bool:
    """Keep how the person wants to hear of what happens to their work: at once by e-mail,
    or only in the daily digest. Each person sets only their own."""
    UserPreference.objects.update_or_create(user=actor, defaults={"email_at_once": at_once})
    return at_once


# --- the second factor: TOTP with recovery codes (django-otp) ---

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_CODES_NAME = "recovery codes"
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")

# Who else must have a second factor, told by the apps above this one (reports: the people
# designated to sign a unit's reports); each check takes a user and answers yes or no.
_requirements: list[Callable[[Any], bool]] = []


def require_second_factor_when(check: Callable[[Any], bool]) -> None:
    """Register a check that makes a person hold a second factor (called from AppConfig.ready)."""
    if check not in _requirements:
        _requirements.append(check)


def holds_powerful_post(user: Any) -> bool:
    """Whether the person administers the system or a unit, leads one, or signs for one:
    Django staff and superusers, administrators and leaders of any unit, and whoever a higher
    app registered (`require_second_factor_when`)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.LEADER]).exists():
        return True
    return any(check(user) for check in _requirements)


def second_factor_required(user: Any) -> bool:
    """Whether the person must set up a second factor before using the site: their post asks
    for one and `SIXCLEAR_REQUIRE_SECOND_FACTOR` is on (the default in production)."""
    return bool(settings.SIXCLEAR_REQUIRE_SECOND_FACTOR) and holds_powerful_post(user)


def authenticator(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: Any) -> bool:
    return bool(user.is_authenticated
                and TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def record_event(user: Any, kind: str, address: str | None = None) -> SecondFactorEvent:
    """Append an event to the person's second-factor log (and so to the audit chain)."""
    event = SecondFactorEvent.objects.create(user=user, kind=kind, address=address or None)
    if kind in (SecondFactorEvent.Kind.REFUSED, SecondFactorEvent.Kind.THROTTLED):
        security_log.warning("second factor %s for user %s from %s", kind, user.pk, address)
    return event


def normalise_code(code: str) -> str:
    """What a person typed, without spaces or dashes ("123 456", "abcd-efgh") and in lower
    case, as the codes are stored."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def _wait_message(data: dict[str, Any] | None) -> str:
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) \
        if locked_until else 1
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.", seconds,
    ) % {"seconds": seconds}


def _check_code(device: Device, code: str, *, address: str | None) -> None:
    """Let the device check the code under its throttle (each wrong code doubles the wait
    before the next one is looked at), record what happened, and raise when refused."""
    with transaction.atomic():
        # Locking the device row makes concurrent guesses take their turn under the throttle.
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            record_event(device.user, SecondFactorEvent.Kind.THROTTLED, address)
            message = _wait_message(data)
        elif device.verify_token(code):
            return
        else:
            record_event(device.user, SecondFactorEvent.Kind.REFUSED, address)
            message = _("This code is not right. Check the time on your phone and try again.")
    raise ValidationError({"code": message})


def _new_recovery_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def start_enrolment(*, actor: Any) -> TOTPDevice:
    """The authenticator the person is setting up: a new secret, kept (unconfirmed) until they
    confirm it with a code, so reopening the page shows the same one."""
    if has_second_factor(actor):
        raise ValidationError(_("You already have a second factor."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def confirm_enrolment(*, actor: Any, code: str, address: str | None = None) -> tuple[
        TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code it shows; returns it and the ten
    recovery codes, which are shown to the person once."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None or has_second_factor(actor):
        raise ValidationError({"code": _("Open the set-up page again to get a new secret.")})
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        raise ValidationError({"code": _("Enter the 6-digit code your app shows.")})
    _check_code(device, code, address=address)
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(actor)
        record_event(actor, SecondFactorEvent.Kind.ENROLLED, address)
    return device, codes


def verify_second_factor(*, actor: Any, code: str, address: str | None = None) -> Device:
    """Check a code given after signing in: the 6 digits of the authenticator, or one of the
    recovery codes, which is then used up. Returns the device that accepted it."""
    code = normalise_code(code)
    device: Device | None
    if TOTP_CODE.fullmatch(code):
        device = authenticator(actor)
    elif RECOVERY_CODE.fullmatch(code):
        device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
    else:
        raise ValidationError({"code": _(
            "Enter the 6-digit code your app shows, or one of your recovery codes.")})
    if device is None or not has_second_factor(actor):
        record_event(actor, SecondFactorEvent.Kind.REFUSED, address)
        raise ValidationError({"code": _(
            "This code is not right. Check the time on your phone and try again.")})
    _check_code(device, code, address=address)
    kind = (SecondFactorEvent.Kind.RECOVERY_USED if isinstance(device, StaticDevice)
            else SecondFactorEvent.Kind.VERIFIED)
    record_event(actor, kind, address)
    return device


def _check_current_code(actor: Any, code: str, address: str | None) -> None:
    device = authenticator(actor)
    if device is None:
        raise ValidationError(_("You have no second factor."))
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        raise ValidationError({"code": _("Enter the 6-digit code your app shows.")})
    _check_code(device, code, address=address)


def renew_recovery_codes(*, actor: Any, code: str, address: str | None = None) -> list[str]:
    """New recovery codes for the person, who proves it is them with a current code; the old
    ones stop working."""
    _check_current_code(actor, code, address)
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        record_event(actor, SecondFactorEvent.Kind.CODES_RENEWED, address)
    return codes


def remove_second_factor(*, actor: Any, code: str, address: str | None = None) -> None:
    """Remove the person's authenticator and recovery codes, proven with a current code;
    refused when their post requires a second factor."""
    if second_factor_required(actor):
        raise ValidationError(_(
            "Your post requires a second factor, so it cannot be removed."))
    _check_current_code(actor, code, address)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        record_event(actor, SecondFactorEvent.Kind.REMOVED, address)
