"""An officer opens a case, hands it over, suspends and resumes it; the manager sees the
on-time figures, and the yearly evaluation report (its page and the document downloaded) names
the step handed over late; the case page reads right to left in Arabic."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from sixclear.procedures import services
from sixclear.procedures.calendar import WorkingCalendar
from tests.procedures.helpers import PETITION_STEPS
from tests.reports.test_issued import docx_text

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def procedure(world):
    today = timezone.localdate()
    procedure = services.create_procedure(
        actor=world.hh_manager, unit=world.hoa_hoi, code="QT-01",
        name="Giải quyết đơn kiến nghị của công dân",
        effective_from=today - datetime.timedelta(days=365), steps=PETITION_STEPS)
    # A case received ten working days ago whose first step (one day) is handed over today.
    calendar, opened = WorkingCalendar(), today
    for _ in range(10):
        opened -= datetime.timedelta(days=1)
        while not calendar.is_working_day(opened):
            opened -= datetime.timedelta(days=1)
    old = services.open_case(actor=world.hh_officer, unit=world.hoa_hoi, procedure=procedure,
                             reference="ĐT-000", subject="Kiến nghị cũ", opened_on=opened)
    services.hand_over(actor=world.hh_officer, case=old, expected_version=old.version,
                       to=world.hh_officer)
    return procedure


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")


def test_officer_moves_a_case_and_the_manager_sees_the_figures(
        world, procedure, new_page, screenshot):
    page = new_page()
    sign_in(page, "hh.officer")
    page.goto(f"/units/{world.hoa_hoi.pk}/")
    page.get_by_role("link", name="Cases").first.click()
    page.get_by_role("link", name="Open a case").click()
    page.select_option("#id_procedure", value=str(procedure.pk))
    page.fill("#id_reference", "ĐT-777")
    page.fill("#id_subject", "Đề nghị sửa đèn đường tổ 4")
    page.fill("#id_applicant", "Ngô Thị Hạnh")
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector("#case-steps")
    assert "ĐT-777" in page.locator("h1").inner_text()

    page.select_option("#id_to", value=str(world.hh_officer.pk))
    page.fill("#hand-over #id_note", "Hồ sơ đủ thành phần")
    page.click("#hand-over button[type=submit]")
    page.wait_for_selector(".message--success")
    assert "on time" in page.locator("#case-steps tbody tr").first.inner_text()

    page.fill("#suspend #id_reason", "Chờ công dân bổ sung ảnh hiện trạng")
    page.click("#suspend button[type=submit]")
    page.wait_for_selector("#resume")
    assert page.locator("#case-state").inner_text().startswith("Suspended")
    page.click("#resume button[type=submit]")
    page.wait_for_selector("#suspend")
    assert page.locator("#case-state").inner_text().startswith("In progress")
    assert "Chờ công dân bổ sung ảnh hiện trạng" in page.content()
    screenshot(page, "en-case-handed-over-and-resumed")

    manager = new_page()
    sign_in(manager, "hh.manager")
    manager.goto(f"/units/{world.hoa_hoi.pk}/procedures/performance/")
    # Two first steps handed over today: the new case's on time, the old one's late.
    assert manager.locator("#step-rate").inner_text() == "50 %"
    screenshot(manager, "en-procedure-performance")

    # The yearly evaluation report shows it: the old case's first step, handed over late.
    manager.get_by_role("link", name="Yearly evaluation").first.click()
    late = manager.locator("#evaluation-late-steps tbody tr")
    assert late.count() == 1
    assert "ĐT-000" in late.first.inner_text() and "Tiếp nhận đơn" in late.first.inner_text()
    screenshot(manager, "en-procedure-evaluation")
    manager.locator("#evaluation-document a").first.click()
    assert "ĐT-000" in manager.locator("#evaluation-report").inner_text()
    with manager.expect_download() as downloading:
        manager.click("#download-docx")
    text = docx_text(Path(downloading.value.path()).read_bytes())
    assert "ĐT-000 Kiến nghị cũ" in text and "QT-01 · 1. Tiếp nhận đơn" in text
    assert "ĐT-777" not in text  # on time: not among the late steps

    arabic = new_page(locale="ar")
    sign_in(arabic, "hh.officer")
    arabic.select_option("#site-language", "ar")
    arabic.click(".language-form button")
    arabic.goto(page.url)
    arabic.wait_for_selector("#case-steps")
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert "الخطوات" in arabic.content()
    screenshot(arabic, "ar-case")
