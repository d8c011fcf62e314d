"""The task's change-request form in a browser: the kind is chosen first and the form shows
only that kind's field; choosing reloads the page, with no JavaScript needed."""

import pytest

from sixclear.changes.models import ChangeRequest
from sixclear.tracking.models import TaskState
from tests.browser.test_flows import sign_in
from tests.factories import TaskFactory
from tests.web.conftest import days

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_choose_a_kind_and_ask(world, browser, live_server, screenshot, javascript):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       start_date=days(-10), deadline=days(20), title="Lập quy hoạch chung")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript,
                                  viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, "hh.manager")
        page.goto(f"/tasks/{task.pk}/")
        form = page.locator("#change-form")
        assert form.locator("[name=change-deadline]").is_visible()
        assert form.locator("[name=change-owner]").count() == 0
        form.get_by_role("link", name="Owner").click()
        page.wait_for_url("**?change=owner#change-form")
        form = page.locator("#change-form")
        assert form.locator("[name=change-deadline]").count() == 0
        form.locator("[name=change-owner]").select_option(str(world.hh_manager.pk))
        form.locator("[name=change-reason]").fill("Chuyển công tác")
        if javascript:
            screenshot(page, "en-task-change-kind-owner")
        form.get_by_role("button", name="Send the request").click()
        page.wait_for_selector(".message--success")
        assert ChangeRequest.objects.get().proposed == {"owner": world.hh_manager.pk}
    finally:
        context.close()
