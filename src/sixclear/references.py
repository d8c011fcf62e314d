"""Checking the rows a write points at: one answer for "does not exist" and "not for you".

A service knows, for each reference a caller can set (a lead unit, an owner, a resolution, …),
the rows it may point at: those the caller may see that belong where the record belongs. A
reference outside that set is refused with the same words whether the row exists elsewhere or
not at all, so that an error never tells a caller about another commune's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

NOT_FOUND = _("Not found among the items you may choose here.")


def _ids(value: Any) -> set[int]:
    if value is None:
        return set()
    if isinstance(value, Model):
        return {value.pk}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return {item.pk if isinstance(item, Model) else int(item) for item in value}
    return {int(value)}


class References:
    """The rows each reference may point at, with what was already checked remembered (an
    import checks thousands of rows that name the same few people and units)."""

    def __init__(self, allowed: Mapping[str, Callable[[], QuerySet]]):
        self._allowed = allowed
        self._known: dict[str, dict[int, bool]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._allowed

    def allows(self, name: str, value: Any) -> bool:
        ids = _ids(value)
        known = self._known.setdefault(name, {})
        unknown = ids - known.keys()
        if unknown:
            found = set(self._allowed[name]().filter(pk__in=unknown)
                        .values_list("pk", flat=True))
            known.update({pk: pk in found for pk in unknown})
        return all(known[pk] for pk in ids)

    def errors(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """{field: NOT_FOUND} for each value that points outside what its field allows."""
        return {name: NOT_FOUND for name, value in values.items()
                if name in self._allowed and not self.allows(name, value)}


def per_field(model: type[Model], names: Iterable[str], message: str) -> dict[str, str]:
    """{field: `message` with %(field)s as the field's name in the reader's language}."""
    return {name: message % {"field": model._meta.get_field(name).verbose_name}  # type: ignore[union-attr]
            for name in names}


class NeedsChangeRequest(ValidationError):
    """A committed value (an issued task's clear, an adopted target's defining figure) edited
    by someone without the authority to change it: it goes through a change request."""

    def __init__(self, errors: Mapping[str, Any]):
        super().__init__(dict(errors), code="change_request_required")
