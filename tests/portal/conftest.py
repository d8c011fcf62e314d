"""A ward that publishes some of its work, and some it does not: the portal's test world."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.utils import timezone, translation

from sixclear.monitoring.engine import run_scan
from sixclear.plans import services as plans
from sixclear.plans.models import ResolutionItemKind, TargetKind
from sixclear.portal import services as portal
from sixclear.tracking import services as tracking
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory

TODAY = timezone.localdate()
# Planted where citizens must never see them.
SECRET_TASK = "Nhiệm vụ nội bộ chưa công bố XK-77"
DRAFT_VALUE = Decimal("98765.4321")
OBSTACLE = "Vướng mắc nội bộ về giải phóng mặt bằng ZQ-13"
DRAFT_TASK = "Dự thảo nhiệm vụ chưa ban hành DR-55"
SECRET_TARGET = "Chỉ tiêu chưa công bố KT-99"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The page cache and the rate limits live in Django's cache: each test starts empty, and
    in English (a request of an earlier test may have left another language active)."""
    for store in (cache, caches["portal"]):
        store.clear()
    with translation.override("en"):
        yield
    for store in (cache, caches["portal"]):
        store.clear()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def vh(world):
    """Việt Hưng ward: a published resolution with a published growth target (2026 approved,
    its fourth quarter only submitted, a draft third quarter), a published task whose latest
    report names an obstacle, an unpublished task, a draft task, and an unpublished target."""
    manager = world.vh_manager
    officer = _officer(world)
    resolution = plans.create_resolution(
        actor=manager, unit=world.viet_hung, number="01-NQ/ĐU",
        title="Nghị quyết Đại hội Đảng bộ phường Việt Hưng 2025–2030",
        term_start=2025, term_end=2030,
    )
    plans.add_resolution_item(actor=manager, resolution=resolution,
                              kind=ResolutionItemKind.VIEWPOINT,
                              title="Lấy người dân làm trung tâm")
    group = plans.add_resolution_item(actor=manager, resolution=resolution,
                                      kind=ResolutionItemKind.TASK_GROUP,
                                      title="Chuyển đổi số và cải cách hành chính")
    target = plans.create_target(
        actor=manager, unit=world.viet_hung, code="VH-01", resolution=resolution,
        name="Thu ngân sách tăng bình quân 12 %/năm", kind=TargetKind.ANNUAL_GROWTH,
        group="Kinh tế", baseline_value=Decimal(1000), baseline_year=2025,
        annual_rate=Decimal(12), target_year=2030, unit_of_measure="tỷ đồng",
        responsible_person=officer,
    )
    hidden_target = plans.create_target(
        actor=manager, unit=world.viet_hung, code="VH-99", resolution=resolution,
        name=SECRET_TARGET, kind=TargetKind.COUNT, baseline_value=Decimal(0),
        baseline_year=2025, target_value=Decimal(10), target_year=2030,
    )
    approved = tracking.record_measurement(actor=officer, target=target, year=2026,
                                           value=Decimal("1150"))
    tracking.review_measurement(actor=manager, measurement=approved,
                                expected_version=approved.version, approve=True)
    tracking.record_measurement(actor=officer, target=target, year=2026, period_kind="quarter",
                                period_number=4, value=DRAFT_VALUE)
    tracking.record_measurement(actor=officer, target=target, year=2026, period_kind="quarter",
                                period_number=3, value=DRAFT_VALUE + 1, submit=False)
    task = TaskFactory(unit=world.viet_hung, owner=officer, state=TaskState.ISSUED,
                       code="VH-T01", title="Số hóa hồ sơ thủ tục hành chính",
                       resolution=resolution, task_group=group, start_date=days(-20),
                       deadline=days(40))
    task.targets.add(target)
    report = tracking.report_progress(actor=officer, task=task, percent=40,
                                      narrative="Đã số hóa 40 % hồ sơ.", obstacles=OBSTACLE)
    tracking.review_progress_report(actor=manager, report=report,
                                    expected_version=report.version, approve=True)
    secret = TaskFactory(unit=world.viet_hung, owner=officer, state=TaskState.ISSUED,
                         code="VH-T02", title=SECRET_TASK, resolution=resolution,
                         task_group=group, deadline=days(10))
    draft = TaskFactory(unit=world.viet_hung, owner=officer, code="VH-T03", title=DRAFT_TASK,
                        resolution=resolution, task_group=group)
    resolution = plans.update_resolution(
        actor=manager, resolution=resolution, expected_version=resolution.version,
        status="adopted", adopted_on=datetime.date(2025, 9, 5))
    portal.set_publication(actor=manager, item=resolution, published=True)
    portal.set_publication(actor=manager, item=target, published=True)
    portal.set_publication(actor=manager, item=task, published=True)
    run_scan(TODAY)
    return {"resolution": resolution, "target": target, "task": task, "secret": secret,
            "draft": draft, "hidden_target": hidden_target, "manager": manager,
            "officer": officer, "group": group}


def _officer(world):
    from sixclear.orgs.models import Role
    from tests.factories import person

    return person(world.viet_hung, Role.OFFICER, username="vh.officer",
                  email="vh.officer@phuong.gov.vn")


@pytest.fixture
def hh_result(world):
    """A Hòa Hội count target published through the unit's default."""
    target = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="HH-02", name="Thu hút 10 dự án",
        kind=TargetKind.COUNT, baseline_value=Decimal(0), baseline_year=2025,
        target_value=Decimal(10), target_year=2030, unit_of_measure="dự án",
    )
    portal.set_publishing_default(actor=world.hh_manager, unit=world.hoa_hoi, publish=True,
                                  expected_version=0)
    run_scan(TODAY)
    return target


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request or service and then what it queued for after its commit (e-mails): the
    test's own transaction never commits."""
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
