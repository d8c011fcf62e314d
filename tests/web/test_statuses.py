"""Computed statuses on the pages: the task page with its reason in words, My work, the unit
page's list and filter, and the target page with its status, required rate and forecast."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import TargetHealth, TargetStatus, TaskHealth, TaskStatus
from sixclear.monitoring.selectors import target_outlook
from sixclear.plans import services as plans
from sixclear.plans.models import TargetKind
from sixclear.tracking import selectors as tracking
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory
from tests.web.conftest import days
from tests.web.test_my_work import count_queries


def issued(world, **fields):
    values = {"unit": world.hoa_hoi, "owner": world.hh_officer, "state": TaskState.ISSUED,
              "start_date": days(-20), "deadline": days(40),
              "issued_at": timezone.now() - datetime.timedelta(days=20)}
    return TaskFactory(**(values | fields))


def task_url(task):
    return reverse("tracking:task", args=[task.pk])


def unit_url(unit, **query):
    from urllib.parse import urlencode

    return reverse("orgs:unit", args=[unit.pk]) + ("?" + urlencode(query) if query else "")


def statuses(page):
    """The computed statuses the page shows, in order."""
    return re.findall(r'data-status="([a-z_]+)"', page)


@pytest.fixture
def scanned(world):
    """Tasks of Hòa Hội in each computed status, scanned as of today."""
    late = issued(world, title="Trễ hạn", deadline=days(-3), start_date=days(-30))
    services.report_progress(actor=world.hh_officer, task=late, percent=40, narrative="x",
                             report_date=days(-10))
    on_track = issued(world, title="Đúng tiến độ")
    services.report_progress(actor=world.hh_officer, task=on_track, percent=30, narrative="x")
    at_risk = issued(world, title="Có vướng mắc")
    services.report_progress(actor=world.hh_officer, task=at_risk, percent=10, narrative="x",
                             obstacles="Thiếu vốn")
    not_started = issued(world, title="Chưa bắt đầu")
    stale = issued(world, title="Lâu không báo cáo", start_date=days(-90),
                   issued_at=timezone.now() - datetime.timedelta(days=90))
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, title="Bản nháp")
    run_scan(timezone.localdate())
    return {"late": late, "on_track": on_track, "at_risk": at_risk,
            "not_started": not_started, "stale": stale, "draft": draft}


def test_the_task_page_shows_the_status_and_its_reason(client, world, scanned):
    client.force_login(world.hh_officer)
    page = client.get(task_url(scanned["late"])).content.decode()
    assert statuses(page) == ["late"]
    reason = re.search(r'class="status-reason"><strong>Why:</strong> (.*?)</p>', page).group(1)
    assert "passed 3 days ago" in reason
    assert "last report 40 %" in reason
    page = client.get(task_url(scanned["at_risk"])).content.decode()
    assert statuses(page) == ["at_risk"]
    assert "an obstacle is reported" in page


def test_a_stale_task_says_so(client, world, scanned):
    client.force_login(world.hh_officer)
    page = client.get(task_url(scanned["stale"])).content.decode()
    assert statuses(page) == ["not_started", "stale"]
    assert "no report within the reporting period" in page


def test_a_task_without_a_status_row_shows_none(client, world, scanned):
    unscanned = issued(world, title="Chưa quét", deadline=days(-1))
    client.force_login(world.hh_officer)
    for task in (unscanned, scanned["draft"]):
        page = client.get(task_url(task)).content.decode()
        assert statuses(page) == []
        assert "status-reason" not in page
    # Without a computed status the deadline still shows a task as late.
    assert 'badge--late">Late<' in client.get(task_url(unscanned)).content.decode()


def test_my_work_shows_each_tasks_status(client, world, scanned):
    client.force_login(world.hh_officer)
    response = client.get(reverse("tracking:my_work"))
    page = response.content.decode()
    assert sorted(statuses(page)) == sorted(
        ["late", "on_track", "at_risk", "not_started", "not_started", "stale"])
    late_item = page[page.index("Trễ hạn"):page.index("Due within 7 days")]
    assert 'data-status="late"' in late_item


def test_the_unit_list_shows_statuses(client, world, scanned):
    client.force_login(world.hh_manager)
    response = client.get(unit_url(world.hoa_hoi))
    shown = {task.title: getattr(task, "health", None) for task in
             response.context["page"].object_list}
    assert shown["Bản nháp"] is None
    assert shown["Trễ hạn"].status == TaskStatus.LATE
    page = response.content.decode()
    assert 'data-status="on_track"' in page and 'data-status="stale"' in page
    assert '<select name="status"' in page


@pytest.mark.parametrize(("status", "expected"), [
    ("late", {"Trễ hạn"}),
    ("at_risk", {"Có vướng mắc"}),
    ("on_track", {"Đúng tiến độ"}),
    ("not_started", {"Chưa bắt đầu", "Lâu không báo cáo"}),
    ("stale", {"Lâu không báo cáo"}),
    ("done", set()),
])
def test_the_status_filter(client, world, scanned, status, expected):
    client.force_login(world.hh_manager)
    response = client.get(unit_url(world.hoa_hoi, status=status))
    assert {task.title for task in response.context["page"].object_list} == expected


def test_an_unknown_status_filter_is_ignored(client, world, scanned):
    client.force_login(world.hh_manager)
    response = client.get(unit_url(world.hoa_hoi, status="bogus"))
    assert len(response.context["page"].object_list) == 6


def test_status_pages_stay_bounded(client, world, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            task = issued(world, title=f"Việc {i}", deadline=days(i % 20 - 5))
            if i % 2:
                services.report_progress(actor=world.hh_officer, task=task, percent=5,
                                         narrative="x", obstacles="y" if i % 4 == 1 else "")
        run_scan(timezone.localdate())

    add(3)
    client.force_login(world.hh_officer)
    pages = [reverse("tracking:my_work"), unit_url(world.hoa_hoi)]
    few = [count_queries(client, page) for page in pages]
    add(27)
    assert TaskHealth.objects.count() == 30
    with django_assert_max_num_queries(12):
        client.get(pages[0])
    with django_assert_max_num_queries(21):  # +1: the portal panel (publishing default)
        client.get(pages[1])
    assert [count_queries(client, page) for page in pages] == few


# --- The target page ---------------------------------------------------------------------


@pytest.fixture
def growth_target(world, resolution):
    """Baseline 100 in 2025, +21.7 %/yr to 2030 (266.9641), the example of docs/monitoring.md."""
    return plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="CT1", name="Giá trị sản xuất",
        kind=TargetKind.ANNUAL_GROWTH, resolution=resolution, baseline_value=Decimal(100),
        baseline_year=2025, annual_rate=Decimal("21.7"), target_year=2030,
        responsible_person=world.hh_officer, unit_of_measure="tỷ đồng",
    )


def approved(world, target, year, value):
    measurement = services.record_measurement(actor=world.hh_officer, target=target, year=year,
                                              value=value)
    return services.review_measurement(actor=world.hh_manager, measurement=measurement,
                                       expected_version=measurement.version, approve=True)


def test_the_required_rate_and_forecast_of_the_worked_example(world, growth_target):
    approved(world, growth_target, 2026, 115)
    outlook = target_outlook(tracking.targets_for_page(world.hh_officer).get())
    assert outlook.latest_year == 2026 and outlook.latest_value == Decimal(115)
    assert outlook.goal == Decimal("266.9641")
    assert outlook.required_rate == Decimal("23.44")
    assert outlook.required_amount is None
    assert outlook.forecast.likelihood == "unlikely"
    assert "Compound growth from the baseline 100 (2025)" in outlook.forecast.method


def test_submitted_values_do_not_count_until_approved(world, growth_target):
    services.record_measurement(actor=world.hh_officer, target=growth_target, year=2026,
                                value=130)
    outlook = target_outlook(tracking.targets_for_page(world.hh_officer).get())
    assert outlook.latest_value is None and outlook.required_rate is None
    assert outlook.forecast.likelihood == "unknown"


def test_a_count_target_needs_a_yearly_amount(world):
    target = TargetFactory(unit=world.hoa_hoi, kind=TargetKind.COUNT, annual_rate=None,
                           responsible_person=world.hh_officer,
                           baseline_value=Decimal(2), target_value=Decimal(12))
    approved(world, target, 2026, 4)
    outlook = target_outlook(tracking.targets_for_page(world.hh_officer).get())
    assert outlook.required_amount == Decimal("2.0000")  # (12 − 4) / 4 years
    assert outlook.required_rate is None
    assert "least-squares straight line" in outlook.forecast.method


def test_the_target_page_shows_status_outlook_and_method(client, world, growth_target):
    approved(world, growth_target, 2026, 115)
    run_scan(datetime.date(2027, 1, 15))
    client.force_login(world.hh_viewer)
    response = client.get(reverse("plans:target", args=[growth_target.pk]))
    page = response.content.decode()
    health = response.context["outlook"].health
    assert health.status == "off_track"
    assert health.gap == Decimal("-6.7000") and health.gap_percent == Decimal("-5.51")
    assert 'data-status="off_track"' in page
    for text in ("121.7", "-6.70", "-5.5 %", "23.4 %", "How this was calculated",
                 "Compound growth from the baseline 100 (2025)", 'data-likelihood="unlikely"'):
        assert text in page, text


def test_a_new_target_has_no_data_at_once(client, world, growth_target):
    # Creating a target computes its status in the same transaction (dashboards.upkeep).
    assert TargetHealth.objects.get(target=growth_target).status == TargetStatus.NO_DATA


def test_a_target_not_scanned_yet_says_so(client, world, growth_target):
    # A target loaded without the services (a bulk load, the admin) has no status until a scan.
    TargetHealth.objects.filter(target=growth_target).delete()
    client.force_login(world.hh_officer)
    page = client.get(reverse("plans:target", args=[growth_target.pk])).content.decode()
    assert "Not assessed yet" in page
    assert "No approved yearly value after the baseline yet." in page
    assert "No approved measurement yet, so there is nothing to project." in page


def test_the_target_page_stays_bounded(client, world, growth_target,
                                       django_assert_max_num_queries):
    client.force_login(world.hh_officer)
    url = reverse("plans:target", args=[growth_target.pk])
    approved(world, growth_target, 2026, 115)
    few = count_queries(client, url)
    with time_machine.travel(datetime.datetime(2030, 1, 15, 9, tzinfo=datetime.UTC)):
        for year in (2027, 2028, 2029):  # values are reported once their year has begun
            approved(world, growth_target, year, 100 + year - 2020)
    run_scan(datetime.date(2030, 1, 15))
    assert count_queries(client, url) == few
