"""From a document in a real browser: paste a resolution, see each proposal beside its
sentence, correct one, accept; a refused proposal names its line and writes nothing."""

from decimal import Decimal

import pytest

from sixclear.plans.models import Resolution, Target
from tests.browser.test_flows import sign_in
from tests.web.test_from_document import TEXT

pytestmark = pytest.mark.browser


def test_paste_correct_refuse_and_accept(world, new_page, screenshot):
    page = new_page()
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/")
    page.get_by_role("link", name="From a document").click()
    page.fill("#id_text", TEXT)
    page.get_by_role("button", name="Propose").click()
    page.wait_for_selector(".target-proposal")

    proposals = page.locator(".target-proposal[data-line]")
    assert proposals.count() == 4
    export = page.locator(".target-proposal[data-line='12']")
    assert export.locator("mark").inner_text() == (
        "Kim ngạch xuất khẩu đạt trên 33 triệu USD vào năm 2030")
    assert "Line 12" in export.locator("blockquote").inner_text()
    assert export.locator("[name$=target_value]").input_value() == "33"
    assert export.locator("[name$=unit_of_measure]").input_value() == "triệu USD"
    assert page.locator("#id_doc-number").input_value() == "02-NQ/ĐH"
    screenshot(page, "en-from-document-proposals")

    for line, baseline in (("10", "3600"), ("12", "20"), ("13", "2.1")):
        page.fill(f".target-proposal[data-line='{line}'] [name$=baseline_value]", baseline)
    export.locator("[name$=target_value]").fill("35")  # corrected
    page.uncheck(".target-proposal[data-line='11'] [name$=keep]")  # dropped
    poverty = page.locator(".target-proposal[data-line='13']")
    poverty.locator("[name$=target_year]").fill("2020")  # before its baseline, 2025

    page.get_by_role("button", name="Accept and create").click()
    page.wait_for_selector("#refusals")
    refusal = page.locator("#refusals").inner_text()
    assert "Line 13:" in refusal and "Target year" in refusal
    assert not Resolution.objects.exists() and not Target.objects.exists()
    # what the person typed is still there
    assert page.locator(".target-proposal[data-line='12'] [name$=target_value]"
                        ).input_value() == "35"
    screenshot(page, "en-from-document-refused")

    page.fill(".target-proposal[data-line='13'] [name$=target_year]", "2030")
    page.get_by_role("button", name="Accept and create").click()
    page.wait_for_selector(".message--success")
    resolution = Resolution.objects.get(unit=world.hoa_hoi)
    assert page.url.endswith(f"/resolutions/{resolution.pk}/")
    created = {t.code: (t.kind, t.target_value, t.annual_rate, t.unit_of_measure,
                        t.baseline_value, t.target_year, t.direction)
               for t in Target.objects.filter(resolution=resolution)}
    assert created == {
        "02-NQ/ĐH-T01": ("annual_growth", None, Decimal("21.7"), "", Decimal(3600), 2030,
                         "higher"),
        "02-NQ/ĐH-T03": ("threshold", Decimal(35), None, "triệu USD", Decimal(20), 2030,
                         "higher"),
        "02-NQ/ĐH-T04": ("threshold", Decimal(1), None, "%", Decimal("2.1"), 2030, "lower"),
    }
    assert resolution.items.count() == 3
    screenshot(page, "en-from-document-created")


def test_an_arabic_document_on_the_arabic_page_reads_right_to_left(world, new_page,
                                                                   screenshot):
    from pathlib import Path

    text = (Path(__file__).parents[1] / "extraction" / "corpus" / "dev"
            / "ar_hoa_hoi_resolution.txt").read_text()
    page = new_page()
    sign_in(page, "hh.manager")
    page.select_option("#site-language", "ar")
    page.click(".language-form button")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"/units/{world.hoa_hoi.pk}/from-document/")
    page.fill("#id_text", text)
    page.click("button[value=read]")
    page.wait_for_selector(".target-proposal")
    assert page.locator(".target-proposal[data-line]").count() == 13
    source = page.locator(".target-proposal[data-line] blockquote").first
    assert "السطر" in source.inner_text()
    box, width = source.bounding_box(), page.viewport_size["width"]
    assert box["x"] + box["width"] > width / 2  # the quote starts on the right
    screenshot(page, "ar-from-document-proposals")


def test_a_program_with_sections_and_tasks_becomes_a_program_with_draft_tasks(
        world, new_page, screenshot):
    from sixclear.plans.models import Program
    from sixclear.tracking.models import Task, TaskState
    from tests.web.test_from_document import PROGRAM_TEXT

    page = new_page()
    sign_in(page, "hh.manager")
    page.goto(f"/units/{world.hoa_hoi.pk}/from-document/")
    page.fill("#id_text", PROGRAM_TEXT)
    page.click("button[value=read]")
    page.wait_for_selector(".task-proposal")
    assert page.locator("#sections [name$=-code]").evaluate_all(
        "inputs => inputs.map(i => i.value)") == ["A", "B", "C"]
    tasks = page.locator(".task-proposal[data-line]")
    assert tasks.count() == 3
    first = page.locator(".task-proposal[data-line='13']")
    assert "chủ trì: Phòng Kinh tế" in first.locator("blockquote").inner_text()
    assert first.locator("[name$=lead_unit] option:checked").inner_text() == "Phòng Kinh tế"
    second = page.locator(".task-proposal[data-line='14']")
    assert "Văn phòng Đảng ủy" in second.locator(".note").inner_text()
    second.locator("[name$=lead_unit]").select_option(label="Hòa Hội")  # corrected
    page.uncheck(".task-proposal[data-line='15'] [name$=keep]")  # dropped
    for line, baseline in (("7", "0"), ("8", "20"), ("10", "2.1")):
        page.fill(f".target-proposal[data-line='{line}'] [name$=baseline_value]", baseline)
    screenshot(page, "en-from-document-program-tasks")

    page.get_by_role("button", name="Accept and create").click()
    page.wait_for_selector(".message--success")
    program = Program.objects.get(unit=world.hoa_hoi)
    assert page.url.endswith(f"/programs/{program.pk}/")
    created = {t.title: (t.state, t.lead_unit.name, t.program_section.code)
               for t in Task.objects.filter(program=program)}
    assert created == {
        "Tổ chức hội nghị xúc tiến đầu tư": (TaskState.DRAFT, "Phòng Kinh tế", "C"),
        "Rà soát quỹ đất sạch": (TaskState.DRAFT, "Hòa Hội", "C")}
    section_c = page.locator("section", has=page.locator("h2", has_text="NHIỆM VỤ, GIẢI PHÁP"))
    assert section_c.locator("tbody tr").count() == 2
    assert "Draft" in section_c.locator("tbody").inner_text()
    screenshot(page, "en-from-document-program-created")
