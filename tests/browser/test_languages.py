"""The main pages in Vietnamese, English and Arabic, in a real browser.

Each page is read as a person sees it (its rendered text nodes) and fails on:
- a string of another language's catalogue: an English msgid left untranslated on a Vietnamese
  or Arabic page, a Vietnamese system string on an English or Arabic page (and any text with
  Vietnamese letters there that is not user data);
- a number not written with the page's language's marks (vi 1.234,5; en 1,234.5; ar as
  Django formats it);
- on an Arabic page, user data (what the demo holds: names, titles, codes) or any Latin text
  not isolated from the sentence direction (inside `<bdi>` or an element with `dir`).
User data is excluded from the first two checks: the text fields of the test world's rows (a
commune's resolution, program, targets, tasks and reports; a ward's published portal pages).
And at 390 px the unit's task list shows every task's status.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

import sixclear
from sixclear.monitoring.engine import run_scan
from sixclear.numbers import separators
from sixclear.tracking.models import TaskState
from tests.browser.conftest import PHONE
from tests.browser.test_flows import PASSWORD, late_task, plan  # noqa: F401 - fixtures
from tests.portal.conftest import fresh_cache, vh  # noqa: F401 - fixtures

# The live server needs committed rows; serialized rollback gives each test the rows that
# migrations create (the shared list of areas) after the previous test's flush.
pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PACKAGE = Path(sixclear.__file__).resolve().parent
LANGUAGES = ["vi", "en", "ar"]
VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Names of things that are the same in every language: the product and the file formats.
SAME_EVERYWHERE = {"Sixclear", "XLSX", "CSV", "PDF", "DOCX", "JSON", "API", "OpenAPI", "ID",
                   "Excel", ".xlsx", ".csv", ".docx", ".pdf"}

# Every rendered text node (not in <script>, <style>, <option>), with whether an ancestor
# below <html> isolates it (<bdi> or a `dir` attribute).
TEXT_NODES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    // Form controls hold what the person types, in the direction they type it.
    if (!text || element.closest("script, style, option, template, noscript, textarea")) continue;
    const shown = element.getClientRects().length > 0
      || element.closest(".visually-hidden") !== null;
    if (!shown) continue;
    nodes.push({
      text,
      isolated: element.closest("bdi, [dir]:not(html)") !== null,
      time: element.closest("time") !== null,
      tag: element.tagName.toLowerCase(),
      where: element.closest("[id]") ? element.closest("[id]").id : "",
    });
  }
  return nodes;
}"""


def read_catalogues():
    """{msgid: {language: msgstr}} from every catalogue of the project (singular forms)."""
    entries = {}
    for po in [*PACKAGE.glob("locale/*/LC_MESSAGES/django.po"),
               *PACKAGE.glob("*/locale/*/LC_MESSAGES/django.po")]:
        language = po.parts[-3]
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            if "#, fuzzy" in block:
                continue
            found = re.search(r'^msgid ((?:".*"\n?)+)msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
            if not found:
                continue
            msgid, msgstr = (
                "".join(re.findall(r'"(.*)"', part)).replace('\\"', '"')
                for part in found.groups())
            if msgid and msgstr:
                entries.setdefault(msgid, {})[language] = msgstr
    return entries


def user_data():
    """Every text the rows hold (names, titles, codes, narratives, ...)."""
    texts = set()
    for model in apps.get_models():
        if not model.__module__.startswith("sixclear."):
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        for row in model.objects.values_list(*fields) if fields else []:
            texts.update(value.strip() for value in row if isinstance(value, str))
    for user in apps.get_model("auth", "User").objects.all():
        texts.update({user.get_full_name(), user.get_username()})
    return {text for text in texts if len(text) >= 2}


def without_user_data(text, data):
    # The longest first: "Kinh tế" must not cut "Phòng Kinh tế" in two; and words only: a
    # value "11" must not cut the figure "2,011.36" in two.
    for value in sorted(data, key=len, reverse=True):
        if len(value) < 3 or not any(character.isalpha() for character in value):
            continue
        if value in text:
            text = text.replace(value, " ")
    return text


@pytest.fixture
def pages_world(world, late_task, plan, vh):  # noqa: F811
    """A commune's plan (Hòa Hội) and a ward's published portal pages (Việt Hưng), scanned."""
    run_scan()
    return {"commune": world.hoa_hoi, "task": late_task, "target": plan["target"],
            "resolution": plan["resolution"], "ward": world.viet_hung,
            "program": plan["program"]}


def main_pages(page, found):
    """(name, path) of the main pages, as the commune's manager sees them."""
    commune, task, target, resolution = (
        found["commune"], found["task"], found["target"], found["resolution"])
    pages = [
        ("home", "/"), ("my work", "/my-work/"), ("task", f"/tasks/{task.pk}/"),
        ("target", f"/targets/{target.pk}/"), ("unit", f"/units/{commune.pk}/"),
        ("resolution", f"/resolutions/{resolution.pk}/"),
        ("resolution items", f"/resolutions/{resolution.pk}/items/"),
        ("program", f"/programs/{found['program'].pk}/"),
        ("program sections", f"/programs/{found['program'].pk}/sections/"),
        ("dashboard", f"/units/{commune.pk}/dashboard/"), ("approvals", "/approvals/"),
        ("notifications", "/notifications/"), ("portal home", "/portal/"),
    ]
    page.goto(f"/portal/units/{found['ward'].pk}/")
    for name, prefix in [("portal target", "/portal/targets/"), ("portal task", "/portal/tasks/")]:
        link = page.locator(f"main a[href^='{prefix}']").first
        pages.append((name, link.get_attribute("href")))
    return pages


def sign_in(page, username, language):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")
    page.select_option("#site-language", language)
    page.click(".language-form button")
    page.wait_for_selector(f"html[lang={language}]")


def language_problems(nodes, language, catalogue, data):
    """Strings of another language's catalogue, and Vietnamese that is not user data."""
    problems = []
    english = {msgid for msgid, by in catalogue.items()
               if by.get(language) and by[language] != msgid}
    vietnamese = {by["vi"] for by in catalogue.values()
                  if by.get("vi") and by["vi"] != by.get(language)}
    for node in nodes:
        text = node["text"]
        if language != "en" and text in english:
            problems.append(f"untranslated English: {text!r}")
        if language != "vi":
            rest = without_user_data(text, data)
            if text in vietnamese and text not in data:
                problems.append(f"Vietnamese system string: {text!r}")
            elif VIETNAMESE_LETTERS.search(rest):
                problems.append(f"Vietnamese outside user data: {text!r}")
    return problems


def number_problems(nodes, language, data):
    """Numbers not written the page language's way: wrong decimal mark, digits not grouped."""
    with translation.override(language):
        marks = separators()  # the one number format per language reads the same marks
    decimal, thousands = marks["decimal"], marks["thousands"]
    other_decimal = "." if decimal == "," else ","
    problems = []
    for node in nodes:
        if node["time"]:
            continue
        text = without_user_data(node["text"], data)
        for number in re.findall(r"\d[\d.,]*\d|\d", text):
            plain = number.replace(thousands, "") if thousands else number
            marks = [character for character in number if not character.isdigit()]
            wrong_mark = rf"\d+\{other_decimal}\d{{1,2}}|\d+\{other_decimal}\d{{4,}}"
            if re.fullmatch(wrong_mark, number) or (len(set(marks)) == 2 and marks[-1] != decimal):
                problems.append(f"decimal mark: {number!r} in {node['text']!r}")
            elif (re.fullmatch(r"\d{4,}", plain.split(decimal)[0]) and thousands
                  and not re.fullmatch(r"(19|20)\d\d", number) and thousands not in number):
                problems.append(f"digits not grouped: {number!r} in {node['text']!r}")
    return problems


def isolation_problems(nodes, data):
    """On a right-to-left page: user data and Latin text not isolated."""
    problems = []
    for node in nodes:
        text = node["text"]
        if node["isolated"] or text in SAME_EVERYWHERE:
            continue
        holds_data = any(value in text for value in data if len(value) >= 3
                         and LATIN.search(value))
        if holds_data or LATIN.search(without_user_data(text, SAME_EVERYWHERE)):
            problems.append(f"not isolated: {text!r} (<{node['tag']}> in #{node['where']})")
    return problems


@pytest.fixture
def read_pages(pages_world, new_page):
    """Render the main pages in a language: {page name: text nodes}."""
    def read(language):
        page = new_page()
        sign_in(page, "hh.manager", language)
        found = {}
        for name, path in main_pages(page, pages_world):
            response = page.goto(path)
            assert response.status == 200, (name, path, response.status)
            assert page.locator("html").get_attribute("lang") == language
            assert "<" not in page.title(), (name, page.title())  # no markup in a <title>
            found[name] = page.evaluate(TEXT_NODES)
        return found
    return read


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_speak_only_the_pages_language(language, read_pages):
    catalogue, data = read_catalogues(), user_data()
    problems = {name: language_problems(nodes, language, catalogue, data)
                for name, nodes in read_pages(language).items()}
    assert {name: found for name, found in problems.items() if found} == {}


# Pages whose figures do not all go through the one number format per language yet (work in
# progress on the per-language number formatting): the target page's path table writes
# "1460,40" in Vietnamese (Django's Vietnamese formats group no digits) and the forecast
# method's text "0.01" in Arabic. Expected to fail there until it does; any other page must
# pass.
NUMBERS_NOT_YET: set[str] = set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_follow_the_pages_language(language, read_pages, request):
    data = user_data()
    problems = {name: number_problems(nodes, language, data)
                for name, nodes in read_pages(language).items()}
    problems = {name: found for name, found in problems.items() if found}
    unfinished = set(problems) & NUMBERS_NOT_YET
    if unfinished and not set(problems) - NUMBERS_NOT_YET:
        pytest.xfail(f"numbers not yet formatted per language on: {problems}")
    assert {name: found for name, found in problems.items()
            if name not in NUMBERS_NOT_YET} == {}


def test_user_data_is_isolated_on_arabic_pages(read_pages):
    data = user_data()
    problems = {name: isolation_problems(nodes, data)
                for name, nodes in read_pages("ar").items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_units_task_list_shows_each_status_on_a_phone(pages_world, new_page, screenshot):
    commune = pages_world["commune"]
    page = new_page(viewport=PHONE)
    sign_in(page, "hh.manager", "vi")
    page.goto(f"/units/{commune.pk}/")
    rows = page.locator("section[aria-labelledby=tasks-title] table tbody tr")
    assert rows.count() > 0
    width = page.evaluate("document.documentElement.clientWidth")
    with translation.override("vi"):
        draft = str(TaskState.DRAFT.label)
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td[data-label]")
        state, status = cells.nth(2), cells.nth(3)
        for cell in (state, status):
            box = cell.bounding_box()
            assert box is not None, index
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (index, box, width)
        # A draft has no computed status yet; every other task shows its own.
        assert status.inner_text().strip() or state.inner_text().strip() == draft, index
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, "vi-phone-unit-tasks")
