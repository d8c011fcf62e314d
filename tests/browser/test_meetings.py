"""The obstacle register and meetings in a real browser: an officer reports an obstacle with
progress; the manager routes it to the commune office; nobody answers and it climbs back to the
commune; the leader's monthly meeting opens with it; the leader resolves it and assigns tasks
(one refused until its six clears are complete), closes the meeting, signs its conclusion
notice and publishes it; the officer reads the answer, her task and the signed notice."""

import datetime

import pytest
from django.utils import timezone

from sixclear.meetings import services
from sixclear.meetings.models import Obstacle, ObstacleState
from sixclear.orgs.models import UnitKind
from sixclear.tracking.models import Task, TaskState
from tests.browser.test_flows import report_progress, sign_in
from tests.factories import TaskFactory, make_unit

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


@pytest.fixture
def task(world):
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       title="Khảo sát mặt bằng cụm công nghiệp", code="NV-01",
                       start_date=TODAY - datetime.timedelta(days=40),
                       deadline=TODAY + datetime.timedelta(days=20))


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "biên bản khảo sát.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


@pytest.fixture
def signing_key(world, settings, tmp_path):
    """The commune's leader (its designated signer by default) holds a demo signing key."""
    from sixclear.reports import pki

    settings.REPORTS_PKI_DIR = tmp_path / "pki"
    settings.REPORTS_SIGNERS_FILE = tmp_path / "pki" / "signers.json"
    settings.REPORTS_TRUST_DEMO_CA = True
    settings.REPORTS_TRUSTED_ROOTS = []
    settings.REPORTS_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    pki.issue_signer(world.hh_leader.username, "Tô Hữu Trung")


def test_an_obstacle_from_report_to_the_meetings_answer(world, task, evidence_file, new_page,
                                                       screenshot, signing_key):
    office = make_unit("Văn phòng HĐND và UBND", world.hoa_hoi, UnitKind.DEPARTMENT)

    # The officer reports progress and names what blocks her.
    officer = new_page()
    sign_in(officer, "hh.officer")
    officer.goto(f"/tasks/{task.pk}/")
    officer.wait_for_selector("#reports form")
    report_progress(officer, evidence_file)
    obstacle = Obstacle.objects.get(task=task)
    assert obstacle.state == ObstacleState.OPEN

    # Her manager is told, opens it and routes it to the commune office.
    manager = new_page()
    sign_in(manager, "hh.manager")
    manager.goto("/notifications/")
    manager.get_by_role("link", name="Chưa giải phóng xong mặt bằng khu C", exact=False).click()
    manager.wait_for_url(f"**/obstacles/{obstacle.pk}/")
    screenshot(manager, "en-obstacle-to-route")
    manager.select_option("#id_must_act", str(office.pk))
    manager.get_by_role("button", name="Route", exact=True).click()
    manager.wait_for_selector(".message--success")
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.ASSIGNED and obstacle.must_act == office

    # Nobody in the office answers within a week: the morning job sends it back up.
    assert services.escalate_overdue_obstacles(TODAY + datetime.timedelta(days=8)) == 1
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.ESCALATED and obstacle.must_act == world.hoa_hoi

    # The leader schedules the monthly meeting: its agenda opens with the obstacle.
    leader = new_page()
    sign_in(leader, "hh.leader")
    leader.goto(f"/units/{world.hoa_hoi.pk}/meetings/")
    leader.select_option("#id_kind", "monthly")
    leader.fill("#id_title", "Giao ban tháng 11")
    leader.fill("#id_held_on", TODAY.isoformat())
    leader.check(f"input[name=attendees][value='{world.hh_officer.pk}']")
    leader.get_by_role("button", name="Schedule and draft the agenda").click()
    leader.wait_for_selector("#agenda-title")
    first = leader.locator("section[aria-labelledby=agenda-title] li.card").first
    assert "Chưa giải phóng xong mặt bằng khu C" in first.inner_text()
    screenshot(leader, "en-meeting-agenda")
    leader.get_by_role("button", name="Publish the agenda and invite").click()
    leader.wait_for_selector(".message--success")
    leader.get_by_role("button", name="Start the meeting").click()
    leader.wait_for_selector(".message--success")

    item = obstacle.agenda_items.get()
    card = leader.locator(f"#item-{item.pk}")
    # A task decided without its clears is refused by the gate and kept as a draft.
    card.get_by_text("Assign a task").click()
    card.locator(f"#id_task-{item.pk}-title").fill("Kiểm đếm lại khu C")
    card.locator(f"#id_task-{item.pk}-owner").select_option(str(world.hh_officer.pk))
    card.get_by_role("button", name="Assign the task").click()
    leader.wait_for_selector(".message--warning")
    warning = leader.locator(".message--warning").inner_text()
    assert "clear deadline" in warning and "clear result" in warning
    refused = Task.objects.get(title="Kiểm đếm lại khu C")
    assert refused.state == TaskState.DRAFT

    # The decision: the obstacle is resolved with an answer, and a six-clear task issued.
    card = leader.locator(f"#item-{item.pk}")
    card.get_by_text("Record a decision").click()
    card.locator(f"#id_item-{item.pk}-decision").select_option("resolved")
    card.locator(f"#id_item-{item.pk}-text").fill("Áp đơn giá bồi thường năm 2026 của tỉnh.")
    card.get_by_role("button", name="Record the decision").click()
    leader.wait_for_selector(".message--success")
    card = leader.locator(f"#item-{item.pk}")
    card.get_by_text("Assign a task").click()
    card.locator(f"#id_task-{item.pk}-title").fill("Trình UBND xã phương án bồi thường khu C")
    card.locator(f"#id_task-{item.pk}-description").fill("Văn phòng lập tờ trình theo đơn giá.")
    card.locator(f"#id_task-{item.pk}-owner").select_option(str(world.hh_officer.pk))
    card.locator(f"#id_task-{item.pk}-lead_unit").select_option(str(world.hoa_hoi.pk))
    card.locator(f"#id_task-{item.pk}-deadline").fill(
        (TODAY + datetime.timedelta(days=14)).isoformat())
    card.locator(f"#id_task-{item.pk}-expected_result").fill("Tờ trình được ký")
    card.locator(f"#id_task-{item.pk}-authority_body").fill("UBND xã")
    card.get_by_role("button", name="Assign the task").click()
    leader.wait_for_selector(".message--success")
    screenshot(leader, "en-meeting-decided")
    issued = Task.objects.get(title="Trình UBND xã phương án bồi thường khu C")
    assert issued.state == TaskState.ISSUED and issued.program.kind == "conclusion"
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.RESOLVED

    # The leader closes the meeting, signs its conclusion notice and publishes it.
    leader.get_by_role("button", name="Close the meeting").click()
    leader.wait_for_selector(".message--success")
    meeting = item.meeting
    leader.goto(f"/conclusion-notices/{meeting.pk}/")
    leader.select_option("#sign-language", "vi")
    leader.get_by_role("button", name="Sign the notice").click()
    leader.wait_for_selector(".message--success")
    from sixclear.reports.models import SignedDocument

    signed = SignedDocument.objects.get(kind="conclusion_notice",
                                        subject=f"meetings.meeting:{meeting.pk}")
    assert signed.signer == world.hh_leader
    leader.get_by_role("button", name="Publish to the units concerned").click()
    leader.wait_for_selector(".message--success")
    screenshot(leader, "en-conclusion-notice-signed")

    # The officer reads the answer to her obstacle and finds her new task.
    officer.goto("/notifications/")
    officer.get_by_role("link", name="The obstacle you reported was answered",
                        exact=False).click()
    officer.wait_for_url(f"**/obstacles/{obstacle.pk}/")
    assert "Áp đơn giá bồi thường năm 2026 của tỉnh." in officer.inner_text("main")
    screenshot(officer, "en-obstacle-answered")
    officer.goto("/my-work/")
    assert "Trình UBND xã phương án bồi thường khu C" in officer.inner_text("main")
    # ...and the signed notice, whose appendix holds her task.
    answer = officer.request.get(f"/conclusion-notices/{meeting.pk}/signed/{signed.pk}/")
    assert answer.ok
    from concurrent.futures import ThreadPoolExecutor

    from sixclear.reports import signing

    # pyHanko runs its own event loop: not in the thread Playwright's loop runs in.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(signing.verify_pdf, answer.body()).result().valid
