"""A person's own settings: the language they read the site in, and how they hear of events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import UserPreference

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
