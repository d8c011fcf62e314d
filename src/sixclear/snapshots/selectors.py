"""Reads of snapshots: those a person may see, one unit's review of a past period as the
reports show it (`frozen_review`), a snapshot's verification, and two snapshots compared."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sixclear.dashboards.models import TARGET_FIGURES, TASK_FIGURES
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import has_role, scope_q
from sixclear.periods import Period, PeriodKind
from sixclear.plans.models import Resolution, Target
from sixclear.plans.selectors import visible_resolutions

from . import canonical, sealing
from .models import REVIEW_KINDS, Snapshot


def visible_snapshots(user: Any) -> QuerySet[Snapshot]:
    """Snapshots of the units the person reaches (a role reaches the unit's subtree)."""
    return Snapshot.objects.filter(scope_q(user, "unit")).select_related("unit")


def unit_snapshots(user: Any, unit: Unit) -> QuerySet[Snapshot]:
    return (visible_snapshots(user).filter(unit=unit).defer("content")
            .order_by("-year", "-period_number", "period_kind", "-pk"))


def review_kinds_of(resolution: Resolution) -> list[str]:
    """The kinds of review a resolution keeps: its choice, else every kind."""
    row = getattr(resolution, "review_kinds", None)
    return list(row.kinds) if row is not None else list(REVIEW_KINDS)


def unit_review_kinds(user: Any, unit: Unit) -> list[tuple[Resolution, list[str]]]:
    """The unit's own resolutions, newest term first, each with the reviews it keeps (one
    query)."""
    rows = (visible_resolutions(user).filter(unit=unit).select_related("review_kinds")
            .order_by("-term_start", "-pk"))
    return [(resolution, review_kinds_of(resolution)) for resolution in rows]


def data_of(snapshot: Snapshot) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(snapshot.content)
    return data


@dataclass
class SealCheck:
    hash_matches: bool  # the stored content still has its SHA-256
    in_manifest: bool  # the seal's manifest names this snapshot's unit and hash
    signature_valid: bool  # the manifest's signature is intact and trusted
    signer_name: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.hash_matches and self.in_manifest and self.signature_valid


def check_snapshot(snapshot: Snapshot) -> SealCheck:
    """Whether the snapshot is exactly what was sealed: its content hashes to its SHA-256,
    the seal's manifest lists it, and the seal's signature verifies."""
    hash_matches = canonical.sha256(snapshot.content) == snapshot.sha256
    seal = snapshot.seal
    if seal is None:
        return SealCheck(hash_matches, False, False)
    listed = json.loads(seal.manifest)
    in_manifest = ([snapshot.unit_id, snapshot.sha256] in listed["snapshots"]
                   and canonical.sha256(seal.manifest) == seal.sha256
                   and listed["period"] == {"kind": snapshot.period_kind, "year": snapshot.year,
                                            "number": snapshot.period_number})
    valid = sealing.verify(seal.manifest.encode("utf-8"), bytes(seal.signature))
    return SealCheck(hash_matches, in_manifest, valid, seal.signer_name, seal.signed_at)


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _number(text: Any) -> Decimal | None:
    return None if text is None else Decimal(text)


@dataclass
class FrozenReview:
    """A unit's review of an ended period from the snapshots of its subtree: the rows and
    figures a report shows, as they were when the period was frozen."""

    period: Period
    as_of: datetime.date
    unit: dict[str, Any]
    targets: list  # the unit's own targets
    tasks: list  # the subtree's tasks
    obstacles: list  # the subtree's obstacles not resolved at the period's end
    task_figures: dict  # figure -> n, over the subtree
    target_figures: dict
    branches: list = field(default_factory=list)  # per direct sub-unit: unit, tasks, targets


def _add(total: dict[str, int], part: dict[str, Any], names: list[str]) -> None:
    for name in names:
        total[name] = total.get(name, 0) + (part.get(name) or 0)


def frozen_review(unit: Unit, period: Period, *,
                  today: datetime.date | None = None) -> FrozenReview | None:
    """The review of `unit` for `period` from its snapshots, or None when the period has not
    ended or the unit's own snapshot was not taken. Two queries whatever the subtree."""
    today = today or timezone.localdate()
    if period.end >= today:
        return None
    rows = list(Snapshot.objects.filter(
        unit__path__startswith=unit.path, period_kind=period.kind, year=period.year,
        period_number=period.number).values_list("unit__path", "content"))
    by_path = {path: json.loads(content) for path, content in rows}
    own = by_path.get(unit.path)
    if own is None:
        return None
    children = {child.path: child for child in Unit.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1).order_by("path")}
    branches: dict[str, dict[str, Any]] = {path: {"unit": child, "tasks": {}, "targets": {}}
                for path, child in children.items()}
    task_figures: dict[str, int] = {}
    target_figures: dict[str, int] = {}
    tasks, obstacles = [], []
    seen: set[int] = set()
    width = len(unit.path) + unit.steplen
    for path in sorted(by_path):
        data = by_path[path]
        figures = data["figures"]
        _add(task_figures, figures["tasks"], TASK_FIGURES)
        branch = branches.get(path[:width])
        if branch is not None:
            _add(branch["tasks"], figures["tasks"], TASK_FIGURES)
        for area in figures["targets"].values():
            _add(target_figures, area, TARGET_FIGURES)
            if branch is not None:
                _add(branch["targets"], area, TARGET_FIGURES)
        for task in data["tasks"]:
            task["deadline"] = _day(task["deadline"])
            task["completed_on"] = _day(task["completed_on"])
            tasks.append(task)
        for obstacle in data["obstacles"]:
            # Since schema 2 an obstacle routed elsewhere is in both units' snapshots: once.
            if obstacle.get("id") is not None:
                if obstacle["id"] in seen:
                    continue
                seen.add(obstacle["id"])
            obstacle["reported_on"] = _day(obstacle["reported_on"])
            obstacles.append(obstacle)
    for name in ("assigned",):
        task_figures[name] = task_figures.get("open", 0) + task_figures.get("done", 0)
    targets = []
    for target in own["targets"]:
        for key in ("baseline", "goal", "actual", "expected", "gap", "gap_percent",
                    "required_rate", "required_amount", "forecast_value"):
            target[key] = _number(target[key])
        targets.append(target)
    return FrozenReview(period=period, as_of=period.end, unit=own["unit"], targets=targets,
                        tasks=tasks, obstacles=obstacles, task_figures=task_figures,
                        target_figures=target_figures, branches=list(branches.values()))


# Comparing two snapshots of a unit.

TASK_ORDER = {"late": 0, "at_risk": 1, "not_started": 2, "on_track": 3, "done": 4}
TARGET_ORDER = {"no_data": -1, "off_track": 0, "behind": 1, "on_track": 2}


@dataclass
class Change:
    kind: str  # "target" or "task"
    id: int
    code: str
    name: str
    before: str | None  # status in the earlier snapshot (None: not there)
    after: str | None
    detail_before: Any = None  # a target's value, a task's percent
    detail_after: Any = None


@dataclass
class Comparison:
    earlier: Snapshot
    later: Snapshot
    improved: list
    slipped: list
    unchanged: int
    added: list
    removed: list
    figures: list  # (figure, before, after) of the unit's own task figures
    branches: list = field(default_factory=list)  # BranchChange per direct sub-unit


BRANCH_FIGURES = (("tasks", "done"), ("tasks", "late"), ("tasks", "at_risk"),
                  ("targets", "on_track"), ("targets", "off_track"))
# A figure that rises is good news for these, bad news for the others.
GOOD_WHEN_RISING = {"done", "on_track"}


@dataclass
class BranchChange:
    unit: Unit
    figures: list  # (name, before, after)
    improved: bool
    slipped: bool


def _task_rank(row: dict[str, Any]) -> int:
    if row["state"] == "done":
        return TASK_ORDER["done"]
    return TASK_ORDER.get(row["status"] or "not_started", 2)


def compare(earlier: Snapshot, later: Snapshot) -> Comparison:
    """What improved and what slipped between two snapshots of the same unit, by target (its
    status on the path) and by task (late < at risk < not started < on track < done)."""
    if earlier.period.end > later.period.end:
        earlier, later = later, earlier
    before, after = data_of(earlier), data_of(later)
    improved, slipped, added, removed = [], [], [], []
    unchanged = 0
    for kind, rank, detail, label in (
            ("target", lambda r: TARGET_ORDER.get(r["status"], -1), "actual", "name"),
            ("task", _task_rank, "percent", "title")):
        old = {row["id"]: row for row in before[kind + "s"]}
        new = {row["id"]: row for row in after[kind + "s"]}
        for pk, row in new.items():
            if pk not in old:
                added.append(Change(kind, pk, row["code"], row[label], None, _status(kind, row),
                                    None, row.get(detail)))
                continue
            prior = old[pk]
            change = Change(kind, pk, row["code"], row[label], _status(kind, prior),
                            _status(kind, row), prior.get(detail), row.get(detail))
            if rank(row) > rank(prior):
                improved.append(change)
            elif rank(row) < rank(prior):
                slipped.append(change)
            else:
                unchanged += 1
        for pk, row in old.items():
            # A task done in the earlier period is left out of later ones: it did not go.
            if pk not in new and not (kind == "task" and row["state"] == "done"):
                removed.append(Change(kind, pk, row["code"], row[label], _status(kind, row),
                                      None, row.get(detail), None))
    figures = [(name, before["figures"]["tasks"].get(name, 0),
                after["figures"]["tasks"].get(name, 0))
               for name in ("open", "done", "on_track", "at_risk", "late", "stale", "obstacles")]
    return Comparison(earlier, later, improved, slipped, unchanged, added, removed, figures,
                      _branches(later.unit, earlier.period, later.period))


def _branches(unit: Unit, earlier: Period, later: Period) -> list[BranchChange]:
    """The direct sub-units side by side (their subtrees added up from their snapshots):
    which improved (more done or on track, fewer late, at risk or off track) and which
    slipped."""
    # Both were frozen, so both have ended: read them as of the day after the later one.
    day = max(earlier.end, later.end) + datetime.timedelta(days=1)
    before, after = frozen_review(unit, earlier, today=day), frozen_review(unit, later, today=day)
    if before is None or after is None:
        return []
    old = {branch["unit"].pk: branch for branch in before.branches}
    rows = []
    for branch in after.branches:
        prior = old.get(branch["unit"].pk, {"tasks": {}, "targets": {}})
        figures, better, worse = [], 0, 0
        for group, name in BRANCH_FIGURES:
            was, now = prior[group].get(name, 0), branch[group].get(name, 0)
            figures.append((name, was, now))
            if now != was:
                if (now > was) == (name in GOOD_WHEN_RISING):
                    better += 1
                else:
                    worse += 1
        rows.append(BranchChange(branch["unit"], figures, better > 0 and not worse,
                                 worse > 0 and not better))
    return rows


def _status(kind: str, row: dict[str, Any]) -> str:
    if kind == "task" and row["state"] == "done":
        return "done"
    return row["status"] or ("no_data" if kind == "target" else "not_started")


def rebaselining_proposals(user: Any, snapshot: Snapshot) -> list[dict[str, Any]]:
    """At a mid-term review: the unit's targets that were off their path when it was frozen
    and still exist, each with whether this person may ask for its re-baselining (the change
    requests' rule: the target's responsible person or a manager over its unit). Two queries."""
    if snapshot.period_kind != PeriodKind.MIDTERM:
        return []
    off_track = {row["id"]: row for row in data_of(snapshot)["targets"]
                 if row["status"] == "off_track"}
    if not off_track:
        return []
    manager = has_role(user, snapshot.unit, Role.MANAGER)
    rows = []
    for pk, responsible in (Target.objects.filter(pk__in=off_track, unit=snapshot.unit)
                            .values_list("pk", "responsible_person_id").order_by("code")):
        rows.append({**off_track[pk], "may_ask": manager or responsible == user.pk})
    return rows
