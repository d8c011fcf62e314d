"""Reads of procedures and cases, scoped by access.

A procedure is visible in its unit's subtree (like every record), and a procedure shared with
the units below is visible, and usable for cases, from every unit under it. Cases are visible
in their unit's subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, Substr
from django.utils import timezone
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from sixclear.orgs.models import ROLE_RANK, Membership, Role, Unit
from sixclear.orgs.selectors import (
    ancestor_paths,
    membership_paths,
    reaches_unit,
    scope_q,
    sees_everything,
    sub_units,
)

from .models import (
    Case,
    CaseState,
    CaseStep,
    ClockKind,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Procedure,
    ProcedureStep,
    ProcedureVersion,
    StepMonthRollup,
    StepState,
)


def _shared_from_above(paths: list[str]) -> Q:
    above = {prefix for path in paths for prefix in _prefixes(path)}
    return Q(shared_below=True, unit__path__in=sorted(above))


def _prefixes(path: str) -> list[str]:
    step = Unit.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def visible_procedures(user: Any) -> QuerySet[Procedure]:
    if sees_everything(user):
        return Procedure.objects.all()
    paths = list(membership_paths(user))
    return Procedure.objects.filter(scope_q(user, "unit") | _shared_from_above(paths))


def procedures_for_unit(unit: Unit) -> QuerySet[Procedure]:
    """The procedures a case of `unit` may run on: the unit's own and those shared from above."""
    return Procedure.objects.filter(
        Q(unit=unit) | Q(shared_below=True, unit__path__in=ancestor_paths(unit)[:-1])
    ).select_related("unit").order_by("code")


def register(unit: Unit) -> QuerySet[Procedure]:
    """A unit's register: its own procedures and those shared from above, each with its
    versions (newest first) and their steps, and its objectives."""
    return procedures_for_unit(unit).select_related("owner").prefetch_related(
        Prefetch("versions", queryset=ProcedureVersion.objects.prefetch_related("steps")),
        "objectives",
    )


def version_in_force(procedure: Procedure, on: datetime.date) -> ProcedureVersion | None:
    """The version whose effective date is the latest on or before `on`."""
    return (procedure.versions.filter(effective_from__lte=on)
            .order_by("-effective_from").first())


def current_version(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions.order_by("-effective_from").first()


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(scope_q(user, "unit"))


def case_list(unit: Unit, *, include_sub_units: bool = False, state: str = "",
              late_on: datetime.date | None = None) -> QuerySet[Case]:
    cases = Case.objects.filter(unit__path__startswith=unit.path) if include_sub_units \
        else Case.objects.filter(unit=unit)
    if state:
        cases = cases.filter(state=state)
    if late_on:
        cases = cases.filter(steps__state=StepState.ACTIVE, steps__due_date__lt=late_on)
    return cases.select_related("unit", "procedure_version__procedure").prefetch_related(
        Prefetch("steps", queryset=CaseStep.objects.filter(state=StepState.ACTIVE)
                 .select_related("step", "handler"), to_attr="active_steps"))


def case_steps(case: Case) -> list[CaseStep]:
    return list(case.steps.select_related("step", "handler").order_by("position"))


def nonconformity_log(item: Nonconformity) -> list[StateLog]:
    """The nonconformity's stages, oldest first, with who moved it and their comment."""
    return list(StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Nonconformity), object_id=item.pk)
        .select_related("by", "content_type").order_by("timestamp", "pk"))


def case_log(case: Case) -> list[tuple[StateLog, int | None]]:
    """Every transition of the case and its steps, oldest first, with who made it, each with
    the position of its step (None for the case's own)."""
    positions = dict(case.steps.values_list("pk", "position"))
    types = ContentType.objects.get_for_models(Case, CaseStep)
    entries = (StateLog.objects.filter(
        Q(content_type=types[Case], object_id=case.pk)
        | Q(content_type=types[CaseStep], object_id__in=list(positions)))
        .select_related("by", "content_type").order_by("timestamp", "pk"))
    return [(entry, positions.get(entry.object_id)
             if entry.content_type_id == types[CaseStep].pk else None) for entry in entries]


def active_step(case: Case) -> CaseStep | None:
    return case.steps.filter(state=StepState.ACTIVE).select_related("step", "handler").first()


@dataclass
class CaseActions:
    hand_over: bool = False
    suspend: bool = False
    resume: bool = False
    extend: bool = False


def case_actions(user: Any, case: Case, step: CaseStep | None) -> CaseActions:
    """Which actions the case page offers: what the state machines allow and the person's role
    permits (the services check again)."""
    officer = reaches_unit(user, case.unit, Role.OFFICER)
    manager = reaches_unit(user, case.unit, Role.MANAGER)
    return CaseActions(
        hand_over=step is not None and can_proceed(step.hand_over)
        and (can_proceed(case.advance) or can_proceed(case.close))
        and reaches_unit(user, case.unit, step.step.role),
        suspend=officer and can_proceed(case.suspend),
        resume=officer and can_proceed(case.resume),
        extend=manager and can_proceed(case.extend),
    )


def handover_choices(unit: Unit, minimum: str = Role.VIEWER) -> QuerySet[Any]:
    """People who may receive a step of a case of `unit`: a role of at least `minimum` in it
    or in a unit above it."""
    roles = [role for role in Role.values if ROLE_RANK[role] >= ROLE_RANK[minimum]]
    people = Membership.objects.filter(unit__path__in=ancestor_paths(unit), role__in=roles,
                                       unit__is_active=True).values("user")
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("username")


def objective_choices(unit: Unit) -> QuerySet[Any]:
    from sixclear.plans.models import Target
    return Target.objects.filter(unit__path__in=ancestor_paths(unit)).order_by("code")


# --- Performance -----------------------------------------------------------------------------

@dataclass
class Rate:
    done: int = 0
    on_time: int = 0
    working_days: int = 0

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.done + other.done, self.on_time + other.on_time,
                    self.working_days + other.working_days)

    @property
    def percent(self) -> float | None:
        return None if not self.done else 100 * self.on_time / self.done

    @property
    def average_days(self) -> float | None:
        return None if not self.done else self.working_days / self.done


@dataclass
class Performance:
    cases: Rate
    steps: Rate
    by_procedure: list[tuple[Procedure, Rate, Rate]] = field(default_factory=list)
    by_step: list[tuple[Procedure, int, str, Rate]] = field(default_factory=list)
    by_unit: list[tuple[Unit, Rate]] = field(default_factory=list)
    by_month: list[tuple[datetime.date, Rate]] = field(default_factory=list)
    slowest: list[tuple[Procedure, int, str, Rate]] = field(default_factory=list)


def _rate(row: Any) -> Rate:
    return Rate(row["done"] or 0, row["on_time"] or 0, row["days"] or 0)


_SUMS = {"done": Sum("done"), "on_time": Sum("on_time"), "days": Sum("working_days")}


def performance(unit: Unit, year: int) -> Performance:
    """On-time rates of the unit's subtree in `year`, from the rollups: the whole, by
    procedure, by step, by direct sub-unit, by month, and the slowest steps (the longest
    average working days). A fixed number of queries over at most one row per unit, procedure,
    step and month."""
    rows = StepMonthRollup.objects.filter(
        unit__path__startswith=unit.path, month__year=year)
    per_pair = list(rows.values("procedure", "position").annotate(**_SUMS))
    procedures = {procedure.pk: procedure for procedure in Procedure.objects.filter(
        pk__in={row["procedure"] for row in per_pair}).select_related("unit")}
    names = _step_names(procedures.values())
    by_procedure = []
    for pk, procedure in sorted(procedures.items(), key=lambda item: item[1].code):
        pair_rows = [row for row in per_pair if row["procedure"] == pk]
        cases = sum((_rate(row) for row in pair_rows if row["position"] == 0), Rate())
        steps = sum((_rate(row) for row in pair_rows if row["position"]), Rate())
        by_procedure.append((procedure, cases, steps))
    by_step = [(procedures[row["procedure"]], row["position"],
                names.get((row["procedure"], row["position"]), ""), _rate(row))
               for row in sorted(per_pair, key=lambda r: (procedures[r["procedure"]].code,
                                                          r["position"]))
               if row["position"]]
    children = list(sub_units(unit))
    length = len(unit.path) + Unit.steplen
    per_child = {row["branch"]: _rate(row) for row in rows.filter(position=0)
                 .annotate(branch=Substr("unit__path", 1, length))
                 .values("branch").annotate(**_SUMS)}
    by_unit = [(child, per_child.get(child.path, Rate())) for child in children]
    by_month = [(row["month"], _rate(row)) for row in
                rows.filter(position=0).values("month").annotate(**_SUMS).order_by("month")]
    slowest = sorted(by_step, key=lambda item: -(item[3].average_days or 0))[:5]
    return Performance(cases=sum((rate for _p, rate, _s in by_procedure), Rate()),
                       steps=sum((rate for _p, _c, rate in by_procedure), Rate()),
                       by_procedure=by_procedure, by_step=by_step, by_unit=by_unit,
                       by_month=by_month, slowest=slowest)


def _step_names(procedures: Any) -> dict[tuple[int, int], str]:
    """The name of each step position in the procedure's current version."""
    names: dict[tuple[int, int], str] = {}
    steps = (ProcedureStep.objects.filter(version__procedure__in=list(procedures))
             .order_by("version__effective_from")
             .values_list("version__procedure", "position", "name"))
    for procedure_id, position, name in steps:
        names[(procedure_id, position)] = name  # the latest version's name wins
    return names


def stuck_cases(unit: Unit, today: datetime.date, limit: int = 50) -> list[CaseStep]:
    """The subtree's steps in hand past their due date, the longest overdue first."""
    return list(
        CaseStep.objects.filter(case__unit__path__startswith=unit.path,
                                state=StepState.ACTIVE, due_date__lt=today,
                                case__state=CaseState.OPEN)
        .select_related("case", "case__unit", "step", "handler",
                        "case__procedure_version__procedure")
        .order_by("due_date", "pk")[:limit])


def open_counts(unit: Unit, today: datetime.date) -> dict[str, int]:
    return Case.objects.filter(unit__path__startswith=unit.path).aggregate(
        open=Count("pk", filter=Q(state=CaseState.OPEN)),
        suspended=Count("pk", filter=Q(state=CaseState.SUSPENDED)),
        late=Count("pk", filter=Q(state=CaseState.OPEN, due_date__lt=today)),
    )


def suspensions(case: Case) -> QuerySet[Any]:
    return case.clock_changes.filter(kind=ClockKind.SUSPENSION)


# --- Nonconformities -------------------------------------------------------------------------

def visible_nonconformities(user: Any) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.filter(scope_q(user, "unit"))


def unit_nonconformities(unit: Unit) -> QuerySet[Nonconformity]:
    return (Nonconformity.objects.filter(unit__path__startswith=unit.path)
            .select_related("unit", "procedure", "case").order_by("-raised_on", "-pk"))


@dataclass
class NonconformityActions:
    analyse: bool = False
    add_action: bool = False
    submit: bool = False
    review: bool = False
    close: bool = False


def nonconformity_actions(user: Any, nonconformity: Nonconformity) -> NonconformityActions:
    officer = reaches_unit(user, nonconformity.unit, Role.OFFICER)
    manager = reaches_unit(user, nonconformity.unit, Role.MANAGER)
    return NonconformityActions(
        analyse=officer and can_proceed(nonconformity.analyse),
        add_action=manager and can_proceed(nonconformity.propose_action),
        submit=officer and can_proceed(nonconformity.submit_plan),
        review=manager and can_proceed(nonconformity.approve_plan),
        close=manager and can_proceed(nonconformity.close),
    )


# --- The yearly evaluation (ISO 9001:2015, clause 9) ---------------------------------------

LATE_STEPS_LISTED = 20  # the late steps an evaluation names (by due date); all are counted


@dataclass
class AuditSummary:
    """An internal audit of the year with its checklist's results counted (by `CheckResult`
    value; "" for items not checked yet)."""

    audit: InternalAudit
    results: dict[str, int]


@dataclass(slots=True)
class LateStep:
    """A step handed over after its due date in the year, or still in hand past it."""

    case_pk: int
    reference: str
    subject: str
    unit_name: str
    procedure_code: str
    position: int
    step_name: str
    due_date: datetime.date
    done_on: datetime.date | None  # None: still in hand


@dataclass
class Risks:
    """What is still open at the date the evaluation is compiled: steps in hand past their due
    date, nonconformities not closed (of them major), their corrective actions late, and the
    quality objectives behind or off their path."""

    stuck_steps: int = 0
    open_nonconformities: int = 0
    open_major: int = 0
    late_actions: int = 0
    objectives_off_path: list[Any] = field(default_factory=list)


@dataclass
class Evaluation:
    year: int
    as_of: datetime.date
    cases: Rate = field(default_factory=Rate)
    steps: Rate = field(default_factory=Rate)
    by_procedure: list[tuple[Procedure, Rate, Rate]] = field(default_factory=list)
    objectives: dict[int, list[Any]] = field(default_factory=dict)
    nonconformities: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=lambda: {"late": 0})
    audits: list[AuditSummary] = field(default_factory=list)
    late_steps: list[LateStep] = field(default_factory=list)
    late_step_count: int = 0
    risks: Risks = field(default_factory=Risks)


def yearly_evaluation(unit: Unit, year: int,
                      today: datetime.date | None = None) -> Evaluation:
    """What clause 9 asks of a unit's year (see `yearly_evaluations`)."""
    return yearly_evaluations([unit], year, today)[unit.pk]


def _common_path(paths: list[str]) -> str:
    common = paths[0]
    for path in paths[1:]:
        end = 0
        while end < min(len(common), len(path)) and common[end] == path[end]:
            end += 1
        common = common[: end - end % Unit.steplen]
    return common


class _Holders:
    """The requested units whose subtree holds a row's unit (by the prefixes of its path)."""

    def __init__(self, units: list[Unit]):
        self.by_path: dict[str, list[int]] = {}
        for unit in units:
            self.by_path.setdefault(unit.path, []).append(unit.pk)

    def __call__(self, path: str) -> list[int]:
        found: list[int] = []
        for end in range(Unit.steplen, len(path) + 1, Unit.steplen):
            found.extend(self.by_path.get(path[:end], ()))
        return found


def yearly_evaluations(units: list[Unit], year: int,
                       today: datetime.date | None = None) -> dict[int, Evaluation]:
    """What clause 9 asks of each unit's year (its subtree), compiled from what is recorded,
    for any number of units at once in a fixed number of queries (about ten, whatever the
    number of units: each reads the rows under the units' common ancestor once, grouped by
    unit, and adds them up to every unit whose subtree holds them):

    - each procedure's cases closed and steps handed over, and how many on time, from the
      monthly rollups, beside the quality objectives it serves (their trajectory status);
    - the steps handed over late in the year or still in hand past a due date of it (counted,
      and the first `LATE_STEPS_LISTED` by due date named);
    - the year's internal audits with their checklists' results;
    - the nonconformities raised in the year by stage and severity, and their corrective
      actions by task state (late ones counted);
    - the risks still open on `today`."""
    today = today or timezone.localdate()
    found = {unit.pk: Evaluation(year=year, as_of=today) for unit in units}
    if not units:
        return found
    holders = _Holders(units)
    common = _common_path([unit.path for unit in units])
    _add_rates(found, holders, common, year)
    _add_objectives(found)
    _add_late_steps(found, holders, common, year, today)
    _add_audits(found, holders, common, year)
    _add_nonconformities(found, holders, common, year)
    return found


def _add_rates(found: dict[int, Evaluation], holders: _Holders, common: str,
               year: int) -> None:
    case, step = Q(position=0), Q(position__gt=0)
    rows = (StepMonthRollup.objects.filter(unit__path__startswith=common, month__year=year)
            .values_list("unit__path", "procedure_id")
            .annotate(cases_done=Sum("done", filter=case),
                      cases_on_time=Sum("on_time", filter=case),
                      cases_days=Sum("working_days", filter=case),
                      steps_done=Sum("done", filter=step),
                      steps_on_time=Sum("on_time", filter=step),
                      steps_days=Sum("working_days", filter=step))
            .order_by())
    rates: dict[tuple[int, int], tuple[Rate, Rate]] = {}
    for path, procedure_id, *sums in rows:
        cases = Rate(sums[0] or 0, sums[1] or 0, sums[2] or 0)
        steps = Rate(sums[3] or 0, sums[4] or 0, sums[5] or 0)
        for pk in holders(path):
            before = rates.get((pk, procedure_id), (Rate(), Rate()))
            rates[(pk, procedure_id)] = (before[0] + cases, before[1] + steps)
    procedures = Procedure.objects.in_bulk({procedure_id for _pk, procedure_id in rates})
    for (pk, procedure_id), (cases, steps) in rates.items():
        evaluation = found[pk]
        evaluation.by_procedure.append((procedures[procedure_id], cases, steps))
        evaluation.cases += cases
        evaluation.steps += steps
    for evaluation in found.values():
        evaluation.by_procedure.sort(key=lambda item: (item[0].code, item[0].pk))


def _add_objectives(found: dict[int, Evaluation]) -> None:
    from sixclear.monitoring.models import TargetStatus

    procedures = {procedure.pk for evaluation in found.values()
                  for procedure, _cases, _steps in evaluation.by_procedure}
    served: dict[int, list[Any]] = {pk: [] for pk in procedures}
    links = (Procedure.objectives.through.objects.filter(procedure_id__in=procedures)
             .select_related("target", "target__health").order_by("target__code"))
    for link in links:
        served[link.procedure_id].append(link.target)
    off = {TargetStatus.BEHIND, TargetStatus.OFF_TRACK}
    for evaluation in found.values():
        seen: set[int] = set()
        for procedure, _cases, _steps in evaluation.by_procedure:
            evaluation.objectives[procedure.pk] = served[procedure.pk]
            for target in served[procedure.pk]:
                health = getattr(target, "health", None)
                if health is not None and health.status in off and target.pk not in seen:
                    seen.add(target.pk)
                    evaluation.risks.objectives_off_path.append(target)


def _late_q(year: int, today: datetime.date) -> Q:
    return (Q(state=StepState.DONE, on_time=False, done_on__year=year)
            | Q(state=StepState.ACTIVE, case__state=CaseState.OPEN, due_date__year=year,
                due_date__lt=today))


def _add_late_steps(found: dict[int, Evaluation], holders: _Holders, common: str, year: int,
                    today: datetime.date) -> None:
    """Every late step counted per unit (one grouped query) and, per unit of the tree, its
    first steps by due date (one query ranking them within each case's unit), which are
    enough to name the first of any subtree."""
    late = CaseStep.objects.filter(_late_q(year, today), case__unit__path__startswith=common)
    for path, count in late.values_list("case__unit__path").annotate(n=Count("pk")).order_by():
        for pk in holders(path):
            found[pk].late_step_count += count
    ranked = late.annotate(rank=Window(RowNumber(), partition_by=[F("case__unit_id")],
                                       order_by=[F("due_date").asc(), F("pk").asc()]))
    rows = (ranked.filter(rank__lte=LATE_STEPS_LISTED).order_by("due_date", "pk")
            .values_list("case__unit__path", "case_id", "case__reference", "case__subject",
                         "case__unit__name", "case__procedure_version__procedure__code",
                         "position", "step__name", "due_date", "done_on"))
    for path, *fields in rows:  # by due date: each unit takes the first it is given
        item = None
        for pk in holders(path):
            listed = found[pk].late_steps
            if len(listed) < LATE_STEPS_LISTED:
                # values_list above gives LateStep's fields in its order
                item = item or LateStep(*fields)  # type: ignore[arg-type]
                listed.append(item)
    stuck = (CaseStep.objects.filter(case__unit__path__startswith=common,
                                     state=StepState.ACTIVE, due_date__lt=today,
                                     case__state=CaseState.OPEN)
             .values_list("case__unit__path").annotate(n=Count("pk")).order_by())
    for path, count in stuck:
        for pk in holders(path):
            found[pk].risks.stuck_steps += count


def _add_audits(found: dict[int, Evaluation], holders: _Holders, common: str,
                year: int) -> None:
    from .models import CheckResult

    counts = {value or "unchecked": Count("checks", filter=Q(checks__result=value))
              for value in ["", *CheckResult.values]}
    audits = (InternalAudit.objects.filter(unit__path__startswith=common, year=year)
              .select_related("unit", "auditor").annotate(**counts)
              .order_by("planned_on", "pk"))
    for audit in audits:
        results = {value: getattr(audit, value or "unchecked") for value in counts}
        results[""] = results.pop("unchecked")
        for pk in holders(audit.unit.path):
            found[pk].audits.append(AuditSummary(audit=audit, results=results))


def _add_nonconformities(found: dict[int, Evaluation], holders: _Holders, common: str,
                         year: int) -> None:
    from sixclear.tracking.models import TaskState

    from .models import CorrectiveAction, NonconformityState, Severity

    subtree = Nonconformity.objects.filter(unit__path__startswith=common)
    raised = subtree.filter(raised_on__year=year)
    for path, state, severity, count in (raised.values_list("unit__path", "state", "severity")
                                         .annotate(n=Count("pk")).order_by()):
        for pk in holders(path):
            evaluation = found[pk]
            evaluation.nonconformities[state] = evaluation.nonconformities.get(state, 0) + count
            if severity:
                evaluation.by_severity[severity] = evaluation.by_severity.get(severity, 0) + count
    actions = CorrectiveAction.objects.filter(nonconformity__unit__path__startswith=common)
    late = Q(task__state=TaskState.ISSUED, task__health__status="late")
    for path, state, is_late, count in (
            actions.filter(nonconformity__raised_on__year=year)
            .values_list("nonconformity__unit__path", "task__state")
            .annotate(late=Count("pk", filter=late), n=Count("pk")).order_by()):
        for pk in holders(path):
            tally = found[pk].actions
            tally[state] = tally.get(state, 0) + count
            tally["late"] = tally.get("late", 0) + is_late
    still_open = ~Q(state=NonconformityState.CLOSED)
    for path, severity, count in (subtree.filter(still_open)
                                  .values_list("unit__path", "severity")
                                  .annotate(n=Count("pk")).order_by()):
        for pk in holders(path):
            found[pk].risks.open_nonconformities += count
            if severity == Severity.MAJOR:
                found[pk].risks.open_major += count
    for path, count in (actions.filter(late, nonconformity__in=subtree.filter(still_open))
                        .values_list("nonconformity__unit__path").annotate(n=Count("pk"))
                        .order_by()):
        for pk in holders(path):
            found[pk].risks.late_actions += count


def visible_audits(user: Any) -> QuerySet[InternalAudit]:
    return InternalAudit.objects.filter(scope_q(user, "unit"))


def unit_audits(unit: Unit) -> QuerySet[InternalAudit]:
    return (InternalAudit.objects.filter(unit__path__startswith=unit.path)
            .select_related("unit", "auditor").order_by("-planned_on", "-pk"))


def visible_reviews(user: Any) -> QuerySet[ManagementReview]:
    return ManagementReview.objects.filter(scope_q(user, "unit"))


def steps_in_hand(user: Any) -> QuerySet[CaseStep]:
    """The case steps in the person's hands, the soonest due first (cases they can still
    see: a person moved to another unit no longer sees its cases)."""
    return (CaseStep.objects.filter(handler=user, state=StepState.ACTIVE,
                                    case__in=visible_cases(user))
            .select_related("case", "case__unit", "step",
                            "case__procedure_version__procedure")
            .order_by("due_date", "pk"))


# --- Figures other apps read (the unit dashboard, the annual evaluation) ---------------------

@dataclass
class CaseFigures:
    """A subtree's cases for a dashboard: the year's on-time rate from the rollups, and the
    steps in hand past their due date today."""

    year: int
    cases: Rate
    stuck: int


def dashboard_figures(unit: Unit, today: datetime.date) -> CaseFigures:
    """One query whatever the size of the subtree (the dashboard counts its queries): the
    year's case rows of the rollups (position 0: cases closed, closed by their due date) and
    the count of stuck steps (the same rule as `stuck_cases`), as subqueries of the unit's
    row."""
    rollups = (StepMonthRollup.objects.filter(unit__path__startswith=unit.path,
                                              month__year=today.year, position=0)
               .order_by().values("position"))  # one group: every row has position 0
    stuck = (CaseStep.objects.filter(case__unit__path__startswith=unit.path,
                                     state=StepState.ACTIVE, due_date__lt=today,
                                     case__state=CaseState.OPEN)
             .order_by().values("state").annotate(n=Count("pk")).values("n"))

    def total(field: str) -> Coalesce:
        return Coalesce(Subquery(rollups.annotate(n=Sum(field)).values("n")), 0)

    row = Unit.objects.filter(pk=unit.pk).annotate(
        done=total("done"), on_time=total("on_time"), days=total("working_days"),
        stuck=Coalesce(Subquery(stuck), 0)).values("done", "on_time", "days", "stuck").get()
    return CaseFigures(year=today.year, cases=_rate(row), stuck=row["stuck"])


@dataclass(frozen=True)
class CaseEvidence:
    """A case as evidence of a year: on time when closed by its due date."""

    pk: int
    reference: str
    subject: str
    unit_path: str
    due_date: datetime.date
    closed_on: datetime.date | None
    on_time: bool


def case_evidence(path: str, year: int, as_of: datetime.date) -> list[CaseEvidence]:
    """The cases of the subtree at `path` that count for `year` as of `as_of`, in one query:
    those closed from 1 January to `as_of` (the rollups' rule: on time when closed by their
    due date), and those still running at `as_of` whose due date fell in the year before it
    (late already, so a case left open is not a case that does not count). Withdrawn cases and
    cases suspended at `as_of` (their clock stands still) do not count."""
    start = datetime.date(year, 1, 1)
    closed = Q(state=CaseState.CLOSED, closed_on__gte=start, closed_on__lte=as_of)
    running_late = (Q(state=CaseState.OPEN) | Q(state=CaseState.CLOSED, closed_on__gt=as_of)) \
        & Q(due_date__gte=start, due_date__lt=as_of)
    rows = (Case.objects.filter(closed | running_late, unit__path__startswith=path)
            .values_list("pk", "reference", "subject", "unit__path", "due_date", "closed_on")
            .order_by("due_date", "pk"))
    found = []
    for pk, reference, subject, unit_path, due_date, closed_on in rows:
        done = closed_on is not None and closed_on <= as_of
        found.append(CaseEvidence(pk=pk, reference=reference, subject=subject,
                                  unit_path=unit_path, due_date=due_date,
                                  closed_on=closed_on if done else None,
                                  on_time=done and closed_on is not None
                                  and closed_on <= due_date))
    return found


@dataclass(frozen=True)
class StepEvidence:
    """A case step as evidence of a year: on time when handed over by its due date."""

    case_pk: int
    reference: str
    position: int
    name: str
    unit_path: str
    due_date: datetime.date
    done_on: datetime.date | None
    on_time: bool


def step_evidence(path: str, year: int, as_of: datetime.date) -> list[StepEvidence]:
    """The case steps of the subtree at `path` that count for `year` as of `as_of`, in one
    query: those handed over from 1 January to `as_of` (the rollups' rule: on time as recorded
    at the hand-over, by the step's due date), and those still in hand at `as_of` whose due
    date fell in the year before it (late already). A step in hand in a suspended or withdrawn
    case does not count (its clock stands still); a step waiting its turn has no clock yet."""
    start = datetime.date(year, 1, 1)
    done = Q(state=StepState.DONE, done_on__gte=start, done_on__lte=as_of)
    in_hand = Q(state=StepState.ACTIVE, case__state=CaseState.OPEN) \
        | Q(state=StepState.DONE, done_on__gt=as_of)
    running_late = in_hand & Q(due_date__gte=start, due_date__lt=as_of)
    rows = (CaseStep.objects.filter(done | running_late, case__unit__path__startswith=path)
            .values_list("case_id", "case__reference", "position", "step__name",
                         "case__unit__path", "due_date", "done_on", "on_time")
            .order_by("due_date", "case_id", "position"))
    found = []
    for case_pk, reference, position, name, unit_path, due_date, done_on, on_time in rows:
        handed = done_on is not None and done_on <= as_of
        found.append(StepEvidence(case_pk=case_pk, reference=reference, position=position,
                                  name=name, unit_path=unit_path, due_date=due_date,
                                  done_on=done_on if handed else None,
                                  on_time=handed and bool(on_time)))
    return found
