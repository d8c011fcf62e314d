import datetime

import pytest
from django.utils import timezone

from sixclear.meetings import services
from sixclear.orgs.models import Role, UnitKind
from sixclear.tracking import services as tracking
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, make_unit, person

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def task(world):
    """An issued task of Hòa Hội, owned by its officer."""
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       start_date=days(-30), deadline=days(30),
                       title="Giải phóng mặt bằng cụm công nghiệp")


@pytest.fixture
def reported(world, task):
    """An obstacle reported with progress by the officer."""
    tracking.report_progress(actor=world.hh_officer, task=task, percent=30,
                             narrative="Đã kiểm đếm 12 hộ.",
                             obstacles="Chưa có đơn giá bồi thường đất nông nghiệp")
    return task.obstacle_records.get()


@pytest.fixture
def office(world):
    """The commune's office, with a manager of its own."""
    unit = make_unit("Văn phòng HĐND và UBND", world.hoa_hoi, UnitKind.DEPARTMENT)
    unit.office_manager = person(unit, Role.MANAGER, username="hh.office")
    return unit


def route(world, obstacle, unit, actor=None):
    return services.route_obstacle(actor=actor or world.hh_manager, obstacle=obstacle,
                                   expected_version=obstacle.version, must_act=unit)
