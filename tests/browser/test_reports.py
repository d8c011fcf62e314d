"""A manager generates a quarterly report from the unit page in a real browser and downloads
it; the reports page in Arabic mirrors."""

import pytest

from sixclear.accounts.models import UserPreference
from tests.browser.test_flows import sign_in

pytestmark = pytest.mark.browser


def test_a_manager_generates_a_report_from_the_unit_page(world, new_page, screenshot, settings,
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = new_page()
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/")
    card = page.locator("section[aria-labelledby=reports-title]")
    card.locator("select[name=period_kind]").select_option("quarter")
    card.locator("input[name=year]").fill("2026")
    card.locator("input[name=period_number]").fill("4")
    card.locator("select[name=format]").select_option("xlsx")
    # Jobs run at once in tests: the request itself builds the file, which takes a while.
    card.get_by_role("button", name="Generate the report").click(timeout=60_000)
    page.wait_for_url("**/reports/*/", timeout=60_000)
    # The file is ready when the page opens here; in production the progress part polls.
    link = page.get_by_role("link", name="Download the XLSX file")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as stream:
        assert stream.read(2) == b"PK"  # a zip: the XLSX package
    screenshot(page, "en-report")


def test_the_reports_page_in_arabic(world, new_page, screenshot):
    UserPreference.objects.update_or_create(user=world.hh_manager,
                                            defaults={"language": "ar"})
    page = new_page(locale="ar")
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/reports/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "إعداد التقرير" in page.locator("main").inner_text()
    screenshot(page, "ar-reports")
