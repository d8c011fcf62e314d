"""A meeting's conclusion notice: its content (the opening, the conclusion on each matter, the
appendix of tasks with the six clears), in the party's or the state's format, signed only by
the designated signer (a second signature supersedes), published to the units concerned, and
who may see each of its pages."""

import datetime
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sixclear.accounts.models import UserPreference
from sixclear.meetings import services as meetings
from sixclear.meetings.models import Decision, ItemKind, MeetingKind
from sixclear.monitoring.models import Notification
from sixclear.orgs.models import Role
from sixclear.reports import conclusion_notice as notices
from sixclear.reports import services
from sixclear.reports.issued import render_docx, render_pdf
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, person

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 11, 26)
OK, REDIRECT, BAD, DENIED, HIDDEN = 200, 302, 400, 403, 404


def docx_text(data):
    from docx import Document

    document = Document(BytesIO(data))
    words = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                words.extend(p.text for p in cell.paragraphs)
    return " ".join(" ".join(words).split())


def pdf_text(data):
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


@pytest.fixture
def office(world):
    """Hòa Hội's economy office leads a task: its manager, and the task's owner there."""
    unit = world.economy_office
    unit.kt_manager = person(unit, Role.MANAGER, username="kt.manager")
    unit.kt_officer = person(unit, Role.OFFICER, username="kt.officer")
    return unit


@pytest.fixture
def party(world):
    world.hh_leader.first_name = "Tô Hữu Trung"
    world.hh_leader.save()
    return services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                                     issuing_body="party", signer=world.hh_leader,
                                     signer_title="Bí thư")


def _move(world, meeting, *actions):
    for action in actions:
        meeting = getattr(meetings, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    return meeting


@pytest.fixture
def held(world, office, party):
    """Hòa Hội's November meeting, in progress: an obstacle resolved with a task led by the
    economy office, a task kept as a draft, a matter noted, one not reached."""
    blocked = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                          title="Giải phóng mặt bằng cụm công nghiệp")
    meetings.raise_obstacle(actor=world.hh_officer, task=blocked,
                            description="Chưa có đơn giá bồi thường")
    meeting = meetings.schedule_meeting(
        actor=world.hh_leader, unit=world.hoa_hoi, kind=MeetingKind.MONTHLY,
        title="Giao ban tháng 11/2026", held_on=HELD_ON, starts_at=datetime.time(8),
        place="Hội trường Đảng ủy xã", attendees=[world.hh_manager, world.hh_officer])
    for title in ("Chuẩn bị Đại hội Thể dục thể thao", "Sửa chữa nhà văn hóa thôn 3"):
        meetings.add_item(actor=world.hh_leader, meeting=meeting, title=title)
    meeting = _move(world, meeting, "open", "start")
    obstacle = meeting.items.get(kind=ItemKind.OBSTACLE)
    meetings.decide_item(actor=world.hh_leader, item=obstacle, expected_version=obstacle.version,
                         decision=Decision.RESOLVED, text="Áp dụng đơn giá của tỉnh năm 2026.")
    obstacle.refresh_from_db()
    issued, _missing = meetings.create_item_task(
        actor=world.hh_leader, item=obstacle, title="Trình đơn giá bồi thường",
        description="Lập tờ trình gửi UBND xã", owner=office.kt_officer, lead_unit=office,
        deadline=datetime.date(2026, 12, 15), expected_result="Tờ trình được ký",
        authority_body="UBND xã Hòa Hội")
    obstacle.refresh_from_db()
    draft, missing = meetings.create_item_task(actor=world.hh_leader, item=obstacle,
                                               title="Xin ý kiến huyện", owner=world.hh_officer)
    assert missing and draft.state == TaskState.DRAFT
    noted = meeting.items.get(title="Chuẩn bị Đại hội Thể dục thể thao")
    meetings.decide_item(actor=world.hh_leader, item=noted, expected_version=noted.version,
                         decision=Decision.NOTED, text="Giao Văn hóa xã chuẩn bị.")
    meeting.refresh_from_db()
    meeting.tasks = {"issued": issued, "draft": draft}
    return meeting


@pytest.fixture
def closed(world, held):
    meeting = _move(world, held, "close")
    meeting.tasks = held.tasks
    return meeting


def test_the_content_opens_concludes_and_lists_the_tasks_with_the_six_clears(world, held):
    content = notices.notice_content(held, "en")
    text = "\n".join(content.paragraphs)
    assert "On 26 November 2026, at 8 a.m., at Hội trường Đảng ủy xã, commune Hòa Hội held " \
        "the meeting “Giao ban tháng 11/2026”." in text
    assert "Chaired by comrade Tô Hữu Trung, Bí thư." in text
    assert "Attending: hh.manager, hh.officer." in text
    assert "Chưa có đơn giá bồi thường — Obstacle resolved." in text
    assert "Áp dụng đơn giá của tỉnh năm 2026." in text
    assert "Tasks given: No. 1, 2 of the appendix." in text
    assert "Chuẩn bị Đại hội Thể dục thể thao — Noted." in text
    assert "Not reached, and taken up at the next meeting if they still wait: Sửa chữa nhà " \
        "văn hóa thôn 3." in text
    assert [p for p in content.paragraphs if p.startswith("## ")] == [
        "## I. Conclusions on the matters discussed", "## II. Matters not reached",
        "## III. Carrying out"]
    (table,) = content.tables
    assert table.columns == ["No.", "Work", "Person in charge", "Deadline",
                             "Lead unit (responsibility)", "Expected result",
                             "Approving authority"]
    first, second = table.rows
    assert first[1] == "Trình đơn giá bồi thường: Lập tờ trình gửi UBND xã"
    assert first[2] == "kt.officer" and first[4] == "Phòng Kinh tế"
    assert first[5] == "Tờ trình được ký" and first[6] == "UBND xã Hòa Hội"
    assert first[3] != "—"
    assert second[1].startswith("Xin ý kiến huyện") and second[3] == "—"  # a gap shows
    assert content.subject == f"meetings.meeting:{held.pk}" and content.number_code == "TB"
    assert "Phòng Kinh tế" in content.recipients and "Those attending" in content.recipients


def test_a_draft_meeting_has_no_notice(world, party):
    meeting = meetings.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                        kind=MeetingKind.MONTHLY, title="Giao ban",
                                        held_on=HELD_ON)
    with pytest.raises(ValidationError):
        notices.notice_content(meeting, "vi")


def test_party_format_in_the_docx(world, closed):
    text = docx_text(render_docx(notices.notice_content(closed, "vi")))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and f"{closed.pk}-TB/ĐU" in text
    assert "THÔNG BÁO" in text
    assert "Kết luận của đồng chí Tô Hữu Trung" in text
    assert "Phụ lục" in text and "Trình đơn giá bồi thường" in text
    assert "Đơn vị chủ trì (trách nhiệm)" in text and "Sản phẩm/kết quả đầu ra" in text
    assert "Vào ngày 26 tháng 11 năm 2026, lúc 08:00, tại Hội trường Đảng ủy xã, xã Hòa Hội " \
        "đã tổ chức cuộc họp" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


def test_state_format_in_the_docx_and_the_pdf(world, closed, party):
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="people",
                              signer=world.hh_leader, signer_title="Chủ tịch",
                              version=party.version)
    content = notices.notice_content(closed, "vi")
    text = docx_text(render_docx(content))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and f"{closed.pk}/TB-UBND" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    pdf = pdf_text(render_pdf(content))
    assert "TB-UBND" in pdf and "Trình đơn giá bồi thường" in pdf


def test_arabic_and_english_render(world, closed):
    assert render_pdf(notices.notice_content(closed, "ar")).startswith(b"%PDF")
    assert "NOTICE" in docx_text(render_docx(notices.notice_content(closed, "en")))


@pytest.mark.usefixtures("media")
def test_only_the_designated_signer_signs_and_a_second_signature_supersedes(world, closed,
                                                                            demo_pki):
    with pytest.raises(PermissionDenied):
        notices.sign_notice(actor=world.hh_manager, meeting=closed, language="vi")
    first = notices.sign_notice(actor=world.hh_leader, meeting=closed, language="vi")
    second = notices.sign_notice(actor=world.hh_leader, meeting=closed, language="vi")
    assert second.supersedes == first
    assert list(notices.notices_of(closed)) == [second, first]
    assert first.kind == "conclusion_notice" and first.language == "vi"


def test_an_open_meeting_is_not_signed(world, held):
    with pytest.raises(ValidationError):
        notices.sign_notice(actor=world.hh_leader, meeting=held, language="vi")


@pytest.fixture
def signed(closed, world, demo_pki, media):
    document = notices.sign_notice(actor=world.hh_leader, meeting=closed, language="vi")
    closed.document = document
    return closed


def test_publishing_tells_owners_lead_units_and_attendees_once(world, signed, office,
                                                                django_capture_on_commit_callbacks):
    Notification.objects.all().delete()
    UserPreference.objects.create(user=office.kt_officer, email_at_once=True)
    with django_capture_on_commit_callbacks(execute=True):
        told = notices.publish_notice(actor=world.hh_manager, meeting=signed,
                                      document=signed.document)
    told_people = set(Notification.objects.filter(kind="notice_published")
                      .values_list("recipient__username", flat=True))
    # Owners (kt.officer, hh.officer), the lead unit's manager, attendees (not the actor).
    assert told_people == {"kt.officer", "hh.officer", "kt.manager", "hh.leader"}
    assert told == 4
    link = reverse("reports:conclusion_notice_file", args=[signed.pk, signed.document.pk])
    assert set(Notification.objects.values_list("link", flat=True)) == {link}
    (message,) = mail.outbox
    assert message.to == [office.kt_officer.email] and link in message.body
    assert "Giao ban tháng 11/2026" in message.subject
    assert notices.publish_notice(actor=world.hh_manager, meeting=signed,
                                  document=signed.document) == 4
    assert Notification.objects.count() == 4  # told once


def test_a_superseded_copy_is_not_published_and_only_managers_publish(world, signed):
    with pytest.raises(PermissionDenied):
        notices.publish_notice(actor=world.hh_officer, meeting=signed, document=signed.document)
    notices.sign_notice(actor=world.hh_leader, meeting=signed, language="vi")
    with pytest.raises(ValidationError):
        notices.publish_notice(actor=world.hh_manager, meeting=signed, document=signed.document)


def test_the_meeting_page_loads_the_notice_section(client, world, held):
    client.force_login(world.hh_manager)
    page = client.get(reverse("meetings:meeting", args=[held.pk])).content.decode()
    url = reverse("reports:conclusion_notice", args=[held.pk])
    assert f'hx-get="{url}"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert reverse("reports:conclusion_notice_draft", args=[held.pk, "docx"]) in fragment
    assert reverse("reports:conclusion_notice_sign", args=[held.pk]) not in fragment  # open


def test_the_signers_section_offers_signing_then_lists_the_copies(client, world, signed):
    client.force_login(world.hh_leader)
    page = client.get(reverse("reports:conclusion_notice", args=[signed.pk])).content.decode()
    assert reverse("reports:conclusion_notice_sign", args=[signed.pk]) in page
    document = signed.document
    assert reverse("reports:conclusion_notice_file", args=[signed.pk, document.pk]) in page
    assert reverse("reports:conclusion_notice_verify", args=[signed.pk, document.pk]) in page
    assert reverse("reports:conclusion_notice_publish", args=[signed.pk, document.pk]) in page
    verified = client.get(reverse("reports:conclusion_notice_verify",
                                  args=[signed.pk, document.pk])).content.decode()
    assert "Tô Hữu Trung" in verified and "alert--success" in verified


# --- Who may do what -------------------------------------------------------------------------

PEOPLE_WHO_SEE = ("hh_officer", "hh_viewer", "hh_manager", "hh_leader", "province_leader")
STRANGERS = ("anb_manager", "vh_manager", "outsider")


def _who(world, office, who):
    return {"kt_manager": office.kt_manager, "kt_officer": office.kt_officer}.get(who) or \
        getattr(world, who)


@pytest.mark.parametrize(("who", "expected"), [
    *[(who, OK) for who in PEOPLE_WHO_SEE], *[(who, HIDDEN) for who in STRANGERS],
    ("kt_officer", HIDDEN), (None, REDIRECT)])
def test_section_access(client, world, office, held, who, expected):
    if who:
        client.force_login(_who(world, office, who))
    response = client.get(reverse("reports:conclusion_notice", args=[held.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("format", ["docx", "pdf"])
@pytest.mark.parametrize(("who", "expected"), [
    ("hh_manager", OK), ("hh_leader", OK), ("province_leader", OK),
    ("hh_officer", DENIED), ("hh_viewer", DENIED),
    *[(who, HIDDEN) for who in STRANGERS], (None, REDIRECT)])
def test_draft_access(client, world, office, held, who, expected, format):
    if format == "pdf" and who not in ("hh_manager", "hh_viewer", "vh_manager", None):
        pytest.skip("the PDF is drawn for one case of each answer")
    if who:
        client.force_login(_who(world, office, who))
    response = client.get(reverse("reports:conclusion_notice_draft", args=[held.pk, format]),
                          {"language": "vi"})
    assert response.status_code == expected
    if expected == OK:
        assert response["Content-Disposition"].endswith(f'-vi.{format}"')


@pytest.mark.usefixtures("media", "demo_pki")
@pytest.mark.parametrize(("who", "expected"), [
    ("hh_leader", REDIRECT), ("hh_manager", DENIED), ("province_leader", DENIED),
    ("hh_officer", DENIED), ("hh_viewer", DENIED),
    *[(who, HIDDEN) for who in STRANGERS], (None, REDIRECT)])
def test_sign_access(client, world, office, closed, who, expected):
    if who:
        client.force_login(_who(world, office, who))
    response = client.post(reverse("reports:conclusion_notice_sign", args=[closed.pk]),
                           {"language": "vi"})
    assert response.status_code == expected
    assert notices.notices_of(closed).exists() == (who == "hh_leader")


@pytest.mark.parametrize("page", ["file", "verify"])
@pytest.mark.parametrize(("who", "expected"), [
    *[(who, OK) for who in PEOPLE_WHO_SEE], ("kt_officer", OK), ("kt_manager", OK),
    *[(who, HIDDEN) for who in STRANGERS], (None, REDIRECT)])
def test_signed_copy_access(client, world, office, signed, who, expected, page):
    if page == "verify" and who not in ("hh_viewer", "kt_manager", "anb_manager", None):
        pytest.skip("verification is checked for one case of each answer")
    if who:
        client.force_login(_who(world, office, who))
    name = f"reports:conclusion_notice_{page}"
    response = client.get(reverse(name, args=[signed.pk, signed.document.pk]))
    assert response.status_code == expected
    if expected == OK and page == "file":
        assert response["Content-Type"] == "application/pdf"


def test_a_signed_copy_of_another_meeting_is_not_found(client, world, signed, office):
    client.force_login(world.hh_manager)
    other = meetings.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                      kind=MeetingKind.THEMATIC, title="Chuyên đề",
                                      held_on=HELD_ON)
    response = client.get(reverse("reports:conclusion_notice_file",
                                  args=[other.pk, signed.document.pk]))
    assert response.status_code == HIDDEN


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_manager", REDIRECT), ("hh_leader", REDIRECT), ("province_leader", REDIRECT),
    ("hh_officer", DENIED), ("hh_viewer", DENIED),
    *[(who, HIDDEN) for who in STRANGERS], ("kt_manager", HIDDEN), (None, REDIRECT)])
def test_publish_access(client, world, office, signed, who, expected):
    if who:
        client.force_login(_who(world, office, who))
    response = client.post(reverse("reports:conclusion_notice_publish",
                                   args=[signed.pk, signed.document.pk]))
    assert response.status_code == expected
    published = Notification.objects.filter(kind="notice_published").exists()
    assert published == (expected == REDIRECT and who is not None)
