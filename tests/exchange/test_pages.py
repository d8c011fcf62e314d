"""The spreadsheet pages: who may open them, what they show, and bounded queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sixclear.exchange.models import ImportJob, ImportStatus
from tests.exchange.conftest import sheet_rows, workbook_bytes
from tests.factories import TaskFactory


def pages(world):
    unit = world.hoa_hoi.pk
    return {
        "export": reverse("exchange:export", args=[unit, "tasks", "xlsx"]),
        "export_csv": reverse("exchange:export", args=[unit, "measurements", "csv"]),
        "template": reverse("exchange:template", args=[unit, "decision"]),
        "import": reverse("exchange:import", args=[unit]),
        "decision": reverse("exchange:import_decision", args=[unit]),
    }


@pytest.fixture
def job(world):
    return ImportJob.objects.create(unit=world.hoa_hoi, kind="tasks", created_by=world.hh_manager,
                                    original_name="việc.xlsx", file_format="xlsx",
                                    language="en", stored_name="x.xlsx")


MANAGER_ONLY = {"import", "decision"}


@pytest.mark.parametrize("name", ["export", "export_csv", "template", "import", "decision"])
def test_anonymous_is_sent_to_sign_in(client, world, name):
    response = client.get(pages(world)[name])
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.parametrize("name", ["export", "export_csv", "template", "import", "decision"])
def test_a_sibling_commune_gets_404(client, world, name):
    client.force_login(world.anb_manager)
    assert client.get(pages(world)[name]).status_code == 404


@pytest.mark.parametrize("name", ["export", "export_csv", "template", "import", "decision"])
def test_a_viewer_may_export_but_not_import(client, world, name):
    client.force_login(world.hh_viewer)
    assert client.get(pages(world)[name]).status_code == (403 if name in MANAGER_ONLY else 200)


@pytest.mark.parametrize("name", ["export", "export_csv", "template", "import", "decision"])
def test_a_superior_units_leader_may_use_every_page(client, world, name):
    client.force_login(world.province_leader)
    assert client.get(pages(world)[name]).status_code == 200


def test_a_viewer_cannot_post_an_import(client, world):
    client.force_login(world.hh_viewer)
    from tests.exchange.conftest import upload

    response = client.post(pages(world)["import"], {
        "kind": "tasks", "file": upload("t.xlsx", workbook_bytes([["Code", "Title"]]))})
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_the_job_page_access(client, world, job):
    url = reverse("exchange:job", args=[job.pk])
    assert client.get(url).status_code == 302
    for user, status in ((world.anb_manager, 404), (world.vh_manager, 404),
                         (world.hh_viewer, 403), (world.province_leader, 200),
                         (world.hh_manager, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_a_running_job_polls_with_htmx_and_offers_a_refresh_link(client, world, job):
    client.force_login(world.hh_manager)
    url = reverse("exchange:job", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert f'href="{url}">Refresh</a>' in page and "<progress" in page
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.startswith('<section id="import-status"') and "<html" not in part


def test_the_progress_comes_from_the_job_while_it_applies(world, job):
    from sixclear.exchange import services

    services._huey().put(services._progress_key(job.pk),
                         {"phase": "applying", "done": 250, "total": 1000})
    job.status = ImportStatus.CHECKING
    assert services.import_progress(job) == (ImportStatus.APPLYING.label, 62)


def test_a_finished_job_lists_every_error_and_stops_polling(client, world, job):
    job.status = ImportStatus.INVALID
    job.errors = [{"row": 4, "column": "Deadline", "message": "“sau Tết” is not a date"},
                  {"row": None, "column": "", "message": "Whole file"}]
    job.error_count = 2
    job.save()
    client.force_login(world.hh_manager)
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and "2 errors were found" in page
    assert "<td class=\"number\">4</td><td>Deadline</td><td>“sau Tết” is not a date</td>" in page


@pytest.mark.parametrize(("language", "words", "not_words"), [
    ("vi", ["Đã tạo mới", "Đã cập nhật", "Không thay đổi"], ["Thời điểm tạo", "Ngày tạo"]),
    ("en", ["Created", "Updated", "Unchanged"], []),
    ("ar", ["أُنشئ", "حُدِّث", "دون تغيير"], []),
])
def test_the_outcome_says_created_updated_unchanged_in_the_persons_language(
        client, world, job, language, words, not_words):
    """'Created' of an import's outcome is not the 'Created' (at) column of another app's page:
    its own message context keeps the two apart."""
    job.status = ImportStatus.DONE
    job.total_rows, job.summary = 3, {"created": 1, "updated": 1, "unchanged": 1, "issued": 0}
    job.save()
    client.force_login(world.hh_manager)
    client.cookies["django_language"] = language
    page = client.get(reverse("exchange:job", args=[job.pk]),
                      headers={"accept-language": language}).content.decode()
    for word in words:
        assert f"<dt>{word}</dt><dd>1</dd>" in page
    for word in not_words:
        assert word not in page


def test_a_job_runs_once(world, job):
    from sixclear.exchange.services import run_import_job

    job.status = ImportStatus.DONE
    job.save()
    run_import_job(job.pk)  # a second delivery of the same job does nothing
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.finished_at is None


def test_the_unit_panel_offers_exports_to_all_and_imports_to_managers(client, world):
    unit_url = reverse("orgs:unit", args=[world.hoa_hoi.pk])
    client.force_login(world.hh_viewer)
    page = client.get(unit_url).content.decode()
    assert pages(world)["export"] in page and pages(world)["template"] in page
    assert pages(world)["import"] not in page
    client.force_login(world.hh_manager)
    page = client.get(unit_url).content.decode()
    assert pages(world)["import"] in page and pages(world)["decision"] in page


def test_the_unit_panel_costs_no_query(client, world, django_assert_num_queries):
    from django.template.loader import render_to_string

    from sixclear.orgs.selectors import reaches_unit

    reaches_unit(world.hh_manager, world.hoa_hoi, "manager")  # the unit page has done this
    with django_assert_num_queries(0):
        html = render_to_string("exchange/_unit_panel.html",
                                {"unit": world.hoa_hoi, "user": world.hh_manager})
    assert "Spreadsheets" in html


def test_export_queries_do_not_grow_with_rows(client, world, hoa_hoi_data,
                                              django_assert_max_num_queries):
    client.force_login(world.hh_manager)
    for i in range(30):
        task = TaskFactory(unit=world.hoa_hoi, code=f"X-{i}", owner=world.hh_officer,
                           program=hoa_hoi_data["program"])
        task.coordinating_units.set([world.economy_office])
    with django_assert_max_num_queries(10):
        response = client.get(pages(world)["export"])
    assert len(sheet_rows(response.content)) == 34
    with django_assert_max_num_queries(10):
        client.get(reverse("exchange:export", args=[world.hoa_hoi.pk, "targets", "csv"]))


def test_the_template_has_the_headers_and_instructions_in_the_persons_language(client, world):
    client.force_login(world.hh_manager)
    response = client.get(reverse("exchange:template", args=[world.hoa_hoi.pk, "tasks"]))
    assert response["Content-Disposition"].endswith('-tasks-template.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tasks", "Instructions"]
    assert list(next(workbook["Tasks"].iter_rows(values_only=True)))[:3] == [
        "Code", "Title", "Description"]
    notes = [row[0] for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert "Deadline" in notes
    client.cookies["django_language"] = "vi"
    session = client.session
    session["_language"] = "vi"
    session.save()
    response = client.get(reverse("exchange:template", args=[world.hoa_hoi.pk, "tasks"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames != ["Tasks", "Instructions"]


def test_the_import_form_says_what_is_wrong_and_keeps_the_choice(client, world):
    client.force_login(world.hh_manager)
    response = client.post(pages(world)["import"], {"kind": "targets"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert '<option value="targets" selected>' in response.content.decode()


def test_an_upload_creates_a_job_and_shows_it(client, world, importer):
    client.force_login(world.hh_manager)
    job = importer(world.hoa_hoi, "tasks", workbook_bytes([["Code", "Title"], ["N-1", "Việc"]]))
    assert job.status == "done" and job.created_by == world.hh_manager
    assert not job.file  # the stored file is removed once the job is done
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "Created" in page
    listing = client.get(pages(world)["import"]).content.decode()
    assert reverse("exchange:job", args=[job.pk]) in listing


def test_the_import_page_queries_do_not_grow_with_past_imports(client, world,
                                                               django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.hh_manager)
    with CaptureQueriesContext(connection) as few:
        client.get(pages(world)["import"])
    for i in range(15):
        ImportJob.objects.create(unit=world.hoa_hoi, kind="tasks", created_by=world.hh_manager,
                                 original_name=f"{i}.xlsx", file_format="xlsx", language="en",
                                 stored_name=f"{i}.xlsx")
    with django_assert_max_num_queries(len(few)):
        response = client.get(pages(world)["import"])
    assert len(response.context["imports"]) == 10 and len(few) <= 12
