"""A commune's manager reads its periodic reviews in a real browser: the unit's snapshots, the
third quarter's snapshot (intact, sealed, its obstacle linked to the register), the third and
fourth quarters compared (what improved, what slipped); in Arabic the pages run right to left
with user text isolated; no page breaks the Content-Security-Policy."""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from sixclear.monitoring.engine import run_scan
from sixclear.periods import Period
from sixclear.snapshots import services
from sixclear.snapshots.models import Snapshot
from sixclear.tracking.models import Task
from tests.browser.test_content_security_policy import LISTEN
from tests.browser.test_languages import (
    TEXT_NODES,
    isolation_problems,
    language_problems,
    number_problems,
    read_catalogues,
    sign_in,
    user_data,
)
from tests.snapshots.conftest import (  # noqa: F401 - fixtures
    AFTER_Q3,
    IN_Q4,
    Q3,
    _session_pki,
    at,
    change_in_q4,
    q3,
    seal_key,
)

# The live server needs committed rows; no serialized rollback (see test_meetings_languages).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q4 = Period("quarter", 2026, 4)


def off_the_loop(function, *args, **kwargs):
    """Run `function` in a thread of its own: sealing signs with pyHanko, which starts an event
    loop, and Playwright's already runs in this one."""
    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def reviews(world, q3, seal_key):  # noqa: F811
    """Q3 frozen and sealed on 2 October; in Q4 the late task is done and the target met,
    while the market (NV-02) slips past a deadline moved to October; Q4 frozen in January."""
    with at(AFTER_Q3):
        assert off_the_loop(services.take_snapshots, Q3).sealed
    change_in_q4(world, q3)
    Task.objects.filter(pk=q3["stuck"].pk).update(deadline=datetime.date(2026, 10, 10))
    with at(IN_Q4):
        run_scan(IN_Q4)
    with at(datetime.date(2027, 1, 3)):
        assert off_the_loop(services.take_snapshots, Q4).sealed
    of = Snapshot.objects.filter(unit=world.hoa_hoi)
    return {"unit": world.hoa_hoi, "q3": of.get(period_number=3), "q4": of.get(period_number=4),
            "obstacle": q3["stuck"].obstacle_records.get()}


def watch(page):
    """Record Content-Security-Policy violations the page reports, and the console's."""
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text else None)
    return console


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_a_manager_opens_a_quarter_and_compares_it(reviews, new_page, screenshot):
    page = new_page()
    console = watch(page)
    sign_in(page, "hh.manager", "en")
    seen = {}

    page.goto(f"/units/{reviews['unit'].pk}/reviews/")
    seen["reviews"] = violations(page)
    page.click(f"main a[href='/snapshots/{reviews['q3'].pk}/']")
    page.wait_for_url(f"**/snapshots/{reviews['q3'].pk}/")
    seen["snapshot"] = violations(page)
    integrity = page.locator("section[aria-labelledby=seal-title]").inner_text()
    assert "The data still has the SHA-256 it was frozen with." in integrity
    assert "the signature is valid" in integrity and "does not" not in integrity
    assert reviews["q3"].sha256 in integrity
    # The third quarter's obstacle, still open then, links to its record in the register.
    obstacles = page.locator("section[aria-labelledby=obstacles-title]")
    link = obstacles.locator(f"a[href='/obstacles/{reviews['obstacle'].pk}/']")
    assert link.inner_text() == "Thiếu vốn đối ứng"
    assert "Open" in obstacles.inner_text()
    screenshot(page, "en-snapshot-q3")

    page.click("text=Compare with another snapshot")
    page.wait_for_url("**/reviews/compare/**")
    page.select_option("#id_a", str(reviews["q4"].pk))  # either order: the earlier goes left
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**a={reviews['q4'].pk}**")
    seen["compare"] = violations(page)
    improved = page.locator("section[aria-labelledby=improved-title]").inner_text()
    slipped = page.locator("section[aria-labelledby=slipped-title]").inner_text()
    assert "NV-01" in improved and "CT-01" in improved  # done; on its path again
    assert "NV-02" in slipped and "NV-02" not in improved  # late since October
    assert page.locator("main h2").first.inner_text().index("III") < \
        page.locator("main h2").first.inner_text().index("IV")
    screenshot(page, "en-snapshot-compare")

    assert {name: found for name, found in seen.items() if found} == {}
    assert console == []


def test_the_arabic_reviews_run_right_to_left_with_user_text_isolated(reviews, new_page,
                                                                    screenshot):
    page = new_page(locale="ar")
    console = watch(page)
    sign_in(page, "hh.manager", "ar")
    catalogue, data = read_catalogues(), user_data()
    q3_snapshot, q4_snapshot = reviews["q3"].pk, reviews["q4"].pk
    pages = {
        "reviews": f"/units/{reviews['unit'].pk}/reviews/",
        "snapshot": f"/snapshots/{q3_snapshot}/",
        "compare": f"/units/{reviews['unit'].pk}/reviews/compare/"
                   f"?a={q3_snapshot}&b={q4_snapshot}",
    }
    problems, seen = {}, {}
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, (name, response.status)
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        nodes = page.evaluate(TEXT_NODES)
        found = [*language_problems(nodes, "ar", catalogue, data),
                 *number_problems(nodes, "ar", data), *isolation_problems(nodes, data)]
        if found:
            problems[name] = found
        seen[name] = violations(page)
        screenshot(page, f"ar-snapshot-{name}")
    # The obstacle's Vietnamese words keep their own direction inside the Arabic page.
    page.goto(pages["snapshot"])
    link = page.locator(f"a[href='/obstacles/{reviews['obstacle'].pk}/']")
    assert link.get_attribute("dir") == "auto"
    assert problems == {}, "\n".join(f"{k}: {v}" for k, vs in problems.items() for v in vs)
    assert {name: found for name, found in seen.items() if found} == {}
    assert console == []
