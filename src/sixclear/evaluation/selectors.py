"""Reads of the annual evaluation, scoped by who may see them.

A subject's evaluation is seen by the subject (a person: themself; a unit: those holding a role
in that unit itself) and by the level above (a manager or more of the round's unit); anyone
else gets the same 404 as for a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from sixclear.orgs.models import Membership, Role, Unit
from sixclear.orgs.selectors import reaches_unit, scope_q, sees_everything

from . import measures, scoring
from .models import (
    CriteriaSet,
    Criterion,
    Line,
    Method,
    Round,
    RoundStatus,
    Subject,
    SubjectState,
    TitleProposal,
)
from .services import may_self_assess, subject_input, subject_inputs


def reviews(user: Any, round_: Round) -> bool:
    """Whether `user` is the level above for this round (sees every subject)."""
    return reaches_unit(user, round_.unit, Role.MANAGER)


def decides(user: Any, round_: Round) -> bool:
    return reaches_unit(user, round_.unit, Role.LEADER)


def _own_unit_ids(user: Any) -> list[int]:
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_evaluation_units", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
        user.__dict__["_evaluation_units"] = cache
    return cache


def visible_subjects(user: Any) -> QuerySet[Subject]:
    """Subjects the user may open: their own, and every subject of the rounds they review."""
    if not user.is_authenticated:
        return Subject.objects.none()
    if sees_everything(user):
        return Subject.objects.all()
    return Subject.objects.filter(
        Q(person=user) | Q(unit_id__in=_own_unit_ids(user))
        | scope_q(user, "round__unit", minimum=Role.MANAGER))


def round_for_review(user: Any, pk: int) -> Round:
    round_ = Round.objects.select_related("unit", "criteria_set").filter(pk=pk).first()
    if round_ is None or not reviews(user, round_):
        raise Http404
    return round_


def subject_for(user: Any, pk: int) -> Subject:
    subject = (visible_subjects(user).select_related(
        "round__unit", "round__criteria_set", "unit", "person", "decided_by", "submitted_by")
        .filter(pk=pk).first())
    if subject is None:
        raise Http404
    return subject


@dataclass
class Row:
    subject: Subject
    result: scoring.SubjectResult
    last_rank: int | None = None
    last_grade: str = ""

    @property
    def rank(self) -> int:
        return self.subject.rank or self.result.rank

    @property
    def movement(self) -> int | None:
        """Places gained (positive) or lost since last year's closed round, if it ranked them."""
        return None if self.last_rank is None else self.last_rank - self.rank

    @property
    def places(self) -> int:
        return abs(self.movement or 0)

    @property
    def grade(self) -> str:
        return self.subject.final_grade or self.result.grade

    @property
    def points(self) -> Decimal:
        final = self.subject.final_points
        return final if final is not None else self.result.points


def round_rows(round_: Round) -> list[Row]:
    """Every subject of the round with its grade: computed live from the stored lines while
    the round is open (caps across the round applied), stored ones once it is closed."""
    subjects = list(round_.subjects.select_related("unit", "person").prefetch_related(
        Prefetch("lines", Line.objects.select_related("criterion").defer("records"))))
    results = {result.key: result for result in scoring.grade_round(
        round_.criteria_set.rules, subject_inputs(subjects))}
    last = {(found.unit_id, found.person_id): (found.rank, found.final_grade)
            for found in Subject.objects.filter(
                round__unit=round_.unit, round__level=round_.level,
                round__year=round_.year - 1, round__status=RoundStatus.CLOSED)
            .only("unit_id", "person_id", "rank", "final_grade")}
    rows = [Row(subject, results[str(subject.pk)],
                *last.get((subject.unit_id, subject.person_id), (None, "")))
            for subject in subjects]
    if round_.status == RoundStatus.CLOSED:
        rows.sort(key=lambda row: (row.subject.rank or 0, row.subject.name))
    else:
        rows.sort(key=lambda row: (row.result.rank, row.subject.name))
    return rows


@dataclass
class LineView:
    line: Line
    criterion: Criterion
    result: scoring.LineResult
    measure: measures.Measure | None


@dataclass
class SubjectPage:
    subject: Subject
    round: Round
    result: scoring.SubjectResult
    lines: list[LineView]
    may_review: bool
    may_decide: bool
    may_self_assess: bool
    may_reply: bool
    vetoes: list[dict[str, Any]]


def subject_page(user: Any, subject: Subject) -> SubjectPage:
    """The subject's lines with their records and the whole grading, in a fixed number of
    queries. The grade shown is the round's: the caps need every subject, so the round is
    graded once here."""
    round_ = subject.round
    lines = list(subject.lines.select_related("criterion", "reviewed_by"))
    result = _graded_in_round(round_, subject, lines)
    by_code = {line.code: line for line in result.lines}
    views = [LineView(line, line.criterion, by_code[line.criterion.code],
                      measures.get(line.criterion.measure)) for line in lines]
    vetoes = {veto["code"]: veto for veto in round_.criteria_set.rules.get("vetoes", [])}
    applied = {veto["code"]: veto.get("reason", "") for veto in subject.vetoes}
    return SubjectPage(
        subject=subject, round=round_, result=result, lines=views,
        may_review=reviews(user, round_) and round_.status == RoundStatus.OPEN
        and subject.state != SubjectState.DECIDED,
        may_decide=decides(user, round_),
        may_self_assess=round_.status == RoundStatus.OPEN
        and subject.state == SubjectState.DRAFT and may_self_assess(user, subject),
        may_reply=round_.status == RoundStatus.OPEN and subject.state == SubjectState.DECIDED
        and may_self_assess(user, subject),
        vetoes=[{**veto, "applied": code in applied, "reason": applied.get(code, "")}
                for code, veto in vetoes.items()])


def _graded_in_round(round_: Round, subject: Subject,
                     lines: list[Line]) -> scoring.SubjectResult:
    """The subject's result graded with the whole round (caps need every subject)."""
    others = list(round_.subjects.exclude(pk=subject.pk).prefetch_related(
        Prefetch("lines", Line.objects.select_related("criterion").defer("records"))))
    results = scoring.grade_round(round_.criteria_set.rules,
                                  [subject_input(subject, lines), *subject_inputs(others)])
    return next(found for found in results if found.key == str(subject.pk))


def rounds_of_unit(user: Any, unit: Unit) -> dict[str, list[Any]]:
    """The rounds `unit` decides (for its reviewers) and its own evaluations."""
    deciding = list(Round.objects.filter(unit=unit).select_related("criteria_set")) \
        if reaches_unit(user, unit, Role.MANAGER) else []
    own = list(visible_subjects(user).filter(unit=unit).select_related("round__unit"))
    mine = list(my_evaluations(user).filter(round__unit=unit))
    return {"deciding": deciding, "own": own, "mine": mine}


def my_evaluations(user: Any) -> QuerySet[Subject]:
    return Subject.objects.filter(person=user).select_related("round__unit") \
        if user.is_authenticated else Subject.objects.none()


def visible_criteria_sets(user: Any) -> QuerySet[CriteriaSet]:
    """The shipped sets and those of units the user may see."""
    if not user.is_authenticated:
        return CriteriaSet.objects.none()
    return CriteriaSet.objects.filter(Q(unit=None) | scope_q(user, "unit")).select_related(
        "unit")


def criteria_set_for(user: Any, pk: int) -> CriteriaSet:
    found = visible_criteria_sets(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def edits_set(user: Any, criteria_set: CriteriaSet) -> bool:
    return criteria_set.unit is not None and reaches_unit(user, criteria_set.unit, Role.ADMIN)


def admin_units(user: Any) -> QuerySet[Unit]:
    """Units where the user may open rounds and own criteria sets (administrators)."""
    if sees_everything(user):
        return Unit.objects.filter(depth__lte=2, is_active=True).order_by("path")
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.ADMIN,
                               is_active=True).order_by("path")


# Proposals for emulation titles -----------------------------------------------------------

HISTORY_SHOWN = 200


def round_for_proposals(user: Any, pk: int) -> Round:
    """A round whose proposals `user` may see (managers and above of the deciding unit), of
    collectives or persons; 404 otherwise."""
    return round_for_review(user, pk)


def round_proposals(round_: Round) -> list[TitleProposal]:
    """The round's proposals, those still proposed first, by rank (one query)."""
    return list(round_.title_proposals.select_related("subject", "changed_by").order_by(
        "withdrawn", "subject__rank", "subject__name", "title", "pk"))


def proposal_history(round_: Round) -> list[Any]:
    """Every change of the round's proposals, newest first (one query)."""
    return list(TitleProposal.history.filter(round_id=round_.pk)
                .select_related("history_user", "subject")
                .order_by("-history_date", "-history_id")[:HISTORY_SHOWN])


# What the minutes and the decision on grades say -------------------------------------------


def round_for_documents(user: Any, pk: int) -> Round:
    """A round whose minutes and decision `user` may read: managers and above of the deciding
    unit, and its subjects (a person graded in it; anyone holding a role in a graded unit
    itself). Anyone else gets the 404 of a round that does not exist."""
    round_ = Round.objects.select_related("unit", "criteria_set").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    if reviews(user, round_) or visible_subjects(user).filter(round=round_).exists():
        return round_
    raise Http404


def review_is_over(round_: Round) -> bool:
    """Every subject decided: the review the minutes record has taken place."""
    return not round_.subjects.exclude(state=SubjectState.DECIDED).exists()


@dataclass
class Adjustment:
    subject: str
    code: str
    title: str
    computed: Decimal | None  # what the rule gave, or the self-assessed points of a manual one
    points: Decimal
    reason: str
    by: Any
    manual: bool = False


@dataclass
class AppliedVeto:
    subject: str
    label: dict[str, str]
    max_grade: str
    reason: str
    citation: str


@dataclass
class AppliedCap:
    subject: str
    step: scoring.Step


@dataclass
class RoundRecord:
    """The facts of a round the minutes and the decision on grades are written from."""

    round: Round
    rows: list[Row]
    criteria: list[Criterion]
    adjustments: list[Adjustment]
    vetoes: list[AppliedVeto]
    caps: list[AppliedCap]
    replies: list[Subject]
    reviewers: list[Any]
    proposals: list[TitleProposal]


def _adjustments(round_: Round, rows: list[Row]) -> list[Adjustment]:
    computed = {(str(row.subject.pk), line.code): line.computed
                for row in rows for line in row.result.lines}
    lines = (Line.objects.filter(subject__round=round_, review_points__isnull=False)
             .select_related("criterion", "reviewed_by", "subject").defer("records")
             .order_by("subject__name", "criterion__position"))
    return [Adjustment(line.subject.name, line.criterion.code, line.criterion.label,
                       computed.get((str(line.subject_id), line.criterion.code)),
                       line.review_points, line.review_reason, line.reviewed_by,
                       line.criterion.method == Method.MANUAL)
            for line in lines if line.review_points is not None]


def _vetoes(round_: Round, rows: list[Row]) -> list[AppliedVeto]:
    known = {veto["code"]: veto for veto in round_.criteria_set.rules.get("vetoes", [])}
    return [AppliedVeto(row.subject.name, known[veto["code"]].get("label", {}),
                        known[veto["code"]]["max_grade"], veto.get("reason", ""),
                        known[veto["code"]].get("citation", ""))
            for row in rows for veto in row.subject.vetoes if veto["code"] in known]


def round_record(round_: Round) -> RoundRecord:
    """Every subject with its points and grade, the adjustments with their reasons, the
    disqualifiers and caps applied with their citations, the replies, who reviewed, and the
    proposals still standing: a fixed number of queries."""
    rows = round_rows(round_)
    adjustments = _adjustments(round_, rows)
    deciders = {row.subject.decided_by_id for row in rows if row.subject.decided_by_id}
    deciders |= {found.by.pk for found in adjustments if found.by is not None}
    reviewers = list(get_user_model().objects.filter(pk__in=deciders).order_by(
        "last_name", "first_name", "username"))
    return RoundRecord(
        round=round_, rows=rows, criteria=list(round_.criteria_set.criteria.all()),
        adjustments=adjustments, vetoes=_vetoes(round_, rows),
        caps=[AppliedCap(row.subject.name, step) for row in rows
              for step in row.result.steps if step.kind == "cap"],
        replies=[row.subject for row in rows if row.subject.reply],
        reviewers=reviewers,
        proposals=[found for found in round_proposals(round_) if not found.withdrawn])
