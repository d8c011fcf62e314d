"""Writes to resolutions, programs and targets. Each takes the acting user as `actor`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import require_role
from sixclear.versioning import claim_version

from .models import (
    Program,
    Resolution,
    ResolutionItem,
    Target,
    TrajectoryPoint,
    target_field_errors,
)
from .trajectory import expected_path

TARGET_EDITABLE_FIELDS = {
    "code", "name", "group", "kind", "direction", "unit_of_measure", "baseline_value",
    "baseline_year", "target_value", "annual_rate", "annual_rate_high", "target_year",
    "responsible_unit", "responsible_person", "resolution",
}


def _save(instance, actor):
    instance._history_user = actor
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def create_resolution(*, actor, unit, number, title, term_start, term_end, **fields):
    """A manager of `unit` records a resolution it adopted for a term."""
    require_role(actor, unit, Role.MANAGER)
    resolution = Resolution(
        unit=unit, number=number, title=title, term_start=term_start, term_end=term_end, **fields
    )
    if term_end < term_start:
        raise ValidationError({"term_end": _("The term must end after it starts.")})
    return _save(resolution, actor)


@transaction.atomic
def add_resolution_item(*, actor, resolution, kind, title, text=""):
    """Append a viewpoint, breakthrough or task group at the end of its list."""
    require_role(actor, resolution.unit, Role.MANAGER)
    last = (
        ResolutionItem.objects.filter(resolution=resolution, kind=kind)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    item = ResolutionItem(
        resolution=resolution, kind=kind, position=(last or 0) + 1, title=title, text=text
    )
    return _save(item, actor)


@transaction.atomic
def create_program(*, actor, unit, kind, number, title, period_start, period_end, **fields):
    """A program, plan, meeting conclusion or decision of `unit`."""
    require_role(actor, unit, Role.MANAGER)
    resolution = fields.get("resolution")
    if resolution is not None and not unit.path.startswith(resolution.unit.path):
        raise ValidationError(
            {"resolution": _("A program can only carry out a resolution of its unit or above.")}
        )
    program = Program(
        unit=unit, kind=kind, number=number, title=title,
        period_start=period_start, period_end=period_end, **fields,
    )
    return _save(program, actor)


def _check_target(target, programs=()):
    errors = target_field_errors(target)
    if target.resolution_id and not target.unit.path.startswith(target.resolution.unit.path):
        errors["resolution"] = _("Choose a resolution of %(unit)s or a unit above it.") % {
            "unit": target.unit.name}
    foreign = [p for p in programs if not target.unit.path.startswith(p.unit.path)]
    if foreign:
        errors["programs"] = _("Choose programs of %(unit)s or a unit above it: %(numbers)s") % {
            "unit": target.unit.name, "numbers": ", ".join(p.number for p in foreign)}
    if errors:
        raise ValidationError(errors)


def store_trajectory(target):
    """Recompute and store the yearly path of a target whose path is not drawn by hand."""
    if target.trajectory_is_custom:
        return
    path = expected_path(
        kind=target.kind,
        baseline_value=target.baseline_value,
        baseline_year=target.baseline_year,
        target_year=target.target_year,
        target_value=target.target_value,
        annual_rate=target.annual_rate,
        annual_rate_high=target.annual_rate_high,
    )
    TrajectoryPoint.objects.filter(target=target).delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(target=target, year=year, expected_value=low, expected_high=high)
        for year, low, high in path
    )


@transaction.atomic
def create_target(*, actor, unit, programs=(), **fields):
    """Create a target of `unit`, linked to any number of programs, and compute its path."""
    require_role(actor, unit, Role.MANAGER)
    target = Target(unit=unit, **fields)
    _check_target(target, programs)
    _save(target, actor)
    if programs:
        target.programs.set(programs)
    store_trajectory(target)
    _keep_figures(target)
    return target


def _keep_figures(target):
    # The target's status and its unit's dashboard rollup follow the write.
    from sixclear.dashboards.upkeep import after_target_change

    after_target_change(target)


@transaction.atomic
def update_target(*, actor, target, expected_version, **changes):
    """Change a target's fields. Re-baselining later goes through a change request."""
    require_role(actor, target.unit, Role.MANAGER)
    unknown = set(changes) - TARGET_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {
            "f": ", ".join(sorted(unknown))})
    claim_version(target, expected_version)
    for name, value in changes.items():
        setattr(target, name, value)
    _check_target(target)
    _save(target, actor)
    store_trajectory(target)
    _keep_figures(target)
    return target


@transaction.atomic
def draw_trajectory(*, actor, target, expected_version, points):
    """Replace the computed path with one drawn by hand: `points` is {year: value}."""
    require_role(actor, target.unit, Role.MANAGER)
    years = range(target.baseline_year + 1, target.target_year + 1)
    outside = sorted(set(points) - set(years))
    if outside:
        raise ValidationError(
            _("Years outside %(start)s–%(end)s: %(years)s")
            % {"start": years.start, "end": target.target_year,
               "years": ", ".join(map(str, outside))}
        )
    claim_version(target, expected_version)
    target.trajectory_is_custom = True
    _save(target, actor)
    TrajectoryPoint.objects.filter(target=target).delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(target=target, year=year, expected_value=value)
        for year, value in sorted(points.items())
    )
    _keep_figures(target)
    return target
