"""Reads of resolutions, programs and targets, always scoped to what the user may see.

Plans sit below tracking: nothing here reads tasks or measurements (pages that join them are
composed in tracking's selectors or in the web layer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet

from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import ancestor_paths, scope_q, sees_everything

from .models import (
    Program,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    Target,
)


def visible_resolutions(user: Any) -> QuerySet[Resolution]:
    return Resolution.objects.filter(scope_q(user, "unit"))


def visible_programs(user: Any) -> QuerySet[Program]:
    return Program.objects.filter(scope_q(user, "unit"))


def visible_targets(user: Any) -> QuerySet[Target]:
    """Targets of the units the user reaches, and those the user is responsible for."""
    query = scope_q(user, "unit", "responsible_unit")
    if user.is_authenticated and not sees_everything(user):
        query |= Q(responsible_person=user)
    return Target.objects.filter(query)


def targets_in_charge_of(user: Any) -> QuerySet[Target]:
    """The targets a person is named responsible for."""
    return (
        Target.objects.filter(responsible_person=user)
        .select_related("unit")
        .order_by("unit__path", "code")
    )


def unit_plans(user: Any, unit: Unit) -> dict[str, list[Any]]:
    """The resolutions, programs and targets a unit adopted itself."""
    return {
        "resolutions": list(visible_resolutions(user).filter(unit=unit)),
        "programs": list(visible_programs(user).filter(unit=unit).select_related("resolution")),
        "targets": list(
            visible_targets(user).filter(unit=unit).select_related("responsible_person")
        ),
    }


# The fields whose changes a plan's history names, per model.
HISTORY_FIELDS: dict[type[Model], list[str]] = {
    Resolution: ["number", "title", "issuing_body", "term_start", "term_end", "adopted_on",
                 "status", "summary"],
    ResolutionItem: ["title", "text", "position"],
    Program: ["kind", "number", "title", "issuing_body", "period_start", "period_end",
              "issued_on", "resolution", "summary"],
    ProgramSection: ["code", "title", "summary", "position"],
}


@dataclass
class PlanHistoryEntry:
    record: Any
    model: type[Model]
    changed: list[str] = field(default_factory=list)

    @property
    def is_part(self) -> bool:
        """An item of the resolution or a section of the program, not the document itself."""
        return self.model in (ResolutionItem, ProgramSection)


def _entries(model: type[Model], records: list[Any]) -> list[PlanHistoryEntry]:
    """Each record with the fields it changed from the one before it of the same row."""
    previous: dict[int, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        older = previous.get(record.id)
        changed: list[str] = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, included_fields=HISTORY_FIELDS[model])
            changed = [str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
                       for name in delta.changed_fields]
        previous[record.id] = record
        entries.append(PlanHistoryEntry(record=record, model=model, changed=changed))
    return entries


def plan_history(document: Resolution | Program, limit: int = 30) -> list[PlanHistoryEntry]:
    """The latest changes to a resolution and its items, or to a program and its sections:
    who, when, what. Two queries whatever the length."""
    if isinstance(document, Resolution):
        parts: type[Model] = ResolutionItem
        part_records = ResolutionItem.history.filter(
            resolution_id=document.pk)
    else:
        parts = ProgramSection
        part_records = ProgramSection.history.filter(
            program_id=document.pk)
    own = document.history.select_related("history_user")
    entries = (_entries(type(document), list(own))
               + _entries(parts, list(part_records.select_related("history_user"))))
    entries.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
    return entries[:limit]


def changed_since(instance: Resolution | ResolutionItem | Program | ProgramSection,
                  version: int | None) -> set[str] | None:
    """Which fields others changed after the version a person saw, from the history; None
    when that version is not in it (every differing field is then shown)."""
    if version is None:
        return None
    history = instance.history
    seen = history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = history.order_by("-history_date", "-history_id").first()
    if seen is None or latest is None:
        return None
    fields = HISTORY_FIELDS[type(instance)]
    return set(latest.diff_against(seen, included_fields=fields).changed_fields)


def resolution_items(resolution: Resolution) -> dict[str, list[ResolutionItem]]:
    """A resolution's items by kind, in order."""
    items: dict[str, list[ResolutionItem]] = {kind: [] for kind in ResolutionItemKind.values}
    for item in resolution.items.order_by("kind", "position"):
        items[item.kind].append(item)
    return items


def program_choices_for(unit: Unit) -> QuerySet[Resolution]:
    """The resolutions a program of `unit` may carry out: of the unit or a unit above it."""
    return Resolution.objects.filter(unit__path__in=ancestor_paths(unit)).order_by(
        "-term_start", "number")


def sections_with_targets() -> Prefetch:
    """A program's sections in order, each with its targets' ids: two queries for a whole
    list of programs."""
    return Prefetch("sections", queryset=ProgramSection.objects.order_by("position")
                    .prefetch_related(Prefetch("targets", queryset=Target.objects.only("pk"))))
