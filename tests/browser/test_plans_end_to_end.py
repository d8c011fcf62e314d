"""Issue 15's whole path in one sitting, without the admin: a ward's manager writes the
resolution (5 viewpoints, 3 breakthroughs, 6 task groups), a program with three sections,
targets of four kinds from the program's page and a task under the program, issued; then reads
the program page in Arabic, mirrored."""

import datetime

import pytest
from django.utils import timezone

from sixclear.orgs.models import Role
from sixclear.plans.models import Program
from sixclear.tracking.models import Task, TaskState
from tests.browser.test_authoring import SECTIONS, write_resolution
from tests.browser.test_authoring_targets import fill_common, save_target, sign_in, wait_for_row
from tests.factories import person

pytestmark = pytest.mark.browser


def write_program(page, resolution):
    page.goto(f"/resolutions/{resolution.pk}/")
    page.get_by_role("link", name="New program").click()
    page.select_option("#id_kind", "action_program")
    page.fill("#id_number", "01-CTr/ĐU")
    page.fill("#id_title", "Phát triển kinh tế – xã hội phường Việt Hưng giai đoạn 2025–2030")
    page.fill("#id_issuing_body", "Ban Chấp hành Đảng bộ phường Việt Hưng")
    page.fill("#id_period_start", "2025-09-05")
    page.fill("#id_period_end", "2030-12-31")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#sections")
    for code, title in SECTIONS:
        page.fill("#id_code", code)
        page.fill("#id_title", title)
        page.get_by_role("button", name="Add the section").click()
        page.wait_for_selector(f"#sections li:has-text({title!r})")
    return Program.objects.get(number="01-CTr/ĐU")


def new_target_from_the_program_page(page, program):
    page.goto(f"/programs/{program.pk}/")
    page.get_by_role("link", name="New target").click()
    page.wait_for_selector("#target-form")


def test_a_ward_writes_its_resolution_program_targets_and_a_task_in_the_app(
        world, new_page, screenshot):
    officer = person(world.viet_hung, Role.OFFICER, username="vh.officer",
                     first_name="Lan", last_name="Nguyễn Thị")
    page = new_page()
    sign_in(page, "vh.manager")
    resolution = write_resolution(page, world)
    assert resolution.items.count() == 5 + 3 + 6
    program = write_program(page, resolution)

    new_target_from_the_program_page(page, program)
    fill_common(page, "KT-01", "Tổng thu ngân sách trên địa bàn tăng bình quân",
                "annual_growth", "1200", "tỷ đồng")
    page.locator("#id_annual_rate").press_sequentially("10")
    wait_for_row(page, 2026, "1,320")
    save_target(page, "KT-01")

    new_target_from_the_program_page(page, program)
    fill_common(page, "KT-02", "Thu hút ít nhất 10 dự án đầu tư", "count", "0", "dự án")
    page.locator("#id_target_value").press_sequentially("10")
    wait_for_row(page, 2030, "10")
    save_target(page, "KT-02")

    new_target_from_the_program_page(page, program)
    fill_common(page, "XH-01", "Tỷ lệ hộ nghèo giảm còn dưới 1 %", "threshold", "3", "%")
    page.check("#id_direction_1")
    page.fill("#id_target_value", "1")
    wait_for_row(page, 2030, "1")
    save_target(page, "XH-01")

    new_target_from_the_program_page(page, program)
    fill_common(page, "KT-03", "Giá trị sản xuất tăng 11–12 %/năm", "growth_range", "1000",
                "tỷ đồng")
    page.locator("#id_annual_rate").press_sequentially("11")
    page.locator("#id_annual_rate_high").press_sequentially("12")
    wait_for_row(page, 2026, "1,110–1,120")
    save_target(page, "KT-03")

    assert sorted(program.targets.values_list("kind", flat=True)) == sorted(
        ["annual_growth", "count", "threshold", "growth_range"])
    assert set(program.targets.values_list("resolution", flat=True)) == {resolution.pk}

    # A task under the program, issued with its six clears.
    page.goto(f"/programs/{program.pk}/")
    page.get_by_role("link", name="New task").click()
    page.wait_for_selector("#id_title")
    assert page.locator("#id_program").input_value() == str(program.pk)
    page.fill("#id_title", "Chỉnh trang đô thị các tuyến phố chính")
    page.fill("#id_description", "Cải tạo vỉa hè, chiếu sáng và cây xanh")
    page.select_option("#id_owner", str(officer.pk))
    page.select_option("#id_lead_unit", str(world.viet_hung.pk))
    page.fill("#id_deadline",
              (timezone.localdate() + datetime.timedelta(days=90)).isoformat())
    page.fill("#id_expected_result", "Các tuyến phố được nghiệm thu")
    page.fill("#id_authority_body", "Ban Thường vụ Đảng ủy phường")
    page.click("button[name=issue]")
    page.wait_for_selector(".message--success")
    task = Task.objects.get(title="Chỉnh trang đô thị các tuyến phố chính")
    assert task.state == TaskState.ISSUED and task.program == program
    assert task.resolution == resolution

    page.goto(f"/programs/{program.pk}/")
    assert page.locator(f"a[href='/tasks/{task.pk}/']").count() >= 1
    assert page.locator("a[href^='/targets/']").count() >= 4
    screenshot(page, "en-program-with-targets-and-task")

    # The same program page in Arabic: mirrored, the Vietnamese titles kept in their order.
    page.select_option("#site-language", "ar")
    page.click(".language-form button")
    page.wait_for_selector("html[dir=rtl]")
    width = page.viewport_size["width"]
    title = page.locator(".page-head h1").bounding_box()
    assert title["x"] + title["width"] > width * 3 / 4
    screenshot(page, "ar-program-with-targets-and-task")
    assert page.evaluate("window.__cspViolations") == []
