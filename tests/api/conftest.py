import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from sixclear.api import services as token_services
from sixclear.changes import services as change_services
from sixclear.meetings import services as meeting_services
from sixclear.meetings.models import MeetingKind, Obstacle
from sixclear.monitoring.models import TargetHealth, TaskHealth
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory, TaskFactory

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def token_client(user):
    """An API client that authenticates with a new personal token of `user`."""
    client = APIClient()
    if user is not None:
        _token, raw = token_services.create_token(actor=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def as_user():
    return token_client


class Sample:
    """One of everything the API serves, all in Hòa Hội (a commune of Gia Lai)."""

    def __init__(self, world):
        hoa_hoi = world.hoa_hoi
        self.unit = hoa_hoi
        self.resolution = ResolutionFactory(unit=hoa_hoi)
        self.program = ProgramFactory(unit=hoa_hoi, resolution=self.resolution)
        self.target = TargetFactory(
            unit=hoa_hoi, resolution=self.resolution, responsible_person=world.hh_officer
        )
        self.target.programs.add(self.program)
        self.task = TaskFactory(
            unit=hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
            program=self.program, deadline=days(20),
        )
        self.task.targets.add(self.target)
        self.step = services.add_step(actor=world.hh_manager, task=self.task, title="Khảo sát")
        self.report = services.report_progress(
            actor=world.hh_officer, task=self.task, percent=30, narrative="Đã khảo sát.",
            obstacles="Thiếu kinh phí",
        )
        self.measurement = services.record_measurement(
            actor=world.hh_officer, target=self.target, year=2026, value=Decimal("121.7"),
        )
        self.change = change_services.request_change(
            actor=world.hh_officer, kind="deadline", task=self.task,
            proposed={"deadline": days(40).isoformat()}, reason="Chờ giải phóng mặt bằng",
        )
        # The scan may already have assessed them; these are the statuses the tests expect.
        self.task_health, _ = TaskHealth.objects.update_or_create(
            task=self.task, defaults={"status": "on_track", "changed_on": TODAY,
                                      "last_percent": 30},
        )
        self.target_health, _ = TargetHealth.objects.update_or_create(
            target=self.target, defaults={"status": "on_track", "changed_on": TODAY,
                                          "year": 2026, "actual": Decimal("121.7"),
                                          "expected": Decimal("121.7")},
        )


@pytest.fixture
def sample(world):
    return Sample(world)


class Meetings:
    """Hòa Hội's sample (its report names an obstacle, so the register holds one), and a
    monthly meeting of Hòa Hội drafted from it."""

    def __init__(self, world):
        self.sample = Sample(world)
        self.obstacle = Obstacle.objects.get(task=self.sample.task)
        self.meeting = meeting_services.schedule_meeting(
            actor=world.hh_manager, unit=world.hoa_hoi, kind=MeetingKind.MONTHLY,
            title="Giao ban tháng", held_on=TODAY, attendees=[world.hh_officer])
        self.item = self.meeting.items.get(obstacle=self.obstacle)
