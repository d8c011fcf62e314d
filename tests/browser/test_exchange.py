"""A manager exports the unit's tasks, edits one cell in the workbook and imports it back."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from sixclear.tracking.models import Task
from tests.browser.test_flows import sign_in
from tests.factories import TaskFactory

pytestmark = pytest.mark.browser


def test_a_manager_exports_edits_and_imports_the_tasks(world, new_page, screenshot, tmp_path):
    for i in (1, 2):
        TaskFactory(unit=world.hoa_hoi, code=f"NV-0{i}", title=f"Nhiệm vụ {i}",
                    owner=world.hh_officer, start_date=datetime.date(2026, 1, 5),
                    deadline=datetime.date(2026, 6, 30))
    page = new_page()
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/")
    panel = page.locator("section[aria-labelledby=spreadsheets-title]")
    screenshot(page, "en-unit-spreadsheets")
    with page.expect_download() as download:
        panel.locator(f"a[href='/units/{world.hoa_hoi.pk}/export/tasks.xlsx']").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=headers.index("Deadline") + 1, value=datetime.date(2026, 9, 30))
    edited = tmp_path / "việc.xlsx"
    workbook.save(edited)

    panel.get_by_role("link", name="Import a spreadsheet").click()
    page.select_option("#id_kind", "tasks")
    page.set_input_files("#id_file", str(edited))
    screenshot(page, "en-import-form")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("#import-status .alert--success")
    assert "Updated" in page.locator("#import-status").inner_text()
    screenshot(page, "en-import-done")
    assert Task.objects.get(code="NV-02").deadline == datetime.date(2026, 9, 30)
    assert Task.objects.get(code="NV-01").version == 1


def test_a_refused_file_is_explained_on_the_form_in_arabic(world, new_page, screenshot,
                                                          tmp_path):
    from sixclear.accounts.models import UserPreference

    UserPreference.objects.update_or_create(user=world.hh_manager, defaults={"language": "ar"})
    fake = tmp_path / "tasks.xlsx"
    fake.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page = new_page(locale="ar")
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/import/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.set_input_files("#id_file", str(fake))
    page.locator("form.card button[type=submit]").click()
    page.wait_for_selector(".field--error")
    assert "PDF" in page.locator(".field--error .errorlist").inner_text()
    screenshot(page, "ar-import-refused")
