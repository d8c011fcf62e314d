"""The officer and manager flows of the web app in a real browser, in English and Arabic."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sixclear.accounts.models import UserPreference
from sixclear.plans import services as plans
from sixclear.plans.models import ResolutionItemKind, TargetKind
from sixclear.tracking import services
from sixclear.tracking.models import ProgressReport, ReviewStatus, TaskState
from tests.browser.conftest import PHONE
from tests.factories import ProgramFactory, ResolutionFactory, TaskFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def late_task(world):
    today = timezone.localdate()
    return TaskFactory(
        unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
        title="Khảo sát mặt bằng cụm công nghiệp", code="NV-01",
        start_date=today - datetime.timedelta(days=40),
        deadline=today - datetime.timedelta(days=3),
    )


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "biên bản khảo sát.pdf"
    path.write_bytes(PDF)
    return path


@pytest.fixture
def plan(world, late_task):
    """A resolution with its structure, a program, a growth target on its path, and more tasks,
    so the pages look like a commune's real work."""
    manager = world.hh_manager
    resolution = ResolutionFactory(unit=world.hoa_hoi, number="01-NQ/ĐU",
                                   title="Nghị quyết Đại hội Đảng bộ xã Hòa Hội 2025–2030")
    for kind, title in [
        (ResolutionItemKind.VIEWPOINT, "Phát triển nhanh và bền vững, lấy người dân làm trung tâm"),
        (ResolutionItemKind.VIEWPOINT, "Chuyển đổi số là động lực"),
        (ResolutionItemKind.BREAKTHROUGH, "Hạ tầng giao thông và cụm công nghiệp"),
        (ResolutionItemKind.TASK_GROUP, "Phát triển công nghiệp và xây dựng"),
        (ResolutionItemKind.TASK_GROUP, "Văn hóa, xã hội"),
    ]:
        plans.add_resolution_item(actor=manager, resolution=resolution, kind=kind, title=title)
    program = ProgramFactory(unit=world.hoa_hoi, resolution=resolution, number="01-CTr/ĐU",
                             title="Chương trình hành động thực hiện Nghị quyết")
    target = plans.create_target(
        actor=manager, unit=world.hoa_hoi, programs=[program], code="CT-01",
        name="Giá trị sản xuất tăng bình quân 21,7 %/năm", kind=TargetKind.ANNUAL_GROWTH,
        resolution=resolution, group="Kinh tế", baseline_value=Decimal(1200),
        baseline_year=2025, annual_rate=Decimal("21.7"), target_year=2030,
        responsible_person=world.hh_officer, unit_of_measure="tỷ đồng",
    )
    plans.create_target(
        actor=manager, unit=world.hoa_hoi, code="CT-02", name="Thu hút 10 dự án đầu tư",
        kind=TargetKind.COUNT, resolution=resolution, group="Kinh tế",
        baseline_value=Decimal(0), baseline_year=2025, target_value=Decimal(10),
        target_year=2030, responsible_person=world.hh_officer, unit_of_measure="dự án",
    )
    # A yearly value approved, and the last quarter's only submitted (a period that has begun).
    for period, value in [({}, 1450), ({"period_kind": "quarter", "period_number": 4}, 1690)]:
        measurement = services.record_measurement(actor=world.hh_officer, target=target,
                                                  year=2026, value=Decimal(value), **period)
        if not period:
            services.review_measurement(actor=manager, measurement=measurement,
                                        expected_version=measurement.version, approve=True)
    group = resolution.items.filter(kind=ResolutionItemKind.TASK_GROUP).first()
    late_task.task_group, late_task.program, late_task.resolution = group, program, resolution
    late_task.save()
    today = timezone.localdate()
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                title="Lập hồ sơ mời gọi đầu tư cụm công nghiệp", task_group=group,
                deadline=today + datetime.timedelta(days=5), program=program)
    TaskFactory(unit=world.hoa_hoi, owner=None, title="Rà soát quỹ đất công", expected_result="")
    TaskFactory(unit=world.economy_office, lead_unit=world.economy_office,
                state=TaskState.ISSUED, owner=world.hh_officer,
                deadline=today - datetime.timedelta(days=10),
                title="Thống kê doanh nghiệp trên địa bàn")
    step = services.add_step(actor=manager, task=late_task, title="Khảo sát hiện trạng")
    services.complete_step(actor=manager, step=step, expected_version=step.version)
    services.add_step(actor=manager, task=late_task, title="Lập báo cáo đề xuất")
    return {"resolution": resolution, "target": target, "program": program}


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")


def report_progress(page, evidence_file):
    page.fill("#id_percent", "60")
    page.fill("#id_narrative", "Đã khảo sát 3 trên 5 khu đất.")
    page.fill("#id_obstacles", "Chưa giải phóng xong mặt bằng khu C.")
    page.set_input_files("#id_files", str(evidence_file))
    url = page.url
    page.click("#reports button[type=submit]")
    page.wait_for_selector("#reports .alert--success")
    assert page.url == url  # htmx swapped the section; no full reload


def test_officer_reports_on_a_late_task_and_a_manager_approves_it(
    world, late_task, evidence_file, new_page, screenshot
):
    officer = new_page()
    sign_in(officer, "hh.officer")
    late = officer.locator("section[aria-labelledby=late-title]")
    assert late_task.title in late.inner_text()
    screenshot(officer, "en-my-work")

    late.get_by_role("link", name=late_task.title).click()
    officer.wait_for_selector("#reports form")
    screenshot(officer, "en-task")
    report_progress(officer, evidence_file)
    assert "biên_bản_khảo_sát.pdf" in officer.locator("#reports").inner_text()
    screenshot(officer, "en-task-after-report")

    report = ProgressReport.objects.get(task=late_task)
    assert report.status == ReviewStatus.SUBMITTED and report.has_obstacles
    assert report.evidence.count() == 1

    manager = new_page()
    sign_in(manager, "hh.manager")
    assert manager.locator(".primary-nav a[href='/approvals/'] .count").inner_text().startswith("1")
    manager.click(".primary-nav a[href='/approvals/']")
    manager.wait_for_selector(f"#report-{report.pk}")
    screenshot(manager, "en-approvals")
    item = manager.locator(f"#report-{report.pk}")
    item.locator("textarea").fill("Tốt, tiếp tục.")
    with manager.expect_download() as download:
        item.get_by_role("link", name="biên_bản_khảo_sát.pdf").click()
    assert download.value.suggested_filename == "biên_bản_khảo_sát.pdf"
    item.locator("button[value=approve]").click()
    manager.wait_for_selector(".message--success")
    report.refresh_from_db()
    late_task.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED
    assert late_task.percent_complete == 60
    screenshot(manager, "en-approvals-after")


def test_the_same_flow_in_arabic_is_right_to_left_and_mirrored(
    world, late_task, plan, evidence_file, new_page, screenshot
):
    target = plan["target"]

    english = new_page()
    sign_in(english, "hh.officer")
    assert english.locator("html").get_attribute("dir") == "ltr"
    ltr_nav = english.locator(".primary-nav").bounding_box()

    # The officer switches to Arabic in the header; the choice is remembered for them.
    english.select_option("#site-language", "ar")
    english.click(".language-form button")
    english.wait_for_selector("html[dir=rtl]")
    assert UserPreference.objects.get(user=world.hh_officer).language == "ar"

    officer = new_page()  # another browser: no language cookie, the preference applies
    sign_in(officer, "hh.officer")
    html = officer.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    width = officer.viewport_size["width"]
    rtl_nav = officer.locator(".primary-nav").bounding_box()
    brand = officer.locator(".brand").bounding_box()
    assert ltr_nav["x"] < width / 2
    assert rtl_nav["x"] + rtl_nav["width"] > width / 2  # the navigation sits on the right
    assert brand["x"] > width / 2  # and the brand starts on the right edge
    screenshot(officer, "ar-my-work")

    officer.locator("section[aria-labelledby=late-title] a", has_text=late_task.title).click()
    officer.wait_for_selector("#reports form")
    main = officer.locator(".layout-two > div").first.bounding_box()
    aside = officer.locator(".layout-two > aside").bounding_box()
    assert aside["x"] < main["x"]  # the side column moved to the left
    report_progress(officer, evidence_file)
    screenshot(officer, "ar-task")

    officer.goto(f"/targets/{target.pk}/")
    officer.wait_for_selector("#target-chart")
    officer.wait_for_function("window.Chart && Chart.getChart('target-chart')")
    screenshot(officer, "ar-target")

    officer.goto(f"/units/{world.hoa_hoi.pk}/")
    screenshot(officer, "ar-unit")

    manager = new_page()
    sign_in(manager, "hh.manager")
    manager.select_option("#site-language", "ar")
    manager.click(".language-form button")
    manager.wait_for_selector("html[dir=rtl]")
    manager.click(".primary-nav a[href='/approvals/']")
    report = ProgressReport.objects.get(task=late_task)
    manager.locator(f"#report-{report.pk} button[value=approve]").click()
    manager.wait_for_selector(".message--success")
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED
    screenshot(manager, "ar-approvals-after")


def test_main_pages_on_a_phone_and_a_desktop(world, late_task, plan, new_page, screenshot):
    resolution, target = plan["resolution"], plan["target"]
    pages = {
        "unit": f"/units/{world.hoa_hoi.pk}/",
        "province": f"/units/{world.gia_lai.pk}/",
        "resolution": f"/resolutions/{resolution.pk}/",
        "target": f"/targets/{target.pk}/",
        "task": f"/tasks/{late_task.pk}/",
        "new-task": f"/units/{world.hoa_hoi.pk}/tasks/new/",
    }
    desktop = new_page()
    sign_in(desktop, "hh.manager")
    for name, url in pages.items():
        if name == "province":
            continue
        desktop.goto(url)
        screenshot(desktop, f"en-{name}")
    desktop.goto(f"/tasks/{late_task.pk}/edit/")
    screenshot(desktop, "en-edit-task")
    draft = late_task.__class__.objects.get(title="Rà soát quỹ đất công")
    desktop.goto(f"/tasks/{draft.pk}/")
    desktop.click("form[action$='/issue/'] button")
    desktop.wait_for_selector("#id_owner_error")
    screenshot(desktop, "en-issue-refused")
    leader = new_page()
    sign_in(leader, "gl.leader")
    leader.goto(pages["province"])
    screenshot(leader, "en-province")

    phone = new_page(viewport=PHONE)
    sign_in(phone, "hh.officer")
    screenshot(phone, "phone-my-work")
    phone.goto(pages["task"])
    screenshot(phone, "phone-task")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.goto(pages["unit"])
    screenshot(phone, "phone-unit")
    # Nothing is wider than the screen: the page never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_sign_in_page_and_keyboard_skip_link(world, new_page, screenshot):
    page = new_page()
    page.goto("/accounts/sign-in/")
    screenshot(page, "en-sign-in")
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
