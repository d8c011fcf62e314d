"""Writes to resolutions, programs and targets. Each takes the acting user as `actor`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.references import NOT_FOUND, NeedsChangeRequest, References
from sixclear.versioning import claim_version

from .models import (
    Program,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    ResolutionStatus,
    Target,
    TrajectoryPoint,
)
from .rules import (
    ADOPTED_STATES,
    DEFINING_FIELDS,
    FIRST_YEAR,
    LARGEST_VALUE,
    LAST_YEAR,
    held_errors,
    may_change_items,
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

RESOLUTION_FIELDS = {"number", "title", "term_start", "term_end", "adopted_on", "summary",
                     "issuing_body", "status"}
PROGRAM_FIELDS = {"kind", "number", "title", "period_start", "period_end", "issued_on",
                  "summary", "resolution", "issuing_body"}
ITEM_FIELDS = {"title", "text"}
SECTION_FIELDS = {"code", "title", "summary"}
UP, DOWN = "up", "down"


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
    """A manager of `unit` records a resolution: a draft while it is written, or adopted
    (with its adoption date). Given an adoption date and no status, it is adopted."""
    require_role(actor, unit, Role.MANAGER)
    _refuse_unknown(fields, RESOLUTION_FIELDS)
    if fields.get("adopted_on") and "status" not in fields:
        fields["status"] = ResolutionStatus.ADOPTED
    resolution = Resolution(
        unit=unit, number=number, title=title, term_start=term_start, term_end=term_end, **fields
    )
    errors = _resolution_errors(resolution, None)
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


def _resolution_errors(resolution: Resolution, before: str | None) -> dict[str, Any]:
    """Its term, and a status that only moves forward: draft → adopted → superseded. What
    adoption fixed (its items, its targets' figures) stays fixed, so it never returns to
    draft, and an adopted or superseded resolution keeps its adoption date."""
    errors = _term_errors(resolution.term_start, resolution.term_end)
    status = resolution.status
    if status not in ResolutionStatus.values:
        errors["status"] = _("Choose draft, adopted or superseded.")
        return errors
    order = list(ResolutionStatus.values)
    if before is not None and order.index(status) < order.index(before):
        errors["status"] = (
            _("An adopted resolution cannot return to draft: what it adopted stays fixed.")
            if status == ResolutionStatus.DRAFT
            else _("A superseded resolution stays superseded."))
    elif status in ADOPTED_STATES and resolution.adopted_on is None:
        errors["adopted_on"] = _("An adopted resolution needs its adoption date.")
    elif status == ResolutionStatus.DRAFT and resolution.adopted_on is not None:
        errors["adopted_on"] = _("A draft has no adoption date yet: choose the status "
                                 "“Adopted”, or leave the date empty.")
    return errors


@transaction.atomic
def update_resolution(*, actor: Any, resolution: Resolution, expected_version: int,
                      **changes: Any) -> Resolution:
    """A manager of the issuing unit corrects a resolution's number, title, body, term or
    dates, and moves its status forward (adopting it, or marking it superseded)."""
    require_role(actor, resolution.unit, Role.MANAGER)
    _refuse_unknown(changes, RESOLUTION_FIELDS)
    claim_version(resolution, expected_version)
    before = resolution.status
    if changes.get("adopted_on") and "status" not in changes and before == ResolutionStatus.DRAFT:
        changes = {**changes, "status": ResolutionStatus.ADOPTED}
    for name, value in changes.items():
        setattr(resolution, name, value)
    errors = _resolution_errors(resolution, before)
    if errors:
        raise ValidationError(errors)
    return _save(resolution, actor)


def _require_items_open(actor: Any, resolution: Resolution) -> None:
    require_role(actor, resolution.unit, Role.MANAGER)
    if not may_change_items(actor, resolution):
        raise PermissionDenied(_(
            "This resolution is adopted: its viewpoints, breakthroughs and task groups change "
            "only by the leaders over its unit."))


@transaction.atomic
def add_resolution_item(*, actor: Any, resolution: Resolution, kind: str, title: str,
                        text: str = "") -> ResolutionItem:
    """Append a viewpoint, breakthrough or task group at the end of its list (a draft's, or
    by the leaders once it is adopted)."""
    _require_items_open(actor, resolution)
    if kind not in ResolutionItemKind.values:
        raise ValidationError({"kind": _("Choose a viewpoint, a breakthrough or a task group.")})
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
def update_resolution_item(*, actor: Any, item: ResolutionItem, expected_version: int,
                           **changes: Any) -> ResolutionItem:
    """Correct an item's title or text."""
    _require_items_open(actor, item.resolution)
    _refuse_unknown(changes, ITEM_FIELDS)
    claim_version(item, expected_version)
    for name, value in changes.items():
        setattr(item, name, value)
    return _save(item, actor)


@transaction.atomic
def delete_resolution_item(*, actor: Any, item: ResolutionItem, expected_version: int) -> None:
    """Remove an item that no task belongs to; the ones after it move up a place."""
    _require_items_open(actor, item.resolution)
    _lock_list(ResolutionItem.objects.filter(resolution=item.resolution_id, kind=item.kind))
    claim_version(item, expected_version)
    if item.tasks.exists():
        raise ValidationError(_("Tasks belong to this group: move them to another group "
                                "before removing it."))
    following = list(ResolutionItem.objects.filter(
        resolution=item.resolution_id, kind=item.kind, position__gt=item.position
    ).order_by("position"))
    item._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    item.delete()
    for later in following:  # in order, each into the place just freed
        later.position -= 1
        later.version += 1
        _save(later, actor)


def _lock_list(queryset: Any) -> None:
    """Lock a whole ordered list (a kind of items, a program's sections) before moving or
    removing one of its rows: two people moving neighbours at once then wait for each other
    instead of colliding on the positions."""
    list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))


def _swap(instance: M, neighbour: M, actor: Any) -> None:
    """Exchange two rows' positions under a unique (…, position): through a free place."""
    first, second = instance.position, neighbour.position  # type: ignore[attr-defined]
    type(instance)._default_manager.filter(pk=instance.pk).update(position=0)
    neighbour.position, neighbour.version = first, neighbour.version + 1  # type: ignore[attr-defined]
    _save(neighbour, actor)
    instance.position = second  # type: ignore[attr-defined]
    _save(instance, actor)


def _neighbour(queryset: Any, position: int, direction: str) -> Any:
    if direction == UP:
        return queryset.filter(position__lt=position).order_by("-position").first()
    if direction == DOWN:
        return queryset.filter(position__gt=position).order_by("position").first()
    raise ValidationError(_("Move up or down."))


@transaction.atomic
def move_resolution_item(*, actor: Any, item: ResolutionItem, expected_version: int,
                         direction: str) -> ResolutionItem:
    """Move an item one place up or down among the items of its kind; at either end it
    stays where it is."""
    _require_items_open(actor, item.resolution)
    _lock_list(ResolutionItem.objects.filter(resolution=item.resolution_id, kind=item.kind))
    claim_version(item, expected_version)
    item.position = ResolutionItem.objects.values_list("position", flat=True).get(pk=item.pk)
    neighbour = _neighbour(ResolutionItem.objects.filter(
        resolution=item.resolution_id, kind=item.kind), item.position, direction)
    if neighbour is None:
        return _save(item, actor)
    _swap(item, neighbour, actor)
    return item


@transaction.atomic
def create_program(*, actor: Any, unit: Unit, kind: str, number: str, title: str,
                   period_start: date, period_end: date, **fields: Any) -> Program:
    """A program, plan, meeting conclusion or decision of `unit`, carrying out a resolution of
    the unit or a unit above it."""
    require_role(actor, unit, Role.MANAGER)
    _refuse_unknown(fields, PROGRAM_FIELDS)
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


@transaction.atomic
def add_program_section(*, actor: Any, program: Program, title: str, code: str = "",
                        summary: str = "") -> ProgramSection:
    """Append a section (A, B, C …) to a program."""
    require_role(actor, program.unit, Role.MANAGER)
    last = program.sections.order_by("-position").values_list("position", flat=True).first()
    section = ProgramSection(program=program, position=(last or 0) + 1, code=code,
                             title=title, summary=summary)
    return _save(section, actor)


@transaction.atomic
def update_program_section(*, actor: Any, section: ProgramSection, expected_version: int,
                           **changes: Any) -> ProgramSection:
    require_role(actor, section.program.unit, Role.MANAGER)
    _refuse_unknown(changes, SECTION_FIELDS)
    claim_version(section, expected_version)
    for name, value in changes.items():
        setattr(section, name, value)
    return _save(section, actor)


@transaction.atomic
def delete_program_section(*, actor: Any, section: ProgramSection,
                           expected_version: int) -> None:
    """Remove a section that holds no task (its targets stay in the program, unplaced); the
    sections after it move up a place."""
    require_role(actor, section.program.unit, Role.MANAGER)
    _lock_list(section.program.sections.all())
    claim_version(section, expected_version)
    if section.tasks.exists():
        raise ValidationError(_("Tasks are placed in this section: place them in another "
                                "section before removing it."))
    following = list(section.program.sections.filter(position__gt=section.position)
                     .order_by("position"))
    section._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    section.delete()
    for later in following:
        later.position -= 1
        later.version += 1
        _save(later, actor)


@transaction.atomic
def move_program_section(*, actor: Any, section: ProgramSection, expected_version: int,
                         direction: str) -> ProgramSection:
    """Move a section one place up or down; at either end it stays where it is."""
    require_role(actor, section.program.unit, Role.MANAGER)
    _lock_list(section.program.sections.all())
    claim_version(section, expected_version)
    section.position = ProgramSection.objects.values_list("position", flat=True).get(
        pk=section.pk)
    neighbour = _neighbour(section.program.sections.all(), section.position, direction)
    if neighbour is None:
        return _save(section, actor)
    _swap(section, neighbour, actor)
    return section


def section_errors(program: Program, placement: Mapping[Any, ProgramSection | None],
                   belongs: Iterable[Any], field: str) -> dict[str, Any]:
    """Each placed row must belong to the program and each section be one of its own."""
    own = set(program.sections.values_list("pk", flat=True))
    members = {row.pk for row in belongs}
    if any(row.pk not in members for row in placement) or any(
            section is not None and section.pk not in own for section in placement.values()):
        return {field: NOT_FOUND}
    return {}


def place_targets_in_sections(*, actor: Any, program: Program,
                              placement: Mapping[Target, ProgramSection | None]) -> None:
    """Put each target of the program in one of its sections (or in none). A target serving
    several programs keeps its place in the others. Called inside the caller's transaction
    (`tracking.services.arrange_program`, which places the tasks with it)."""
    require_role(actor, program.unit, Role.MANAGER)
    errors = section_errors(program, placement, program.targets.all(), "targets")
    if errors:
        raise ValidationError(errors)
    chosen = [target.pk for target in placement]
    for section in program.sections.all():
        wanted = {target.pk for target, place in placement.items()
                  if place is not None and place.pk == section.pk}
        present = set(section.targets.filter(pk__in=chosen).values_list("pk", flat=True))
        if wanted == present:
            continue
        section._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
        if present - wanted:
            section.targets.remove(*(present - wanted))
        if wanted - present:
            section.targets.add(*(wanted - present))


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


def _label(name: str, model: type[Model] = Target) -> str:
    try:
        label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:  # a key that is no field (__all__, programs)
        return ""
    return label[:1].upper() + label[1:]


def worded(error: ValidationError, line: Any, model: type[Model] = Target) -> list[str]:
    """A refusal as sentences naming the line and the field of `model`: "Line 32: Target
    year: …"."""
    if hasattr(error, "error_dict"):
        messages = [f"{_label(name, model)}: {m}" if _label(name, model) else m
                    for name, ms in error.message_dict.items() for m in ms]
    else:
        messages = list(error.messages)
    if line in (None, ""):  # added by the person, from no line of the document
        return [_("Added by you: %(error)s") % {"error": m} for m in messages]
    return [_("Line %(line)s: %(error)s") % {"line": line, "error": m} for m in messages]


@dataclass
class WrittenDocument:
    """What `write_document` wrote so far: the document, the items and sections in the order
    given (for what the layers above hang on them), each refused proposal as a sentence naming
    its line, and the date a resolution is adopted on once everything else is in."""

    parent: Resolution | Program
    items: list[ResolutionItem] = field(default_factory=list)
    sections: list[ProgramSection] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    adopted_on: date | None = None


def write_document(*, actor: Any, unit: Unit, document: Mapping[str, Any],
                   items: Iterable[Mapping[str, Any]] = (),
                   targets: Iterable[Mapping[str, Any]] = (),
                   programs: Iterable[Mapping[str, Any]] = (),
                   sections: Iterable[Mapping[str, Any]] = ()) -> WrittenDocument:
    """The writes of `create_from_document`, inside the caller's transaction, collecting the
    refused proposals instead of raising on them; the caller ends with `finish_document`."""
    require_role(actor, unit, Role.MANAGER)
    fields = dict(document)
    kind = fields.pop("kind")
    written: WrittenDocument
    resolution: Resolution | None
    links: list[Program] = []
    if kind == "resolution":
        adopted_on = fields.pop("adopted_on", None)
        # Written as a draft, its items added, then adopted on the document's date: adoption
        # fixes the items, so they go in first.
        resolution = create_resolution(actor=actor, unit=unit, **fields)
        written = WrittenDocument(resolution, adopted_on=adopted_on)
        for item in items:
            written.items.append(add_resolution_item(
                actor=actor, resolution=resolution, kind=item["kind"], title=item["title"],
                text=item.get("text", "")))
        for number, listed in enumerate(programs, start=1):
            try:
                create_program(
                    actor=actor, unit=unit, kind="action_program", resolution=resolution,
                    number=listed.get("number") or f"{resolution.number}-CTr{number:02d}",
                    title=listed["title"], period_start=date(resolution.term_start, 1, 1),
                    period_end=date(resolution.term_end, 12, 31))
            except ValidationError as error:
                written.errors += worded(error, listed.get("line", "?"))
    else:
        program = create_program(actor=actor, unit=unit, kind=kind, **fields)
        written = WrittenDocument(program)
        resolution, links = program.resolution, [program]
        for section in sections:
            try:
                written.sections.append(add_program_section(
                    actor=actor, program=program, code=section.get("code") or "",
                    title=section["title"]))
            except ValidationError as error:
                written.errors += worded(error, section.get("line", "?"))
    placement: dict[Target, ProgramSection | None] = {}
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
            created = create_target(actor=actor, unit=unit, programs=links,
                                    resolution=resolution, **values)
        except ValidationError as error:
            written.errors += worded(error, target.get("line", "?"))
            continue
        place = section_at(written, target.get("section"))
        if place is not None:
            placement[created] = place
    if placement and isinstance(written.parent, Program) and not written.errors:
        place_targets_in_sections(actor=actor, program=written.parent, placement=placement)
    return written


def section_at(written: WrittenDocument, index: int | None) -> ProgramSection | None:
    """The section a proposal names by its index among the sections given, if written."""
    if index is None or not 0 <= index < len(written.sections):
        return None
    return written.sections[index]


def finish_document(*, actor: Any, written: WrittenDocument) -> Resolution | Program:
    """Refuse the whole document if any proposal was refused (the caller's transaction then
    writes nothing), else adopt a resolution on its date."""
    if written.errors:
        raise ValidationError({"targets": written.errors})
    parent = written.parent
    if written.adopted_on and isinstance(parent, Resolution):
        parent = update_resolution(actor=actor, resolution=parent, expected_version=parent.version,
                                   status=ResolutionStatus.ADOPTED, adopted_on=written.adopted_on)
    return parent


@transaction.atomic
def create_from_document(*, actor: Any, unit: Unit, document: Mapping[str, Any],
                         items: Iterable[Mapping[str, Any]] = (),
                         targets: Iterable[Mapping[str, Any]] = (),
                         programs: Iterable[Mapping[str, Any]] = (),
                         sections: Iterable[Mapping[str, Any]] = ()) -> Resolution | Program:
    """Write what a person accepted from a document's proposals, all or nothing: the
    resolution (`document["kind"] == "resolution"`: number, title, term_start, term_end,
    adopted_on) with its items (kind, title, text) and the programs it lists (number, title),
    or a program (kind, number, title, period_start, period_end, issued_on, resolution) with
    its sections (code, title); then its targets (`DOCUMENT_TARGET_FIELDS`), each through
    `create_target` and, in a program, placed in the section its `section` names (an index in
    `sections`). Every refused proposal is named by the line it came from (`line`) and
    nothing is written. Tasks too: `tracking.documents.create_from_document`."""
    written = write_document(actor=actor, unit=unit, document=document, items=items,
                             targets=targets, programs=programs, sections=sections)
    return finish_document(actor=actor, written=written)
