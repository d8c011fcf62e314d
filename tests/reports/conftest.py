"""A commune's and a province's quarter with work done, late, at risk and stuck, targets on and
off their path, a leadership decision with its tasks, and a demo signing authority."""

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from sixclear.monitoring.engine import run_scan
from sixclear.orgs.models import Membership
from sixclear.plans.models import ProgramKind
from sixclear.plans.services import store_trajectory
from sixclear.reports import pki
from sixclear.reports.periods import Period
from sixclear.tracking import services as tracking
from sixclear.tracking.models import Measurement, TaskState
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory, TaskFactory

TODAY = datetime.date(2026, 11, 23)
QUARTER = Period("quarter", 2026, 4)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def quarter(world):
    """Hòa Hội and An Nhơn Bắc under Gia Lai, scanned as of 23 November 2026."""
    hoa_hoi, anb = world.hoa_hoi, world.an_nhon_bac
    Membership.objects.filter(user=world.province_leader).update(
        title="Bí thư Tỉnh ủy Gia Lai")
    world.province_leader.first_name = "Hồ Quốc Dũng"
    world.province_leader.save()
    resolution = ResolutionFactory(unit=hoa_hoi, number="01-NQ/ĐU")
    production = TargetFactory(unit=hoa_hoi, resolution=resolution, code="CT-01",
                               name="Giá trị sản xuất tăng bình quân 21,7 %/năm",
                               unit_of_measure="tỷ đồng")
    store_trajectory(production)
    Measurement.objects.create(target=production, year=2026, value=Decimal("115"),
                               reported_by=world.hh_officer, status="approved")
    province_target = TargetFactory(unit=world.gia_lai, code="GL-01", name="Thu hút dự án đầu tư",
                                    kind="count", target_value=Decimal(10), annual_rate=None,
                                    baseline_value=Decimal(0), unit_of_measure="dự án")
    store_trajectory(province_target)
    Measurement.objects.create(target=province_target, year=2026, value=Decimal(3),
                               reported_by=world.hh_officer, status="approved")
    issued = {"state": TaskState.ISSUED, "start_date": days(-90)}
    done = TaskFactory(unit=hoa_hoi, owner=world.hh_officer, state=TaskState.DONE,
                       title="Lập quy hoạch cụm công nghiệp", completed_on=days(-20),
                       percent_complete=100, deadline=days(-10), start_date=days(-90))
    late = TaskFactory(unit=hoa_hoi, owner=world.hh_officer, title="Giải phóng mặt bằng",
                       deadline=days(-5), **issued)
    risky = TaskFactory(unit=anb, owner=world.anb_officer, title="Xây dựng chợ đêm",
                        deadline=days(40), **issued)
    tracking.report_progress(actor=world.anb_officer, task=risky, percent=20,
                             narrative="Đã khảo sát.", report_date=days(-2),
                             obstacles="Thiếu vốn đối ứng; đề nghị tỉnh hỗ trợ")
    fine = TaskFactory(unit=anb, owner=world.anb_officer, title="Chuyển đổi số phường",
                       deadline=days(200), **issued)
    tracking.report_progress(actor=world.anb_officer, task=fine, percent=30, narrative="Ổn.",
                             report_date=days(-1))
    decision = ProgramFactory(unit=hoa_hoi, kind=ProgramKind.DECISION, number="15-QĐ/ĐU",
                              title="Quyết định giao nhiệm vụ năm 2026",
                              issued_on=datetime.date(2026, 1, 15))
    for task in (done, late):
        task.program = decision
        task.save()
    late.coordinating_units.add(world.economy_office)
    run_scan(TODAY)
    return {"done": done, "late": late, "risky": risky, "fine": fine, "decision": decision,
            "production": production, "province_target": province_target}


@pytest.fixture(scope="session")
def _session_pki(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture
def demo_pki(_session_pki, settings, world):
    """A demo authority and a key for the Gia Lai and Hòa Hội leaders, made once a session."""
    settings.REPORTS_PKI_DIR = _session_pki
    settings.REPORTS_SIGNERS_FILE = _session_pki / "signers.json"
    settings.REPORTS_TRUST_DEMO_CA = True
    settings.REPORTS_TRUSTED_ROOTS = []
    settings.REPORTS_TSA_URL = ""
    known = pki.read_signers()
    for user, name in ((world.province_leader, "Hồ Quốc Dũng"), (world.hh_leader, "Tô Hữu Trung")):
        if user.username not in known:
            pki.issue_signer(user.username, name)
    return _session_pki


def pdf_to_png(data, name, page=1):
    """A page of a PDF (page 1 unless told) as PNG in test-artifacts/reports/, for a person
    to look at."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: install the Debian package poppler-utils"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(data)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile",
                    str(source), str(ARTIFACTS / name)], check=True)
    return ARTIFACTS / f"{name}.png"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


