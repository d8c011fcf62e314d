"""The API token page and the API docs page in a real browser, in English and Arabic."""

import json

import pytest

from sixclear.accounts.models import UserPreference
from sixclear.api.models import ApiToken
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")


def test_an_officer_creates_a_token_uses_it_and_revokes_it(world, new_page, screenshot):
    page = new_page()
    sign_in(page, "hh.officer")
    page.get_by_role("link", name="API", exact=True).click()
    page.wait_for_url("**/accounts/api-tokens/")

    page.fill("#id_name", "Hệ thống báo cáo tỉnh")
    page.select_option("#id_days", "30")
    page.get_by_role("button", name="Create the token").click()
    raw = page.input_value("#new-token")
    screenshot(page, "api-token-created")

    assert raw.startswith("sxc_")
    token = ApiToken.objects.get(user=world.hh_officer)
    assert token.name == "Hệ thống báo cáo tỉnh"

    answer = page.request.get("/api/v1/units/", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200
    assert [unit["name"] for unit in json.loads(answer.text())["results"]][0] == "Hòa Hội"

    page.reload()
    assert page.locator("#new-token").count() == 0  # shown once
    page.get_by_role("button", name="Revoke Hệ thống báo cáo tỉnh").click()
    page.wait_for_url("**/accounts/api-tokens/")
    assert page.get_by_text("revoked", exact=True).is_visible()
    refused = page.request.get("/api/v1/units/", headers={"Authorization": f"Bearer {raw}"})
    assert refused.status == 401


def test_the_token_page_in_arabic_on_a_phone(world, new_page, screenshot):
    UserPreference.objects.create(user=world.hh_manager, language="ar")
    page = new_page(viewport=PHONE, locale="ar")
    sign_in(page, "hh.manager")
    page.goto("/accounts/api-tokens/")
    page.get_by_role("button", name="أنشئ رمز الوصول").click()  # no name: the form says why

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".field--error #id_name").count() == 1
    screenshot(page, "api-tokens-ar-phone")


def test_the_api_docs_page_draws_from_this_server_only(world, new_page, screenshot, live_server):
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/tasks/", exact=True).first.wait_for()
    screenshot(page, "api-docs")

    assert requested and all(url.startswith(live_server.url) for url in requested), requested
