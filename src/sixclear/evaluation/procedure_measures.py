"""Cases and their steps handled on time as evidence measures of the annual evaluation.

Procedures sit below this app, so they cannot import the registry; this module, in the
evaluation layer, registers their measure from `EvaluationConfig.ready` the way the portal
registers its own from above. The rule of which cases count and when one is on time stays in
procedures (`selectors.case_evidence`, `selectors.step_evidence`, the rules of its monthly
rollups); this module only gives each case or step to the subjects whose subtree holds its
unit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sixclear.procedures.selectors import case_evidence, step_evidence

from . import measures


def cases_on_time(subjects: list[measures.SubjectRef], year: int, as_of: datetime.date,
                  params: dict[str, Any]) -> dict[str, measures.Figure]:
    """Cases closed in the year up to `as_of`, or still open past a due date of the year, and
    of them those closed by their due date. A unit counts its subtree's cases (one query)."""
    figures = {subject.key: measures.Figure() for subject in subjects}
    paths = measures.by_path(subjects)
    common = measures.common_path(paths)
    if common is None:
        return figures
    for case in case_evidence(common, year, as_of):
        record = {"kind": "case", "pk": case.pk, "label": f"{case.reference} {case.subject}",
                  "ok": case.on_time,
                  "facts": {"due_date": case.due_date.isoformat(),
                            "closed_on": case.closed_on.isoformat() if case.closed_on else ""}}
        for holder in measures.owners_of(case.unit_path, paths):
            figures[holder.key].add(record)
    return figures


def steps_on_time(subjects: list[measures.SubjectRef], year: int, as_of: datetime.date,
                  params: dict[str, Any]) -> dict[str, measures.Figure]:
    """Case steps handed over in the year up to `as_of`, or still in hand past a due date of
    the year, and of them those handed over within their time limit. A unit counts its
    subtree's steps (one query); each record opens the step's case."""
    figures = {subject.key: measures.Figure() for subject in subjects}
    paths = measures.by_path(subjects)
    common = measures.common_path(paths)
    if common is None:
        return figures
    for step in step_evidence(common, year, as_of):
        record = {"kind": "case", "pk": step.case_pk,
                  "label": f"{step.reference} · {step.position}. {step.name}",
                  "ok": step.on_time,
                  "facts": {"due_date": step.due_date.isoformat(),
                            "done_on": step.done_on.isoformat() if step.done_on else ""}}
        for holder in measures.owners_of(step.unit_path, paths):
            figures[holder.key].add(record)
    return figures


measures.register(measures.Measure(
    "cases_on_time", _("Cases handled on time"),
    _("Cases of the work procedures closed in the year, or still open past a due date of the "
      "year, and of them those closed by their due date."),
    cases_on_time))
measures.register(measures.Measure(
    "steps_on_time", _("Case steps handled within their time limit"),
    _("Steps of the work procedures' cases handed over in the year, or still in hand past a due "
      "date of the year, and of them those handed over within their time limit."),
    steps_on_time))
