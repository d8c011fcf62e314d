"""The agenda goes out by e-mail with the invitation: day, time, place and the items in order,
in each attendee's language, at once for who chose it and in the daily digest for the rest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from sixclear.accounts.models import UserPreference
from sixclear.meetings import services
from sixclear.meetings.models import MeetingKind
from sixclear.monitoring import notifications
from sixclear.monitoring.models import Notification
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, reported):
    meeting = services.schedule_meeting(
        actor=world.hh_leader, unit=world.hoa_hoi, kind=MeetingKind.MONTHLY,
        title="Giao ban tháng 11", held_on=TODAY, starts_at=datetime.time(8, 0),
        place="Hội trường UBND xã", attendees=[world.hh_manager, world.hh_officer])
    services.add_item(actor=world.hh_leader, meeting=meeting, title="Chuẩn bị Tết & lễ hội")
    # What came before (the obstacle told to the managers) was e-mailed already.
    Notification.objects.update(emailed_at=timezone.now())
    return meeting


def open_it(world, meeting, capture):
    with capture(execute=True):
        return services.open_meeting(actor=world.hh_leader, meeting=meeting,
                                     expected_version=meeting.version)


def test_who_chose_at_once_gets_the_agenda_in_their_language(
        world, meeting, django_capture_on_commit_callbacks):
    UserPreference.objects.create(user=world.hh_officer, language="vi", email_at_once=True)
    open_it(world, meeting, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[world.hh_officer.email]]
    message = mail.outbox[0]
    assert "Giao ban tháng 11" in message.subject and "\n" not in message.subject
    body = message.body
    assert "Thời gian: " in body and "08:00" in body
    assert "Địa điểm: Hội trường UBND xã" in body
    assert "Chương trình họp:" in body
    obstacle = body.index("1. Chưa có đơn giá bồi thường đất nông nghiệp (Khó khăn")
    other = body.index("2. Chuẩn bị Tết & lễ hội (")  # plain text: nothing escaped
    assert obstacle < other
    assert f"/meetings/{meeting.pk}/" in body
    assert "Agenda" not in body and "&amp;" not in body
    # Told once: the digest does not repeat it.
    assert notifications.send_daily_digests() == 1  # the manager's, not the officer's
    assert mail.outbox[1].to == [world.hh_manager.email]


def test_the_digest_carries_the_agenda_for_the_others(world, meeting,
                                                      django_capture_on_commit_callbacks):
    UserPreference.objects.create(user=world.hh_manager, language="ar")
    open_it(world, meeting, django_capture_on_commit_callbacks)
    assert not mail.outbox
    assert notifications.send_daily_digests() == 2
    by_person = {message.to[0]: message.body for message in mail.outbox}
    arabic, english = by_person[world.hh_manager.email], by_person[world.hh_officer.email]
    assert "جدول الأعمال:" in arabic and "Chuẩn bị Tết & lễ hội" in arabic
    assert "Hội trường UBND xã" in arabic and "Agenda:" not in arabic
    assert "You are invited to the meeting “Giao ban tháng 11”" in english
    assert "Where: Hội trường UBND xã" in english
    assert "1. Chưa có đơn giá bồi thường đất nông nghiệp (Obstacle waiting for this level)" \
        in english


def test_routine_progress_is_counted_not_listed(world, meeting, task,
                                                django_capture_on_commit_callbacks):
    open_it(world, meeting, django_capture_on_commit_callbacks)
    notifications.send_daily_digests()
    body = next(m.body for m in mail.outbox if m.to == [world.hh_officer.email])
    assert "Appendix: 1 task on schedule, not read aloud." in body
    assert task.title not in body


def test_no_address_no_email(world, meeting, django_capture_on_commit_callbacks):
    world.hh_officer.email = ""
    world.hh_officer.save()
    UserPreference.objects.create(user=world.hh_officer, email_at_once=True)
    open_it(world, meeting, django_capture_on_commit_callbacks)
    assert not mail.outbox
    assert Notification.objects.filter(recipient=world.hh_officer,
                                       kind="meeting_invited").exists()


def test_the_schedule_form_takes_the_time_and_place(client, world):
    from django.urls import reverse

    client.force_login(world.hh_manager)
    response = client.post(reverse("meetings:meetings", args=[world.hoa_hoi.pk]), {
        "kind": "thematic", "title": "Chuyên đề", "held_on": TODAY.isoformat(),
        "starts_at": "14:30", "place": "Phòng họp số 2"})
    assert response.status_code == 302
    meeting = world.hoa_hoi.meetings.get()
    assert meeting.starts_at == datetime.time(14, 30) and meeting.place == "Phòng họp số 2"
    page = client.get(response["Location"]).content.decode()
    assert "<bdi>Phòng họp số 2</bdi>" in page and "14:30" in page
