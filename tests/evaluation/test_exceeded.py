"""Quy định 366's "at least 30 % exceeded" for "excellent": the measure of tasks and targets
done better than asked, worked out by hand; a criterion of no points that "excellent" requires;
the shipped sets carry it from 2027 while the published 2025 and 2026 sets stay as they were;
and a unit's derived version uses it for 2026 through the pages."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from sixclear.evaluation import measures, selectors, services
from sixclear.evaluation.defaults import default_sets
from sixclear.evaluation.models import CriteriaSet, Level, SetStatus
from sixclear.monitoring.models import TargetHealth, TargetStatus
from sixclear.orgs.models import Role
from sixclear.plans.models import Direction, TargetKind, TrajectoryPoint
from sixclear.tracking.models import ProgressReport, ReviewStatus, TaskState
from tests.factories import TargetFactory, TaskFactory, person

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 12, 20)
day = datetime.date


def task(world, unit, deadline, completed=None, reported=None, owner=None, title="Nhiệm vụ"):
    """A task due on `deadline`, done on `completed` (else still issued); `reported`: the day of
    its approved report of 100 %."""
    found = TaskFactory(unit=unit, owner=owner, title=title, deadline=deadline,
                        start_date=day(2026, 1, 5),
                        state=TaskState.DONE if completed else TaskState.ISSUED,
                        completed_on=completed, percent_complete=100 if completed else 40)
    if reported:
        ProgressReport.objects.create(task=found, reported_by=world.hh_officer,
                                      report_date=reported, percent=100, narrative="Xong",
                                      status=ReviewStatus.APPROVED)
    return found


def target(unit, actual, low, high=None, direction=Direction.HIGHER, of_year=2026,
           kind=TargetKind.COUNT, **fields):
    found = TargetFactory(unit=unit, kind=kind, direction=direction, target_value=D(200),
                          **fields)
    TrajectoryPoint.objects.create(target=found, year=2026, expected_value=D(low),
                                   expected_high=None if high is None else D(high))
    if actual is not None:
        TargetHealth.objects.create(target=found, status=TargetStatus.ON_TRACK, year=of_year,
                                    actual=D(actual), expected=D(low), changed_on=AS_OF)
    return found


def compute(world):
    refs = [measures.SubjectRef(key="hh", unit_path=world.hoa_hoi.path),
            measures.SubjectRef(key="anb", unit_path=world.an_nhon_bac.path),
            measures.SubjectRef(key="officer", person_id=world.hh_officer.pk)]
    figures = measures.get("tasks_targets_exceeded").compute(refs, 2026, AS_OF, {})
    return {key: (f.numerator, f.denominator) for key, f in figures.items()}, figures


def test_tasks_done_early_with_their_result_and_targets_beyond_their_path(world):
    hh, office, anb = world.hoa_hoi, world.economy_office, world.an_nhon_bac
    early = task(world, hh, day(2026, 6, 30), day(2026, 6, 20), day(2026, 6, 20),
                 owner=world.hh_officer, title="Sớm, có kết quả")
    task(world, hh, day(2026, 6, 30), day(2026, 6, 20), owner=world.hh_officer,
         title="Sớm, chưa báo cáo kết quả")
    task(world, office, day(2026, 7, 31), day(2026, 7, 31), day(2026, 7, 31),
         title="Đúng hạn, không vượt")
    task(world, hh, day(2026, 8, 31), day(2026, 9, 5), day(2026, 9, 5), title="Trễ")
    task(world, hh, day(2026, 10, 31), title="Quá hạn, đang làm")
    task(world, hh, day(2026, 12, 30), title="Chưa đến hạn")  # not due by the evidence date
    task(world, hh, day(2026, 3, 31), day(2026, 3, 1), day(2026, 12, 21),
         title="Kết quả báo cáo sau ngày chốt")  # reported after the evidence date
    above = target(hh, "130", "121", responsible_person=world.hh_officer)
    target(hh, "121", "121")  # on the path: reached, not exceeded
    target(office, "12.5", "11", "12")  # beyond the upper end of a range
    target(hh, "11.5", "11", "12")  # inside the range
    target(hh, "2.9", "3", direction=Direction.LOWER)  # lower is better: below it
    target(hh, "150", "121", of_year=2025)  # last year's value does not count
    target(hh, None, "121")  # no value yet
    target(hh, "1", "1", kind=TargetKind.YES_NO)  # a yes/no target cannot be exceeded
    task(world, anb, day(2026, 5, 31), day(2026, 5, 1), day(2026, 5, 1))
    counts, figures = compute(world)
    # Hòa Hội: tasks 1 of 6 (the early one reported), targets 3 of 7 (yes/no left out).
    assert counts["hh"] == (4, 13)
    assert counts["anb"] == (1, 1)
    assert counts["officer"] == (2, 3)  # two tasks they own and the target they answer for
    record = next(r for r in figures["hh"].records if r["kind"] == "task"
                  and r["pk"] == early.pk)
    assert record["ok"] and record["facts"] == {
        "deadline": "2026-06-30", "completed_on": "2026-06-20",
        "result_reported_on": "2026-06-20"}
    record = next(r for r in figures["hh"].records if r["kind"] == "target"
                  and r["pk"] == above.pk)
    assert record["ok"] and record["facts"] == {"actual": "130.0000",
                                                "year_end_expected": "121.0000"}


def test_the_measure_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for month in range(1, 10):
        task(world, world.hoa_hoi, day(2026, month, 28), day(2026, month, 2),
             day(2026, month, 2))
        target(world.hoa_hoi, "130", "121")
    with django_assert_max_num_queries(3):
        compute(world)


def test_the_shipped_party_sets_carry_the_condition_from_2027_only(db):
    for data in default_sets(2027):
        codes = {row["code"]: row for row in data["criteria"]}
        excellent = data["rules"]["grades"]["excellent"]["requires"]
        if data["level"] in ("party_committee", "party_cell"):
            assert codes["KQ6"]["points"] == 0
            assert codes["KQ6"]["measure"] == "tasks_targets_exceeded"
            assert "cần đối chiếu văn bản gốc" in codes["KQ6"]["citation"]
            assert {"criterion": "KQ6", "min_ratio": "0.3"} in excellent
            assert sum(row["points"] for row in data["criteria"]) == 100
        else:
            assert "KQ6" not in codes
    for year in (2025, 2026):  # published by the data migration: never changed
        for shipped in CriteriaSet.objects.filter(unit=None, year=year):
            assert not shipped.criteria.filter(code="KQ6").exists()
            assert all(need["criterion"] != "KQ6"
                       for need in shipped.rules["grades"]["excellent"]["requires"])
        assert all("KQ6" not in {row["code"] for row in data["criteria"]}
                   for data in default_sets(year))


def _excellent_year(world, year=2026):
    """Hòa Hội: four tasks all on time, one of them done early with its result reported."""
    world.province_admin = person(world.gia_lai, Role.ADMIN, username="gl.admin")
    for month in (3, 6, 9):
        task(world, world.hoa_hoi, day(year, month, 28), day(year, month, 28),
             day(year, month, 28))
    return task(world, world.hoa_hoi, day(year, 5, 31), day(year, 5, 20), day(year, 5, 20),
                title="Xong sớm")


def _graded(world, criteria_set, year=2026):
    """Hòa Hội's page in a round of `year`, with its 30 general points scored: 100 in all."""
    round_ = services.open_round(actor=world.province_admin, unit=world.gia_lai, year=year,
                                 level=Level.PARTY_COMMITTEE)
    assert round_.criteria_set == criteria_set
    subject = round_.subjects.get(unit=world.hoa_hoi)
    services.save_self_assessment(actor=world.hh_manager, subject=subject,
                                  expected_version=subject.version, scores={"TC": ("30", "")})
    subject.refresh_from_db()
    return selectors.subject_page(world.province_leader, subject)


def test_a_derived_2026_set_requires_30_percent_exceeded_for_excellent(world, client):
    _excellent_year(world)
    shipped = CriteriaSet.objects.get(unit=None, year=2026, level=Level.PARTY_COMMITTEE)
    mine = services.derive_criteria_set(actor=world.province_admin, source=shipped,
                                        unit=world.gia_lai)
    new_url = reverse("evaluation:criterion_new", args=[mine.pk])
    data = {"version": mine.version, "code": "KQ6", "title": "Nhiệm vụ, chỉ tiêu vượt",
            "points": "0", "method": "measure", "measure": "tasks_targets_exceeded",
            "full_at": "1"}
    assert client.get(new_url).status_code == 302  # anonymous: to sign in
    client.force_login(world.province_leader)
    assert client.get(new_url).status_code == 403
    client.force_login(world.vh_manager)
    assert client.get(new_url).status_code == 404
    client.force_login(world.province_admin)
    assert client.get(new_url).status_code == 200
    assert client.post(new_url, {**data, "code": "KQ1"}).status_code == 400  # taken
    assert client.post(new_url, data).status_code == 302
    mine.refresh_from_db()
    set_url = reverse("evaluation:criteria_set", args=[mine.pk])
    requirement = {"action": "requirement", "version": mine.version, "grade": "excellent",
                   "criterion": "KQ6", "min_ratio": "0.3"}
    assert client.post(set_url, {**requirement, "min_ratio": "2"}).status_code == 400
    assert client.post(set_url, requirement).status_code == 302
    assert client.post(set_url, requirement).status_code == 409  # the version moved on
    mine.refresh_from_db()
    mine = services.update_criteria_set(
        actor=world.province_admin, criteria_set=mine, expected_version=mine.version,
        name="Gia Lai 2026 (QĐ 366, có điều kiện 30% vượt)", excellent_min="90",
        good_min="70", complete_min="50", cap_share="1")
    services.publish_criteria_set(actor=world.province_admin, criteria_set=mine,
                                  expected_version=mine.version)
    assert mine.rules["grades"]["excellent"]["requires"] == [
        {"criterion": "KQ1", "min_ratio": "1"}, {"criterion": "KQ6", "min_ratio": "0.3"}]
    page = _graded(world, mine)
    # 100 points, every task on time, but 1 of 4 exceeded (25 %): not "excellent".
    assert page.result.points == 100
    assert page.result.grade == "good"
    need = next(step for step in page.result.steps if step.kind == "requirement")
    assert (need.grade, need.detail["criterion"], need.detail["ratio"]) == (
        "excellent", "KQ6", "0.25")
    client.force_login(world.province_leader)
    html = client.get(reverse("evaluation:subject", args=[page.subject.pk])).content.decode()
    assert "a condition, no points" in html and "criterion KQ6 is at 25" in html


def test_the_2027_shipped_set_grades_excellent_once_30_percent_is_exceeded(world):
    with time_machine.travel(datetime.datetime(2027, 12, 20, 9, 0), tick=False):
        early = _excellent_year(world, 2027)
        task(world, world.hoa_hoi, day(2027, 11, 30), day(2027, 11, 2), day(2027, 11, 2))
        services.ensure_default_sets(2027)
        shipped = CriteriaSet.objects.get(unit=None, year=2027, level=Level.PARTY_COMMITTEE)
        assert shipped.status == SetStatus.PUBLISHED
        page = _graded(world, shipped, year=2027)
    kq6 = next(line for line in page.lines if line.criterion.code == "KQ6")
    assert (kq6.line.numerator, kq6.line.denominator) == (2, 5)  # 40 %
    assert early.pk in {record["pk"] for record in kq6.line.records if record["ok"]}
    assert kq6.result.points == 0 and page.result.points == 100
    assert page.result.steps[0].kind == "threshold"
    assert page.result.steps[0].grade == "excellent"  # then capped across the round
    assert not any(step.kind == "requirement" for step in page.result.steps)
