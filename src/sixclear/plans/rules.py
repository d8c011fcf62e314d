"""The rules a target must keep, written once: the services, the importer, the admin and the
change approval check a target through these functions.

- References: a resolution and programs of the target's unit or a unit above it, a
  responsible unit in its subtree, a responsible person with an officer role reaching it;
  anything else is "not found", naming nothing.
- Values in range: years, spans, rates and figures bounded so that the yearly path fits what
  is stored, with a clear message rather than an overflow.
- Adoption: once a target is adopted (its resolution adopted, a program carrying it issued,
  or a value of it approved), its defining figures change only by a re-baselining that the
  leaders over its unit decide.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sixclear.orgs.models import ROLE_RANK, Role, Unit
from sixclear.orgs.selectors import ancestor_paths, has_role
from sixclear.references import References, per_field

from .areas import ensure_standard_areas
from .models import (
    Area,
    Program,
    Resolution,
    ResolutionStatus,
    Target,
    area_key,
    target_field_errors,
)
from .trajectory import expected_path

# The figures that define what a target promises: changed after adoption only by re-baselining.
DEFINING_FIELDS = ("baseline_value", "baseline_year", "target_value", "annual_rate",
                   "annual_rate_high", "target_year")
FIRST_YEAR, LAST_YEAR = 1945, 2100
LONGEST_SPAN = 50  # years from baseline to target
LOWEST_RATE, HIGHEST_RATE = Decimal(-100), Decimal(1000)  # % a year
# DecimalField(max_digits=20, decimal_places=4): sixteen digits before the point.
LARGEST_VALUE = Decimal("1e15")
ADOPTED_STATES = (ResolutionStatus.ADOPTED, ResolutionStatus.SUPERSEDED)


def target_reference_choices(unit: Unit) -> dict[str, QuerySet]:
    above = ancestor_paths(unit)
    officer_roles = [r for r in Role.values if ROLE_RANK[r] >= ROLE_RANK[Role.OFFICER]]
    return {
        "resolution": Resolution.objects.filter(unit__path__in=above).order_by("number"),
        "programs": Program.objects.filter(unit__path__in=above).order_by("number"),
        "responsible_unit": Unit.objects.filter(path__startswith=unit.path, is_active=True)
        .order_by("path"),
        "responsible_person": get_user_model().objects.filter(
            Q(memberships__unit__path__in=above) | Q(memberships__unit__path__startswith=unit.path),
            memberships__role__in=officer_roles, memberships__unit__is_active=True,
            is_active=True,
        ).distinct().order_by("username"),
    }


def target_references(unit: Unit) -> References:
    allowed: dict[str, Callable[[], QuerySet]] = {
        name: (lambda queryset=queryset: queryset)  # type: ignore[misc]
        for name, queryset in target_reference_choices(unit).items()}
    return References(allowed)


def target_errors(target: Target, programs: Any = (),
                  references: References | None = None) -> dict[str, Any]:
    """Every broken rule of `target` (and the `programs` it is to serve), as {field: message}.
    The figures' rules name no reference, so they are checked whatever the references."""
    references = references or target_references(target.unit)
    values: dict[str, Any] = {name: getattr(target, name) for name in
                              ("resolution", "responsible_unit", "responsible_person")
                              if getattr(target, f"{name}_id") is not None}
    if programs:
        values["programs"] = list(programs)
    return {**figure_errors(target), **references.errors(values)}


def find_area(name: str) -> Area | None:
    """The active area of the shared list that `name` names: its name in any language, its
    code or one of its other names, whatever the case, spacing, dash or tone-mark place."""
    key = area_key(name)
    ensure_standard_areas()
    for area in Area.objects.filter(is_active=True):
        if key in area.matching_keys():
            return area
    return None


def place_in_area(target: Target) -> dict[str, Any]:
    """Put the target in its area of the shared list, named by `group` (as spreadsheets and
    the API give it), so that every unit's "Xã hội" and "Văn hóa – xã hội" are one area;
    `group` then carries the area's own name. A name of no area is refused, listing them."""
    name = (target.group or "").strip()
    if not name:
        target.area = None
        return {}
    area = find_area(name)
    if area is None:
        names = ", ".join(area.name for area in Area.objects.filter(is_active=True))
        return {"group": _("“%(name)s” is not an area of the shared list (%(areas)s). "
                           "Choose one of them, or ask an administrator to add it.") % {
            "name": name, "areas": names}}
    target.area, target.group = area, area.name
    return {}


def figure_errors(target: Target) -> dict[str, Any]:
    """The target's years, rates and values: in range, right for its kind, with a path that
    fits what is stored."""
    return range_errors(target) or target_field_errors(target) or path_errors(target)


def _too_large(value: Decimal | float | int | None) -> bool:
    if value is None:
        return False
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return not number.is_finite() or abs(number) >= LARGEST_VALUE


def range_errors(target: Target) -> dict[str, Any]:
    """Years, span, rates and values within what a plan can mean and a column can hold."""
    errors: dict[str, Any] = {}
    for name in ("baseline_year", "target_year"):
        year = getattr(target, name)
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors[name] = _("Give a year from %(first)s to %(last)s.") % {
                "first": FIRST_YEAR, "last": LAST_YEAR}
    if not errors and target.baseline_year and target.target_year and (
            target.target_year - target.baseline_year > LONGEST_SPAN):
        errors["target_year"] = _("A target spans at most %(years)s years from its "
                                  "baseline.") % {"years": LONGEST_SPAN}
    for name in ("annual_rate", "annual_rate_high"):
        rate = getattr(target, name)
        if rate is not None and not (LOWEST_RATE < rate <= HIGHEST_RATE):
            errors[name] = _("An annual rate is above −100 %% and at most %(highest)s %%.") % {
                "highest": HIGHEST_RATE}
    for name in ("baseline_value", "target_value"):
        if _too_large(getattr(target, name)):
            errors[name] = _("The value must be smaller than 10¹⁵ in size.")
    return errors


def path_errors(target: Target) -> dict[str, Any]:
    """The computed yearly path must fit what is stored."""
    if target.trajectory_is_custom:
        return {}
    try:
        path = target_path(target)
    except (InvalidOperation, OverflowError):
        path = None
    if path is None or any(_too_large(low) or _too_large(high) for _year, low, high in path):
        field = "annual_rate" if target.annual_rate is not None else "target_value"
        return {field: _("With these figures the yearly path grows beyond what can be "
                         "stored: check the rate, the values and the years.")}
    return {}


def target_path(target: Target) -> list:
    return expected_path(
        kind=target.kind, baseline_value=target.baseline_value,
        baseline_year=target.baseline_year, target_year=target.target_year,
        target_value=target.target_value, annual_rate=target.annual_rate,
        annual_rate_high=target.annual_rate_high, direction=target.direction,
    )


# What a path cannot be computed without.
PATH_NEEDS = ("kind", "baseline_value", "baseline_year", "target_year")


def preview_path(target: Target) -> tuple[list[Any], dict[str, Any]]:
    """The yearly path a save would store for the unsaved `target` as typed, and the figure
    errors that would stop the save: the same rules (`figure_errors`) and the same calculation
    (`target_path`) as `services.create_target` and `update_target`. ([], errors) when the
    path cannot be computed; a figure it needs and lacks is named."""
    missing = {name: _("Needed to compute the path.") for name in PATH_NEEDS
               if getattr(target, name) in (None, "")}
    if missing:
        return [], missing
    errors = figure_errors(target)
    if errors:
        return [], errors
    return target_path(target), {}
def adopted_q(prefix: str = "") -> Q:
    """Resolutions that were adopted: adopted or since superseded (superseding unlocks
    nothing), and any with an adoption date (rows written before the status existed)."""
    return (Q(**{f"{prefix}status__in": ADOPTED_STATES})
            | Q(**{f"{prefix}adopted_on__isnull": False}))


def resolution_is_adopted(resolution: Resolution) -> bool:
    return resolution.status in ADOPTED_STATES or resolution.adopted_on is not None


def may_change_adopted(user: Any, unit: Unit) -> bool:
    """Who changes what adoption fixed: the leaders over the unit (and administrators)."""
    return user.is_authenticated and (user.is_superuser or has_role(user, unit, Role.LEADER))


def may_change_items(user: Any, resolution: Resolution) -> bool:
    """A draft's items change by the managers of its unit; an adopted resolution's only by
    the leaders over it (its content is what was adopted)."""
    if not has_role(user, resolution.unit, Role.MANAGER):
        return False
    return not resolution_is_adopted(resolution) or may_change_adopted(user, resolution.unit)


def is_adopted(target: Target) -> bool:
    """Adopted: its resolution was adopted, a program carrying it was issued, or one of its
    values was approved."""
    if target.pk is None:
        return False
    if target.resolution_id and Resolution.objects.filter(
            adopted_q(), pk=target.resolution_id).exists():
        return True
    if target.programs.filter(issued_on__isnull=False).exists():
        return True
    return target.measurements.filter(status="approved").exists()


def may_rebaseline(user: Any, target: Target) -> bool:
    """The leaders over the target's unit (and system administrators)."""
    return may_change_adopted(user, target.unit)


def held_errors(user: Any, target: Target, changed: set[str]) -> dict[str, Any]:
    """The defining figures of an adopted target that `changed` touches and `user` may not
    change directly, as {field: message pointing to the re-baselining request}."""
    held = [name for name in DEFINING_FIELDS if name in changed]
    if not held or may_rebaseline(user, target) or not is_adopted(target):
        return {}
    message = _("This target is adopted: its %(field)s changes only through a re-baselining "
                "change request that the leaders over its unit decide. Ask for one on the "
                "target's page (Ask for a change).")
    return per_field(Target, held, message)
