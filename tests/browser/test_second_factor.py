"""The second factor in a real browser: an administrator sets it up by reading the secret off
the page, keeps the recovery codes, signs out and back in with a code; the verification page in
Arabic, right to left. Both under the Content-Security-Policy, with no violation."""

import time
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from sixclear.accounts import services
from sixclear.orgs.models import Role
from tests.browser.test_content_security_policy import LISTEN
from tests.factories import person

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def code(secret_or_key, steps_ahead=0):
    key = b32decode(secret_or_key.replace(" ", "")) if isinstance(secret_or_key, str) \
        else secret_or_key
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")


def violations(page):
    return page.evaluate("window.__cspViolations")


@pytest.fixture
def required(settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = True


def test_an_administrator_sets_it_up_and_signs_in_with_a_code(
        world, required, new_page, screenshot):
    person(world.gia_lai, Role.ADMIN, username="gl.admin")
    page = new_page()
    page.add_init_script(LISTEN)
    sign_in(page, "gl.admin")
    # Before anything else: the set-up page, whatever was asked for.
    page.wait_for_url("**/accounts/second-factor/set-up/**")
    page.goto("/my-work/")
    page.wait_for_url("**/accounts/second-factor/set-up/**")
    assert page.locator("img.qr-code").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "second-factor-set-up")
    secret = page.inner_text("#totp-secret")
    page.fill("#id_code", code(secret))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/recovery-codes/")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.click("a[href$='recovery-codes.txt']")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(c in text for c in codes)
    page.click("form[action$='recovery-codes/'] button")
    page.wait_for_url("**/my-work/")

    page.click("form[action$='sign-out/'] button")
    page.wait_for_url("**/accounts/sign-in/")
    sign_in(page, "gl.admin")
    page.wait_for_url("**/accounts/second-factor/verify/**")
    # The code of the next period: the one used to set up may not be used twice.
    page.fill("#id_code", code(secret, steps_ahead=1))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")
    page.goto("/accounts/second-factor/")
    assert page.inner_text("#second-factor-status").startswith("On:")
    assert "10 recovery codes left." in page.inner_text("main")
    assert violations(page) == []


def test_the_verification_page_in_arabic(world, required, new_page, screenshot):
    device, _codes = services.confirm_enrolment(
        actor=world.hh_leader,
        code=code(services.start_enrolment(actor=world.hh_leader).bin_key))
    page = new_page(locale="ar")
    page.add_init_script(LISTEN)
    sign_in(page, "hh.leader")
    page.wait_for_url("**/accounts/second-factor/verify/**")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text("h1") == "أدخل الرمز"
    # The code field reads left to right inside the right-to-left page.
    assert page.get_attribute("#id_code", "dir") == "ltr"
    page.fill("#id_code", "12")
    page.click("form.card button[type=submit]")
    assert "أدخل الرمز المكوّن من 6 أرقام" in page.inner_text(".errorlist")
    screenshot(page, "second-factor-verify-ar")
    page.fill("#id_code", code(device.bin_key, steps_ahead=1))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")
    assert violations(page) == []
