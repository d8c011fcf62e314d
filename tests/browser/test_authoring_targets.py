"""A ward's manager writes targets of four kinds in the browser, watching the yearly path follow
what they type, then a task with a sub-task that the ward's leader cancels with a reason; the
target form once more in Arabic, mirrored."""

import datetime

import pytest
from django.utils import timezone, translation

from sixclear.numbers import format_number
from sixclear.orgs.models import Role
from sixclear.plans.models import Target
from sixclear.tracking.models import Task, TaskState
from tests.factories import ProgramFactory, ResolutionFactory, person

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

PASSWORD = "correct horse battery staple"
# Records every resource the Content-Security-Policy refuses.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


@pytest.fixture
def ward(world):
    resolution = ResolutionFactory(unit=world.viet_hung, number="01-NQ/ĐU",
                                   title="Nghị quyết Đại hội Đảng bộ phường Việt Hưng 2025–2030")
    program = ProgramFactory(unit=world.viet_hung, resolution=resolution, number="01-CTr/ĐU",
                             title="Chương trình phát triển kinh tế – xã hội")
    officer = person(world.viet_hung, Role.OFFICER, username="vh.officer",
                     first_name="Lan", last_name="Nguyễn Thị")
    leader = person(world.viet_hung, Role.LEADER, username="vh.leader")
    return {"resolution": resolution, "program": program, "officer": officer, "leader": leader}


def sign_in(page, username):
    page.add_init_script(LISTEN)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")


def preview_row(page, year):
    return page.locator(f"#preview-table tr[data-year='{year}'] td")


def wait_for_row(page, year, text):
    """The preview's row of `year` shows `text` (Playwright retries until it does)."""
    expect(preview_row(page, year)).to_contain_text(text)


def fill_common(page, code, name, kind, baseline, unit_of_measure):
    page.fill("#id_code", code)
    page.fill("#id_name", name)
    page.select_option("#id_kind", kind)
    page.fill("#id_unit_of_measure", unit_of_measure)
    page.fill("#id_baseline_value", baseline)
    page.fill("#id_baseline_year", "2025")
    page.fill("#id_target_year", "2030")


def save_target(page, code):
    page.click("#target-form button[name=save]")
    page.wait_for_selector(".message--success")
    target = Target.objects.get(code=code)
    assert page.url.endswith(f"/targets/{target.pk}/")
    return target


def test_a_manager_writes_four_kinds_of_target_and_a_task_with_a_sub_task(
        world, ward, new_page, screenshot):
    page = new_page()
    sign_in(page, "vh.manager")
    page.goto(f"/units/{world.viet_hung.pk}/")
    page.click(f"a[href='/units/{world.viet_hung.pk}/targets/new/']")
    page.wait_for_selector("#target-form")
    new_target = f"/units/{world.viet_hung.pk}/targets/new/?program={ward['program'].pk}"

    # 1. Growth: the path follows the rate as it is typed, then as it is corrected.
    page.goto(new_target)
    assert page.locator("#id_programs").evaluate(
        "select => [...select.selectedOptions].map(o => o.value)") == [str(ward["program"].pk)]
    fill_common(page, "KT-01", "Tổng thu ngân sách trên địa bàn tăng bình quân",
                "annual_growth", "1200", "tỷ đồng")
    assert page.locator("#id_target_value").is_hidden()
    assert page.locator("#id_annual_rate_high").is_hidden()
    page.locator("#id_annual_rate").press_sequentially("10", delay=60)
    wait_for_row(page, 2026, "1,320")
    # Drawn once htmx has settled the preview, a moment after its rows are in.
    page.wait_for_function("() => Boolean(window.Chart && Chart.getChart('preview-chart'))")
    page.fill("#id_annual_rate", "")
    page.locator("#id_annual_rate").press_sequentially("20", delay=60)
    wait_for_row(page, 2026, "1,440")
    screenshot(page, "target-form-growth")
    shown = [preview_row(page, year).inner_text() for year in range(2026, 2031)]
    target = save_target(page, "KT-01")
    assert target.programs.get() == ward["program"] and target.resolution == ward["resolution"]
    with translation.override("en"):
        saved = [format_number(point.expected_value, "money") for point in
                 target.trajectory.all()]
    assert saved == [text.split()[0] for text in shown]  # what was previewed is what is saved

    # 2. A growth range: the upper rate appears for this kind only.
    page.goto(new_target)
    fill_common(page, "KT-02", "Giá trị sản xuất tăng 11–12 %/năm", "growth_range", "1000",
                "tỷ đồng")
    assert page.locator("#id_annual_rate_high").is_visible()
    page.locator("#id_annual_rate").press_sequentially("11")
    page.locator("#id_annual_rate_high").press_sequentially("12")
    wait_for_row(page, 2026, "1,110–1,120")
    save_target(page, "KT-02")

    # 3. A count: the target value replaces the rate.
    page.goto(new_target)
    fill_common(page, "KT-03", "Thu hút ít nhất 10 dự án đầu tư", "count", "0", "dự án")
    assert page.locator("#id_annual_rate").is_hidden()
    page.locator("#id_target_value").press_sequentially("10")
    wait_for_row(page, 2030, "10")
    wait_for_row(page, 2026, "2")
    save_target(page, "KT-03")

    # 4. A threshold to reach where lower is better, refused first for a year before the
    # baseline: the error is beside its field and nothing is written.
    page.goto(new_target)
    fill_common(page, "XH-01", "Tỷ lệ hộ nghèo giảm còn dưới 1 %", "threshold", "3", "%")
    page.check("#id_direction_1")
    page.fill("#id_target_value", "1")
    page.fill("#id_target_year", "2020")
    page.wait_for_selector("#preview-body .preview-errors")
    page.click("#target-form button[name=save]")
    page.wait_for_selector("#id_target_year_error")
    assert not Target.objects.filter(code="XH-01").exists()
    page.fill("#id_target_year", "2030")
    wait_for_row(page, 2026, "2.6")
    target = save_target(page, "XH-01")
    assert target.direction == "lower" and target.trajectory.get(year=2030).expected_value == 1

    assert page.evaluate("window.__cspViolations") == []

    # A task, issued, and a sub-task added from its page.
    deadline = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    page.goto(f"/units/{world.viet_hung.pk}/tasks/new/")
    page.fill("#id_title", "Chỉnh trang đô thị các tuyến phố chính")
    page.fill("#id_description", "Cải tạo vỉa hè, chiếu sáng và cây xanh")
    page.select_option("#id_owner", str(ward["officer"].pk))
    page.select_option("#id_lead_unit", str(world.viet_hung.pk))
    page.fill("#id_deadline", deadline)
    page.fill("#id_expected_result", "Các tuyến phố được nghiệm thu")
    page.fill("#id_authority_body", "Ban Thường vụ Đảng ủy phường")
    page.click("button[name=issue]")
    page.wait_for_selector(".message--success")
    parent = Task.objects.get(title="Chỉnh trang đô thị các tuyến phố chính")
    assert parent.state == TaskState.ISSUED

    page.click(".page-head a[href*='?parent=']")
    page.wait_for_selector("#id_parent")
    assert page.locator("#id_parent").input_value() == str(parent.pk)
    page.fill("#id_title", "Lắp đặt chiếu sáng phố Ngọc Lâm")
    page.fill("#id_description", "Thay 40 bộ đèn LED")
    page.click("button[name=save]")
    page.wait_for_selector(".message--success")
    sub = Task.objects.get(title="Lắp đặt chiếu sáng phố Ngọc Lâm")
    assert sub.parent == parent
    page.goto(f"/tasks/{parent.pk}/")
    assert page.locator(f"#subtasks tr[data-subtask='{sub.pk}']").is_visible()
    screenshot(page, "task-with-sub-task")

    # The ward's leader cancels the sub-task with a reason, which its page then shows.
    leader = new_page()
    sign_in(leader, "vh.leader")
    leader.goto(f"/tasks/{sub.pk}/")
    leader.click(f".page-head a[href='/tasks/{sub.pk}/cancel/']")
    leader.fill("#id_reason", "Đã gộp vào dự án chiếu sáng của quận")
    leader.click("#cancel-form button[type=submit]")
    leader.wait_for_selector("#cancellation")
    assert "Đã gộp vào dự án chiếu sáng của quận" in leader.inner_text("#cancellation")
    sub.refresh_from_db()
    assert sub.state == TaskState.CANCELLED
    assert leader.evaluate("window.__cspViolations") == []


def test_the_target_form_in_arabic_is_mirrored_and_previews_as_one_types(
        world, ward, new_page, screenshot):
    page = new_page(locale="ar")
    sign_in(page, "vh.manager")
    page.select_option("#site-language", "ar")
    page.click(".language-form button")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"/units/{world.viet_hung.pk}/targets/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    fill_common(page, "KT-09", "Tổng thu ngân sách tăng bình quân", "annual_growth", "1200",
                "tỷ đồng")
    page.locator("#id_annual_rate").press_sequentially("10")
    page.wait_for_selector("#preview-table tr[data-year='2030']")
    main = page.locator(".layout-two > div").first.bounding_box()
    aside = page.locator(".layout-two > aside").bounding_box()
    assert aside["x"] < main["x"]  # the preview column sits on the left in Arabic
    screenshot(page, "ar-target-form")
    page.click("#target-form button[name=save]")
    page.wait_for_selector(".message--success")
    target = Target.objects.get(code="KT-09")
    assert target.trajectory.count() == 5
    # The edit page previews the target's corrected figures the same way.
    page.goto(f"/targets/{target.pk}/edit/")
    wait_for_row(page, 2026, "1.320")
    page.fill("#id_annual_rate", "")
    page.locator("#id_annual_rate").press_sequentially("20")
    wait_for_row(page, 2026, "1.440")
    assert page.evaluate("window.__cspViolations") == []
