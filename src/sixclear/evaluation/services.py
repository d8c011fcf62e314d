"""Every write of the annual evaluation: criteria sets, rounds, self-assessments, reviews.

Who may do what:
- an administrator of a unit derives, edits and publishes that unit's criteria sets, and opens
  its rounds (the unit is the level above the subjects);
- a manager or leader holding a role in a subject unit itself writes its self-assessment; a
  person writes their own;
- a leader of the round's unit reviews, adjusts with a reason, applies disqualifiers, decides
  each subject and closes the round, which applies the caps and stores the grades and ranks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import JSONField, Max, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sixclear.orgs.models import ROLE_RANK, Membership, Role, Unit
from sixclear.orgs.selectors import ancestor_paths, require_role
from sixclear.versioning import claim_version

from . import measures, scoring, titles
from .defaults import default_sets
from .models import (
    LEVEL_UNIT_KINDS,
    CriteriaSet,
    Criterion,
    Grade,
    Level,
    Line,
    Method,
    ProposalOrigin,
    Round,
    RoundStatus,
    SetStatus,
    Subject,
    SubjectState,
    TitleProposal,
)

TOTAL_POINTS = Decimal(100)


def _save(instance: Any, actor: Any) -> Any:
    instance._history_user = actor  # django-simple-history reads it
    instance.save()
    return instance


# Criteria sets ---------------------------------------------------------------------------


@transaction.atomic
def ensure_default_sets(year: int) -> list[CriteriaSet]:
    """The shipped sets of `year`, created (published, owned by no unit) when missing."""
    found = []
    for data in default_sets(year):
        existing = CriteriaSet.objects.filter(unit=None, year=year, level=data["level"]).first()
        if existing is not None:
            found.append(existing)
            continue
        criteria_set = CriteriaSet.objects.create(
            year=year, level=data["level"], name=data["name"], basis=data["basis"],
            rules=data["rules"], status=SetStatus.PUBLISHED, published_at=timezone.now())
        Criterion.objects.bulk_create(
            Criterion(criteria_set=criteria_set, position=position, **row)
            for position, row in enumerate(data["criteria"], start=1))
        found.append(criteria_set)
    return found


def _require_owner(actor: Any, criteria_set: CriteriaSet) -> None:
    if criteria_set.unit is None:
        raise PermissionDenied(_("The sets shipped with Sixclear are not edited: derive your "
                                 "unit's version from one and edit that."))
    require_role(actor, criteria_set.unit, Role.ADMIN)


def _require_draft(criteria_set: CriteriaSet) -> None:
    if criteria_set.status != SetStatus.DRAFT:
        raise ValidationError(_("A published criteria set is not changed; derive a new "
                                "version from it."), code="published")


@transaction.atomic
def derive_criteria_set(*, actor: Any, source: CriteriaSet, unit: Unit,
                        year: int | None = None) -> CriteriaSet:
    """A new draft version for `unit`, copied from `source` (for `year`, by default its own)."""
    require_role(actor, unit, Role.ADMIN)
    year = year or source.year
    number = (CriteriaSet.objects.filter(unit=unit, year=year, level=source.level)
              .aggregate(top=Max("number"))["top"] or 0) + 1
    copy = _save(CriteriaSet(
        unit=unit, year=year, level=source.level, number=number, name=source.name,
        basis=source.basis, rules=source.rules, derived_from=source, created_by=actor), actor)
    for criterion in source.criteria.all():
        criterion.pk = None
        criterion.criteria_set = copy
        _save(criterion, actor)
    return copy


def _decimal(value: Any, field: str, errors: dict[str, list[str]], *, low: Decimal,
             high: Decimal) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Write a number."))
        return None
    if not number.is_finite() or number < low or number > high:
        errors.setdefault(field, []).append(
            _("Write a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return None
    return number


@transaction.atomic
def update_criteria_set(*, actor: Any, criteria_set: CriteriaSet, expected_version: int,
                        name: str, excellent_min: Any, good_min: Any, complete_min: Any,
                        cap_share: Any) -> CriteriaSet:
    """Name, grade thresholds and the cap of "excellent" of a draft set."""
    _require_owner(actor, criteria_set)
    _require_draft(criteria_set)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the set a name.")]
    mins = {grade: _decimal(value, f"{grade}_min", errors, low=Decimal(0), high=TOTAL_POINTS)
            for grade, value in (("excellent", excellent_min), ("good", good_min),
                                 ("complete", complete_min))}
    share = _decimal(cap_share, "cap_share", errors, low=Decimal(0), high=Decimal(1))
    if not errors and not (mins["excellent"] > mins["good"] > mins["complete"]):  # type: ignore[operator]
        errors["good_min"] = [_("Each grade needs more points than the one below it.")]
    if errors:
        raise ValidationError(errors)
    claim_version(criteria_set, expected_version)
    rules = dict(criteria_set.rules)
    grades = {grade: dict(rule) for grade, rule in rules.get("grades", {}).items()}
    for grade, minimum in mins.items():
        grades.setdefault(grade, {})["min_points"] = str(minimum)
    rules["grades"] = grades
    caps = [dict(cap) for cap in rules.get("caps", []) if cap.get("grade") != "excellent"]
    if share is not None and share < 1:
        caps.insert(0, {"grade": "excellent", "share": str(share),
                        "of": ["excellent", "good"],
                        "citation": next((c.get("citation", "") for c in rules.get("caps", [])
                                          if c.get("grade") == "excellent"), "")})
    rules["caps"] = caps
    criteria_set.name, criteria_set.rules = name.strip(), rules
    return _save(criteria_set, actor)


def _criterion_values(*, title: str, points: Any, method: str, measure: str, full_at: Any,
                      errors: dict[str, list[str]]) -> tuple[Decimal | None, Decimal | None]:
    """The checked points and full-points share of a criterion being written."""
    if not title.strip():
        errors["title"] = [_("Give the criterion a title.")]
    value = _decimal(points, "points", errors, low=Decimal(0), high=TOTAL_POINTS)
    if method not in Method.values:
        errors["method"] = [_("Choose how the criterion is scored.")]
    if method == Method.MEASURE and measures.get(measure) is None:
        errors["measure"] = [_("Choose one of the measures Sixclear computes.")]
    share = _decimal(full_at, "full_at", errors, low=Decimal("0.01"), high=Decimal(1))
    return value, share


def _fill_criterion(criterion: Criterion, *, title: str, title_en: str, title_ar: str,
                    citation: str, points: Decimal, method: str, measure: str,
                    full_at: Decimal) -> None:
    criterion.title, criterion.title_en, criterion.title_ar = (
        title.strip(), title_en.strip(), title_ar.strip())
    criterion.citation, criterion.points, criterion.method = citation.strip(), points, method
    criterion.measure = measure if method == Method.MEASURE else ""
    criterion.parameters = {**criterion.parameters, "full_at": str(full_at)}


@transaction.atomic
def update_criterion(*, actor: Any, criterion: Criterion, expected_version: int,
                     title: str, title_en: str = "", title_ar: str = "", citation: str = "",
                     points: Any, method: str, measure: str = "",
                     full_at: Any = 1) -> Criterion:
    """One criterion of a draft set (the set's version guards the edit)."""
    criteria_set = criterion.criteria_set
    _require_owner(actor, criteria_set)
    _require_draft(criteria_set)
    errors: dict[str, list[str]] = {}
    value, share = _criterion_values(title=title, points=points, method=method,
                                     measure=measure, full_at=full_at, errors=errors)
    if errors:
        raise ValidationError(errors)
    claim_version(criteria_set, expected_version)
    assert value is not None and share is not None  # checked above
    _fill_criterion(criterion, title=title, title_en=title_en, title_ar=title_ar,
                    citation=citation, points=value, method=method, measure=measure,
                    full_at=share)
    return _save(criterion, actor)


CODE_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")


@transaction.atomic
def add_criterion(*, actor: Any, criteria_set: CriteriaSet, expected_version: int, code: str,
                  title: str, title_en: str = "", title_ar: str = "", citation: str = "",
                  points: Any, method: str, measure: str = "",
                  full_at: Any = 1) -> Criterion:
    """A new criterion at the end of a draft set. A criterion of 0 points computed by a
    measure is a condition: it changes no total, and a grade may require its share
    (`set_requirement`), as "excellent" requires 30 % exceeded."""
    _require_owner(actor, criteria_set)
    _require_draft(criteria_set)
    errors: dict[str, list[str]] = {}
    code = code.strip().upper()
    if not code or len(code) > 20 or not set(code) <= CODE_CHARACTERS:
        errors["code"] = [_("Write a short code of letters, digits, dots or dashes.")]
    elif criteria_set.criteria.filter(code=code).exists():
        errors["code"] = [_("The set already has a criterion with this code.")]
    value, share = _criterion_values(title=title, points=points, method=method,
                                     measure=measure, full_at=full_at, errors=errors)
    if errors:
        raise ValidationError(errors)
    claim_version(criteria_set, expected_version)
    assert value is not None and share is not None  # checked above
    position = (criteria_set.criteria.aggregate(top=Max("position"))["top"] or 0) + 1
    criterion = Criterion(criteria_set=criteria_set, position=position, code=code)
    _fill_criterion(criterion, title=title, title_en=title_en, title_ar=title_ar,
                    citation=citation, points=value, method=method, measure=measure,
                    full_at=share)
    return _save(criterion, actor)


RULED_GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETE)


@transaction.atomic
def set_requirement(*, actor: Any, criteria_set: CriteriaSet, expected_version: int,
                    grade: str, criterion: str, min_ratio: Any = None) -> CriteriaSet:
    """Require (or, without `min_ratio`, stop requiring) that criterion `criterion` reach a
    share for `grade` of a draft set; a grade below the threshold keeps it from the grade and
    the subject's page says which."""
    _require_owner(actor, criteria_set)
    _require_draft(criteria_set)
    errors: dict[str, list[str]] = {}
    if grade not in RULED_GRADES:
        errors["grade"] = [_("Choose a grade.")]
    if not criteria_set.criteria.filter(code=criterion).exists():
        errors["criterion"] = [_("Choose a criterion of this set.")]
    share = None if min_ratio in (None, "") else _decimal(
        min_ratio, "min_ratio", errors, low=Decimal(0), high=Decimal(1))
    if errors:
        raise ValidationError(errors)
    claim_version(criteria_set, expected_version)
    rules = dict(criteria_set.rules)
    grades = {name: dict(rule) for name, rule in rules.get("grades", {}).items()}
    rule = grades.setdefault(grade, {"min_points": "0"})
    requires = [need for need in rule.get("requires", []) if need.get("criterion") != criterion]
    if share is not None:
        requires.append({"criterion": criterion, "min_ratio": str(share)})
    rule["requires"] = requires
    rules["grades"] = grades
    criteria_set.rules = rules
    return _save(criteria_set, actor)


def check_criteria_set(criteria_set: CriteriaSet) -> None:
    """Refuse a set whose points do not add up to 100 or whose rules name what is not there."""
    criteria = list(criteria_set.criteria.all())
    total = sum((criterion.points for criterion in criteria), Decimal(0))
    errors = []
    if total != TOTAL_POINTS:
        errors.append(_("The criteria add up to %(total)s points, not 100.") % {"total": total})
    codes = {criterion.code for criterion in criteria}
    for grade, rule in criteria_set.rules.get("grades", {}).items():
        for need in rule.get("requires", []):
            if need.get("criterion") not in codes:
                errors.append(_("The grade “%(grade)s” requires a criterion that is not in the "
                                "set: %(code)s.") % {"grade": Grade(grade).label,
                                                     "code": need.get("criterion")})
    for criterion in criteria:
        if criterion.method == Method.MEASURE and measures.get(criterion.measure) is None:
            errors.append(_("Criterion %(code)s is computed by a measure Sixclear does not "
                            "know.") % {"code": criterion.code})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publish_criteria_set(*, actor: Any, criteria_set: CriteriaSet,
                         expected_version: int) -> CriteriaSet:
    _require_owner(actor, criteria_set)
    _require_draft(criteria_set)
    check_criteria_set(criteria_set)
    claim_version(criteria_set, expected_version)
    criteria_set.status, criteria_set.published_at = SetStatus.PUBLISHED, timezone.now()
    return _save(criteria_set, actor)


def applicable_set(unit: Unit, year: int, level: str) -> CriteriaSet | None:
    """The latest published version owned by `unit` or the nearest unit above it, else the
    shipped set of the year."""
    paths = ancestor_paths(unit)
    owned = list(CriteriaSet.objects.filter(
        unit__path__in=paths, year=year, level=level, status=SetStatus.PUBLISHED)
        .select_related("unit").order_by("-number"))
    if owned:
        return max(owned, key=lambda found: (found.unit.depth, found.number))  # type: ignore[union-attr]
    shipped = CriteriaSet.objects.filter(unit=None, year=year, level=level,
                                         status=SetStatus.PUBLISHED).order_by("-number")
    return shipped.first()


# Rounds ----------------------------------------------------------------------------------


def _subjects_for(unit: Unit, level: str) -> list[Subject]:
    if level == Level.CADRE:
        deciders = set(Membership.objects.filter(
            unit=unit, role__in=[Role.LEADER, Role.ADMIN]).values_list("user_id", flat=True))
        people = (get_user_model().objects.filter(
            memberships__unit__path__startswith=unit.path, memberships__unit__is_active=True,
            is_active=True).exclude(pk__in=deciders).distinct().order_by("username"))
        return [Subject(person=person, name=person.get_full_name() or person.get_username())
                for person in people]
    units = Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth,
                                kind__in=LEVEL_UNIT_KINDS[Level(level)], is_active=True)
    return [Subject(unit=sub_unit, name=sub_unit.name) for sub_unit in units.order_by("path")]


def _refs(subjects: Iterable[Subject]) -> list[measures.SubjectRef]:
    return [measures.SubjectRef(
        key=str(subject.pk), unit_path=subject.unit.path if subject.unit_id else "",  # type: ignore[union-attr]
        person_id=subject.person_id) for subject in subjects]


_LINE_COLUMNS = ("subject_id", "criterion_id", "numerator", "denominator", "records",
                 "self_note", "review_reason", "version")


def _insert_lines(lines: list[Line]) -> None:
    """Store new lines at once. On PostgreSQL with COPY: the INSERTs of a national round's
    hundred thousand lines spent most of their time in Django and the driver, preparing each
    value and splitting statements of ten thousand placeholders in Python (the larger part of
    the round); COPY sends the rows as they are, the JSON of their records as one value each."""
    if connection.vendor != "postgresql":
        for line in lines:
            # As an expression the records are sent as one JSON parameter per row.
            line.records = Value(line.records, output_field=JSONField())
        Line.objects.bulk_create(lines, batch_size=1000)
        return
    from psycopg.types.json import Jsonb

    columns = ", ".join(_LINE_COLUMNS)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {Line._meta.db_table} ({columns}) FROM STDIN") as copy:
        for line in lines:
            copy.write_row((line.subject_id, line.criterion_id, line.numerator,
                            line.denominator, Jsonb(line.records), "", "", 1))


def _compute_lines(round_: Round, subjects: list[Subject], actor: Any,
                   scope: QuerySet[Subject]) -> None:
    """Compute every computed criterion for `subjects` (the rows of `scope`) as of the
    round's date and store it. `scope` selects them in the database rather than by a list of
    tens of thousands of ids."""
    criteria = list(round_.criteria_set.criteria.all())
    refs = _refs(subjects)
    existing = {(line.subject_id, line.criterion_id): line
                for line in Line.objects.filter(subject__in=scope.values("pk"))}
    new, changed = [], []
    for criterion in criteria:
        figures: dict[str, measures.Figure] = {}
        measure = measures.get(criterion.measure) if criterion.method == Method.MEASURE else None
        if measure is not None:
            figures = measure.compute(refs, round_.year, round_.snapshot_date,
                                      criterion.parameters)
        for subject in subjects:
            line = existing.get((subject.pk, criterion.pk))
            if line is None:
                line = Line(subject=subject, criterion=criterion)
                new.append(line)
            else:
                changed.append(line)
            figure = figures.get(str(subject.pk)) if measure is not None else None
            line.numerator = figure.numerator if figure else None
            line.denominator = figure.denominator if figure else None
            line.records = figure.records if figure else []
    # The computed figures are written like the dashboards' rollups, without a historical row
    # each (a national round writes tens of thousands): what people write on a line (points,
    # notes, adjustments) is in its history, and the subject's history dates the computation.
    if new:
        _insert_lines(new)
    if changed:
        Line.objects.bulk_update(changed, ["numerator", "denominator", "records"],
                                 batch_size=1000)
    scope.update(evidence_at=timezone.now())


def snapshot_date_for(year: int, today: datetime.date | None = None) -> datetime.date:
    """31 December of the year, or today while the year runs (evidence is never of a day to
    come)."""
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


@transaction.atomic
def open_round(*, actor: Any, unit: Unit, year: int, level: str) -> Round:
    """Open the year's round of `level` under `unit`, computing every subject's evidence."""
    require_role(actor, unit, Role.ADMIN)
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Choose a level.")]
    if not 1945 <= year <= 2100:
        errors["year"] = [_("Write a year from 1945 to 2100.")]
    elif year > timezone.localdate().year:
        errors["year"] = [_("A round is opened for a year that has begun.")]
    if errors:
        raise ValidationError(errors)
    if Round.objects.filter(unit=unit, year=year, level=level).exists():
        raise ValidationError({"level": [_("This unit already has a round for that year and "
                                           "level.")]})
    ensure_default_sets(year)
    criteria_set = applicable_set(unit, year, level)
    if criteria_set is None:
        raise ValidationError({"level": [_("There is no published criteria set for that year "
                                           "and level.")]})
    round_ = _save(Round(unit=unit, year=year, level=level, criteria_set=criteria_set,
                         snapshot_date=snapshot_date_for(year), opened_by=actor), actor)
    subjects = _subjects_for(unit, level)
    for subject in subjects:
        subject.round = round_
    bulk_create_with_history(subjects, Subject, default_user=actor, batch_size=1000)
    scope = Subject.objects.filter(round=round_)
    _compute_lines(round_, list(scope.select_related("unit")), actor, scope)
    return round_


def _require_open(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is closed: its grades no longer change."),
                              code="closed")


@transaction.atomic
def refresh_evidence(*, actor: Any, round: Round) -> int:
    """Recompute the evidence of the subjects not yet decided (the figures follow the records
    until the decision freezes them); returns how many were recomputed."""
    require_role(actor, round.unit, Role.LEADER)
    _require_open(round)
    round.snapshot_date = snapshot_date_for(round.year)
    _save(round, actor)
    scope = round.subjects.exclude(state=SubjectState.DECIDED)
    subjects = list(scope.select_related("unit"))
    _compute_lines(round, subjects, actor, scope)
    return len(subjects)


def may_self_assess(actor: Any, subject: Subject) -> bool:
    if not actor.is_authenticated:
        return False
    if subject.person_id is not None:
        return subject.person_id == actor.pk
    roles = Membership.objects.filter(user=actor, unit=subject.unit).values_list(
        "role", flat=True)
    return any(ROLE_RANK[role] >= ROLE_RANK[Role.MANAGER] for role in roles)


def _points(value: Any, line: Line, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    return _decimal(value, field, errors, low=Decimal(0), high=line.criterion.points)


@transaction.atomic
def save_self_assessment(*, actor: Any, subject: Subject, expected_version: int,
                         comment: str = "", proposed_grade: str = "",
                         scores: Mapping[str, tuple[Any, str]] | None = None,
                         submit: bool = False) -> Subject:
    """The subject's own points on the manual criteria, notes and proposed grade; `submit`
    hands it to the level above."""
    if not may_self_assess(actor, subject):
        raise PermissionDenied(_("Only the evaluated person, or a manager or leader of the "
                                 "evaluated unit, writes its self-assessment."))
    _require_open(subject.round)
    if subject.state != SubjectState.DRAFT:
        raise ValidationError(_("This self-assessment has already been handed to the level "
                                "above."), code="submitted")
    errors: dict[str, list[str]] = {}
    if proposed_grade and proposed_grade not in Grade.values:
        errors["proposed_grade"] = [_("Choose a grade.")]
    lines = {line.criterion.code: line for line in subject.lines.select_related("criterion")}
    updates = []
    for code, (value, note) in (scores or {}).items():
        line = lines.get(code)
        if line is None:
            continue
        points = _points(value, line, f"points_{code}", errors)
        if line.criterion.method == Method.MANUAL:
            line.self_points = points
        line.self_note = (note or "").strip()
        updates.append(line)
    if submit:
        missing = [code for code, line in lines.items()
                   if line.criterion.method == Method.MANUAL and line.self_points is None]
        for code in missing:
            errors.setdefault(f"points_{code}", []).append(
                _("Score this criterion before handing the self-assessment over."))
    if errors:
        raise ValidationError(errors)
    claim_version(subject, expected_version)
    if updates:
        bulk_update_with_history(updates, Line, ["self_points", "self_note"],
                                 default_user=actor)
    subject.self_comment, subject.proposed_grade = comment.strip(), proposed_grade
    if submit:
        subject.state, subject.submitted_by = SubjectState.SUBMITTED, actor
        subject.submitted_at = timezone.now()
    return _save(subject, actor)


@transaction.atomic
def review_subject(*, actor: Any, subject: Subject, expected_version: int,
                   adjustments: Mapping[str, tuple[Any, str]] | None = None,
                   vetoes: Mapping[str, str] | None = None, comment: str = "",
                   decide: bool = False) -> Subject:
    """The level above's review: points adjusted with a written reason (the computed figure
    stays beside them), disqualifiers with their reason, and the decision."""
    round_ = subject.round
    require_role(actor, round_.unit, Role.LEADER)
    _require_open(round_)
    if subject.state == SubjectState.DECIDED:
        raise ValidationError(_("This subject has been decided already."), code="decided")
    errors: dict[str, list[str]] = {}
    lines = {line.criterion.code: line for line in subject.lines.select_related("criterion")}
    updates = []
    for code, (value, reason) in (adjustments or {}).items():
        line = lines.get(code)
        if line is None:
            continue
        points = _points(value, line, f"points_{code}", errors)
        reason = (reason or "").strip()
        if points is not None and not reason:
            errors.setdefault(f"reason_{code}", []).append(
                _("Say why the points are adjusted."))
        line.review_points, line.review_reason = points, reason if points is not None else ""
        line.reviewed_by = actor if points is not None else None
        updates.append(line)
    known = {veto["code"] for veto in round_.criteria_set.rules.get("vetoes", [])}
    applied = []
    for code, reason in (vetoes or {}).items():
        if code not in known:
            continue
        if not (reason or "").strip():
            errors.setdefault(f"veto_{code}", []).append(
                _("Say why this disqualifier applies (the decision or record)."))
        applied.append({"code": code, "reason": (reason or "").strip()})
    if decide and subject.state != SubjectState.SUBMITTED:
        errors.setdefault("decide", []).append(
            _("The self-assessment has not been handed over yet."))
    if decide:
        given = adjustments or {}
        unscored = [code for code, line in lines.items()
                    if line.criterion.method == Method.MANUAL and line.self_points is None
                    and given.get(code, (None, ""))[0] in (None, "")]
        for code in unscored:
            errors.setdefault(f"points_{code}", []).append(
                _("Score this criterion before deciding."))
    if errors:
        raise ValidationError(errors)
    claim_version(subject, expected_version)
    if updates:
        bulk_update_with_history(updates, Line, ["review_points", "review_reason",
                                                 "reviewed_by"], default_user=actor)
    subject.vetoes, subject.review_comment = applied, comment.strip()
    if decide:
        subject.state, subject.decided_by = SubjectState.DECIDED, actor
        subject.decided_at = timezone.now()
    return _save(subject, actor)


@transaction.atomic
def reply_to_decision(*, actor: Any, subject: Subject, expected_version: int,
                      text: str) -> Subject:
    """The graded subject's reply to the decision, before the round closes (approval)."""
    if not may_self_assess(actor, subject):
        raise PermissionDenied(_("Only the evaluated person, or a manager or leader of the "
                                 "evaluated unit, replies to the decision."))
    _require_open(subject.round)
    if subject.state != SubjectState.DECIDED:
        raise ValidationError(_("There is no decision to reply to yet."), code="undecided")
    if not text.strip():
        raise ValidationError({"reply": [_("Write the reply.")]})
    claim_version(subject, expected_version)
    subject.reply, subject.replied_at = text.strip(), timezone.now()
    return _save(subject, actor)


def subject_input(subject: Subject, lines: Iterable[Line]) -> scoring.SubjectInput:
    """What the arithmetic needs from a stored subject and its lines (with their criteria)."""
    return scoring.SubjectInput(
        key=str(subject.pk), name=subject.name,
        vetoes=[veto["code"] for veto in subject.vetoes],
        lines=[scoring.LineInput(
            code=line.criterion.code, max_points=line.criterion.points,
            method=line.criterion.method, parameters=line.criterion.parameters,
            numerator=line.numerator, denominator=line.denominator,
            self_points=line.self_points, review_points=line.review_points)
            for line in lines])


def subject_inputs(subjects: Iterable[Subject]) -> list[scoring.SubjectInput]:
    """`subject_input` of subjects whose lines are prefetched with their criteria."""
    return [subject_input(subject, subject.lines.all()) for subject in subjects]


def rounds_to_close_first(round_: Round) -> list[Round]:
    """Open rounds of the year the rules order before this one: lower collectives are graded
    before higher ones (the rounds its subject units decide), and collectives before
    individuals (for a round of cadres, the round grading its own unit)."""
    same_year = Round.objects.filter(year=round_.year, status=RoundStatus.OPEN).exclude(
        pk=round_.pk).select_related("unit")
    if round_.level == Level.CADRE:
        return list(same_year.filter(subjects__unit=round_.unit).distinct())
    subject_units = round_.subjects.filter(unit__isnull=False).values("unit")
    return list(same_year.filter(unit__in=subject_units).exclude(level=Level.CADRE))


def _require_order(round_: Round) -> None:
    first = rounds_to_close_first(round_)
    if first:
        raise ValidationError(
            _("Close these rounds first (lower collectives are graded before higher ones, "
              "collectives before individuals): %(rounds)s")
            % {"rounds": "; ".join(f"{found.unit.name} {found.year} "
                                   f"{found.get_level_display()}" for found in first)},
            code="order")


@transaction.atomic
def close_round(*, actor: Any, round: Round, expected_version: int) -> Round:
    """Apply the caps across the round, store every grade and rank, and freeze the round."""
    require_role(actor, round.unit, Role.LEADER)
    _require_open(round)
    waiting = round.subjects.exclude(state=SubjectState.DECIDED).count()
    if waiting:
        raise ValidationError(ngettext("%(count)s subject is not decided yet.",
                                       "%(count)s subjects are not decided yet.", waiting)
                              % {"count": waiting}, code="undecided")
    _require_order(round)
    claim_version(round, expected_version)
    subjects = list(round.subjects.prefetch_related("lines__criterion"))
    results = {result.key: result
               for result in scoring.grade_round(round.criteria_set.rules,
                                                 subject_inputs(subjects))}
    for subject in subjects:
        result = results[str(subject.pk)]
        subject.final_points, subject.final_grade = result.points, result.grade
        subject.rank = result.rank
    bulk_update_with_history(subjects, Subject, ["final_points", "final_grade", "rank"],
                             default_user=actor)
    round.status, round.closed_at = RoundStatus.CLOSED, timezone.now()
    _save(round, actor)
    _draw_up(round, actor)
    return round


# Proposals for emulation titles -----------------------------------------------------------


def title_rules(round_: Round) -> list[dict[str, Any]]:
    """The title rules of a round: its set's own table, else the shipped one (`titles.py`)."""
    return titles.rules_for(round_.level, round_.criteria_set.rules)


def _earlier_grades(round_: Round, subjects: list[Subject],
                    years: int) -> dict[str, dict[int, str]]:
    """Each subject's final grades in the closed rounds of the same deciding unit and level of
    the `years - 1` years before this one (one query)."""
    if years <= 1:
        return {}
    field = "person_id" if round_.level == Level.CADRE else "unit_id"
    keys = {getattr(subject, field): str(subject.pk) for subject in subjects}
    found: dict[str, dict[int, str]] = {}
    for whom, year, grade in Subject.objects.filter(
            round__unit=round_.unit, round__level=round_.level,
            round__status=RoundStatus.CLOSED, round__year__gte=round_.year - years + 1,
            round__year__lt=round_.year, **{f"{field}__in": list(keys)}).values_list(
            field, "round__year", "final_grade"):
        found.setdefault(keys[whom], {})[year] = grade
    return found


def _evidence(subject: Subject) -> frozenset[str]:
    """What a reviewer recorded for the subject's titles: an initiative with its reference."""
    recorded = subject.initiative.strip() and subject.initiative_reference.strip()
    return frozenset({titles.INITIATIVE}) if recorded else frozenset()


def left_out_reason(left: titles.LeftOut, names: Mapping[str, str]) -> str:
    """Why a subject who met a capped rule is not proposed (stored in Vietnamese, as the
    titles' names and citations are)."""
    cap = left.rule["cap"]
    share = Decimal(str(cap["share"])) * 100
    return (f"Vượt giới hạn: danh hiệu “{titles.title_label(left.rule, 'vi')}” không quá "
            f"{share.normalize():f}% của {left.base} người được đề nghị "
            f"“{names.get(cap['of'], cap['of'])}” trong đợt, tức {left.allowed} người; "
            f"người này xếp thứ {left.place} theo điểm ({cap.get('citation', '')})")


def _draw_up(round_: Round, actor: Any) -> int:
    """Propose every subject of a closed round for the titles its rules give it, once: a
    proposal drawn up before (withdrawn or not) is left as it is. A capped rule keeps those
    its places allow, by points; the others are recorded withdrawn, with why."""
    rules = title_rules(round_)
    if round_.status != RoundStatus.CLOSED or not rules:
        return 0
    subjects = list(round_.subjects.all())
    history = _earlier_grades(round_, subjects, max(int(r.get("years", 1)) for r in rules))
    graded = [titles.Graded(str(s.pk), s.final_grade, s.rank or 0, s.final_points or Decimal(0),
                            s.name, _evidence(s)) for s in subjects]
    existing = list(TitleProposal.objects.filter(round=round_).values_list(
        "subject_id", "title", "withdrawn"))
    drawn = {(subject_id, title) for subject_id, title, _withdrawn in existing}
    standing: dict[str, set[str]] = {}
    for subject_id, title, withdrawn in existing:
        if not withdrawn:
            standing.setdefault(title, set()).add(str(subject_id))
    found = [(key, rule) for key, rule in titles.qualifying(rules, graded, history, round_.year)
             if (int(key), rule["code"]) not in drawn]
    kept, left_out = titles.capped(found, graded, standing)
    names = {rule["code"]: titles.title_label(rule, "vi") for rule in rules}

    def proposal(key: str, rule: dict[str, Any], **fields: Any) -> TitleProposal:
        return TitleProposal(round=round_, subject_id=int(key), title=rule["code"],
                             title_name=titles.title_label(rule, "vi"),
                             origin=ProposalOrigin.RULE, changed_by=actor,
                             citation=rule.get("citation", "")[:500], **fields)

    new = [proposal(key, rule) for key, rule in kept]
    new += [proposal(left.key, left.rule, withdrawn=True,
                     withdrawn_reason=left_out_reason(left, names)) for left in left_out]
    bulk_create_with_history(new, TitleProposal, default_user=actor)
    return len(kept)


def _require_proposing(actor: Any, round_: Round) -> None:
    require_role(actor, round_.unit, Role.MANAGER)
    if round_.status != RoundStatus.CLOSED:
        raise ValidationError(_("Titles are proposed from a closed round."),
                              code="not_closed")


@transaction.atomic
def draw_up_proposals(*, actor: Any, round: Round) -> int:
    """Propose the collectives of a closed round by the title rules. Closing a round does it;
    this catches up a round closed before the rules existed. A proposal drawn up before,
    withdrawn or not, is left as it is. Returns how many proposals were added."""
    _require_proposing(actor, round)
    return _draw_up(round, actor)


@transaction.atomic
def add_proposal(*, actor: Any, round: Round, subject: Subject, title: str,
                 reason: str) -> TitleProposal:
    """A manager of the deciding unit proposes a collective or person of the round for a title
    its rules know, with a reason; a withdrawn proposal of the same title is proposed again."""
    _require_proposing(actor, round)
    rules = {rule["code"]: rule for rule in title_rules(round)}
    errors: dict[str, list[str]] = {}
    if subject.round_id != round.pk:
        errors["subject"] = [_("Choose a subject of this round.")]
    if title not in rules:
        errors["title"] = [_("Choose a title.")]
    if not reason.strip():
        errors["reason"] = [_("Say why this subject is proposed.")]
    existing = TitleProposal.objects.filter(subject=subject, title=title).first()
    if existing is not None and not existing.withdrawn:
        errors.setdefault("title", []).append(_("This subject is already proposed for this "
                                                "title."))
    if errors:
        raise ValidationError(errors)
    proposal = existing or TitleProposal(
        round=round, subject=subject, title=title, origin=ProposalOrigin.MANUAL,
        title_name=titles.title_label(rules[title], "vi"),
        citation=rules[title].get("citation", "")[:500])
    if existing is not None:
        claim_version(existing, existing.version)
    proposal.reason, proposal.withdrawn, proposal.withdrawn_reason = reason.strip(), False, ""
    proposal.changed_by = actor
    return _save(proposal, actor)


@transaction.atomic
def withdraw_proposal(*, actor: Any, proposal: TitleProposal, expected_version: int,
                      reason: str) -> TitleProposal:
    """Take a collective off the proposals with a reason; the proposal stays, withdrawn."""
    _require_proposing(actor, proposal.round)
    if proposal.withdrawn:
        raise ValidationError(_("This proposal has been withdrawn already."), code="withdrawn")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the proposal is withdrawn.")]})
    claim_version(proposal, expected_version)
    proposal.withdrawn, proposal.withdrawn_reason = True, reason.strip()
    proposal.changed_by = actor
    return _save(proposal, actor)



@transaction.atomic
def record_initiative(*, actor: Any, subject: Subject, expected_version: int, initiative: str,
                      reference: str) -> Subject:
    """The reviewer (a leader of the deciding unit) records a person's initiative or solution
    recognised, with the document that recognised it: evidence for "Chiến sĩ thi đua cơ sở"
    Sixclear does not hold. In the subject's history; empty both to remove it. Recorded at any
    time: it changes no grade, and "draw up the proposals again" picks it up after the close."""
    require_role(actor, subject.round.unit, Role.LEADER)
    if subject.person_id is None:
        raise ValidationError(_("Initiatives are recorded for persons."), code="not_person")
    initiative, reference = initiative.strip(), reference.strip()
    errors: dict[str, list[str]] = {}
    if initiative and not reference:
        errors["reference"] = [_("Name the document that recognised it (number and date).")]
    if reference and not initiative:
        errors["initiative"] = [_("Say what the initiative or solution is.")]
    if len(reference) > 300:
        errors["reference"] = [_("Write at most 300 characters.")]
    if errors:
        raise ValidationError(errors)
    claim_version(subject, expected_version)
    subject.initiative, subject.initiative_reference = initiative, reference
    return _save(subject, actor)
