"""Who may see and do what, by unit.

A membership gives a role in a unit, and the role reaches the unit's whole subtree. Superior
units therefore read their subtree; sibling units see nothing of each other.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from .models import ROLE_RANK, Membership, Role, Unit


def roles_of(user: Any) -> tuple[tuple[Unit, str], ...]:
    """The person's roles in active units, (unit, role) in tree order, read once per request
    (cached on the user, with the paths below): every signed-in page asks for them several
    times (what they may see, the header's units and approvals badge) and one query answers
    all of these."""
    if not user.is_authenticated:
        return ()
    cache = user.__dict__.setdefault("_sixclear_paths", {})
    if "roles" not in cache:
        cache["roles"] = tuple(
            (membership.unit, membership.role)
            for membership in Membership.objects.filter(user=user, unit__is_active=True)
            .select_related("unit").order_by("unit__path"))
    return cache["roles"]


def membership_paths(user: Any, minimum: str = Role.VIEWER) -> tuple[str, ...]:
    """Tree paths of the units where `user` holds at least `minimum`, cached on the user."""
    if not user.is_authenticated:
        return ()
    cache = user.__dict__.setdefault("_sixclear_paths", {})
    if minimum not in cache:
        cache[minimum] = tuple(unit.path for unit, role in roles_of(user)
                               if ROLE_RANK.get(role, -1) >= ROLE_RANK[minimum])
    return cache[minimum]


def sees_everything(user: Any) -> bool:
    return user.is_authenticated and user.is_superuser


def scope_q(user: Any, *unit_fields: str, minimum: str = Role.VIEWER) -> Q:
    """A filter keeping rows whose unit (through any of `unit_fields`) the user may see.

    `unit_fields` are lookups to a Unit, e.g. "lead_unit" or "target__unit"; "" is the Unit
    itself.
    """
    if sees_everything(user):
        return Q()
    query = Q(pk__in=[])
    for path in membership_paths(user, minimum):
        for field in unit_fields:
            lookup = f"{field}__path__startswith" if field else "path__startswith"
            query |= Q(**{lookup: path})
    return query


def visible_units(user: Any) -> QuerySet[Unit]:
    """Every unit the user may read: the subtrees of the units where they hold a role."""
    return Unit.objects.filter(scope_q(user, "")).order_by("path")


def role_in_unit(user: Any, unit: Unit) -> str | None:
    """The strongest role that reaches `unit` from itself or an ancestor, or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    roles = Membership.objects.filter(
        user=user, unit__path__in=ancestor_paths(unit), unit__is_active=True
    ).values_list("role", flat=True)
    return max(roles, key=ROLE_RANK.__getitem__, default=None)


def has_role(user: Any, unit: Unit, minimum: str) -> bool:
    """True when the user's role reaching `unit` is at least `minimum`."""
    role = role_in_unit(user, unit)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def can_see_unit(user: Any, unit: Unit) -> bool:
    return has_role(user, unit, Role.VIEWER)


def require_role(user: Any, unit: Unit, minimum: str) -> None:
    """Raise PermissionDenied unless the user's role reaching `unit` is at least `minimum`."""
    if not has_role(user, unit, minimum):
        raise PermissionDenied(
            gettext("You need the role “%(role)s” in %(unit)s to do this.")
            % {"role": Role(minimum).label, "unit": unit.name}
        )


def reaches_unit(user: Any, unit: Unit, minimum: str = Role.VIEWER) -> bool:
    """Like `has_role`, from the user's cached membership paths: no query after the first.

    Pages use it to decide which actions to offer; services still check with `require_role`.
    """
    if sees_everything(user):
        return True
    return any(unit.path.startswith(path) for path in membership_paths(user, minimum))


def units_of(user: Any) -> QuerySet[Unit]:
    """The units where the person holds a role, for their navigation; the roots for a system
    administrator without memberships."""
    if not user.is_authenticated:
        return Unit.objects.none()
    units = Unit.objects.filter(
        memberships__user=user, is_active=True
    ).distinct().order_by("path")
    if sees_everything(user) and not units.exists():
        return Unit.objects.filter(depth=1, is_active=True).order_by("path")
    return units


def own_units(user: Any) -> list[Unit]:
    """`units_of` as a list, from the roles already read for the request (`roles_of`): the
    header's units on every page, without a query of their own for a person with a role."""
    units = [unit for unit, _role in roles_of(user)]
    if units or not sees_everything(user):
        return units
    return list(units_of(user))


def unit_trail(user: Any, unit: Unit | None) -> list[tuple[Unit, bool]]:
    """The way from the root down to `unit`, as (unit, may_open) pairs for a breadcrumb.

    Units above the person's own are named but not linked: they may not open them.
    """
    if unit is None:
        return []
    chain = [*Unit.objects.get_ancestors(unit), unit]
    return [(node, reaches_unit(user, node)) for node in chain]


def sub_units(unit: Unit) -> QuerySet[Unit]:
    """The direct children of a unit, in their tree order.

    Found by path and depth rather than treebeard's get_children, which trusts the child count
    stored on the instance and so finds none on an instance read before a child was added.
    """
    return Unit.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1, is_active=True).order_by("path")


def ancestor_paths(unit: Unit) -> list[str]:
    """The paths of `unit` and every unit above it, root first."""
    return [unit.path[: unit.steplen * depth] for depth in range(1, unit.depth + 1)]
