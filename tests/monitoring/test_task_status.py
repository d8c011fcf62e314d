"""The scan's statuses, computed in SQL, agree with the rules stated in task_rules."""

import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import DEFAULT_POLICY, MonitoringPolicy, TaskHealth
from sixclear.monitoring.task_rules import assess_task, describe
from sixclear.tracking.models import ProgressReport, TaskState, TaskStep
from tests.factories import TaskFactory

TODAY = datetime.date(2026, 11, 23)


def issued(world, days_to_deadline, started_days_ago=30, **fields):
    values = {
        "unit": world.hoa_hoi, "owner": world.hh_officer, "state": TaskState.ISSUED,
        "start_date": TODAY - datetime.timedelta(days=started_days_ago),
        "deadline": TODAY + datetime.timedelta(days=days_to_deadline),
        "issued_at": timezone.make_aware(datetime.datetime(2026, 1, 5)),
    }
    values.update(fields)
    return TaskFactory(**values)


def add_report(task, world, days_ago, percent, obstacles="", status="approved"):
    return ProgressReport.objects.create(
        task=task, reported_by=world.hh_officer, percent=percent, narrative="…",
        report_date=TODAY - datetime.timedelta(days=days_ago), obstacles=obstacles,
        has_obstacles=bool(obstacles), status=status,
    )


def status_of(task):
    return TaskHealth.objects.get(task=task).status


def test_statuses_for_the_usual_cases(world):
    late = issued(world, -12)
    add_report(late, world, 20, 40)
    not_started = issued(world, 40)
    on_track = issued(world, 10, started_days_ago=30)
    add_report(on_track, world, 2, 80)
    lagging = issued(world, 10, started_days_ago=30)
    add_report(lagging, world, 2, 20)
    blocked = issued(world, 100)
    add_report(blocked, world, 1, 10, obstacles="Chưa bố trí được vốn")
    with_late_step = issued(world, 100)
    add_report(with_late_step, world, 1, 10)
    TaskStep.objects.create(task=with_late_step, position=1, title="Khảo sát",
                            due_date=TODAY - datetime.timedelta(days=3))
    done = issued(world, -5, state=TaskState.DONE)
    cancelled = issued(world, 5, state=TaskState.CANCELLED)
    draft = issued(world, 5, state=TaskState.DRAFT)

    run_scan(TODAY)

    assert status_of(late) == "late"
    assert status_of(not_started) == "not_started"
    assert status_of(on_track) == "on_track"
    assert status_of(lagging) == "at_risk"
    assert status_of(blocked) == "at_risk"
    assert status_of(with_late_step) == "at_risk"
    assert status_of(done) == "done"
    assert status_of(cancelled) == "cancelled"
    assert not TaskHealth.objects.filter(task=draft).exists()


def test_returned_and_draft_reports_do_not_count(world):
    task = issued(world, 40)
    add_report(task, world, 1, 50, status="returned")
    add_report(task, world, 1, 60, status="draft")
    run_scan(TODAY)
    assert status_of(task) == "not_started"


def test_an_owner_who_stops_reporting_makes_the_task_stale(world):
    quiet = issued(world, 100)
    add_report(quiet, world, 45, 30)
    fresh = issued(world, 100)
    add_report(fresh, world, 3, 30)
    run_scan(TODAY)
    assert TaskHealth.objects.get(task=quiet).stale
    assert not TaskHealth.objects.get(task=fresh).stale


def test_a_unit_policy_governs_its_subtree(world):
    task = issued(world, 100)
    add_report(task, world, 20, 30)
    MonitoringPolicy.objects.create(unit=world.gia_lai, reporting_period_days=10)
    run_scan(TODAY)
    assert TaskHealth.objects.get(task=task).stale
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, reporting_period_days=60)
    run_scan(TODAY)
    assert not TaskHealth.objects.get(task=task).stale


def test_a_second_scan_changes_nothing_and_status_changes_are_dated(world):
    task = issued(world, 3)
    add_report(task, world, 1, 90)
    first = run_scan(TODAY)
    assert first.tasks_changed == 1
    assert run_scan(TODAY).tasks_changed == 0
    later = TODAY + datetime.timedelta(days=10)
    run_scan(later)
    health = TaskHealth.objects.get(task=task)
    assert (health.status, health.changed_on) == ("late", later)


def test_the_reason_is_written_in_words(world):
    task = issued(world, -12)
    add_report(task, world, 21, 40)
    run_scan(TODAY)
    words = describe(task, TaskHealth.objects.get(task=task), TODAY)
    assert "passed 12 days ago" in words
    assert "last report 40 % on" in words


def random_task(world, rng):
    task = issued(
        world,
        days_to_deadline=rng.randint(-30, 60),
        started_days_ago=rng.choice([rng.randint(-10, 90), None]) or 0,
        state=rng.choice([TaskState.ISSUED] * 6 + [TaskState.DONE, TaskState.CANCELLED]),
        percent_complete=rng.randint(0, 100),
    )
    if rng.random() < 0.3:
        task.start_date = None
        task.save()
    for _ in range(rng.randint(0, 3)):
        add_report(task, world, rng.randint(0, 60), rng.randint(0, 100),
                   obstacles=rng.choice(["", "", "Thiếu kinh phí"]),
                   status=rng.choice(["approved", "submitted", "returned"]))
    for position in range(1, rng.randint(0, 2) + 1):
        TaskStep.objects.create(task=task, position=position, title="b",
                                due_date=TODAY + datetime.timedelta(days=rng.randint(-20, 20)),
                                done=rng.random() < 0.5)
    return task


def expected(task):
    reports = [r for r in task.reports.all() if r.status in ("approved", "submitted")]
    latest = max(reports, key=lambda r: (r.report_date, r.pk), default=None)
    late_steps = sum(1 for s in task.steps.all() if not s.done and s.due_date < TODAY)
    return assess_task(
        state=task.state, start_date=task.start_date,
        issued_on=timezone.localtime(task.issued_at).date(), deadline=task.deadline,
        percent_complete=task.percent_complete,
        last_report_date=latest.report_date if latest else None,
        last_percent=latest.percent if latest else None,
        has_open_obstacle=bool(latest and latest.has_obstacles), late_steps=late_steps,
        today=TODAY, policy=DEFAULT_POLICY,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_scan_agrees_with_the_rules_on_random_tasks(world, seed):
    rng = random.Random(seed)
    tasks = [random_task(world, rng) for _ in range(60)]
    run_scan(TODAY)
    health = {h.task_id: (h.status, h.stale) for h in TaskHealth.objects.all()}
    mismatches = [(t.pk, health[t.pk], expected(t)) for t in tasks if health[t.pk] != expected(t)]
    assert not mismatches, f"{connection.vendor}: {mismatches[:5]}"


def test_each_owner_has_a_freshness_score(world):
    from sixclear.monitoring.selectors import owner_freshness

    quiet = issued(world, 100)
    add_report(quiet, world, 45, 30)
    fresh = issued(world, 100)
    add_report(fresh, world, 3, 30)
    issued(world, 100, unit=world.an_nhon_bac, owner=world.anb_officer)
    run_scan(TODAY)
    scores = owner_freshness(world.hh_manager)
    assert [(s["owner__username"], s["open"], s["fresh"], s["share"]) for s in scores] == [
        ("hh.officer", 2, 1, 50)]
    assert len(owner_freshness(world.province_leader)) == 2
