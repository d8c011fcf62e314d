"""The report pages: generate from the unit page, follow progress, download, schedule; the
decision appendix; who may see what."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from sixclear.reports.models import Report, ReportSchedule
from tests.web.test_my_work import count_queries


def generate(client, unit, **fields):
    data = {"period_kind": "quarter", "year": 2026, "period_number": 4, "format": "docx",
            "language": "vi"} | fields
    return client.post(reverse("reports:request_report", args=[unit.pk]), data)


def test_a_manager_generates_a_report_and_downloads_it(client, world, quarter, media,
                                                       django_capture_on_commit_callbacks):
    from docx import Document

    client.force_login(world.hh_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = generate(client, world.hoa_hoi)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:report", args=[report.pk])
    assert (report.status, report.progress, report.created_by) == ("done", 100, world.hh_manager)
    assert report.parameters["period_number"] == 4 and len(report.sha256) == 64
    response = client.get(reverse("reports:file", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(BytesIO(b"".join(response.streaming_content)))
    assert "Giải phóng mặt bằng" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert reverse("reports:file", args=[report.pk]) in page and "hx-trigger" not in page


def test_a_queued_report_is_polled_and_has_a_refresh_link(client, world, quarter, media):
    client.force_login(world.hh_manager)
    generate(client, world.hoa_hoi)  # the job waits for the commit, which never comes here
    report = Report.objects.get()
    assert report.status == "queued"
    fragment = client.get(reverse("reports:progress", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert f'href="{reverse("reports:report", args=[report.pk])}"' in fragment  # without JS
    assert reverse("reports:file", args=[report.pk]) not in fragment


def test_the_form_says_what_is_wrong_and_keeps_the_input(client, world):
    client.force_login(world.hh_manager)
    response = generate(client, world.hoa_hoi, period_number=7, year=2031)
    assert response.status_code == 400
    page = response.content.decode()
    assert "For this kind of period, write a number from 1 to 4." in page
    assert 'value="2031"' in page and 'value="7"' in page
    assert not Report.objects.exists()


def test_the_form_speaks_the_persons_language(client, world):
    client.force_login(world.hh_manager)
    session = client.session
    session["_language"] = "vi"
    session.save()
    client.cookies["django_language"] = "vi"
    page = generate(client, world.hoa_hoi, period_number=7,
                    HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Với loại kỳ này, hãy ghi số từ 1 đến 4." in page


def test_an_officer_may_not_generate(client, world):
    client.force_login(world.hh_officer)
    assert generate(client, world.hoa_hoi).status_code == 403
    page = client.get(reverse("reports:unit_reports", args=[world.hoa_hoi.pk])).content.decode()
    assert "Generate the report" not in page


@pytest.fixture
def report(world, media):
    return Report.objects.create(unit=world.hoa_hoi, period_kind="quarter", year=2026,
                                 period_number=4, format="pdf", language="en",
                                 created_by=world.hh_manager)


@pytest.mark.parametrize("name", ["report", "progress", "file"])
def test_report_pages_by_who_asks(client, world, report, name):
    from django.core.files.base import ContentFile

    report.file.save("x.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
    report.status = "done"
    report.save()
    url = reverse(f"reports:{name}", args=[report.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    assert reverse("accounts:sign_in") in client.get(url)["Location"]
    client.force_login(world.anb_manager)  # sibling commune
    assert client.get(url).status_code == 404
    client.force_login(world.province_leader)  # superior unit
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["unit_reports", "unit_signed"])
def test_unit_lists_by_who_asks(client, world, name):
    url = reverse(f"reports:{name}", args=[world.hoa_hoi.pk])
    assert reverse("accounts:sign_in") in client.get(url)["Location"]
    client.force_login(world.anb_manager)
    assert client.get(url).status_code == 404
    client.force_login(world.province_leader)
    assert client.get(url).status_code == 200


def test_a_sibling_may_not_generate_or_schedule(client, world):
    client.force_login(world.anb_manager)
    assert generate(client, world.hoa_hoi).status_code == 404
    url = reverse("reports:create_schedule", args=[world.hoa_hoi.pk])
    assert client.post(url, {"new-period_kind": "month"}).status_code == 404


def test_the_report_list_stays_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world.hh_manager)
    url = reverse("reports:unit_reports", args=[world.hoa_hoi.pk])

    def add(n):
        for i in range(n):
            Report.objects.create(unit=world.hoa_hoi, period_kind="month", year=2026,
                                  period_number=i % 12 + 1, format="pdf", language="vi",
                                  created_by=world.hh_manager)

    add(2)
    few = count_queries(client, url)
    add(30)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def schedule_data(prefix="new", **fields):
    data = {"period_kind": "month", "day_of_month": 20, "format": "pdf", "language": "vi",
            "is_active": "on"} | fields
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_a_manager_schedules_reports(client, world):
    client.force_login(world.hh_manager)
    url = reverse("reports:create_schedule", args=[world.hoa_hoi.pk])
    assert client.post(url, schedule_data()).status_code == 302
    schedule = ReportSchedule.objects.get()
    assert (schedule.period_kind, schedule.day_of_month, schedule.created_by) == (
        "month", 20, world.hh_manager)
    response = client.post(url, schedule_data())  # the same again
    assert response.status_code == 400
    assert "already has a schedule for this period" in response.content.decode()
    response = client.post(url, schedule_data(day_of_month=31, period_kind="quarter"))
    assert response.status_code == 400 and 'value="31"' in response.content.decode()
    page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert "Every month, on day 20 of the period&#x27;s last month" in page or \
        "Every month, on day 20 of the period's last month" in page


def test_a_stale_schedule_edit_is_refused(client, world):
    client.force_login(world.hh_manager)
    schedule = ReportSchedule.objects.create(unit=world.hoa_hoi, period_kind="quarter",
                                             day_of_month=0, language="vi",
                                             created_by=world.hh_manager)
    url = reverse("reports:edit_schedule", args=[schedule.pk])
    prefix = f"s{schedule.pk}"
    assert client.post(url, schedule_data(prefix, period_kind="quarter", day_of_month=25,
                                          version=1)).status_code == 302
    response = client.post(url, schedule_data(prefix, period_kind="quarter", day_of_month=10,
                                              version=1))
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    schedule.refresh_from_db()
    assert (schedule.day_of_month, schedule.version) == (25, 2)
    assert client.post(url, schedule_data(prefix, version=2) | {"delete": "1"}).status_code == 302
    assert not ReportSchedule.objects.exists()


def test_the_unit_panel_shows_reports_signed_documents_and_schedules(
    client, world, report, django_assert_max_num_queries
):
    ReportSchedule.objects.create(unit=world.hoa_hoi, period_kind="quarter", day_of_month=0,
                                  language="vi", created_by=world.hh_manager)
    client.force_login(world.hh_manager)
    page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("reports:report", args=[report.pk]) in page
    assert "Quarter IV 2026" in page and "Every quarter, on the period" in page
    assert "Generate the report" in page
    client.force_login(world.hh_viewer)
    page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert "Generate the report" not in page and "Quarter IV 2026" in page


def test_the_panel_costs_one_query(world, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sixclear.reports.selectors import unit_panel

    with CaptureQueriesContext(connection) as queries:
        rows = unit_panel(world.hoa_hoi)
    assert len(queries) == 1 and rows["report"][0]["pk"] == report.pk


def test_the_decision_appendix_downloads(client, world, quarter):
    from docx import Document

    decision = quarter["decision"]
    client.force_login(world.hh_officer)
    page = client.get(reverse("plans:resolution", args=[
        _resolution_of(world, decision).pk])).content.decode()
    docx_url = reverse("reports:appendix", args=[decision.pk, "docx"])
    assert docx_url in page
    response = client.get(docx_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="appendix-15-Q---U.docx"'
    text = "\n".join(cell.text for table in Document(BytesIO(response.content)).tables
                     for row in table.rows for cell in row.cells)
    assert "Giải phóng mặt bằng" in text
    response = client.get(reverse("reports:appendix", args=[decision.pk, "pdf"]))
    assert response.content.startswith(b"%PDF-")


def _resolution_of(world, decision):
    from tests.factories import ResolutionFactory

    resolution = ResolutionFactory(unit=world.hoa_hoi)
    decision.resolution = resolution
    decision.save()
    return resolution


def test_the_appendix_by_who_asks(client, world, quarter):
    url = reverse("reports:appendix", args=[quarter["decision"].pk, "docx"])
    assert reverse("accounts:sign_in") in client.get(url)["Location"]
    client.force_login(world.anb_manager)
    assert client.get(url).status_code == 404
    client.force_login(world.province_leader)
    assert client.get(url).status_code == 200


def test_only_a_decision_has_an_appendix(client, world):
    from tests.factories import ProgramFactory

    program = ProgramFactory(unit=world.hoa_hoi)  # an action program
    client.force_login(world.hh_manager)
    assert client.get(reverse("reports:appendix", args=[program.pk, "pdf"])).status_code == 404


def test_signed_file_by_who_asks(client, world, quarter, media, demo_pki,
                                 django_capture_on_commit_callbacks):
    from sixclear.reports import services

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor=world.hh_manager, unit=world.hoa_hoi,
                                         period_kind="month", year=2026, period_number=11,
                                         format="pdf", language="en")
    world.hh_leader.first_name = "Tô Hữu Trung"
    world.hh_leader.save()
    # The commune's designated signer (by default its first leader), not the province's.
    document = services.sign_report(actor=world.hh_leader, report=report)
    url = reverse("reports:signed_file", args=[document.pk])
    assert reverse("accounts:sign_in") in client.get(url)["Location"]
    client.force_login(world.anb_manager)
    assert client.get(url).status_code == 404
    client.force_login(world.hh_viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    page = client.get(reverse("reports:unit_signed", args=[world.hoa_hoi.pk])).content.decode()
    assert "Tô Hữu Trung" in page and "current" in page
    assert timezone.localdate().year >= 2026


def test_the_signed_documents_list_stays_bounded(client, world, report,
                                                 django_assert_max_num_queries):
    from django.utils import timezone

    from sixclear.reports.models import SignedDocument

    def add(n):
        latest = SignedDocument.objects.order_by("-pk").first()
        for i in range(n):
            latest = SignedDocument.objects.create(
                unit=world.hoa_hoi, report=report, title=f"Báo cáo {i}", file="signed/x.pdf",
                sha256=f"{SignedDocument.objects.count():064d}", size=10,
                signer=world.hh_leader, signer_name="Lê Văn Hòa", signed_at=timezone.now(),
                supersedes=latest)

    client.force_login(world.hh_viewer)
    url = reverse("reports:unit_signed", args=[world.hoa_hoi.pk])
    add(2)
    few = count_queries(client, url)
    add(30)
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert page.count("superseded") >= 24
