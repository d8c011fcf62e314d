"""The annual evaluation in Vietnamese, in a browser, twice: Hòa Hội's party cells (the party
committee's format) and Việt Hưng's departments (the people's committee's). Each time the
deciding unit's administrator opens the round, a graded unit hands over its self-assessment,
the deciding unit's leader adjusts a point with its reason, decides and closes the round, the
graded unit reads its grade explained, and the decision on grades is downloaded; Việt Hưng's
chair also signs it. The leader then publishes the league on the portal from the round's page,
and a citizen, not signed in, reads the collectives ranked with their points and grades, and
no person's name (Hòa Hội's round of cadres is never publishable). The round's page, a
subject's explanation and the portal's league are then read in Arabic: right to left, unit
names isolated, numbers as the app writes them in Arabic. No page breaks the
Content-Security-Policy."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone, translation

from sixclear.evaluation import services
from sixclear.evaluation.models import Grade, Level, Round
from sixclear.numbers import NumberKind, format_number
from sixclear.orgs.models import Role, Unit, UnitKind
from sixclear.orgs.selectors import ancestor_paths
from sixclear.reports import pki
from sixclear.reports import services as reports
from sixclear.tracking.models import TaskState
from tests.browser.test_content_security_policy import LISTEN
from tests.browser.test_evaluation import sign_in
from tests.evaluation.helpers import viet_hung_departments
from tests.factories import TaskFactory, make_unit, person

pytestmark = pytest.mark.browser


class Watched:
    """Pages in Vietnamese whose Content-Security-Policy violations are collected, from the
    console (every page) and from the page's own listener (checked at each step)."""

    def __init__(self, new_page):
        self.new_page, self.console, self.found = new_page, [], []

    def open(self, username, language="vi"):
        page = self.citizen(language)
        sign_in(page, username, language)
        return page

    def citizen(self, language="vi"):
        """A page of someone not signed in, whose browser asks for `language`."""
        page = self.new_page(locale=language)
        page.add_init_script(LISTEN)
        page.on("console", lambda message: self.console.append(message.text)
                if "Content Security Policy" in message.text
                or "Content-Security-Policy" in message.text else None)
        return page

    def check(self, page):
        page.wait_for_load_state("networkidle")
        self.found += page.evaluate("window.__cspViolations || []")

    def none(self):
        return self.console == [] and self.found == []


def done_task(unit, title, deadline, completed, owner=None):
    year = timezone.localdate().year
    return TaskFactory(unit=unit, owner=owner, title=title, state=TaskState.DONE,
                       deadline=datetime.date(year, *deadline),
                       completed_on=datetime.date(year, *completed),
                       start_date=datetime.date(year, 1, 5), percent_complete=100)


@pytest.fixture
def hoa_hoi_cells(world):
    """Hòa Hội's two party cells with their secretaries; a task of the first done late."""
    world.hh_admin = person(world.hoa_hoi, Role.ADMIN, username="hh.admin")
    world.cells = [make_unit(name, world.hoa_hoi, UnitKind.PARTY_CELL)
                   for name in ("Chi bộ thôn 1", "Chi bộ thôn 2")]
    world.secretaries = [person(cell, Role.MANAGER, username=f"bithu.thon{n}")
                         for n, cell in enumerate(world.cells, start=1)]
    done_task(world.cells[0], "Vận động hiến đất làm đường", (3, 31), (3, 20))
    done_task(world.cells[0], "Sửa nhà văn hóa thôn", (6, 30), (7, 15))
    return world


def open_round(watch, page, unit, level):
    page.goto(f"/units/{unit.pk}/evaluation/")
    page.fill("#id_year", str(timezone.localdate().year))
    page.select_option("#id_level", level)
    page.get_by_role("button", name="Mở đợt").click()
    page.wait_for_url("**/evaluation/rounds/*/")
    page.wait_for_selector("text=Đã mở đợt đánh giá và tính minh chứng.")
    watch.check(page)


def hand_over(watch, page, unit, points, comment):
    page.goto(f"/units/{unit.pk}/evaluation/")
    page.locator("main a[href*='/evaluation/subjects/']").first.click()
    page.wait_for_url("**/evaluation/subjects/*/")
    page.fill("#id_points_TC", points)
    page.fill("#id_comment", comment)
    page.select_option("#id_proposed_grade", "good")
    page.get_by_role("button", name="Trình bản tự đánh giá lên cấp trên").click()
    page.wait_for_selector("text=Đã trình bản tự đánh giá lên cấp trên.")
    watch.check(page)


def adjust_and_decide(watch, page, round_, name, code, points, reason):
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.locator("#round-table").get_by_role("link", name=name).click()
    page.wait_for_url("**/evaluation/subjects/*/")
    page.fill(f"#id_points_{code}", points)
    page.fill(f"#id_reason_{code}", reason)
    page.get_by_role("button", name="Quyết định xếp loại", exact=True).click()
    page.wait_for_selector("text=Đã ghi nhận quyết định xếp loại.")
    watch.check(page)


def decide_the_rest(round_, leader, managers):
    """The other subjects through the services: self-assessed, handed over and decided."""
    for subject in round_.subjects.exclude(state="decided").select_related("unit"):
        if subject.state == "draft":
            services.save_self_assessment(actor=managers[subject.unit_id], subject=subject,
                                          expected_version=subject.version,
                                          scores={"TC": ("26", "")}, submit=True)
            subject.refresh_from_db()
        services.review_subject(actor=leader, subject=subject, expected_version=subject.version,
                                decide=True)


def close(watch, page, round_):
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.get_by_role("button", name="Khóa đợt").click()
    page.wait_for_selector("text=Đã khóa đợt: kết quả xếp loại là chính thức.")
    watch.check(page)


def download_decision(watch, page, round_, format="pdf"):
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.get_by_role("link", name="Biên bản và quyết định").click()
    page.wait_for_url("**/documents/")
    watch.check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tải quyết định ({format.upper()})").click()
    return download.value


def publish_league(watch, page, round_):
    """The deciding unit's leader puts the closed round's league on the portal, from the
    round's page."""
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    assert page.locator("[data-published]").get_attribute("data-published") == "no"
    page.get_by_role("button", name="Công bố bảng xếp loại trên cổng thông tin").click()
    page.wait_for_selector("text=Bảng xếp loại đã được công bố trên cổng thông tin công khai.")
    assert page.locator("[data-published]").get_attribute("data-published") == "yes"
    watch.check(page)


def expected_league(round_, language):
    """(rank, name, points, grade) of each collective as the portal should show them in
    `language`: best first, numbers as the app formats them for that language."""
    with translation.override(language):
        return [(str(subject.rank), subject.name,
                 format_number(subject.final_points, NumberKind.PLAIN),
                 str(Grade(subject.final_grade).label))
                for subject in round_.subjects.order_by("rank", "name", "pk")]


def shown_league(page):
    """The portal league's rows as read on the page; each name must sit in its own `<bdi>`."""
    rows = []
    for row in page.locator("#league-table tbody tr").all():
        cells = row.locator("td")
        assert cells.nth(1).locator("bdi").count() == 1  # the unit's name, isolated
        rows.append(tuple(cells.nth(n).inner_text().strip() for n in range(4)))
    return rows


def read_league_as_citizen(watch, round_, language, hidden=()):
    """A citizen, not signed in, opens the unit's portal page and its published league."""
    citizen = watch.citizen(language)
    citizen.goto(f"/portal/units/{round_.unit.pk}/")
    citizen.locator(f"a[href='/portal/evaluation/{round_.pk}/']").click()
    citizen.wait_for_url(f"**/portal/evaluation/{round_.pk}/")
    assert citizen.locator("html").get_attribute("lang") == language
    if language == "ar":
        assert_right_to_left(citizen, unit_names(round_))
    assert shown_league(citizen) == expected_league(round_, language)
    text = citizen.locator("body").inner_text()
    for name in hidden:  # no person: neither a graded cadre nor anyone who worked the round
        assert name not in text
    watch.check(citizen)
    return citizen


# Each text holding a name, unless the nearest isolating element around it holds that name
# alone (`<bdi>`), or is a block of user text (`dir="auto"`): a `<bdi>` around a whole sentence
# or page isolates the name from nothing.
UNISOLATED = """names => {
    const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest('script, style, option')) continue;
        const isolate = node.parentElement.closest('bdi, [dir]');
        for (const name of names) {
            if (!node.textContent.includes(name)) continue;
            if (isolate && (isolate.getAttribute('dir') === 'auto'
                            || isolate.textContent.trim() === name)) continue;
            found.push(node.textContent.trim());
        }
    }
    return found;
}"""


def assert_right_to_left(page, names):
    """An Arabic page: right to left, and every unit's name isolated from the text around it
    (a Vietnamese name in a right-to-left sentence keeps its own order and pushes no
    punctuation about)."""
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate(UNISOLATED, list(names)) == []


def unit_names(round_):
    """The names of the round's units: the deciding one, those above it and those graded."""
    above = Unit.objects.filter(path__in=ancestor_paths(round_.unit))
    return {*above.values_list("name", flat=True),
            *round_.subjects.values_list("name", flat=True)}


def check_in_arabic(watch, username, round_, subject_name, code):
    """The round's page and one subject's explanation in Arabic, for `username`."""
    page = watch.open(username, "ar")
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    assert_right_to_left(page, unit_names(round_))
    table = page.locator("#round-table")
    with translation.override("ar"):
        for subject in round_.subjects.all():
            row = table.locator("tbody tr", has=page.locator(
                f"a[href='/evaluation/subjects/{subject.pk}/']"))
            assert row.locator("a bdi").inner_text() == subject.name
            assert row.locator("td.number").nth(1).inner_text().strip() == format_number(
                subject.final_points, NumberKind.PLAIN)
            assert row.locator("td.grade").inner_text().strip() == str(
                Grade(subject.final_grade).label)
    watch.check(page)
    table.get_by_role("link", name=subject_name).click()
    page.wait_for_url("**/evaluation/subjects/*/")
    assert_right_to_left(page, unit_names(round_))
    subject = round_.subjects.get(name=subject_name)
    with translation.override("ar"):
        assert page.locator("#subject-points").inner_text() == format_number(
            subject.final_points, NumberKind.PLAIN)
        assert page.locator("#subject-grade").inner_text() == str(
            Grade(subject.final_grade).label)
    assert page.locator("main h1 bdi").first.inner_text() == subject_name
    line = page.locator(f"#line-{code}")
    assert line.locator("bdi[dir=auto]").count() >= 2  # the criterion's title, the reason
    box = page.locator("main h1").bounding_box()
    assert box["x"] + box["width"] > page.viewport_size["width"] / 2  # starts at the right
    watch.check(page)
    return page


def docx_text(data):
    from docx import Document

    document = Document(BytesIO(data))
    words = [p.text for p in document.paragraphs]
    for table in document.tables:
        words += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(words).split())


def test_hoa_hoi_party_cells_in_vietnamese(hoa_hoi_cells, new_page, screenshot):
    world, watch = hoa_hoi_cells, Watched(new_page)
    admin = watch.open("hh.admin")
    open_round(watch, admin, world.hoa_hoi, "party_cell")
    round_ = Round.objects.get(unit=world.hoa_hoi, level="party_cell")
    assert admin.locator("#round-table").get_by_text("Chi bộ thôn 1").is_visible()

    secretary = watch.open("bithu.thon1")
    hand_over(watch, secretary, world.cells[0], "27",
              "Chi bộ lãnh đạo hoàn thành các nhiệm vụ; một công trình chậm do mưa lũ.")
    assert "1 trên 2" in secretary.locator("#line-KQ1").inner_text()

    leader = watch.open("hh.leader")
    adjust_and_decide(watch, leader, round_, "Chi bộ thôn 1", "KQ1", "35",
                      "Công trình chậm do lũ tháng 6, Đảng ủy xã đã xác nhận.")
    decide_the_rest(round_, world.hh_leader,
                    {cell.pk: secretary for cell, secretary in zip(world.cells,
                                                                    world.secretaries,
                                                                    strict=True)})
    close(watch, leader, round_)
    screenshot(leader, "evaluation-vi-party-cells-closed")

    secretary.reload()
    watch.check(secretary)
    summary = secretary.locator(".evaluation-summary").inner_text()
    assert "Kết quả xếp loại chính thức" in summary
    steps = secretary.locator(".evaluation-steps").inner_text()
    assert "điểm đạt ngưỡng" in steps
    line = secretary.locator("#line-KQ1").inner_text()
    assert "Công trình chậm do lũ tháng 6" in line
    screenshot(secretary, "evaluation-vi-party-cell-grade")

    download = download_decision(watch, leader, round_, "docx")
    assert download.suggested_filename.endswith("-vi.docx")
    text = docx_text(Path(download.path()).read_bytes())
    assert "QUYẾT ĐỊNH" in text and "-QĐ/ĐU" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Chi bộ thôn 1" in text and "Chi bộ thôn 2" in text

    # The commune's cadres are graded in a round of their own, never publishable: its page
    # offers no portal, and the portal knows no league of it.
    for secretary, (first, last) in zip(world.secretaries, (("Nguyễn Thị", "Lan"),
                                                           ("Trần Văn", "Hùng")), strict=True):
        secretary.first_name, secretary.last_name = first, last
        secretary.save()
    cadres = services.open_round(actor=world.hh_admin, unit=world.hoa_hoi,
                                 year=round_.year, level=Level.CADRE)
    people = list(cadres.subjects.values_list("name", flat=True))
    assert "Nguyễn Thị Lan" in people and "Trần Văn Hùng" in people
    publish_league(watch, leader, round_)
    leader.goto(f"/evaluation/rounds/{cadres.pk}/")
    assert leader.locator("#round-table").get_by_text("Nguyễn Thị Lan").is_visible()
    assert leader.locator("[data-published]").count() == 0
    assert leader.locator("form[action*='/portal/']").count() == 0
    watch.check(leader)

    citizen = read_league_as_citizen(
        watch, round_, "vi", hidden=people + [user.username for user in world.secretaries])
    screenshot(citizen, "evaluation-vi-league-on-portal")
    assert citizen.goto(f"/portal/evaluation/{cadres.pk}/").status == 404

    check_in_arabic(watch, "hh.leader", round_, "Chi bộ thôn 1", "KQ1")
    screenshot(read_league_as_citizen(watch, round_, "ar", hidden=people),
               "evaluation-ar-league-on-portal")
    assert watch.none(), (watch.console, watch.found)


@pytest.fixture
def signing_key(settings, tmp_path, world):
    settings.REPORTS_PKI_DIR = tmp_path / "pki"
    settings.REPORTS_SIGNERS_FILE = tmp_path / "pki" / "signers.json"
    settings.REPORTS_TRUST_DEMO_CA = True
    settings.REPORTS_TRUSTED_ROOTS = []
    settings.REPORTS_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_viet_hung_departments_in_vietnamese(world, new_page, screenshot, signing_key):
    world = viet_hung_departments(world)
    world.vh_leader.first_name, world.vh_leader.last_name = "Nguyễn Văn", "Bình"
    world.vh_leader.save()
    pki.issue_signer("vh.leader", "Nguyễn Văn Bình")
    reports.designate_signer(actor=world.vh_manager, unit=world.viet_hung,
                             issuing_body="people", signer=world.vh_leader,
                             signer_title="Chủ tịch Ủy ban nhân dân phường")
    office = world.departments[0]
    done_task(office, "Số hóa hồ sơ một cửa", (4, 30), (4, 28))
    done_task(office, "Cải tạo bộ phận tiếp nhận", (8, 31), (9, 10))
    watch = Watched(new_page)
    admin = watch.open("vh.admin")
    open_round(watch, admin, world.viet_hung, "department")
    round_ = Round.objects.get(unit=world.viet_hung, level="department")

    chief = watch.open("vh.p1.manager")
    hand_over(watch, chief, office, "28", "Văn phòng hoàn thành tốt công tác tham mưu.")
    leader = watch.open("vh.leader")
    adjust_and_decide(watch, leader, round_, "Văn phòng HĐND và UBND", "KQ1", "35",
                      "Chậm do nhà thầu, đã có văn bản gia hạn của phường.")
    decide_the_rest(round_, world.vh_leader, {
        unit.pk: manager for unit, manager in zip(world.departments,
                                                  world.department_managers, strict=True)})
    close(watch, leader, round_)

    chief.reload()
    watch.check(chief)
    assert "Kết quả xếp loại chính thức" in chief.locator(".evaluation-summary").inner_text()
    assert "Chậm do nhà thầu" in chief.locator("#line-KQ1").inner_text()
    assert "điểm đạt ngưỡng" in chief.locator(".evaluation-steps").inner_text()

    download = download_decision(watch, leader, round_, "pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    # Rendering and signing the PDF takes seconds on a busy machine: more than a click's wait.
    leader.get_by_role("button", name="Ký số quyết định").click(timeout=60_000)
    leader.wait_for_selector("text=Văn bản đã được ký số.")
    assert leader.locator("#signed-copies").get_by_text("Nguyễn Văn Bình").is_visible()
    leader.locator("#signed-copies").get_by_role("link", name="Xác thực").click()
    leader.wait_for_selector("#verification")
    assert "Hợp lệ" in leader.locator("#verification").inner_text()
    watch.check(leader)
    screenshot(leader, "evaluation-vi-decision-signed")

    # The department downloads the signed decision of its own round.
    chief.goto(f"/evaluation/rounds/{round_.pk}/documents/")
    watch.check(chief)
    with chief.expect_download() as signed:
        chief.locator("#signed-copies a[href*='/signed/']").first.click()
    assert Path(signed.value.path()).read_bytes().startswith(b"%PDF")

    publish_league(watch, leader, round_)
    people = ["Nguyễn Văn Bình"] + [user.username for user in world.department_managers]
    read_league_as_citizen(watch, round_, "vi", hidden=people)
    screenshot(check_in_arabic(watch, "vh.leader", round_, "Văn phòng HĐND và UBND", "KQ1"),
               "evaluation-ar-department-explained")
    read_league_as_citizen(watch, round_, "ar", hidden=people)
    assert watch.none(), (watch.console, watch.found)
