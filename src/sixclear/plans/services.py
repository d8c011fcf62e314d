"""Writes to resolutions, programs and targets. Each takes the acting user as `actor`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.references import NeedsChangeRequest, References
from sixclear.versioning import claim_version

from .models import Program, Resolution, ResolutionItem, Target, TrajectoryPoint
from .rules import (
    DEFINING_FIELDS,
    FIRST_YEAR,
    LARGEST_VALUE,
    LAST_YEAR,
    held_errors,
    place_in_area,
    target_errors,
    target_path,
    target_references,
)

TARGET_EDITABLE_FIELDS = {
    "code", "name", "group", "kind", "direction", "unit_of_measure", "baseline_value",
    "baseline_year", "target_value", "annual_rate", "annual_rate_high", "target_year",
    "responsible_unit", "responsible_person", "resolution", "indicator",
}
M = TypeVar("M", bound=Model)

RESOLUTION_FIELDS = {"number", "title", "term_start", "term_end", "adopted_on", "summary"}
PROGRAM_FIELDS = {"kind", "number", "title", "period_start", "period_end", "issued_on",
                  "summary", "resolution"}


def _refuse_unknown(changes: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {
            "f": ", ".join(sorted(unknown))})


def _save(instance: M, actor: Any) -> M:
    instance._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def create_resolution(*, actor: Any, unit: Unit, number: str, title: str, term_start: int,
                      term_end: int, **fields: Any) -> Resolution:
    """A manager of `unit` records a resolution it adopted for a term."""
    require_role(actor, unit, Role.MANAGER)
    resolution = Resolution(
        unit=unit, number=number, title=title, term_start=term_start, term_end=term_end, **fields
    )
    errors = _term_errors(term_start, term_end)
    if errors:
        raise ValidationError(errors)
    return _save(resolution, actor)


def _term_errors(term_start: int, term_end: int) -> dict[str, Any]:
    errors = {name: _("Give a year from %(first)s to %(last)s.") % {
        "first": FIRST_YEAR, "last": LAST_YEAR}
        for name, year in (("term_start", term_start), ("term_end", term_end))
        if not FIRST_YEAR <= year <= LAST_YEAR}
    if not errors and term_end < term_start:
        errors["term_end"] = _("The term must end after it starts.")
    return errors


@transaction.atomic
def update_resolution(*, actor: Any, resolution: Resolution, expected_version: int,
                      **changes: Any) -> Resolution:
    """A manager of the issuing unit corrects a resolution's number, title, term or dates."""
    require_role(actor, resolution.unit, Role.MANAGER)
    _refuse_unknown(changes, RESOLUTION_FIELDS)
    claim_version(resolution, expected_version)
    for name, value in changes.items():
        setattr(resolution, name, value)
    errors = _term_errors(resolution.term_start, resolution.term_end)
    if errors:
        raise ValidationError(errors)
    return _save(resolution, actor)


@transaction.atomic
def add_resolution_item(*, actor: Any, resolution: Resolution, kind: str, title: str,
                        text: str = "") -> ResolutionItem:
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
def create_program(*, actor: Any, unit: Unit, kind: str, number: str, title: str,
                   period_start: date, period_end: date, **fields: Any) -> Program:
    """A program, plan, meeting conclusion or decision of `unit`, carrying out a resolution of
    the unit or a unit above it."""
    require_role(actor, unit, Role.MANAGER)
    resolution = fields.get("resolution")
    if resolution is not None:
        errors = target_references(unit).errors({"resolution": resolution})
        if errors:
            raise ValidationError(errors)
    program = Program(
        unit=unit, kind=kind, number=number, title=title,
        period_start=period_start, period_end=period_end, **fields,
    )
    return _save(program, actor)


@transaction.atomic
def update_program(*, actor: Any, program: Program, expected_version: int,
                   **changes: Any) -> Program:
    """A manager of the program's unit corrects it; its resolution stays one of the unit or
    a unit above it."""
    require_role(actor, program.unit, Role.MANAGER)
    _refuse_unknown(changes, PROGRAM_FIELDS)
    if changes.get("resolution") is not None:
        errors = target_references(program.unit).errors({"resolution": changes["resolution"]})
        if errors:
            raise ValidationError(errors)
    claim_version(program, expected_version)
    for name, value in changes.items():
        setattr(program, name, value)
    return _save(program, actor)


def _check_target(target: Target, programs: Iterable[Program] = (),
                  references: References | None = None) -> None:
    errors = {**place_in_area(target), **target_errors(target, programs, references)}
    if errors:
        raise ValidationError(errors)


def store_trajectory(target: Target) -> None:
    """Recompute and store the yearly path of a target whose path is not drawn by hand."""
    if target.trajectory_is_custom:
        return
    TrajectoryPoint.objects.filter(target=target).delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(target=target, year=year, expected_value=low, expected_high=high)
        for year, low, high in target_path(target)
    )


@transaction.atomic
def create_target(*, actor: Any, unit: Unit, programs: Iterable[Program] = (),
                  references: References | None = None, **fields: Any) -> Target:
    """Create a target of `unit`, linked to any number of programs, and compute its path.
    `references` lets an import reuse one set of reference checks for many rows."""
    require_role(actor, unit, Role.MANAGER)
    target = Target(unit=unit, **fields)
    _check_target(target, programs, references)
    _save(target, actor)
    if programs:
        target.programs.set(programs)
    store_trajectory(target)
    upkeep.targets_changed([target])
    return target


def _changed(target: Target, changes: Mapping[str, Any]) -> set[str]:
    return {name for name, value in changes.items()
            if getattr(target, Target._meta.get_field(name).attname)  # type: ignore[union-attr]
            != (value.pk if hasattr(value, "pk") else value)}


@transaction.atomic
def update_target(*, actor: Any, target: Target, expected_version: int,
                  references: References | None = None,
                  programs: Iterable[Program] | None = None, **changes: Any) -> Target:
    """Change a target's fields (and, when given, the programs it serves). Once adopted
    (`rules.is_adopted`), its defining figures change only by the leaders over its unit,
    otherwise through a re-baselining request."""
    require_role(actor, target.unit, Role.MANAGER)
    _refuse_unknown(changes, TARGET_EDITABLE_FIELDS)
    changed = _changed(target, changes)
    claim_version(target, expected_version)  # a stale page is said first: its values are old
    held = held_errors(actor, target, changed)
    if held:
        raise NeedsChangeRequest(held)
    return _write_target(actor, target, None, changes, references, programs=programs)


def _write_target(actor: Any, target: Target, expected_version: int | None,
                  changes: Mapping[str, Any], references: References | None = None,
                  reason: str | None = None, programs: Iterable[Program] | None = None) -> Target:
    if expected_version is not None:  # None: claimed already by the caller
        claim_version(target, expected_version)
    for name, value in changes.items():
        setattr(target, name, value)
    _check_target(target, programs or (), references=references)
    if reason:
        target._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history
    _save(target, actor)
    if programs is not None:
        target.programs.set(programs)
    store_trajectory(target)
    upkeep.targets_changed([target])
    return target


@transaction.atomic
def apply_rebaselining(*, actor: Any, target: Target, values: Mapping[str, Any],
                       reason: str) -> Target:
    """Apply a re-baselining the leaders approved (`values`: defining field → new value),
    under the same rules as any edit; the request's number is the history's reason."""
    _refuse_unknown(values, DEFINING_FIELDS)
    target = Target.objects.select_for_update().get(pk=target.pk)
    return _write_target(actor, target, target.version, values, reason=reason)


@transaction.atomic
def draw_trajectory(*, actor: Any, target: Target, expected_version: int,
                    points: Mapping[int, Decimal]) -> Target:
    """Replace the computed path with one drawn by hand: `points` is {year: value}. Once the
    target is adopted, its path is redrawn only by the leaders over its unit."""
    require_role(actor, target.unit, Role.MANAGER)
    held = held_errors(actor, target, {"target_value"})
    if held:
        raise NeedsChangeRequest({"points": held["target_value"]})
    years = range(target.baseline_year + 1, target.target_year + 1)
    outside = sorted(set(points) - set(years))
    if outside:
        raise ValidationError(
            _("Years outside %(start)s–%(end)s: %(years)s")
            % {"start": years.start, "end": target.target_year,
               "years": ", ".join(map(str, outside))}
        )
    if any(value is None or abs(value) >= LARGEST_VALUE for value in points.values()):
        raise ValidationError(_("Each value must be smaller than 10¹⁵ in size."))
    claim_version(target, expected_version)
    target.trajectory_is_custom = True
    _save(target, actor)
    TrajectoryPoint.objects.filter(target=target).delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(target=target, year=year, expected_value=value)
        for year, value in sorted(points.items())
    )
    upkeep.targets_changed([target])
    return target


@transaction.atomic
def use_computed_trajectory(*, actor: Any, target: Target, expected_version: int) -> Target:
    """Give up a path drawn by hand: the yearly path follows the target's figures again. Once
    the target is adopted, only the leaders over its unit change its path directly."""
    require_role(actor, target.unit, Role.MANAGER)
    held = held_errors(actor, target, {"target_value"})
    if held:
        raise NeedsChangeRequest({"points": held["target_value"]})
    claim_version(target, expected_version)
    target.trajectory_is_custom = False
    _save(target, actor)
    store_trajectory(target)
    upkeep.targets_changed([target])
    return target

# What a document's proposals (sixclear.extraction) give a target, checked by create_target.
DOCUMENT_TARGET_FIELDS = (
    "code", "name", "kind", "direction", "unit_of_measure", "baseline_value", "baseline_year",
    "target_value", "annual_rate", "annual_rate_high", "target_year",
)


def _label(name: str) -> str:
    try:
        label = str(getattr(Target._meta.get_field(name), "verbose_name", name))
    except Exception:  # a key that is no field (__all__, programs)
        return ""
    return label[:1].upper() + label[1:]


def _worded(error: ValidationError, line: Any) -> list[str]:
    """A refusal as sentences naming the line and the field: "Line 32: Target year: …"."""
    if hasattr(error, "error_dict"):
        messages = [f"{_label(name)}: {m}" if _label(name) else m
                    for name, ms in error.message_dict.items() for m in ms]
    else:
        messages = list(error.messages)
    return [_("Line %(line)s: %(error)s") % {"line": line, "error": m} for m in messages]


@transaction.atomic
def create_from_document(*, actor: Any, unit: Unit, document: Mapping[str, Any],
                         items: Iterable[Mapping[str, Any]] = (),
                         targets: Iterable[Mapping[str, Any]] = (),
                         programs: Iterable[Mapping[str, Any]] = ()) -> Resolution | Program:
    """Write what a person accepted from a document's proposals, all or nothing: the
    resolution (`document["kind"] == "resolution"`: number, title, term_start, term_end,
    adopted_on) with its items (kind, title, text) and the programs it lists (number, title),
    or a program (kind, number, title, period_start, period_end, issued_on, resolution); then
    its targets (`DOCUMENT_TARGET_FIELDS`), each through `create_target`. Every refused
    proposal is named by the line it came from (`line`) and nothing is written."""
    require_role(actor, unit, Role.MANAGER)
    fields = dict(document)
    kind = fields.pop("kind")
    errors: list[str] = []
    parent: Resolution | Program
    resolution: Resolution | None
    links: list[Program] = []
    if kind == "resolution":
        parent = resolution = create_resolution(actor=actor, unit=unit, **fields)
        for item in items:
            add_resolution_item(actor=actor, resolution=resolution, kind=item["kind"],
                                title=item["title"], text=item.get("text", ""))
        for number, listed in enumerate(programs, start=1):
            try:
                create_program(
                    actor=actor, unit=unit, kind="action_program", resolution=resolution,
                    number=listed.get("number") or f"{resolution.number}-CTr{number:02d}",
                    title=listed["title"], period_start=date(resolution.term_start, 1, 1),
                    period_end=date(resolution.term_end, 12, 31))
            except ValidationError as error:
                errors += _worded(error, listed.get("line", "?"))
    else:
        program = create_program(actor=actor, unit=unit, kind=kind, **fields)
        parent, resolution, links = program, program.resolution, [program]
    for target in targets:
        values = {name: target.get(name) for name in DOCUMENT_TARGET_FIELDS}
        missing = [_label(name).lower() for name in
                   ("code", "name", "baseline_value", "baseline_year", "target_year")
                   if values[name] in (None, "")]
        try:
            if missing:
                raise ValidationError(_("Give the %(fields)s.") % {"fields": ", ".join(missing)})
            if Target.objects.filter(unit=unit, code=values["code"]).exists():
                raise ValidationError(_("The unit already has a target with the code "
                                        "%(code)s.") % {"code": values["code"]})
            create_target(actor=actor, unit=unit, programs=links, resolution=resolution,
                          **values)
        except ValidationError as error:
            errors += _worded(error, target.get("line", "?"))
    if errors:
        raise ValidationError({"targets": errors})
    return parent
