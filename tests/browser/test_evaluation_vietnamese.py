"""The annual evaluation in Vietnamese, in a browser, twice: Hòa Hội's party cells (the party
committee's format) and Việt Hưng's departments (the people's committee's). Each time the
deciding unit's administrator opens the round, a graded unit hands over its self-assessment,
the deciding unit's leader adjusts a point with its reason, decides and closes the round, the
graded unit reads its grade explained, and the decision on grades is downloaded; Việt Hưng's
chair also signs it. No page breaks the Content-Security-Policy."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone

from sixclear.evaluation import services
from sixclear.evaluation.models import Round
from sixclear.orgs.models import Role, UnitKind
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

    def open(self, username):
        page = self.new_page(locale="vi")
        page.add_init_script(LISTEN)
        page.on("console", lambda message: self.console.append(message.text)
                if "Content Security Policy" in message.text
                or "Content-Security-Policy" in message.text else None)
        sign_in(page, username, "vi")
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
    leader.get_by_role("button", name="Ký số quyết định").click()
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
    assert watch.none(), (watch.console, watch.found)
