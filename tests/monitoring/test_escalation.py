"""A late task is told to its owner first, every day, then climbs; one wording a day per task."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from sixclear.monitoring import notifications
from sixclear.monitoring.models import MonitoringPolicy, Notification
from sixclear.monitoring.reminders import queue_reminders
from sixclear.monitoring.tasks import refresh_statuses_and_reminders
from sixclear.orgs.models import Role
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, person

TODAY = datetime.date(2026, 11, 23)
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


def late_task(world, days_late, **fields):
    values = {"unit": world.hoa_hoi, "lead_unit": world.economy_office,
              "owner": world.hh_officer, "state": TaskState.ISSUED,
              "deadline": TODAY - datetime.timedelta(days=days_late)}
    values.update(fields)
    return TaskFactory(**values)


def told_on(day):
    """Who is told what on `day`: the notes that day's run created."""
    before = set(Notification.objects.values_list("pk", flat=True))
    queue_reminders(day)
    return set(Notification.objects.exclude(pk__in=before)
               .values_list("recipient__username", "task_id", "kind", "step", "days"))


@pytest.fixture
def managers(world):
    return person(world.economy_office, Role.MANAGER, username="dept.manager")


def test_the_owner_of_tasks_long_late_is_told_first_and_the_leaders_are_not(world, managers):
    twenty, nine = late_task(world, 20), late_task(world, 9)
    assert told_on(TODAY) == {("hh.officer", twenty.pk, "late", 0, 20),
                              ("hh.officer", nine.pk, "late", 0, 9)}


def test_escalation_climbs_from_the_owner_one_step_at_a_time(world, managers):
    task = late_task(world, 20)
    seen = {offset: {(user, step) for user, _t, _k, step, _d
                     in told_on(TODAY + datetime.timedelta(days=offset))}
            for offset in range(0, 14)}
    assert seen[0] == {("hh.officer", 0)}
    assert seen[1] == {("hh.officer", 0)}  # the owner is told every day
    assert seen[2] == {("hh.officer", 0), ("dept.manager", 1)}  # 3 − 1 days after the owner
    assert seen[6] == {("hh.officer", 0), ("hh.leader", 2)}  # 7 − 3 days after the managers
    assert seen[13] == {("hh.officer", 0), ("gl.leader", 3)}  # 14 − 7 days after that
    steps = Counter(step for day in seen.values() for _user, step in day)
    assert steps == {0: 14, 1: 1, 2: 1, 3: 1}
    assert task


def test_a_task_late_from_the_first_day_escalates_on_the_policy_days(world, managers):
    task = late_task(world, 0)
    steps = {}
    for days_late in range(1, 15):
        for user, _t, _k, step, _d in told_on(task.deadline + datetime.timedelta(days=days_late)):
            steps.setdefault((user, step), days_late)
    assert steps == {("hh.officer", 0): 1, ("dept.manager", 1): 3, ("hh.leader", 2): 7,
                     ("gl.leader", 3): 14}


def test_the_unit_sets_how_often_the_owner_of_a_late_task_is_told(world):
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, late_reminder_every_days=3)
    late_task(world, 1)
    days = [offset for offset in range(7)
            if any(user == "hh.officer"
                   for user, *_ in told_on(TODAY + datetime.timedelta(days=offset)))]
    assert days == [0, 3, 6]


def test_a_unit_may_tell_the_owner_only_once(world):
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, late_reminder_every_days=0)
    late_task(world, 1)
    days = [offset for offset in range(5)
            if any(user == "hh.officer"
                   for user, *_ in told_on(TODAY + datetime.timedelta(days=offset)))]
    assert days == [0]


def test_an_extended_deadline_starts_the_escalation_afresh(world, managers):
    task = late_task(world, 5)
    for offset in range(3):
        told_on(TODAY + datetime.timedelta(days=offset))
    task.deadline = TODAY + datetime.timedelta(days=2)
    task.save()
    assert told_on(TODAY + datetime.timedelta(days=3)) == {
        ("hh.officer", task.pk, "late", 0, 1)}


def test_a_person_hears_of_a_task_once_a_day_with_the_most_pressing_words(world, managers):
    """The owner is also the lead unit's manager: told once a day, as the manager."""
    task = late_task(world, 0, owner=managers)
    per_day = []
    for days_late in range(0, 15):
        notes = told_on(task.deadline + datetime.timedelta(days=days_late))
        per_day.append(Counter((user, task_id) for user, task_id, *_ in notes))
    assert all(count == 1 for day in per_day for count in day.values())
    assert Notification.objects.filter(recipient=managers, step=1).exists()


def test_a_deadline_past_is_never_due_today(world):
    task = late_task(world, 2)
    notes = told_on(TODAY)
    assert notes == {("hh.officer", task.pk, "late", 0, 2)}


def test_around_midnight_in_ho_chi_minh_a_task_has_one_wording_a_day(world, settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    task = late_task(world, 0, title="Lập quy hoạch chung")
    owner = world.hh_officer
    with time_machine.travel(datetime.datetime(2026, 11, 23, 23, 7, tzinfo=SAIGON), tick=False):
        refresh_statuses_and_reminders()
    assert list(Notification.objects.values_list("kind", "days")) == [("deadline_today", 0)]
    # 00:07 in Hồ Chí Minh City is still the 23rd in UTC: the day is the city's.
    with time_machine.travel(datetime.datetime(2026, 11, 24, 0, 7, tzinfo=SAIGON), tick=False):
        refresh_statuses_and_reminders()
        refresh_statuses_and_reminders()
    assert sorted(Notification.objects.values_list("kind", "days")) == [
        ("deadline_today", 0), ("late", 1)]
    task.health.refresh_from_db()
    assert task.health.status == "late"
    with translation.override("en"):
        assert notifications.send_daily_digests() == 1
    body = mail.outbox[0].body
    assert "“Lập quy hoạch chung” is 1 day late." in body
    assert "due today" not in body
    assert owner.email in mail.outbox[0].to
