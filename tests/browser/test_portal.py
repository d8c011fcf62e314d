"""A citizen on the public portal, in a real browser: in Vietnamese, without an account, finds
Việt Hưng ward, reads a target and its method, follows it (confirming through the e-mail),
rates a result and downloads the open data. Then the pages are checked for WCAG 2.1 AA with
axe-core, for keyboard use, on a phone and right to left in Arabic."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

from sixclear.portal.models import Follow, Rating
from tests.browser.conftest import PHONE
from tests.portal.conftest import (  # noqa: F401 - fixtures used by the tests below
    DRAFT_TASK,
    OBSTACLE,
    SECRET_TASK,
    fresh_cache,
    vh,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LINK = re.compile(r"https?://\S+")


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return the violations found."""
    # Evaluated through the browser's debugging protocol, which the page's CSP does not govern
    # (an injected <script> tag is refused: no inline script).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_a_citizen_finds_the_ward_reads_follows_rates_and_downloads(
    world, vh, new_page, screenshot  # noqa: F811
):
    page = new_page(locale="vi-VN")
    page.goto("/portal/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert axe_violations(page) == []
    screenshot(page, "vi-portal")

    # She finds her ward by name.
    page.fill("#portal-q", "Việt Hưng")
    page.press("#portal-q", "Enter")
    page.get_by_role("link", name="Việt Hưng").first.click()
    page.wait_for_selector("h1:has-text('Việt Hưng')")
    assert axe_violations(page) == []
    screenshot(page, "vi-portal-ward")

    # She reads a target and how its figures are computed.
    page.get_by_role("link", name=re.compile("VH-01")).first.click()
    page.wait_for_selector("#standing details.method")
    assert page.locator("#standing details.method").is_visible()
    assert "12" in page.locator("#path details.method").inner_text()
    body = page.content()
    for secret in (SECRET_TASK, DRAFT_TASK, OBSTACLE, "98765"):
        assert secret not in body
    assert axe_violations(page) == []
    screenshot(page, "vi-portal-target")

    # She follows it; the confirmation link arrives by e-mail.
    page.fill("#follow_email", "cong.dan@example.org")
    page.click("#follow-form button[type=submit]")
    page.wait_for_selector(".message--success")
    assert Follow.objects.get().confirmed_at is None
    link = LINK.search(mail.outbox[-1].body).group(0)
    page.goto(urlsplit(link).path)
    page.wait_for_selector(".message--success")
    assert Follow.objects.get().active

    # She rates the result: her browser has proven her address, so it counts at once.
    page.check("#rating_score_0")  # 5 – very satisfied
    page.fill("#rating_comment", "Số liệu rõ ràng, dễ theo dõi.")
    assert page.input_value("#rating_email") == "cong.dan@example.org"
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector(".message--success")
    rating = Rating.objects.get()
    assert rating.score == 5 and rating.confirmed_at is not None
    screenshot(page, "vi-portal-target-rated")

    # And downloads the open data.
    page.get_by_role("link", name=re.compile("CSV|JSON")).first.click()
    page.wait_for_selector("#files-title")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.locator("a[href='/portal/open-data/targets.csv']").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["code"] for row in rows] == ["VH-01"]
    assert rows[0]["latest_approved_value"] == "1150"
    screenshot(page, "vi-portal-open-data")


def test_the_portal_is_usable_by_keyboard_on_a_phone_and_right_to_left(
    world, vh, new_page, screenshot  # noqa: F811
):
    page = new_page(viewport=PHONE, locale="ar")
    page.goto(f"/portal/targets/{vh['target'].pk}/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > PHONE["width"] / 2  # the title starts on the right
    assert axe_violations(page) == []
    screenshot(page, "ar-portal-target-phone")

    # The first Tab reaches the skip link; the forms are reached and sent by keyboard alone.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("#follow_email")
    page.keyboard.type("ban.doc@example.org")
    page.keyboard.press("Enter")
    page.wait_for_selector(".message--success")
    assert Follow.objects.filter(address__email="ban.doc@example.org").exists()

    # A rejected rating keeps what was typed, and says why, in Arabic.
    page.fill("#rating_comment", "تعليق")
    page.fill("#rating_email", "not-an-address")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("#rating-form .errorlist")
    assert page.input_value("#rating_comment") == "تعليق"
    assert page.input_value("#rating_email") == "not-an-address"
    assert axe_violations(page) == []
    screenshot(page, "ar-portal-rating-errors")
