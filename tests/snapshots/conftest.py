"""Hòa Hội's third quarter of 2026: a target behind its path, tasks late, on track and done, an
obstacle; frozen on 2 October; then the fourth quarter changes everything."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from sixclear.meetings import services as obstacles
from sixclear.monitoring.engine import run_scan
from sixclear.periods import Period
from sixclear.plans.models import ResolutionStatus
from sixclear.plans.services import store_trajectory
from sixclear.reports import pki
from sixclear.tracking import services as tracking
from sixclear.tracking.models import Measurement, Task, TaskState
from tests.factories import ResolutionFactory, TargetFactory, TaskFactory

Q3 = Period("quarter", 2026, 3)
IN_Q3 = datetime.date(2026, 9, 20)
AFTER_Q3 = datetime.date(2026, 10, 2)
IN_Q4 = datetime.date(2026, 11, 20)


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def add_tasks(unit, owner, count, *, prefix="X"):
    """`count` issued tasks of `unit`, some late, one with an obstacle."""
    tasks = []
    for n in range(count):
        tasks.append(TaskFactory(unit=unit, owner=owner, state=TaskState.ISSUED,
                                 code=f"{prefix}{n:03d}", title=f"Việc {prefix}{n}",
                                 start_date=IN_Q3 - datetime.timedelta(days=60),
                                 deadline=IN_Q3 + datetime.timedelta(days=(-5 if n % 2 else 40))))
    return tasks


@pytest.fixture
def q3(world):
    hoa_hoi = world.hoa_hoi
    with at(IN_Q3):
        resolution = ResolutionFactory(unit=hoa_hoi, status=ResolutionStatus.ADOPTED,
                                       adopted_on=datetime.date(2025, 10, 1))
        target = TargetFactory(unit=hoa_hoi, resolution=resolution, code="CT-01",
                               name="Giá trị sản xuất", unit_of_measure="tỷ đồng")
        store_trajectory(target)
        Measurement.objects.create(target=target, year=2026, value=Decimal("110"),
                                   reported_by=world.hh_officer, status="approved")
        late = TaskFactory(unit=hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                           code="NV-01", title="Giải phóng mặt bằng",
                           start_date=datetime.date(2026, 6, 1),
                           deadline=datetime.date(2026, 9, 10))
        stuck = TaskFactory(unit=hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                            code="NV-02", title="Xây dựng chợ",
                            start_date=datetime.date(2026, 6, 1),
                            deadline=datetime.date(2026, 12, 20))
        tracking.report_progress(actor=world.hh_officer, task=stuck, percent=20,
                                 narrative="Đã khảo sát.", report_date=IN_Q3,
                                 obstacles="Thiếu vốn đối ứng")
        other = TaskFactory(unit=world.an_nhon_bac, owner=world.anb_officer,
                            state=TaskState.ISSUED, code="AN-01", title="Chuyển đổi số",
                            start_date=datetime.date(2026, 6, 1),
                            deadline=datetime.date(2027, 3, 1))
        run_scan(IN_Q3)
    return {"resolution": resolution, "target": target, "late": late, "stuck": stuck,
            "other": other}


def change_in_q4(world, q3):
    """The fourth quarter: the late task is done, the obstacle is resolved, the target is met."""
    with at(IN_Q4):
        obstacle = q3["stuck"].obstacle_records.get()
        obstacles.answer_obstacle(actor=world.hh_manager, obstacle=obstacle,
                                  expected_version=obstacle.version,
                                  answer="Huyện bố trí vốn đối ứng", resolve=True)
        Task.objects.filter(pk=q3["late"].pk).update(
            state=TaskState.DONE, completed_on=IN_Q4, percent_complete=100)
        tracking.report_progress(actor=world.hh_officer, task=q3["stuck"], percent=60,
                                 narrative="Đã có vốn.", report_date=IN_Q4)
        Measurement.objects.filter(target=q3["target"]).update(value=Decimal("200"))
        run_scan(IN_Q4)


@pytest.fixture(scope="session")
def _session_pki(tmp_path_factory):
    return tmp_path_factory.mktemp("seal-pki")


@pytest.fixture
def seal_key(_session_pki, settings):
    """A demo authority and the seal's key, made once a session."""
    settings.REPORTS_PKI_DIR = _session_pki
    settings.REPORTS_SIGNERS_FILE = _session_pki / "signers.json"
    settings.REPORTS_TRUST_DEMO_CA = True
    settings.REPORTS_TRUSTED_ROOTS = []
    settings.SNAPSHOTS_SEAL_SIGNER = "sixclear-seal"
    if "sixclear-seal" not in pki.read_signers():
        pki.issue_signer("sixclear-seal", "Sixclear review seal")
    return _session_pki


@pytest.fixture
def no_seal_key(settings, tmp_path):
    settings.REPORTS_SIGNERS_FILE = tmp_path / "none.json"
