"""Rounds end to end through the services: evidence computed per subject as of the round's
date, self-assessment, review, decision, caps, closing, reproducibility and rule versions."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.evaluation import selectors, services
from sixclear.evaluation.models import (
    CriteriaSet,
    Level,
    Line,
    RoundStatus,
    SetStatus,
    SubjectState,
)
from sixclear.versioning import StaleEdit

pytestmark = pytest.mark.django_db


def open_communes(world):
    return services.open_round(actor=world.province_admin, unit=world.gia_lai, year=2026,
                               level=Level.PARTY_COMMITTEE)


def line(subject, code):
    return Line.objects.get(subject=subject, criterion__code=code)


def subject_of(round_, unit):
    return round_.subjects.get(unit=unit)


def self_assess(actor, subject, points, submit=True):
    subject.refresh_from_db()
    return services.save_self_assessment(
        actor=actor, subject=subject, expected_version=subject.version, comment="Tự đánh giá",
        proposed_grade="good", scores={"TC": (points, "")}, submit=submit)


def decide(world, subject, **kwargs):
    subject.refresh_from_db()
    return services.review_subject(actor=world.province_leader, subject=subject,
                                   expected_version=subject.version, decide=True, **kwargs)


def test_opening_computes_every_communes_tasks_on_time_with_its_records(evidence):
    round_ = open_communes(evidence)
    assert round_.snapshot_date == datetime.date(2026, 12, 20)
    assert set(round_.subjects.values_list("name", flat=True)) == {"Hòa Hội", "An Nhơn Bắc"}
    hh = line(subject_of(round_, evidence.hoa_hoi), "KQ1")
    assert (hh.numerator, hh.denominator) == (4, 5)
    assert {r["pk"] for r in hh.records} == {t.pk for t in evidence.hh_tasks}
    late = next(r for r in hh.records if r["pk"] == evidence.late_task.pk)
    assert late["ok"] is False
    assert late["facts"] == {"deadline": "2026-08-01", "completed_on": "2026-08-20"}
    anb = line(subject_of(round_, evidence.an_nhon_bac), "KQ1")
    assert (anb.numerator, anb.denominator) == (2, 2)


def test_only_an_administrator_of_the_unit_above_opens_a_round(evidence):
    with pytest.raises(PermissionDenied):
        services.open_round(actor=evidence.province_leader, unit=evidence.gia_lai,
                            year=2026, level=Level.PARTY_COMMITTEE)
    with pytest.raises(ValidationError) as refused:
        services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                            year=2027, level=Level.PARTY_COMMITTEE)
    assert "year" in refused.value.error_dict
    open_communes(evidence)
    with pytest.raises(ValidationError):
        open_communes(evidence)


def test_the_whole_flow_to_final_grades_with_the_cap_applied(evidence):
    round_ = open_communes(evidence)
    hh, anb = subject_of(round_, evidence.hoa_hoi), subject_of(round_, evidence.an_nhon_bac)
    self_assess(evidence.hh_manager, hh, "28")
    self_assess(evidence.anb_manager, anb, "30")
    decide(evidence, hh)
    decide(evidence, anb)
    round_.refresh_from_db()
    services.close_round(actor=evidence.province_leader, round=round_,
                         expected_version=round_.version)
    hh.refresh_from_db()
    anb.refresh_from_db()
    # Hòa Hội: 28 + 35 × 4/5 (28) + 20 + 10 + 5 (nothing due: full) = 91, but a task was late:
    # neither excellent nor good; 4 of 5 on time (80 %) is enough for "complete".
    assert (hh.final_points, hh.final_grade) == (D("91.00"), "complete")
    # An Nhơn Bắc: 100 points, every task on time: "excellent", but 20 % of the one subject
    # graded good or better rounds down to 0, so the cap makes it "good".
    assert (anb.final_points, anb.final_grade) == (D("100.00"), "good")
    assert (anb.rank, hh.rank) == (1, 2)
    page = selectors.subject_page(evidence.province_leader, anb)
    assert [step.kind for step in page.result.steps] == ["threshold", "cap"]


def test_self_assessment_needs_its_manual_points_and_the_right_person(evidence):
    round_ = open_communes(evidence)
    hh = subject_of(round_, evidence.hoa_hoi)
    for outsider in (evidence.hh_viewer, evidence.anb_manager, evidence.province_leader):
        with pytest.raises(PermissionDenied):
            self_assess(outsider, hh, "20")
    hh.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.save_self_assessment(actor=evidence.hh_manager, subject=hh,
                                      expected_version=hh.version, submit=True)
    assert "points_TC" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        self_assess(evidence.hh_manager, hh, "31")
    assert "points_TC" in refused.value.error_dict
    hh.refresh_from_db()
    assert hh.state == SubjectState.DRAFT and line(hh, "TC").self_points is None


def test_a_stale_self_assessment_is_refused(evidence):
    hh = subject_of(open_communes(evidence), evidence.hoa_hoi)
    seen = hh.version
    self_assess(evidence.hh_manager, hh, "20", submit=False)
    with pytest.raises(StaleEdit):
        services.save_self_assessment(actor=evidence.hh_leader, subject=hh,
                                      expected_version=seen, scores={"TC": ("25", "")})


def test_an_adjustment_needs_a_reason_and_keeps_the_computed_figure(evidence):
    round_ = open_communes(evidence)
    hh = subject_of(round_, evidence.hoa_hoi)
    self_assess(evidence.hh_manager, hh, "28")
    hh.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.review_subject(actor=evidence.province_leader, subject=hh,
                                expected_version=hh.version, adjustments={"KQ1": ("35", "")})
    assert "reason_KQ1" in refused.value.error_dict
    decide(evidence, hh, adjustments={"KQ1": ("35", "Nhiệm vụ trễ do thiên tai, đã xác nhận")})
    page = selectors.subject_page(evidence.hh_manager, hh)
    kq1 = next(view for view in page.lines if view.criterion.code == "KQ1")
    assert (kq1.result.computed, kq1.result.points, kq1.result.adjusted) == (
        D("28.00"), D("35.00"), True)
    assert kq1.line.reviewed_by == evidence.province_leader


def test_a_veto_keeps_a_disciplined_collective_at_complete(evidence):
    round_ = open_communes(evidence)
    anb = subject_of(round_, evidence.an_nhon_bac)
    self_assess(evidence.anb_manager, anb, "30")
    anb.refresh_from_db()
    with pytest.raises(ValidationError):
        decide(evidence, anb, vetoes={"disciplined": ""})
    decide(evidence, anb, vetoes={"disciplined": "Quyết định kỷ luật số 12-QĐ/UBKT"})
    page = selectors.subject_page(evidence.province_leader, anb)
    assert page.result.grade == "complete"
    assert page.result.steps[-1].kind == "veto"


def test_evidence_follows_the_records_until_the_decision_then_stays(evidence):
    round_ = open_communes(evidence)
    hh, anb = subject_of(round_, evidence.hoa_hoi), subject_of(round_, evidence.an_nhon_bac)
    self_assess(evidence.anb_manager, anb, "30")
    decide(evidence, anb)
    # The late task's deadline moves (an approved extension): Hòa Hội, undecided, follows.
    evidence.late_task.deadline = datetime.date(2026, 8, 31)
    evidence.late_task.save()
    from sixclear.tracking.models import TaskState
    from tests.factories import TaskFactory
    TaskFactory(unit=evidence.an_nhon_bac, state=TaskState.ISSUED,
                deadline=datetime.date(2026, 12, 1))  # now late, after the decision
    services.refresh_evidence(actor=evidence.province_leader, round=round_)
    assert (line(hh, "KQ1").numerator, line(hh, "KQ1").denominator) == (5, 5)
    assert (line(anb, "KQ1").numerator, line(anb, "KQ1").denominator) == (2, 2)


def test_a_closed_round_is_reproducible_and_frozen(evidence):
    round_ = open_communes(evidence)
    subjects = list(round_.subjects.all())
    for subject, manager in zip(subjects, (evidence.anb_manager, evidence.hh_manager),
                                strict=True):
        self_assess(manager if subject.unit == evidence.an_nhon_bac else evidence.hh_manager,
                    subject, "25")
        decide(evidence, subject)
    round_.refresh_from_db()
    services.close_round(actor=evidence.province_leader, round=round_,
                         expected_version=round_.version)
    before = [(row.subject.pk, row.grade, row.points, row.result.grade, row.result.points)
              for row in selectors.round_rows(round_)]
    assert all(grade == live and points == live_points
               for _pk, grade, points, live, live_points in before)
    evidence.late_task.completed_on = datetime.date(2026, 7, 1)
    evidence.late_task.save()
    after = [(row.subject.pk, row.grade, row.points, row.result.grade, row.result.points)
             for row in selectors.round_rows(round_)]
    assert after == before
    with pytest.raises(ValidationError):
        services.refresh_evidence(actor=evidence.province_leader, round=round_)
    hh = round_.subjects.get(unit=evidence.hoa_hoi)
    with pytest.raises(ValidationError):
        services.save_self_assessment(actor=evidence.hh_manager, subject=hh,
                                      expected_version=hh.version, comment="Sửa")


def test_a_new_rule_version_applies_to_new_rounds_and_never_rewrites_a_closed_one(evidence):
    round_ = open_communes(evidence)
    shipped = round_.criteria_set
    for subject in round_.subjects.all():
        manager = evidence.hh_manager if subject.unit == evidence.hoa_hoi \
            else evidence.anb_manager
        self_assess(manager, subject, "30")
        decide(evidence, subject)
    round_.refresh_from_db()
    services.close_round(actor=evidence.province_leader, round=round_,
                         expected_version=round_.version)
    grades = dict(round_.subjects.values_list("name", "final_grade"))
    with pytest.raises(PermissionDenied):
        services.derive_criteria_set(actor=evidence.province_leader, source=shipped,
                                     unit=evidence.gia_lai)
    mine = services.derive_criteria_set(actor=evidence.province_admin, source=shipped,
                                        unit=evidence.gia_lai)
    assert (mine.number, mine.status, mine.criteria.count()) == (1, SetStatus.DRAFT, 5)
    mine = services.update_criteria_set(
        actor=evidence.province_admin, criteria_set=mine, expected_version=mine.version,
        name="Bộ tiêu chí tỉnh Gia Lai", excellent_min="95", good_min="60", complete_min="40",
        cap_share="1")
    services.publish_criteria_set(actor=evidence.province_admin, criteria_set=mine,
                                  expected_version=mine.version)
    with pytest.raises(ValidationError):
        services.update_criteria_set(
            actor=evidence.province_admin, criteria_set=mine, expected_version=mine.version,
            name="x", excellent_min="90", good_min="70", complete_min="50", cap_share="1")
    round_.refresh_from_db()
    assert round_.criteria_set == shipped
    assert dict(round_.subjects.values_list("name", "final_grade")) == grades
    other = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                                year=2026, level=Level.PEOPLES_COMMITTEE)
    assert other.criteria_set == services.applicable_set(
        evidence.gia_lai, 2026, Level.PEOPLES_COMMITTEE)
    assert services.applicable_set(evidence.gia_lai, 2026, Level.PARTY_COMMITTEE) == mine


def test_a_set_that_does_not_add_up_to_100_is_not_published(evidence):
    shipped = CriteriaSet.objects.get(unit=None, year=2026, level=Level.DEPARTMENT)
    mine = services.derive_criteria_set(actor=evidence.province_admin, source=shipped,
                                        unit=evidence.gia_lai)
    criterion = mine.criteria.get(code="KQ4")
    services.update_criterion(actor=evidence.province_admin, criterion=criterion,
                              expected_version=mine.version, title=criterion.title,
                              points="10", method="measure", measure="data_freshness")
    mine.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.publish_criteria_set(actor=evidence.province_admin, criteria_set=mine,
                                      expected_version=mine.version)
    assert "105" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.update_criteria_set(
            actor=evidence.province_admin, criteria_set=shipped,
            expected_version=shipped.version, name="x", excellent_min="90", good_min="70",
            complete_min="50", cap_share="1")


def test_a_cadre_round_grades_the_people_of_the_unit_on_the_tasks_they_own(evidence):
    from sixclear.orgs.models import Role
    from tests.factories import person

    commune_admin = person(evidence.hoa_hoi, Role.ADMIN, username="hh.admin")
    round_ = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                 level=Level.CADRE)
    people = set(round_.subjects.values_list("person__username", flat=True))
    assert "hh.officer" in people and "hh.leader" not in people and "hh.admin" not in people
    officer = round_.subjects.get(person=evidence.hh_officer)
    assert (line(officer, "KQ1").numerator, line(officer, "KQ1").denominator) == (3, 4)
    with pytest.raises(PermissionDenied):
        self_assess(evidence.hh_manager, officer, "20")
    self_assess(evidence.hh_officer, officer, "20")
    assert round_.status == RoundStatus.OPEN


def test_the_seed_command_creates_a_years_shipped_sets_once(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("evaluation", "seed", "--year", "2027", stdout=out)
    call_command("evaluation", "seed", "--year", "2027", stdout=out)
    assert CriteriaSet.objects.filter(unit=None, year=2027).count() == 5
    assert "5 criteria sets for 2027." in out.getvalue()


def test_lower_collectives_close_before_higher_ones_and_collectives_before_people(evidence):
    from sixclear.orgs.models import Role
    from tests.factories import person

    communes = open_communes(evidence)
    commune_admin = person(evidence.hoa_hoi, Role.ADMIN, username="hh.admin")
    departments = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                      level=Level.DEPARTMENT)
    cadres = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                 level=Level.CADRE)
    assert services.rounds_to_close_first(communes) == [departments]
    assert services.rounds_to_close_first(cadres) == [communes]
    for subject in communes.subjects.all():
        manager = evidence.hh_manager if subject.unit == evidence.hoa_hoi \
            else evidence.anb_manager
        self_assess(manager, subject, "20")
        decide(evidence, subject)
    communes.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.close_round(actor=evidence.province_leader, round=communes,
                             expected_version=communes.version)
    assert "Phòng Kinh tế" not in str(refused.value) and "Hòa Hội" in str(refused.value)
    departments.status = RoundStatus.CLOSED
    departments.save()
    services.close_round(actor=evidence.province_leader, round=communes,
                         expected_version=communes.version)
    assert services.rounds_to_close_first(cadres) == []
