"""Cases handled on time as an evidence measure of the annual evaluation.

Procedures sit below this app, so they cannot import the registry; this module, in the
evaluation layer, registers their measure from `EvaluationConfig.ready` the way the portal
registers its own from above. The rule of which cases count and when one is on time stays in
procedures (`selectors.case_evidence`, the rule of its monthly rollups); this module only
gives each case to the subjects whose subtree holds its unit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sixclear.procedures.selectors import case_evidence

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


measures.register(measures.Measure(
    "cases_on_time", _("Cases handled on time"),
    _("Cases of the work procedures closed in the year, or still open past a due date of the "
      "year, and of them those closed by their due date."),
    cases_on_time))
