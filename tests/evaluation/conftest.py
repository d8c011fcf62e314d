import datetime

import pytest
import time_machine

from sixclear.orgs.models import Role
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, person

TODAY = datetime.date(2026, 12, 20)


@pytest.fixture(autouse=True)
def _in_december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 20, 9, 0), tick=False):
        yield


def done_task(unit, deadline, completed_on, **fields):
    return TaskFactory(unit=unit, state=TaskState.DONE, deadline=deadline,
                       start_date=datetime.date(2026, 1, 5), completed_on=completed_on,
                       percent_complete=100, **fields)


@pytest.fixture
def evidence(world):
    """Hòa Hội: 5 tasks due in 2026 (one in its economy office), one done late → 4 of 5.
    An Nhơn Bắc: 2 due, both on time. Not counted: a draft, a cancelled task, one due 2025,
    one due after the evidence date."""
    day = datetime.date
    world.province_admin = person(world.gia_lai, Role.ADMIN, username="gl.admin")
    hh = [done_task(world.hoa_hoi, day(2026, m, 10), day(2026, m, 9), title=f"HH {m}",
                    owner=world.hh_officer) for m in (2, 4, 6)]
    world.late_task = done_task(world.hoa_hoi, day(2026, 8, 1), day(2026, 8, 20),
                                title="HH trễ", owner=world.hh_officer)
    hh.append(done_task(world.economy_office, day(2026, 9, 1), day(2026, 9, 1),
                        title="Phòng Kinh tế đúng hạn"))
    TaskFactory(unit=world.hoa_hoi, title="Nháp", deadline=day(2026, 5, 1))
    TaskFactory(unit=world.hoa_hoi, title="Hủy", state=TaskState.CANCELLED,
                deadline=day(2026, 5, 1))
    done_task(world.hoa_hoi, day(2025, 12, 1), day(2025, 12, 30), title="Năm trước")
    TaskFactory(unit=world.hoa_hoi, title="Sang năm", state=TaskState.ISSUED,
                deadline=day(2026, 12, 30))
    for m in (3, 5):
        done_task(world.an_nhon_bac, day(2026, m, 1), day(2026, m, 1), title=f"ANB {m}")
    world.hh_tasks = hh + [world.late_task]
    return world
