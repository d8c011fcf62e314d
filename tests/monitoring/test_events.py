"""Events told as they happen: in the app, in the daily digest, and by e-mail at once only for
those who chose it, only once the write has committed."""

import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sixclear.accounts.models import UserPreference
from sixclear.accounts.services import choose_email_at_once
from sixclear.monitoring import notifications
from sixclear.monitoring.models import Notification
from sixclear.monitoring.reminders import queue_reminders
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory


@pytest.fixture
def draft(world):
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, title="Lập quy hoạch chung")


def issue(world, task):
    return services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)


def test_by_default_an_event_waits_for_the_daily_digest(world, draft,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, draft)
    assert not mail.outbox
    assert notifications.send_daily_digests() == 1
    assert "“Lập quy hoạch chung” was issued to you." in mail.outbox[0].body


def test_who_chose_it_is_emailed_at_once_after_the_commit(world, draft,
                                                         django_capture_on_commit_callbacks):
    choose_email_at_once(actor=world.hh_officer, at_once=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue(world, draft)
    assert not mail.outbox  # nothing leaves before the write commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[world.hh_officer.email]]
    assert "Lập quy hoạch chung" in mail.outbox[0].subject
    assert Notification.objects.get().emailed_at is not None
    assert notifications.send_daily_digests() == 0  # not told twice


def test_a_write_that_rolls_back_emails_nobody(world, draft, django_capture_on_commit_callbacks):
    choose_email_at_once(actor=world.hh_officer, at_once=True)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        issue(world, draft)
        raise RuntimeError("the write fails after the event")
    assert not callbacks and not mail.outbox
    assert not Notification.objects.exists()


def test_the_email_is_in_the_readers_language(world, draft, django_capture_on_commit_callbacks):
    UserPreference.objects.create(user=world.hh_officer, language="vi", email_at_once=True)
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, draft)
    assert "Bạn được giao nhiệm vụ “Lập quy hoạch chung”." in mail.outbox[0].subject
    assert "was issued to you" not in mail.outbox[0].body


def test_sending_at_once_twice_sends_once(world, draft, django_capture_on_commit_callbacks):
    choose_email_at_once(actor=world.hh_officer, at_once=True)
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, draft)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications.send_at_once(ids) == 0
    assert len(mail.outbox) == 1


def test_reminders_are_not_emailed_at_once(world, django_capture_on_commit_callbacks):
    """At once is for what happens to one's work; the scan's reminders come in the digest."""
    choose_email_at_once(actor=world.hh_officer, at_once=True)
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                deadline=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminders(timezone.localdate())
    assert not mail.outbox
    assert notifications.send_daily_digests() == 1


def test_the_notifications_page_shows_the_events_of_its_reader_only(client, world, draft):
    issue(world, draft)
    client.force_login(world.hh_officer)
    page = client.get(reverse("monitoring:notifications")).content.decode()
    assert "“Lập quy hoạch chung” was issued to you." in page
    client.force_login(world.hh_manager)
    page = client.get(reverse("monitoring:notifications")).content.decode()
    assert "Lập quy hoạch chung" not in page


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("monitoring:notifications", "accounts:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "sign-in" in response.url


def test_a_person_chooses_at_once_on_their_preferences_page(client, world):
    client.force_login(world.hh_officer)
    page = client.get(reverse("accounts:preferences")).content.decode()
    assert re.search(r'value="daily"[^>]*checked', page)
    response = client.post(reverse("accounts:preferences"), {"delivery": "at_once"})
    assert response.status_code == 302
    assert UserPreference.objects.get(user=world.hh_officer).email_at_once
    assert not UserPreference.objects.filter(user=world.hh_manager, email_at_once=True).exists()
    client.post(reverse("accounts:preferences"), {"delivery": "daily"})
    assert not UserPreference.objects.get(user=world.hh_officer).email_at_once
