"""Reads for reports: every figure a report shows (`report_content`), and the reports, schedules
and signed documents a person may see.

`report_content` returns plain data (strings, numbers, dates, lists and dicts) that the DOCX, PDF
and XLSX writers all render: one content, three formats. It covers the unit's whole subtree and
runs a fixed number of queries whatever the subtree's size; the caller checks that the person
may see the unit (a role reaching a unit reaches its subtree, so nothing below is hidden).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sixclear.dashboards.selectors import overview
from sixclear.meetings.selectors import MonthMeasures, less_meeting_year
from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.monitoring.selectors import target_outlook
from sixclear.monitoring.target_assessment import LIKELIHOOD_LABELS
from sixclear.orgs.models import Membership, Role, Unit, UnitKind
from sixclear.orgs.selectors import ancestor_paths, scope_q
from sixclear.plans.models import Program, ProgramKind, Target
from sixclear.plans.selectors import visible_programs
from sixclear.snapshots.selectors import FrozenReview, frozen_review
from sixclear.tracking.models import Measurement, Task, TaskState
from sixclear.tracking.selectors import visible_tasks, with_latest_report

from .models import (
    DocumentKind,
    IssuingBody,
    Report,
    ReportNarrative,
    ReportSchedule,
    ReportSigner,
    SignedDocument,
    SigningCapacity,
)
from .periods import Period, PeriodKind


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def number(value: Any) -> Any:
    """Decimals become floats (or ints when whole) so every writer shows numbers as numbers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass
class ReportContent:
    """Everything a periodic report shows, as plain data."""

    language: str
    unit_name: str
    unit_code: str
    parent_name: str
    place: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    issued_on: datetime.date
    number: str
    title: str
    summary: list = field(default_factory=list)  # [(label, value)]
    task_counts: dict = field(default_factory=dict)  # status -> count
    target_counts: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)
    tasks_done: list = field(default_factory=list)
    tasks_late: list = field(default_factory=list)
    tasks_at_risk: list = field(default_factory=list)
    obstacles: list = field(default_factory=list)
    sub_units: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)  # section -> rows in all (lists are capped)
    recipients: list = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""
    status_labels: dict = field(default_factory=dict)
    issuing_body: str = IssuingBody.PARTY
    superior_line: str = ""  # "ĐẢNG BỘ TỈNH GIA LAI" (party) or "" (people's committee)
    issuer_line: str = ""  # "ĐẢNG ỦY XÃ HÒA HỘI" or "ỦY BAN NHÂN DÂN XÃ HÒA HỘI"
    number_line: str = ""  # "Số 12-BC/ĐU" or "Số: 12/BC-UBND"
    signature: SignatureBlock | None = None
    narrative: dict = field(default_factory=dict)  # results, shortcomings, next_tasks
    motto: tuple = ("", "")
    # A year's report: the fewer-meetings measures per month and for the year (else empty).
    meeting_measures: list = field(default_factory=list)


def _place(unit: Unit) -> tuple[str, Unit | None]:
    """The place on the date line: the issuer's own commune, ward or province (the nearest
    such unit at or above it), and the province it belongs to."""
    place, province = "", None
    for ancestor in Unit.objects.filter(path__in=ancestor_paths(unit)).order_by("-depth"):
        if not place and ancestor.kind in (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.PROVINCE):
            place = ancestor.name
        if ancestor.kind == UnitKind.PROVINCE:
            return place, ancestor
    return place or unit.name, province


# Vietnamese writes the level before the name: "xã Hòa Hội", "tỉnh Gia Lai".
def _level(unit: Unit) -> str:
    words: dict[str, str] = {
        UnitKind.PROVINCE: pgettext("administrative level", "province"),
        UnitKind.COMMUNE: pgettext("administrative level", "commune"),
        UnitKind.WARD: pgettext("administrative level", "ward"),
    }
    word = words.get(unit.kind)
    return _("%(level)s %(name)s") % {"level": word, "name": unit.name} if word else unit.name


@dataclass
class SignatureBlock:
    """The printed signature block: "T/M ĐẢNG ỦY" / "K/T BÍ THƯ" / "PHÓ BÍ THƯ" over the
    space for the signature and the name. The signature's stamp names the same person."""

    lines: list  # upper-case lines above the space
    name: str
    user_id: int | None
    capacity: str = SigningCapacity.PRINCIPAL
    title: str = ""  # the signer's own title, as designated


def designated_signer(unit: Unit) -> ReportSigner:
    """The unit's stored designation, or the default one (not saved): its first leader by
    membership, with their title, signing for the party committee."""
    stored = ReportSigner.objects.filter(unit=unit).select_related("signer", "deputy").first()
    if stored is not None:
        return stored
    membership = (Membership.objects.filter(unit=unit, role=Role.LEADER)
                  .select_related("user").order_by("pk").first())
    designation = ReportSigner(unit=unit, issuing_body=IssuingBody.PARTY)
    if membership is not None:
        designation.signer, designation.signer_title = membership.user, membership.title
    return designation


def signature_block(designation: ReportSigner,
                    capacity: str = SigningCapacity.PRINCIPAL) -> SignatureBlock:
    """The block for the head, or for the deputy signing for the head ("K/T" in the party's
    format, "KT." in the state's), under the collective body ("T/M", "TM.")."""
    party = designation.issuing_body == IssuingBody.PARTY
    if party:  # Hướng dẫn 36-HD/VPTW writes "T/M" and "K/T"
        on_behalf = pgettext("party format", "On behalf of %(body)s")
        signed_for = pgettext("party format", "Signed for the %(title)s")
        body = _("the party committee")
    else:  # Decree 30/2020 writes "TM." and "KT."
        on_behalf = pgettext("state format", "On behalf of %(body)s")
        signed_for = pgettext("state format", "Signed for the %(title)s")
        body = _("the people's committee")
    lines = [on_behalf % {"body": body}]
    person: Any = designation.signer if designation.signer_id else None
    title = designation.signer_title
    if capacity == SigningCapacity.DEPUTY and designation.deputy_id:
        lines.append(signed_for % {"title": title})
        person, title = designation.deputy, designation.deputy_title
    else:
        capacity = SigningCapacity.PRINCIPAL
    if title:
        lines.append(title)
    return SignatureBlock(lines=[line.upper() for line in lines], name=person_name(person),
                          user_id=person.pk if person else None, capacity=capacity,
                          title=title)


def issuer_heading(unit: Unit, designation: ReportSigner, serial: str,
                   number_text: str = "", code: str = "BC") -> dict[str, str]:
    """The issuer's heading by its format. Party committee (Hướng dẫn 36-HD/VPTW): the
    superior party organisation over the committee, "Số 12-BC/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM".
    People's committee (Decree 30/2020): "ỦY BAN NHÂN DÂN XÃ …", "Số: 12/BC-UBND", the
    national motto. The place is the issuer's own. `code` is the document's kind in the
    number: BC (report), TB (notice), QĐ (decision), BB (minutes)."""
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    if designation.issuing_body == IssuingBody.PARTY:
        if unit.kind == UnitKind.PROVINCE:
            issuer = _("Provincial Party Committee of %(name)s") % {"name": unit.name}
            superior, suffix = "", "TU"
        else:
            issuer = _("Party Committee of %(unit)s") % {"unit": _level(unit)}
            superior = (_("Party Organisation of %(unit)s") % {"unit": _level(parent)}
                        if parent is not None and parent.depth > 1 else "")
            suffix = "ĐU"
        number_text = number_text or f"{serial}-{code}/{suffix}"
        number_line = pgettext("party format", "No. %(number)s") % {"number": number_text}
        motto = (_("COMMUNIST PARTY OF VIET NAM"), "")
    else:
        issuer = _("People's Committee of %(unit)s") % {"unit": _level(unit)}
        superior = ""
        number_text = number_text or f"{serial}/{code}-UBND"
        number_line = _("No.: %(number)s") % {"number": number_text}
        motto = (_("SOCIALIST REPUBLIC OF VIET NAM"), _("Independence – Freedom – Happiness"))
    return {"issuer": issuer, "issuer_line": issuer.upper(), "superior_line": superior.upper(),
            "number": number_text, "number_line": number_line, "motto_1": motto[0],
            "motto_2": motto[1]}


# A listed task as plain values: one query per list, no model instances (a province's
# lists run to thousands of rows, all of which the XLSX holds).
TASK_VALUES = ("id", "code", "title", "unit__name", "owner__username", "owner__first_name",
               "owner__last_name", "deadline", "completed_on", "percent_complete")


def _task_row(task: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    deadline = task["deadline"]
    owner = f"{task['owner__first_name'] or ''} {task['owner__last_name'] or ''}".strip()
    return {
        "code": task["code"], "title": task["title"], "unit": task["unit__name"],
        "owner": owner or task["owner__username"] or "", "deadline": deadline,
        "completed_on": task["completed_on"], "percent": task["percent_complete"],
        "days_late": (today - deadline).days if deadline and deadline < today else 0,
        "obstacle": task.get("latest_obstacles") or "",
    }


def _listed(queryset: QuerySet[Any], limit: int,
            convert: Any = None) -> tuple[list[Any], int]:
    """The first `limit` rows of `queryset` and how many there are in all: counted by a
    second query only when there are more."""
    rows = list(queryset[:limit + 1])
    total = len(rows) if len(rows) <= limit else queryset.count()
    rows = rows[:limit]
    return ([convert(row) for row in rows] if convert else rows), total


def report_content(unit: Unit, period: Period, *, today: datetime.date | None = None,
                   language: str = "", number_text: str = "", serial: str = "",
                   capacity: str = SigningCapacity.PRINCIPAL,
                   narrative: dict[str, str] | None = None) -> ReportContent:
    """The figures of a periodic report of `unit` (and its sub-units) for `period`.

    Statuses are those of the latest monitoring scan (`TaskHealth`, `TargetHealth`); tasks done
    count by their completion date within the period; targets show the unit's own targets with
    baseline, expected, actual, gap, required rate or yearly amount, status and forecast.
    For a period that has ended and was frozen (`snapshots`), all of it comes from the
    period's snapshots instead, so a past period's report never changes with today's data.
    """
    today = today or timezone.localdate()
    limit = settings.REPORTS_ROW_LIMIT
    # A fresh row: treebeard finds children from the stored child count.
    unit = Unit.objects.get(pk=unit.pk)
    frozen = frozen_review(unit, period, today=today)
    if frozen is not None:
        parts = _frozen_parts(frozen, limit)
    else:
        parts = _current_parts(unit, period, today, limit)
    task_counts, target_counts, targets = parts["task_counts"], parts["target_counts"], \
        parts["targets"]
    status_labels = dict(TaskStatus.choices) | {
        f"target_{k}": v for k, v in TargetStatus.choices}

    place, province = _place(unit)
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    designation = designated_signer(unit)
    signature = signature_block(designation, capacity)
    heading = issuer_heading(unit, designation, serial or "…", number_text)
    content = ReportContent(
        language=language, unit_name=unit.name, unit_code=unit.code,
        parent_name=parent.name if parent else "", place=place,
        period_label=period.label(), period_start=period.start, period_end=period.end,
        issued_on=today, number=heading["number"],
        title=_("Report on carrying out the resolution, programs and plans"),
        task_counts=task_counts, target_counts=target_counts, targets=targets,
        tasks_done=parts["tasks_done"], tasks_late=parts["tasks_late"],
        tasks_at_risk=parts["tasks_at_risk"], obstacles=parts["obstacles"],
        sub_units=parts["branches"],
        totals=parts["totals"],
        recipients=[name for name in (parent.name if parent else "", unit.name) if name],
        signer_name=signature.name, signer_title=" ".join(signature.lines),
        status_labels=status_labels, issuing_body=designation.issuing_body,
        superior_line=heading["superior_line"], issuer_line=heading["issuer_line"],
        number_line=heading["number_line"], signature=signature,
        motto=(heading["motto_1"], heading["motto_2"]),
    )
    if period.kind == PeriodKind.YEAR:
        content.meeting_measures = meeting_measure_rows(unit, period.year)
    return _finish(content, province, task_counts, target_counts, narrative)


def _measure_row(label: str, row: MonthMeasures) -> dict[str, Any]:
    return {"month": label, "meetings": row.meetings, "average_minutes": row.average_minutes,
            "decisive_percent": row.decisive_percent,
            "resolved_in_meetings": row.resolved_in_meetings,
            "resolved_elsewhere": row.resolved_elsewhere,
            "median_days_open": row.median_days_open,
            "conclusions_done": row.conclusions_done,
            "conclusions_on_time": row.conclusions_on_time}


def meeting_measure_rows(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The year's fewer-meetings measures of the subtree (`meetings.selectors`): one row a
    month, then the year's. Read from the meetings as recorded: a closed meeting never
    changes, so a past year reads the same."""
    months, total = less_meeting_year(unit, year)
    rows = [_measure_row(Period(PeriodKind.MONTH, year, row.month.month).label(), row)
            for row in months]
    rows.append(_measure_row(Period(PeriodKind.YEAR, year).label(), total))
    return rows


def _current_parts(unit: Unit, period: Period, today: datetime.date,
                   limit: int) -> dict[str, Any]:
    """The report's figures and rows computed now: statuses of the latest scan, the
    dashboards' rollups."""
    # The subtree's units by id, not by a join on their path: PostgreSQL then reads the
    # province's tasks through the unit index instead of scanning every task of the country
    # (4 lists × 1 M rows nationally).
    unit_ids = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    subtree = Task.objects.filter(unit_id__in=unit_ids).exclude(
        state__in=(TaskState.DRAFT, TaskState.CANCELLED))

    def listed(tasks: QuerySet[Task], order: str,
               *extra: str) -> tuple[list[dict[str, Any]], int]:
        return _listed(tasks.order_by(order, "pk").values(*TASK_VALUES, *extra), limit,
                       lambda task: _task_row(task, today))

    done, done_total = listed(subtree.filter(
        state=TaskState.DONE, completed_on__range=(period.start, period.end)), "completed_on")
    late, late_total = listed(subtree.filter(health__status=TaskStatus.LATE), "deadline")
    at_risk, at_risk_total = listed(with_latest_report(
        subtree.filter(health__status=TaskStatus.AT_RISK)), "deadline", "latest_obstacles")
    # The scan's flag picks the tasks; the latest report's words are read for the listed ones.
    obstacles, obstacles_total = listed(with_latest_report(subtree.filter(
        state=TaskState.ISSUED, health__has_open_obstacle=True)), "deadline", "latest_obstacles")

    # Totals and sub-units side by side: the dashboards' per-unit rollups, added up over the
    # subtree (one figure, one way, on the dashboard and in the report).
    figures = overview(unit)
    tasks, goals = figures.tasks, figures.targets
    task_counts = {
        "total": tasks.assigned, "stale": tasks.stale, "open": tasks.open,
        TaskStatus.DONE: tasks.done, TaskStatus.ON_TRACK: tasks.on_track,
        TaskStatus.AT_RISK: tasks.at_risk, TaskStatus.LATE: tasks.late,
        TaskStatus.NOT_STARTED: tasks.not_started, "done_in_period": done_total,
    }
    target_counts = {
        "total": goals.targets, TargetStatus.ON_TRACK: goals.on_track,
        TargetStatus.BEHIND: goals.behind, TargetStatus.OFF_TRACK: goals.off_track,
        TargetStatus.NO_DATA: goals.no_data,
    }

    # The unit's own targets in detail, with their path and values prefetched.
    measurements = Measurement.objects.order_by("year", "period_kind", "period_number")
    own_targets, targets_total = _listed(
        Target.objects.filter(unit=unit).select_related("health").prefetch_related(
            "trajectory", Prefetch("measurements", queryset=measurements)).order_by("code"),
        limit)
    targets = []
    for target in own_targets:
        outlook = target_outlook(target)
        health = outlook.health
        status = health.status if health else TargetStatus.NO_DATA
        targets.append({
            "code": target.code, "name": target.name, "unit_of_measure": target.unit_of_measure,
            "area": target.group,
            "baseline": number(target.baseline_value), "baseline_year": target.baseline_year,
            "goal": number(outlook.goal), "target_year": target.target_year,
            "expected": number(health.expected) if health else None,
            "actual": number(health.actual) if health else None,
            "gap": number(health.gap) if health else None,
            "gap_percent": number(health.gap_percent) if health else None,
            "required_rate": number(outlook.required_rate),
            "required_amount": number(outlook.required_amount),
            "status": status, "status_label": str(TargetStatus(status).label),
            "forecast": str(outlook.forecast.label),
        })

    branches = []
    for row in figures.league:
        branches.append({
            "unit": row.unit.name, "kind": str(row.unit.get_kind_display()),
            "total": row.tasks.assigned, "open": row.tasks.open, "done": row.tasks.done,
            "late": row.tasks.late, "at_risk": row.tasks.at_risk,
            "done_share": round(100 * row.tasks.done / row.tasks.assigned)
            if row.tasks.assigned else None,
            "targets": row.targets.targets, "on_track": row.targets.on_track,
            "behind": row.targets.behind, "off_track": row.targets.off_track,
        })

    return {
        "task_counts": task_counts, "target_counts": target_counts, "targets": targets,
        "tasks_done": done, "tasks_late": late, "tasks_at_risk": at_risk,
        "obstacles": obstacles, "branches": branches,
        "totals": {"targets": targets_total, "done": done_total, "late": late_total,
                   "at_risk": at_risk_total, "obstacles": obstacles_total},
    }


def _frozen_parts(frozen: FrozenReview, limit: int) -> dict[str, Any]:
    """The same figures and rows read from the period's snapshots (`snapshots`): as they
    were when the period was frozen, so a later change never alters a past period's report.
    Days late count to the period's end."""
    figures, goals, end = frozen.task_figures, frozen.target_figures, frozen.as_of
    period = frozen.period
    task_counts = {
        "total": figures.get("assigned", 0), "stale": figures.get("stale", 0),
        "open": figures.get("open", 0), TaskStatus.DONE: figures.get("done", 0),
        TaskStatus.ON_TRACK: figures.get("on_track", 0),
        TaskStatus.AT_RISK: figures.get("at_risk", 0), TaskStatus.LATE: figures.get("late", 0),
        TaskStatus.NOT_STARTED: figures.get("not_started", 0),
        "done_in_period": sum(1 for t in frozen.tasks if t["state"] == TaskState.DONE
                              and t["completed_on"]
                              and period.start <= t["completed_on"] <= period.end),
    }
    target_counts = {
        "total": goals.get("targets", 0), TargetStatus.ON_TRACK: goals.get("on_track", 0),
        TargetStatus.BEHIND: goals.get("behind", 0),
        TargetStatus.OFF_TRACK: goals.get("off_track", 0),
        TargetStatus.NO_DATA: goals.get("no_data", 0),
    }
    targets = []
    for row in frozen.targets[:limit]:
        status = row["status"]
        targets.append({
            "code": row["code"], "name": row["name"], "unit_of_measure": row["unit_of_measure"],
            "area": row["area"], "baseline": number(row["baseline"]),
            "baseline_year": row["baseline_year"], "goal": number(row["goal"]),
            "target_year": row["target_year"], "expected": number(row["expected"]),
            "actual": number(row["actual"]), "gap": number(row["gap"]),
            "gap_percent": number(row["gap_percent"]),
            "required_rate": number(row["required_rate"]),
            "required_amount": number(row["required_amount"]),
            "status": status, "status_label": str(TargetStatus(status).label),
            "forecast": str(LIKELIHOOD_LABELS[row["forecast"]]),
        })
    obstacles = {row["task"]: row["text"] for row in frozen.obstacles}

    def row_of(task: dict[str, Any]) -> dict[str, Any]:
        deadline = task["deadline"]
        return {"code": task["code"], "title": task["title"], "unit": task["unit"],
                "owner": task["owner"], "deadline": deadline,
                "completed_on": task["completed_on"], "percent": task["percent"],
                "days_late": (end - deadline).days if deadline and deadline < end else 0,
                "obstacle": obstacles.get(task["id"], "")}

    def by_deadline(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda t: (t["deadline"] or datetime.date.max, t["id"]))

    open_tasks = [t for t in frozen.tasks if t["state"] == TaskState.ISSUED]
    done = sorted((t for t in frozen.tasks if t["state"] == TaskState.DONE and t["completed_on"]
                   and period.start <= t["completed_on"] <= period.end),
                  key=lambda t: (t["completed_on"], t["id"]))
    lists = {
        "done": done,
        "late": by_deadline([t for t in open_tasks if t["status"] == TaskStatus.LATE]),
        "at_risk": by_deadline([t for t in open_tasks if t["status"] == TaskStatus.AT_RISK]),
        "obstacles": by_deadline([t for t in open_tasks if t["id"] in obstacles]),
    }
    branches = []
    for branch in frozen.branches:
        tasks, goals_row = branch["tasks"], branch["targets"]
        assigned = tasks.get("open", 0) + tasks.get("done", 0)
        branches.append({
            "unit": branch["unit"].name, "kind": str(branch["unit"].get_kind_display()),
            "total": assigned, "open": tasks.get("open", 0), "done": tasks.get("done", 0),
            "late": tasks.get("late", 0), "at_risk": tasks.get("at_risk", 0),
            "done_share": round(100 * tasks.get("done", 0) / assigned) if assigned else None,
            "targets": goals_row.get("targets", 0), "on_track": goals_row.get("on_track", 0),
            "behind": goals_row.get("behind", 0), "off_track": goals_row.get("off_track", 0),
        })
    return {
        "task_counts": task_counts, "target_counts": target_counts, "targets": targets,
        "tasks_done": [row_of(t) for t in lists["done"][:limit]],
        "tasks_late": [row_of(t) for t in lists["late"][:limit]],
        "tasks_at_risk": [row_of(t) for t in lists["at_risk"][:limit]],
        "obstacles": [row_of(t) for t in lists["obstacles"][:limit]],
        "branches": branches,
        "totals": {"targets": len(frozen.targets)} | {key: len(rows)
                                                       for key, rows in lists.items()},
    }


def _finish(content: ReportContent, province: Unit | None, task_counts: dict[str, Any],
            target_counts: dict[str, Any], narrative: dict[str, str] | None) -> ReportContent:
    content.summary = [
        (_("Tasks issued in all"), task_counts["total"]),
        (_("Tasks done within the period"), task_counts["done_in_period"]),
        (_("Tasks done in all"), task_counts[TaskStatus.DONE]),
        (_("Tasks on track"), task_counts[TaskStatus.ON_TRACK]),
        (_("Tasks at risk"), task_counts[TaskStatus.AT_RISK]),
        (_("Tasks late"), task_counts[TaskStatus.LATE]),
        (_("Tasks not started"), task_counts[TaskStatus.NOT_STARTED]),
        (_("Tasks whose owner has not reported on time"), task_counts["stale"]),
        (_("Targets in all"), target_counts["total"]),
        (_("Targets on track"), target_counts[TargetStatus.ON_TRACK]),
        (_("Targets behind"), target_counts[TargetStatus.BEHIND]),
        (_("Targets off track"), target_counts[TargetStatus.OFF_TRACK]),
        (_("Targets without data"), target_counts[TargetStatus.NO_DATA]),
    ]
    if province is not None and province.name not in content.recipients:
        content.recipients.insert(0, province.name)
    content.recipients.append(_("Archives"))
    content.narrative = narrative if narrative is not None else narrative_draft(content)
    return content


NARRATIVE_PARTS = ("results", "shortcomings", "next_tasks")
DRAFT_NAMES = 5  # tasks or targets named in a sentence of the draft


def narrative_titles() -> list[tuple[str, str]]:
    return [("results", _("Results achieved")),
            ("shortcomings", _("Shortcomings and their causes")),
            ("next_tasks", _("Tasks for the next period"))]


def _names(rows: list[dict[str, Any]], key: str = "title") -> str:
    shown = [str(row[key]) for row in rows[:DRAFT_NAMES]]
    more = len(rows) - len(shown)
    text = "; ".join(shown)
    return text + (_("; and %(count)s more") % {"count": more} if more > 0 else "")


def narrative_draft(content: ReportContent) -> dict[str, str]:
    """A first draft of the report's words from its figures: tasks done and targets on their
    path; late tasks, targets off their path and open obstacles with their causes; what to do
    next. A manager edits it before the report is signed."""
    counts, goals = content.task_counts, content.target_counts
    on_path = [t for t in content.targets if t["status"] == TargetStatus.ON_TRACK]
    off_path = [t for t in content.targets
                if t["status"] in (TargetStatus.BEHIND, TargetStatus.OFF_TRACK)]
    results = [_("In the period %(done)s tasks were completed (%(all)s completed in all of "
                 "%(issued)s issued); %(on_track)s tasks are on track.") % {
        "done": counts["done_in_period"], "all": counts[TaskStatus.DONE],
        "issued": counts["total"], "on_track": counts[TaskStatus.ON_TRACK]}]
    if content.tasks_done:
        results.append(_("Completed: %(names)s.") % {"names": _names(content.tasks_done)})
    results.append(_("%(on)s of %(all)s targets are on their path.") % {
        "on": goals[TargetStatus.ON_TRACK], "all": goals["total"]})
    if on_path:
        results.append(_("On their path: %(names)s.") % {"names": _names(on_path, "name")})
    shortcomings = []
    if content.tasks_late:
        shortcomings.append(_("%(count)s tasks are late: %(names)s.") % {
            "count": counts[TaskStatus.LATE], "names": _names(content.tasks_late)})
    if off_path:
        shortcomings.append(_("Targets behind or off their path: %(names)s.") % {
            "names": _names(off_path, "name")})
    if content.obstacles:
        shortcomings.append(_("Causes reported by those in charge: %(names)s.") % {
            "names": _names(content.obstacles, "obstacle")})
    if not shortcomings:
        shortcomings.append(_("No task is late and no target is off its path."))
    next_tasks = []
    if content.tasks_late:
        next_tasks.append(_("Complete the late tasks: %(names)s.") % {
            "names": _names(content.tasks_late)})
    if content.obstacles:
        next_tasks.append(_("Resolve the obstacles of: %(names)s.") % {
            "names": _names(content.obstacles)})
    if off_path:
        next_tasks.append(_("Bring back on their path: %(names)s.") % {
            "names": _names(off_path, "name")})
    next_tasks.append(_("Keep the tasks on track to their deadlines and report on time."))
    return {"results": "\n".join(results), "shortcomings": "\n".join(shortcomings),
            "next_tasks": "\n".join(next_tasks)}


def long_date(day: datetime.date) -> str:
    """A date as documents write it: "23 November 2026"; in Vietnamese "ngày 23 tháng 11 năm
    2026" (Decree 30/2020 pads days and months with a zero)."""
    # Translators: a Django date format; in Vietnamese: \n\g\à\y d \t\h\á\n\g m \n\ă\m Y
    return date_format(day, _("j F Y"))


def issued_date_line(content: ReportContent) -> str:
    """"Gia Lai, 23 November 2026": the place and date line of the heading."""
    return _("%(place)s, %(date)s") % {"place": content.place,
                                       "date": long_date(content.issued_on)}


@dataclass
class Appendix:
    program_number: str
    program_title: str
    issued_on: datetime.date | None
    unit_name: str
    parent_name: str
    place: str
    rows: list


def decision_appendix(user: Any, program: Program) -> Appendix:
    """The appendix of a leadership decision: its tasks with the six clears (work, person,
    lead and coordinating units, deadline, result, authority), in the decision's order."""
    tasks = (visible_tasks(user).filter(program=program)
             .exclude(state=TaskState.CANCELLED)
             .select_related("owner", "lead_unit", "authority")
             .prefetch_related("coordinating_units").order_by("code", "deadline", "pk"))
    rows = []
    for position, task in enumerate(tasks, start=1):
        rows.append({
            "position": position, "code": task.code, "work": task.title,
            "description": task.description, "person": person_name(task.owner),
            "lead_unit": task.lead_unit.name if task.lead_unit else "",
            "coordinating_units": ", ".join(u.name for u in task.coordinating_units.all()),
            "deadline": task.deadline, "result": task.expected_result,
            "authority": person_name(task.authority) or task.authority_body,
        })
    place, _province = _place(program.unit)
    parent = Unit.objects.get_parent(program.unit) if program.unit.depth > 1 else None
    return Appendix(program_number=program.number, program_title=program.title,
                    issued_on=program.issued_on, unit_name=program.unit.name,
                    parent_name=parent.name if parent else "", place=place, rows=rows)


def visible_decisions(user: Any) -> QuerySet[Program]:
    return visible_programs(user).filter(kind=ProgramKind.DECISION).select_related("unit")


# Reports, schedules and signed documents a person may see: those of the units they reach.

def visible_reports(user: Any) -> QuerySet[Report]:
    return Report.objects.filter(scope_q(user, "unit")).select_related("unit", "created_by")


def visible_schedules(user: Any) -> QuerySet[ReportSchedule]:
    return ReportSchedule.objects.filter(scope_q(user, "unit")).select_related("unit")


# The minutes and decision of an evaluation round are read by the deciding unit's managers and
# above (and the round's subjects, through `reports.evaluation_documents`), not by every viewer.
MANAGERS_ONLY = (DocumentKind.EVALUATION_MINUTES, DocumentKind.EVALUATION_DECISION)


def visible_signed_documents(user: Any) -> QuerySet[SignedDocument]:
    return SignedDocument.objects.filter(
        (scope_q(user, "unit") & ~Q(kind__in=MANAGERS_ONLY))
        | (scope_q(user, "unit", minimum=Role.MANAGER) & Q(kind__in=MANAGERS_ONLY))
    ).select_related("unit", "report", "supersedes", "superseded_by")


def unit_reports(user: Any, unit: Unit) -> QuerySet[Report]:
    return visible_reports(user).filter(unit=unit).order_by("-created_at", "-pk")


def unit_signed_documents(user: Any, unit: Unit) -> QuerySet[SignedDocument]:
    return visible_signed_documents(user).filter(unit=unit).order_by("-signed_at", "-pk")


PANEL_ROWS = 3


def unit_panel(unit: Unit) -> dict[str, list[dict[str, Any]]]:
    """The unit page's reports card in ONE query: the latest reports, the latest signed
    documents and the schedules, as plain rows. The unit page has checked access already."""
    report, signed, schedule = (Report._meta.db_table, SignedDocument._meta.db_table,
                                ReportSchedule._meta.db_table)
    # Table names come from the models and the limits are constants; the unit is a parameter.
    sql = (
        f"SELECT * FROM (SELECT 'report' AS kind, id, period_kind AS a, format AS b, "  # noqa: S608
        f"status AS c, year AS n1, period_number AS n2, created_at AS at FROM {report} "
        f"WHERE unit_id = %s ORDER BY created_at DESC, id DESC LIMIT {PANEL_ROWS}) r "
        f"UNION ALL SELECT * FROM (SELECT 'signed' AS kind, id, title AS a, signer_name AS b, "
        f"'' AS c, 0 AS n1, 0 AS n2, signed_at AS at FROM {signed} "
        f"WHERE unit_id = %s ORDER BY signed_at DESC, id DESC LIMIT {PANEL_ROWS}) s "
        f"UNION ALL SELECT * FROM (SELECT 'schedule' AS kind, id, period_kind AS a, "
        f"format AS b, language AS c, day_of_month AS n1, 0 AS n2, created_at AS at "
        f"FROM {schedule} WHERE unit_id = %s AND is_active ORDER BY id LIMIT 10) p"
    )
    rows: dict[str, list[dict[str, Any]]] = {"report": [], "signed": [], "schedule": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, unit.pk, unit.pk])
        for kind, pk, a, b, c, n1, n2, at in cursor.fetchall():
            rows[kind].append({"pk": pk, "a": a, "b": b, "c": c, "n1": n1, "n2": n2, "at": at})
    for row in rows["report"]:
        row["period"] = Period(row["a"], row["n1"], row["n2"]).label()
    return rows


def latest_signature_of(report: Report) -> SignedDocument | None:
    """The current (not superseded) signed document of a report, if any."""
    return (SignedDocument.objects.filter(report=report, superseded_by__isnull=True)
            .order_by("-signed_at", "-pk").first())



def stored_signed_copy(user: Any, data: bytes) -> SignedDocument | None:
    """The signed document stored here with exactly these bytes, if the person may see it."""
    import hashlib

    return visible_signed_documents(user).filter(sha256=hashlib.sha256(data).hexdigest()).first()


def narrative_of(report: Report) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(report=report).first()


def signer_choices(unit: Unit) -> QuerySet[Any]:
    """People who may be designated to sign a unit's reports: those with a role in the unit
    or a unit above it (the references a unit may point at)."""
    return (get_user_model().objects
            .filter(memberships__unit__path__in=ancestor_paths(unit), is_active=True)
            .distinct().order_by("first_name", "username"))


def is_signed(report: Report) -> bool:
    return SignedDocument.objects.filter(report=report).exists()


def designated_to_sign(user: Any) -> bool:
    """Whether the person is designated to sign a unit's reports, as its head or as the deputy
    signing for the head (without a designation a unit's leader signs, who is a leader)."""
    return bool(user.is_authenticated and ReportSigner.objects.filter(
        Q(signer=user) | Q(deputy=user)).exists())
