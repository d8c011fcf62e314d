"""Obstacles answered and resolved in time as evidence measures of the annual evaluation.

The obstacle register (meetings) sits below this app, so this module, in the evaluation
layer, registers its measures from `EvaluationConfig.ready`; which obstacles count and their
dates come from `meetings.selectors.obstacle_evidence`. An obstacle counts for the units whose
subtree reported it or must act on it, as the register's own figures count it.

The median days to resolve is not a share, and a criterion's points are a share of what was
due: `obstacles_resolved_in_time` counts the obstacles resolved within `within_days` (30 unless
the criterion says otherwise). Its median is at most `within_days` exactly when at least half
are, so a criterion with `full_at` 0.5 gives full points for a median within the days set.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sixclear.meetings.selectors import ObstacleEvidence, obstacle_evidence

from . import measures

RESOLVE_WITHIN_DAYS = 30


def _holders(obstacle: ObstacleEvidence,
             paths: dict[str, list[measures.SubjectRef]]) -> list[measures.SubjectRef]:
    found = {holder.key: holder for holder in measures.owners_of(obstacle.unit_path, paths)}
    if obstacle.must_act_path:
        for holder in measures.owners_of(obstacle.must_act_path, paths):
            found.setdefault(holder.key, holder)
    return list(found.values())


def _each(subjects: list[measures.SubjectRef], year: int, as_of: datetime.date
          ) -> tuple[dict[str, measures.Figure],
                     list[tuple[ObstacleEvidence, list[measures.SubjectRef]]]]:
    figures = {subject.key: measures.Figure() for subject in subjects}
    paths = measures.by_path(subjects)
    common = measures.common_path(paths)
    if common is None:
        return figures, []
    return figures, [(obstacle, _holders(obstacle, paths))
                     for obstacle in obstacle_evidence(common, year, as_of)]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def obstacles_answered_in_time(subjects: list[measures.SubjectRef], year: int,
                               as_of: datetime.date, params: dict[str, Any]
                               ) -> dict[str, measures.Figure]:
    """Obstacles reported in the year that were answered by `as_of` or whose days to answer
    (the answering unit's policy) ran out before it, and of them those answered in time."""
    figures, rows = _each(subjects, year, as_of)
    for obstacle, holders in rows:
        if obstacle.answered_on is None and obstacle.answer_due >= as_of:
            continue  # still within its days: not due yet
        ok = obstacle.answered_on is not None and obstacle.answered_on <= obstacle.answer_due
        record = {"kind": "obstacle", "pk": obstacle.pk, "label": obstacle.description[:200],
                  "ok": ok, "facts": {"reported_on": _day(obstacle.reported_on),
                                      "answer_due": _day(obstacle.answer_due),
                                      "answered_on": _day(obstacle.answered_on)}}
        for holder in holders:
            figures[holder.key].add(record)
    return figures


def obstacles_resolved_in_time(subjects: list[measures.SubjectRef], year: int,
                               as_of: datetime.date, params: dict[str, Any]
                               ) -> dict[str, measures.Figure]:
    """Obstacles reported in the year that were resolved by `as_of` or open longer than
    `within_days`, and of them those resolved within `within_days` of being reported."""
    within = int(params.get("within_days", RESOLVE_WITHIN_DAYS))
    figures, rows = _each(subjects, year, as_of)
    for obstacle, holders in rows:
        days = obstacle.days_to_resolve
        if days is None and (as_of - obstacle.reported_on).days <= within:
            continue  # still within the days set: not due yet
        record = {"kind": "obstacle", "pk": obstacle.pk, "label": obstacle.description[:200],
                  "ok": days is not None and days <= within,
                  "facts": {"reported_on": _day(obstacle.reported_on),
                            "resolved_on": _day(obstacle.resolved_on),
                            "days_to_resolve": "" if days is None else str(days)}}
        for holder in holders:
            figures[holder.key].add(record)
    return figures


measures.register(measures.Measure(
    "obstacles_answered_in_time", _("Obstacles answered in time"),
    _("Obstacles reported in the year whose days to answer have run out or that were "
      "answered, and of them those answered within the days the answering unit has."),
    obstacles_answered_in_time))
measures.register(measures.Measure(
    "obstacles_resolved_in_time", _("Obstacles resolved in time"),
    _("Obstacles reported in the year that were resolved or have been open longer than the "
      "days set (30 unless the criterion says otherwise), and of them those resolved within "
      "those days; with full points at a half, it is the median days to resolve."),
    obstacles_resolved_in_time))
