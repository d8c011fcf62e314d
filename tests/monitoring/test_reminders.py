"""Reminders before deadlines, escalation after, once each, and one digest a day."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from sixclear.accounts.models import UserPreference
from sixclear.monitoring import notifications
from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import MonitoringPolicy, Notification
from sixclear.monitoring.reminders import queue_reminders
from sixclear.orgs.models import Membership, Role
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, person

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def task(world):
    return TaskFactory(unit=world.hoa_hoi, lead_unit=world.economy_office,
                       owner=world.hh_officer, state=TaskState.ISSUED,
                       deadline=TODAY + datetime.timedelta(days=7))


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "days"))


def test_owner_is_reminded_seven_days_and_one_day_before_and_on_the_day(world, task):
    for offset in range(0, 8):
        queue_reminders(TODAY + datetime.timedelta(days=offset))
    assert kinds_for(world.hh_officer) == [
        ("deadline_soon", 1), ("deadline_soon", 7), ("deadline_today", 0)]


def test_nobody_receives_the_same_reminder_twice(world, task):
    assert queue_reminders(TODAY) == 1
    assert queue_reminders(TODAY) == 0
    assert Notification.objects.count() == 1


def test_an_extended_deadline_is_reminded_again(world, task):
    queue_reminders(TODAY)
    task.deadline = TODAY + datetime.timedelta(days=14)
    task.save()
    queue_reminders(TODAY + datetime.timedelta(days=7))
    assert kinds_for(world.hh_officer) == [("deadline_soon", 7), ("deadline_soon", 7)]


def test_a_late_task_escalates_step_by_step(world, task):
    dept_manager = person(world.economy_office, Role.MANAGER, username="dept.manager")
    gia_lai_leader = world.province_leader
    deadline = task.deadline
    seen = {}
    for days_late in (1, 3, 7, 14):
        queue_reminders(deadline + datetime.timedelta(days=days_late))
        seen[days_late] = set(
            Notification.objects.filter(kind="late").values_list("recipient__username", "step"))
    assert seen[1] == {("hh.officer", 0)}
    assert ("dept.manager", 1) in seen[3]
    assert ("hh.leader", 2) in seen[7]
    assert ("gl.leader", 3) in seen[14]
    assert dept_manager and gia_lai_leader


def test_named_authority_is_escalated_to_instead_of_the_leaders(world, task):
    task.authority = world.hh_manager
    task.save()
    for days_late in (1, 3, 7):
        queue_reminders(task.deadline + datetime.timedelta(days=days_late))
    step_two = set(Notification.objects.filter(step=2).values_list("recipient__username",
                                                                   flat=True))
    assert step_two == {"hh.manager"}


def test_a_unit_sets_its_own_reminder_days(world, task):
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, reminder_days="3")
    queue_reminders(TODAY)  # 7 days before: not a reminder day for Hòa Hội any more
    assert not Notification.objects.exists()
    queue_reminders(TODAY + datetime.timedelta(days=4))
    assert kinds_for(world.hh_officer) == [("deadline_soon", 3)]


def test_owner_is_reminded_before_the_reporting_period_closes(world, task):
    task.deadline = TODAY + datetime.timedelta(days=90)
    task.save()
    task.reports.create(reported_by=world.hh_officer, report_date=TODAY, percent=10,
                        narrative="…", status="approved")
    closes = TODAY + datetime.timedelta(days=30)
    run_scan(closes - datetime.timedelta(days=3))
    queue_reminders(closes - datetime.timedelta(days=3))
    assert kinds_for(world.hh_officer) == [("report_due", 3)]


def test_one_digest_a_day_per_person_in_their_language(world, task):
    UserPreference.objects.create(user=world.hh_officer, language="vi")
    queue_reminders(TODAY)
    queue_reminders(task.deadline + datetime.timedelta(days=1))
    assert notifications.send_daily_digests() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.hh_officer.email]
    # A week's reminder and the first late day waited together: the task is told once, as late.
    assert "1" in message.subject
    assert message.body.count(task.title) == 1
    assert notifications.send_daily_digests() == 0


def test_reminder_words_follow_the_reader(world, task):
    queue_reminders(TODAY)
    note = Notification.objects.get()
    assert notifications.describe(note) == f"“{task.title}” is due in 7 days."


def test_marking_read_touches_only_the_reader(world, task):
    other = TaskFactory(unit=world.hoa_hoi, owner=world.hh_manager, state=TaskState.ISSUED,
                        deadline=TODAY + datetime.timedelta(days=7))
    Membership.objects.filter(user=world.hh_manager).update(role=Role.MANAGER)
    queue_reminders(TODAY)
    assert notifications.unread_count(world.hh_officer) == 1
    notifications.mark_read(actor=world.hh_officer)
    assert notifications.unread_count(world.hh_officer) == 0
    assert notifications.unread_count(world.hh_manager) == 1
    assert other


def test_the_monitor_command_runs_on_a_frozen_clock(world, task, capsys):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False):
        call_command("monitor")
        call_command("monitor")
    out = capsys.readouterr().out
    assert "Statuses as of 2026-11-23: 1 task" in out
    assert "0 task and 0 target statuses changed" in out
    assert "0 new reminders" in out


def test_the_hourly_job_refreshes_and_reminds(world, task):
    from sixclear.monitoring.tasks import refresh_statuses_and_reminders

    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False):
        refresh_statuses_and_reminders()
    assert task.health.status == "on_track" or task.health.status == "not_started"
    assert Notification.objects.filter(kind="deadline_soon").exists()
