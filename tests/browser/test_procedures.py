"""An officer opens a case, hands it over, suspends and resumes it; the manager sees the
on-time figures; the case page reads right to left in Arabic."""

import datetime

import pytest
from django.utils import timezone

from sixclear.procedures import services
from sixclear.procedures.calendar import WorkingCalendar
from tests.procedures.helpers import PETITION_STEPS

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

    arabic = new_page(locale="ar")
    sign_in(arabic, "hh.officer")
    arabic.select_option("#site-language", "ar")
    arabic.click(".language-form button")
    arabic.goto(page.url)
    arabic.wait_for_selector("#case-steps")
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert "الخطوات" in arabic.content()
    screenshot(arabic, "ar-case")
