"""A province leader of the demo finds the late task of the worst commune in three clicks."""

import pytest

from sixclear.demo.builder import build_demo
from sixclear.demo.dataset import DEMO_PASSWORD
from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import TaskHealth, TaskStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db):
    build_demo()
    run_scan()


def test_province_leader_reaches_the_worst_communes_late_task_in_three_clicks(
    demo, new_page, screenshot
):
    page = new_page()
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", "gl.leader")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")
    page.click(".primary-nav a[href='/dashboard/']")
    page.wait_for_selector("#table-league")
    assert "Gia Lai" in page.locator("h1").inner_text()
    screenshot(page, "en-province-dashboard")

    league = page.locator("#table-league")
    league.get_by_role("link", name="Late").click()  # click 1: sort by late tasks
    page.wait_for_selector("#table-league th[aria-sort=descending]")
    worst = page.locator("#table-league tbody tr").first
    commune = worst.locator("th").inner_text()
    late_cell = worst.locator("td").nth(4)
    late_count = int(late_cell.inner_text())
    assert late_count > 0
    late_cell.get_by_role("link").click()  # click 2: the worst commune's late tasks
    page.wait_for_selector("section[aria-labelledby=tasks-title] table tbody tr")
    rows = page.locator("section[aria-labelledby=tasks-title] table tbody tr")
    assert rows.count() == late_count
    screenshot(page, "en-late-tasks-of-worst-commune")

    title = rows.first.locator("td").first.get_by_role("link").inner_text()
    rows.first.locator("td").first.get_by_role("link").click()  # click 3: the task
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == title
    assert page.locator("[data-status=late]").count() >= 1
    late_here = TaskHealth.objects.filter(
        status=TaskStatus.LATE, task__unit__name=commune).count()
    assert late_here <= late_count  # the commune's own plus its departments'
    screenshot(page, "en-late-task")


    # The same dashboard in Arabic reads right to left.
    page.select_option("#site-language", "ar")
    page.click(".language-form button")
    page.goto("/dashboard/")
    page.wait_for_selector("#table-league")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "ar-province-dashboard")
