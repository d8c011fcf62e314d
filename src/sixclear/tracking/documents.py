"""From a document, with its tasks: what a person accepted of a document's proposals
(sixclear.extraction) written all or nothing, the resolution or program, its items, sections
and targets through `plans.services.write_document`, then each proposed task as a DRAFT through
`services.create_task`, linked to the document, its task group and its section. Nothing is
issued here: the six-clears gate applies when a person issues each task."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sixclear.orgs.models import Unit
from sixclear.plans import services as plan_services
from sixclear.plans.models import Program, ProgramSection, Resolution, ResolutionItemKind

from . import services
from .models import Task

# What a proposed task gives `create_task`; `group` and `section` are indexes in the items
# and sections given, `line` names it when refused.
DOCUMENT_TASK_FIELDS = ("title", "lead_unit", "deadline", "expected_result")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def match_unit(text: str | None, units: Sequence[Unit]) -> Unit | None:
    """The unit a document's words name ("Văn phòng Đảng ủy", "UBND xã Hòa Hội"), among
    `units`: the one named exactly, else the one whose name the words hold or hold its
    name, the longest; none when it is not one unit."""
    wanted = _plain(text or "")
    if not wanted:
        return None
    exact = [unit for unit in units if _plain(unit.name) == wanted]
    if exact:
        return exact[0] if len(exact) == 1 else None
    near = [unit for unit in units if _plain(unit.name) and (
        _plain(unit.name) in wanted or wanted in _plain(unit.name))]
    if not near:
        return None
    longest = max(len(unit.name) for unit in near)
    best = [unit for unit in near if len(unit.name) == longest]
    return best[0] if len(best) == 1 else None


@transaction.atomic
def create_from_document(*, actor: Any, unit: Unit, document: Mapping[str, Any],
                         items: Iterable[Mapping[str, Any]] = (),
                         targets: Iterable[Mapping[str, Any]] = (),
                         programs: Iterable[Mapping[str, Any]] = (),
                         sections: Iterable[Mapping[str, Any]] = (),
                         tasks: Iterable[Mapping[str, Any]] = ()) -> Resolution | Program:
    """`plans.services.create_from_document` and the document's tasks
    (`DOCUMENT_TASK_FIELDS`, `group`, `section`, `line`), each a draft task of `unit`. A
    refused proposal, target or task, is named by its line and nothing is written."""
    written = plan_services.write_document(
        actor=actor, unit=unit, document=document, items=items, targets=targets,
        programs=programs, sections=sections)
    parent = written.parent
    program = parent if isinstance(parent, Program) else None
    resolution = parent if isinstance(parent, Resolution) else parent.resolution
    placement: dict[Task, ProgramSection | None] = {}
    for proposed in tasks:
        group = proposed.get("group")
        item = written.items[group] if resolution is parent and group is not None and (
            0 <= group < len(written.items)) else None
        values = {name: proposed.get(name) for name in DOCUMENT_TASK_FIELDS}
        values["expected_result"] = values["expected_result"] or ""
        try:
            task = services.create_task(
                actor=actor, unit=unit, resolution=resolution, program=program,
                task_group=item if item is not None and item.kind == ResolutionItemKind.TASK_GROUP
                else None, **values)
        except ValidationError as error:
            written.errors += plan_services.worded(error, proposed.get("line", "?"), Task)
            continue
        section = plan_services.section_at(written, proposed.get("section"))
        if program is not None and section is not None:
            placement[task] = section
    if placement and program is not None and not written.errors:
        program.refresh_from_db()
        services.arrange_program(actor=actor, program=program, expected_version=program.version,
                                 targets={}, tasks=placement)
    return plan_services.finish_document(actor=actor, written=written)
