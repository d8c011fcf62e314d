"""The header's approvals badge: read from the units' rollup rows, equal to the exact count of
what the person may decide, in a number of queries that does not grow with the data."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sixclear.changes.models import ChangeKind, ChangeRequest
from sixclear.changes.selectors import count_awaiting_decision as exact_count
from sixclear.dashboards import rollups
from sixclear.orgs.models import Role, Unit
from sixclear.tracking import services
from sixclear.tracking.models import Measurement, ProgressReport, ReviewStatus, TaskState
from sixclear.tracking.selectors import measurements_awaiting_review, reports_awaiting_review
from tests.factories import TargetFactory, TaskFactory, UserFactory, person

TODAY = timezone.localdate()
PEOPLE = ["hh_manager", "hh_leader", "province_leader", "anb_manager", "vh_manager",
          "hh_officer", "hh_viewer", "outsider", "named", "admin"]


def issued(unit, owner, **fields):
    return TaskFactory(unit=unit, owner=owner, state=TaskState.ISSUED,
                       start_date=TODAY - datetime.timedelta(days=30),
                       deadline=TODAY + datetime.timedelta(days=30), **fields)


@pytest.fixture
def people(world):
    world.named = person(world.viet_hung, Role.OFFICER, username="vh.named")
    world.admin = UserFactory(username="root", is_superuser=True)
    return world


def add_work(world, n):
    """n reports waiting in Hòa Hội and in An Nhơn Bắc, one the Hòa Hội manager wrote himself,
    reports on Việt Hưng tasks naming the Hòa Hội manager and a Việt Hưng officer as approving
    person, values waiting, and pending change requests; then the rollups are recounted, as the
    upkeep port does after each write."""
    for _ in range(n):
        for unit, owner in ((world.hoa_hoi, world.hh_officer),
                            (world.an_nhon_bac, world.anb_officer)):
            task = issued(unit, owner)
            services.report_progress(actor=owner, task=task, percent=10, narrative="x")
        target = TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)
        services.record_measurement(actor=world.hh_officer, target=target, year=2026, value=1)
        task = issued(world.hoa_hoi, world.hh_officer)
        ChangeRequest.objects.create(
            kind=ChangeKind.DEADLINE, task=task, original={"deadline": "2027-01-01"},
            proposed={"deadline": "2027-06-30"}, reason="x", requested_by=world.hh_officer)
    own = issued(world.hoa_hoi, world.hh_manager)
    services.report_progress(actor=world.hh_manager, task=own, percent=10, narrative="x")
    for authority in (world.hh_manager, world.named):
        elsewhere = issued(world.viet_hung, world.vh_manager, authority=authority)
        services.report_progress(actor=world.vh_manager, task=elsewhere, percent=10,
                                 narrative="x")
    rollups.refresh_units(Unit.objects.values_list("pk", flat=True), targets=True, months=True)


def fresh(user):
    """The person as a new request reads them: no membership paths cached."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_badge_is_the_exact_count_of_what_each_person_decides(people):
    add_work(people, 2)
    for name in PEOPLE:
        user = fresh(getattr(people, name))
        expected = exact_count(user)
        assert rollups.count_awaiting_decision(fresh(user)) == expected, name
    manager = fresh(people.hh_manager)
    # Hòa Hội's reports and values, and the Việt Hưng report naming him; not his own.
    assert rollups.count_awaiting_decision(manager) == 2 + 2 + 1
    listed = reports_awaiting_review(manager)
    assert all(report.reported_by_id != manager.pk for report in listed)
    assert {report.task.unit for report in listed} == {people.hoa_hoi, people.viet_hung}
    assert rollups.count_awaiting_decision(fresh(people.hh_leader)) == 2 + 1 + 2 + 2
    assert rollups.count_awaiting_decision(fresh(people.named)) == 1
    assert rollups.count_awaiting_decision(fresh(people.hh_officer)) == 0


def test_a_decision_leaves_the_badge(people):
    add_work(people, 1)
    manager = fresh(people.hh_manager)
    before = rollups.count_awaiting_decision(manager)
    report = reports_awaiting_review(manager).first()
    services.review_progress_report(actor=manager, report=report, expected_version=report.version,
                                    approve=True)
    rollups.refresh_units([report.task.unit_id])  # what the upkeep port does after a review
    assert rollups.count_awaiting_decision(fresh(manager)) == before - 1 == exact_count(manager)


def test_a_value_submitted_through_the_service_is_counted_at_once(people):
    rollups.rebuild()
    target = TargetFactory(unit=people.hoa_hoi, responsible_person=people.hh_officer)
    services.record_measurement(actor=people.hh_officer, target=target, year=2026, value=1)
    assert rollups.count_awaiting_decision(fresh(people.hh_manager)) == 1


def test_rebuild_counts_and_verify_checks_what_waits(people):
    add_work(people, 2)
    assert rollups.verify() == []
    ProgressReport.objects.filter(status=ReviewStatus.SUBMITTED).update(
        status=ReviewStatus.APPROVED)  # behind the rollups' back
    Measurement.objects.filter(status=ReviewStatus.SUBMITTED).update(
        status=ReviewStatus.RETURNED)
    differences = rollups.verify()
    assert {(kind, unit) for kind, unit, _stored, _fresh in differences} == {
        ("tasks", people.hoa_hoi.pk), ("tasks", people.an_nhon_bac.pk),
        ("tasks", people.viet_hung.pk)}
    rollups.rebuild()
    assert rollups.verify() == []
    assert rollups.count_awaiting_decision(fresh(people.province_leader)) == 2  # the changes


@pytest.mark.parametrize("who", ["hh_manager", "province_leader", "admin", "hh_officer"])
def test_the_badge_reads_a_fixed_number_of_queries(people, who):
    def queries():
        user = fresh(getattr(people, who))
        with CaptureQueriesContext(connection) as captured:
            rollups.count_awaiting_decision(user)
        return len(captured)

    add_work(people, 1)
    few = queries()
    assert few <= 3  # the person's manager and leader units, then one statement
    add_work(people, 12)
    assert queries() == few


def test_the_lists_page_oldest_first(people):
    add_work(people, 4)
    leader = fresh(people.province_leader)
    everything = list(reports_awaiting_review(leader, limit=None))
    first = list(reports_awaiting_review(leader, limit=3))
    assert first == everything[:3]
    last = first[-1]
    rest = list(reports_awaiting_review(leader, after=(last.submitted_at, last.pk), limit=50))
    assert first + rest == everything
    assert len(everything) == 8 + 1  # Hòa Hội and An Nhơn Bắc, and the manager's own
    values = list(measurements_awaiting_review(leader, limit=2))
    assert values == list(measurements_awaiting_review(leader, limit=None))[:2]


def test_a_returned_report_or_value_leaves_the_count_at_once(people):
    target = TargetFactory(unit=people.hoa_hoi, responsible_person=people.hh_officer)
    task = TaskFactory(unit=people.hoa_hoi, owner=people.hh_officer, state=TaskState.ISSUED)
    rollups.rebuild()  # the factories wrote behind the services' back
    value = services.record_measurement(actor=people.hh_officer, target=target, year=2026,
                                        value=1)
    report = services.report_progress(actor=people.hh_officer, task=task, percent=10,
                                      narrative="Đã khảo sát.")
    assert rollups.count_awaiting_decision(fresh(people.hh_manager)) == 2
    services.review_measurement(actor=people.hh_manager, measurement=value,
                                expected_version=value.version, approve=False, comment="Sai")
    services.review_progress_report(actor=people.hh_manager, report=report,
                                    expected_version=report.version, approve=False,
                                    comment="Thiếu minh chứng")
    assert rollups.count_awaiting_decision(fresh(people.hh_manager)) == 0
    assert rollups.verify() == []
