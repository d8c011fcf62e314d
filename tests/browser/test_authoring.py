"""A ward's manager writes its resolution and a program in the app, without the admin; the
resolution page in Arabic is mirrored."""

import pytest

from sixclear.plans.models import Program, Resolution, ResolutionItemKind

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"

VIEWPOINTS = [
    "Giữ vững sự lãnh đạo toàn diện của Đảng",
    "Lấy người dân làm trung tâm",
    "Chuyển đổi số là phương thức lãnh đạo mới",
    "Phát triển nhanh và bền vững",
    "Phát huy đoàn kết, dân chủ, đổi mới sáng tạo",
]
BREAKTHROUGHS = [
    "Đột phá về chuyển đổi số và phương thức lãnh đạo",
    "Đột phá về đội ngũ cán bộ",
    "Đột phá về hạ tầng đô thị",
]
TASK_GROUPS = [
    "Xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh toàn diện",
    "Đổi mới phương thức lãnh đạo, quản lý, điều hành; đẩy mạnh chuyển đổi số",
    "Phát triển kinh tế xanh, thông minh; khai thác hiệu quả nguồn lực đất đai",
    "Đầu tư, chỉnh trang hạ tầng; quản lý đô thị văn minh, hiện đại",
    "Nâng cao chất lượng cuộc sống, xây dựng xã hội văn minh, hạnh phúc",
    "Bảo đảm quốc phòng, an ninh, trật tự an toàn xã hội",
]
SECTIONS = [
    ("A", "Đổi mới phương thức lãnh đạo, quản lý, điều hành"),
    ("B", "Đội ngũ cán bộ, công chức, viên chức"),
    ("C", "Đánh giá, xếp loại và thi đua hằng năm"),
]


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/my-work/")


def add_items(page, kind, titles):
    rows = page.locator(f"#items-{kind} ol.item-rows > li")
    for count, title in enumerate(titles, 1):
        page.fill(f"#id_{kind}_title", title)
        page.locator(f"#items-{kind} form.stack button[type=submit]").click()
        rows.nth(count - 1).wait_for()
        assert rows.count() == count


def write_resolution(page, world):
    page.goto(f"/units/{world.viet_hung.pk}/")
    page.get_by_role("link", name="New resolution").click()
    page.fill("#id_number", "01-NQ/ĐH")
    page.fill("#id_title", "Nghị quyết Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I")
    page.fill("#id_issuing_body", "Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I")
    page.fill("#id_term_start", "2025")
    page.fill("#id_term_end", "2030")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#items-viewpoint")
    # htmx adds each item in place; a mark set on the page would not survive a reload.
    page.evaluate("window.__noReload = true")
    add_items(page, "viewpoint", VIEWPOINTS)
    add_items(page, "breakthrough", BREAKTHROUGHS)
    add_items(page, "task_group", TASK_GROUPS)
    # Move the third task group up: the list is swapped, the page stays.
    third = page.locator("#items-task_group ol.item-rows > li").nth(2)
    third.locator("button[data-move=up]").click()
    page.locator("#items-task_group ol.item-rows > li").nth(1).locator(
        "strong", has_text=TASK_GROUPS[2]).wait_for()
    assert page.evaluate("window.__noReload") is True
    # The keyboard focus stays on the moved item (static/sixclear/reorder.js).
    moved = page.locator("#items-task_group ol.item-rows > li").nth(1)
    expect(moved.locator("button[data-move=up]")).to_be_focused()
    return Resolution.objects.get(unit=world.viet_hung, number="01-NQ/ĐH")


def test_a_ward_manager_writes_its_resolution_and_a_program(world, new_page, screenshot):
    page = new_page()
    sign_in(page, "vh.manager")
    resolution = write_resolution(page, world)
    screenshot(page, "en-resolution-items")

    def titles(kind):
        return list(resolution.items.filter(kind=kind).order_by("position")
                    .values_list("title", flat=True))

    assert titles(ResolutionItemKind.VIEWPOINT) == VIEWPOINTS
    assert titles(ResolutionItemKind.BREAKTHROUGH) == BREAKTHROUGHS
    assert titles(ResolutionItemKind.TASK_GROUP) == [
        TASK_GROUPS[0], TASK_GROUPS[2], TASK_GROUPS[1], *TASK_GROUPS[3:]]

    page.get_by_role("link", name="Back to the resolution").click()
    page.get_by_role("link", name="New program").click()
    assert page.locator("#id_resolution").input_value() == str(resolution.pk)
    page.select_option("#id_kind", "action_program")
    page.fill("#id_number", "01-CTr/ĐU")
    page.fill("#id_title", "Xây dựng Đảng và hệ thống chính trị phường vững mạnh toàn diện, "
                           "giai đoạn 2025–2030")
    page.fill("#id_issuing_body", "Ban Chấp hành Đảng bộ phường Việt Hưng")
    page.fill("#id_period_start", "2025-09-05")
    page.fill("#id_period_end", "2030-12-31")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#sections")
    for code, title in SECTIONS:
        page.fill("#id_code", code)
        page.fill("#id_title", title)
        page.get_by_role("button", name="Add the section").click()
        page.wait_for_selector(f"#sections li:has-text({title!r})")
    program = Program.objects.get(unit=world.viet_hung, number="01-CTr/ĐU")
    assert list(program.sections.order_by("position").values_list("code", flat=True)) \
        == ["A", "B", "C"]
    assert program.resolution == resolution
    page.get_by_role("link", name="Back to the program").click()
    headings = page.locator("section.program-section h2").all_inner_texts()
    assert headings == [f"{code}. {title}" for code, title in SECTIONS]
    screenshot(page, "en-program")


def test_the_resolution_page_in_arabic_is_mirrored(world, new_page, screenshot):
    page = new_page()
    sign_in(page, "vh.manager")
    resolution = write_resolution(page, world)
    page.goto(f"/resolutions/{resolution.pk}/")
    width = page.viewport_size["width"]
    ltr_title = page.locator(".page-head h1").bounding_box()
    page.select_option("#site-language", "ar")
    page.click(".language-form button")
    page.wait_for_selector("html[dir=rtl]")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "وجهات النظر التوجيهية" in page.locator("#viewpoints-title").inner_text()
    rtl_title = page.locator(".page-head h1").bounding_box()
    assert ltr_title["x"] < width / 4
    assert rtl_title["x"] + rtl_title["width"] > width * 3 / 4  # the title starts on the right
    # The Vietnamese items keep their own order inside the Arabic page.
    assert page.locator("#viewpoints li bdi").first.inner_text() == VIEWPOINTS[0]
    screenshot(page, "ar-resolution")
    page.goto(f"/resolutions/{resolution.pk}/items/")
    moves = page.locator("#items-viewpoint li").nth(1).locator(".actions").bounding_box()
    title = page.locator("#items-viewpoint li").nth(1).locator("strong").bounding_box()
    assert moves["x"] + moves["width"] > width / 2 and title["x"] > width / 2
    screenshot(page, "ar-resolution-items")
