"""The main pages under the production Content-Security-Policy: no script, style, image or font
is refused by the browser (no inline script or style anywhere), in English and in Arabic."""

import pytest

from sixclear.demo.builder import build_demo
from sixclear.demo.dataset import DEMO_PASSWORD
from sixclear.monitoring.engine import run_scan
from sixclear.orgs.models import Unit
from sixclear.plans.models import Program, Resolution, Target
from sixclear.portal import selectors as portal
from sixclear.tracking.models import Task

pytestmark = pytest.mark.browser

# Recorded by the page itself: the browser fires this event for every refused resource.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':'
    + (e.lineNumber || '')));
"""


@pytest.fixture
def demo(db):
    build_demo()
    run_scan()


def main_pages():
    province = Unit.objects.get(name="Gia Lai") if Unit.objects.filter(
        name="Gia Lai").exists() else Unit.objects.order_by("depth", "pk").first()
    task = Task.objects.filter(unit__path__startswith=province.path).order_by("pk").first()
    target = Target.objects.filter(unit__path__startswith=province.path).order_by("pk").first()
    resolution = Resolution.objects.filter(unit__path__startswith=province.path).first()
    public_target = portal.published_targets().order_by("pk").first()
    public_task = portal.published_tasks().order_by("pk").first()
    pages = [
        "/my-work/", "/approvals/", "/notifications/", "/dashboard/",
        f"/units/{province.pk}/", f"/units/{province.pk}/dashboard/",
        f"/units/{province.pk}/dashboard/targets/", f"/units/{province.pk}/indicators/",
        f"/units/{province.pk}/reports/",
        f"/units/{province.pk}/import/", f"/tasks/{task.pk}/", f"/tasks/{task.pk}/edit/",
        f"/targets/{target.pk}/", "/accounts/password/", "/accounts/api-tokens/",
        "/api/v1/docs/", "/portal/", "/portal/open-data/", "/signatures/verify/",
    ]
    if resolution:
        pages += [f"/resolutions/{resolution.pk}/", f"/resolutions/{resolution.pk}/items/"]
    program = Program.objects.filter(unit__path__startswith=province.path).first()
    if program:
        pages += [f"/programs/{program.pk}/", f"/programs/{program.pk}/sections/"]
    if public_target:
        pages.append(f"/portal/targets/{public_target.pk}/")
    if public_task:
        pages.append(f"/portal/tasks/{public_task.pk}/")
    return pages


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_run_under_the_policy_without_a_violation(demo, new_page, language):
    page = new_page(locale={"en": "en-GB", "ar": "ar"}[language])
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy"
            in message.text else None)
    page.goto("/accounts/sign-in/")
    assert "script-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    page.fill("#id_username", "gl.leader")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")
    seen = {}
    for url in main_pages():
        response = page.goto(url)
        assert response.status < 400, url
        page.wait_for_load_state("networkidle")
        seen[url] = page.evaluate("window.__cspViolations")
    assert {url: found for url, found in seen.items() if found} == {}
    assert console == []


def test_the_policy_does_refuse_an_inline_script(demo, new_page, live_server):
    """The listener above would hear a violation: an injected inline script is refused."""
    page = new_page()
    page.add_init_script(LISTEN)
    page.goto("/accounts/sign-in/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
