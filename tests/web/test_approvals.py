"""The approvals inbox: submitted reports and measurements, approved or returned with a comment."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sixclear.tracking import services
from sixclear.tracking.models import ReviewStatus, TaskState
from tests.factories import TaskFactory
from tests.web.conftest import days, pdf

URL = reverse("tracking:approvals")


def decide(client, report, decision, comment="", version=None, kind="report", **extra):
    prefix = f"{kind}-{report.pk}"
    name = "tracking:review_report" if kind == "report" else "tracking:review_measurement"
    return client.post(reverse(name, args=[report.pk]), {
        f"{prefix}-version": report.version if version is None else version,
        f"{prefix}-decision": decision, f"{prefix}-comment": comment, **extra,
    })


def test_the_inbox_lists_what_waits_for_me(client, world, submitted_report, target):
    measurement = services.record_measurement(actor=world.hh_officer, target=target,
                                              year=2025, value=101)
    client.force_login(world.hh_manager)
    response = client.get(URL)
    assert response.context["reports"] == [submitted_report]
    assert response.context["measurements"] == [measurement]
    page = response.content.decode()
    assert "Chưa giải phóng mặt bằng" in page  # the obstacle
    assert f'<label for="id_report-{submitted_report.pk}-comment">' in page
    assert 'Approvals <span class="count">2' in page


def test_an_empty_inbox_says_so(client, world):
    client.force_login(world.hh_officer)
    assert "Nothing is waiting for your approval." in client.get(URL).content.decode()


def test_manager_approves_and_the_task_takes_the_percent(client, world, submitted_report):
    client.force_login(world.hh_manager)
    response = decide(client, submitted_report, "approve")
    assert response.url == URL
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReviewStatus.APPROVED
    assert submitted_report.task.percent_complete == 40
    assert "Approved." in client.get(URL).content.decode()


def test_returning_needs_a_comment_shown_beside_the_field(client, world, submitted_report):
    client.force_login(world.hh_manager)
    response = decide(client, submitted_report, "return")
    assert response.status_code == 200
    item = response.context["reports"][0]
    assert "comment" in item.review_form.errors
    assert f'id="id_report-{submitted_report.pk}-comment_error"' in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReviewStatus.SUBMITTED
    decide(client, submitted_report, "return", comment="Thiếu biên bản nghiệm thu")
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReviewStatus.RETURNED
    assert submitted_report.review_comment == "Thiếu biên bản nghiệm thu"


def test_a_stale_review_says_so(client, world, submitted_report):
    client.force_login(world.hh_manager)
    response = decide(client, submitted_report, "approve", version=submitted_report.version + 1)
    assert "changed by someone else" in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReviewStatus.SUBMITTED


def test_an_item_reviewed_meanwhile_is_explained(client, world, submitted_report):
    services.review_progress_report(actor=world.hh_leader, report=submitted_report,
                                    expected_version=submitted_report.version, approve=True)
    client.force_login(world.hh_manager)
    response = decide(client, submitted_report, "approve", version=submitted_report.version - 1)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only a submitted item can be approved or returned." in page
    assert "message--error" in page


def test_nobody_approves_their_own_report(client, world, late_task):
    own = services.report_progress(actor=world.hh_manager, task=late_task, percent=10,
                                   narrative="Tôi báo cáo thay")
    client.force_login(world.hh_manager)
    assert client.get(URL).context["reports"] == []
    assert decide(client, own, "approve").status_code == 403


def test_the_approving_person_reviews_even_without_a_manager_role(client, world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       authority=world.hh_viewer)
    report = services.report_progress(actor=world.hh_officer, task=task, percent=100,
                                      narrative="Hoàn thành")
    client.force_login(world.hh_viewer)
    assert client.get(URL).context["reports"] == [report]
    decide(client, report, "approve")
    task.refresh_from_db()
    assert task.state == TaskState.DONE


def test_approving_from_the_task_page_returns_there(client, world, submitted_report):
    client.force_login(world.hh_manager)
    task_url = reverse("tracking:task", args=[submitted_report.task_id])
    response = decide(client, submitted_report, "approve", next=task_url)
    assert response.url == task_url
    response = decide(client, submitted_report, "approve", next="https://evil.example/")
    assert response.status_code == 200  # already approved; and never an outside redirect


def test_manager_reviews_a_measurement(client, world, target):
    measurement = services.record_measurement(actor=world.hh_officer, target=target,
                                              year=2025, value=101)
    client.force_login(world.hh_manager)
    decide(client, measurement, "return", comment="Số liệu chưa khớp", kind="measurement")
    measurement.refresh_from_db()
    assert measurement.status == ReviewStatus.RETURNED


@pytest.mark.parametrize("who", ["hh_manager", "hh_leader", "province_leader"])
def test_the_inbox_queries_do_not_grow_with_the_number_of_items(
    client, world, django_assert_max_num_queries, target, who
):
    from sixclear.tracking.selectors import REVIEW_PAGE
    from tests.web.test_my_work import count_queries

    def add_reports(n):
        for _ in range(n):
            task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer,
                               state=TaskState.ISSUED, start_date=days(-9), deadline=days(9))
            services.report_progress(actor=world.hh_officer, task=task, percent=20,
                                     narrative="x", obstacles="y", files=[pdf()])

    add_reports(3)
    services.record_measurement(actor=world.hh_officer, target=target, year=2025, value=1)
    client.force_login(getattr(world, who))
    few = count_queries(client, URL)
    add_reports(27)
    services.record_measurement(actor=world.hh_officer, target=target, year=2026, value=2)
    # Reports naming the person as approving person outside the units they manage are
    # looked up on their own (one indexed query), so no OR across tables defeats the indexes;
    # the header counts everything waiting from the rollups (one more query).
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["reports"]) == min(30, REVIEW_PAGE)
    assert count_queries(client, URL) == few


@pytest.mark.parametrize("who", ["hh_manager", "province_leader"])
def test_the_inbox_shows_the_oldest_page_whatever_waits(client, world, who):
    from sixclear.dashboards.rollups import refresh_units
    from sixclear.tracking.models import ProgressReport
    from sixclear.tracking.selectors import REVIEW_PAGE
    from tests.web.test_my_work import count_queries

    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       start_date=days(-9), deadline=days(9))

    def add_reports(n):
        ProgressReport.objects.bulk_create(
            ProgressReport(task=task, reported_by=world.hh_officer, report_date=days(-1),
                           percent=10, narrative="x", status=ReviewStatus.SUBMITTED,
                           submitted_at=timezone.now()) for _ in range(n))
        refresh_units([world.hoa_hoi.pk])

    add_reports(3)
    client.force_login(getattr(world, who))
    few = count_queries(client, URL)
    add_reports(REVIEW_PAGE + 7)
    response = client.get(URL)
    oldest = ProgressReport.objects.order_by("submitted_at", "pk")[:REVIEW_PAGE]
    assert response.context["reports"] == list(oldest)
    assert count_queries(client, URL) == few
