"""Writes to the organisation tree and its memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sixclear.versioning import claim_version

from .models import Membership, Role, Unit
from .selectors import has_role


def _require_admin_of(actor: Any, unit: Unit | None) -> None:
    if unit is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("Only a system administrator can create a top-level unit."))
    elif not has_role(actor, unit, Role.ADMIN):
        raise PermissionDenied(_("You need the administrator role in this unit."))


@transaction.atomic
def create_unit(*, actor: Any, parent: Unit | None, code: str, name: str, kind: str) -> Unit:
    """Create a unit under `parent` (or a root when `parent` is None). Codes are unique."""
    _require_admin_of(actor, parent)
    code = code.strip()
    if not code or not name.strip():
        raise ValidationError(_("A unit needs a code and a name."))
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(_("A unit with code %(code)s already exists.") % {"code": code})
    fields = {"code": code, "name": name.strip(), "kind": kind}
    if parent is None:
        return Unit.objects.add_root(fields)
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)


@transaction.atomic
def move_unit(*, actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    """Re-parent a unit with its subtree (communes are merged and moved between provinces)."""
    _require_admin_of(actor, unit)
    _require_admin_of(actor, new_parent)
    unit = Unit.objects.get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or its own sub-unit."))
    Unit.objects.move(unit, new_parent, "sorted-child")
    return Unit.objects.get(pk=unit.pk)


@transaction.atomic
def grant_role(*, actor: Any, user: Any, unit: Unit, role: str,
               title: str = "") -> Membership:
    """Give `user` a role in `unit`, replacing any role they held there."""
    _require_admin_of(actor, unit)
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, defaults={"role": role, "title": title}
    )
    if not created and (membership.role, membership.title) != (role, title):
        claim_version(membership, membership.version)
        membership.role, membership.title = role, title
        membership._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
        membership.save()
    forget_cached_roles(user)
    return membership


@transaction.atomic
def revoke_role(*, actor: Any, membership: Membership) -> None:
    _require_admin_of(actor, membership.unit)
    membership._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    membership.delete()
    forget_cached_roles(membership.user)


def forget_cached_roles(user: Any) -> None:
    """Drop the per-request cache of a user's unit paths after their roles change."""
    user.__dict__.pop("_sixclear_paths", None)
