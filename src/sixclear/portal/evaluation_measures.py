"""Citizens' satisfaction as an evidence measure of the annual evaluation.

The portal holds the ratings, and it sits above the evaluation app, so it registers the measure
itself: the share of confirmed ratings given in the year (up to the evidence date) to a unit's
published tasks and targets that are 4 or 5 out of 5.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sixclear.evaluation import measures

from .models import Rating

SATISFIED = 4


def citizen_satisfaction(subjects: list[measures.SubjectRef], year: int,
                         as_of: datetime.date, params: dict[str, Any]
                         ) -> dict[str, measures.Figure]:
    figures = {subject.key: measures.Figure() for subject in subjects}
    paths = measures.by_path(subjects)
    units = Q(pk__in=[])
    common = measures.common_path(paths)
    if common is not None:
        units = Q(task__unit__path__startswith=common) | Q(target__unit__path__startswith=common)
    rows = (Rating.objects.filter(units, confirmed_at__isnull=False,
                                  confirmed_at__date__gte=datetime.date(year, 1, 1),
                                  confirmed_at__date__lte=as_of)
            .values_list("pk", "score", "task_id", "task__title", "task__unit__path",
                         "target_id", "target__name", "target__unit__path")
            .order_by("pk"))
    for _pk, score, task_id, task_title, task_path, target_id, target_name, target_path in rows:
        kind, item, label, path = (("task", task_id, task_title, task_path) if task_id
                                   else ("target", target_id, target_name, target_path))
        record = {"kind": kind, "pk": item, "label": label, "ok": score >= SATISFIED,
                  "facts": {"score": str(score)}}
        for holder in measures.owners_of(path, paths):
            figures[holder.key].add(record)
    return figures


measures.register(measures.Measure(
    "citizen_satisfaction", _("Citizens' satisfaction"),
    _("Ratings citizens gave in the year to the unit's published results, and of them those "
      "of 4 or 5 out of 5."),
    citizen_satisfaction))
