import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sixclear.monitoring.models import Notification, NotificationKind
from sixclear.monitoring.reminders import queue_reminders
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory

TODAY = timezone.localdate()


@pytest.fixture
def reminded(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       deadline=TODAY + datetime.timedelta(days=7), title="Lập quy hoạch")
    queue_reminders(TODAY)
    return task


def test_the_bell_counts_unread_and_the_list_says_what_happened(client, world, reminded):
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert reverse("monitoring:notifications") in page
    assert '<span class="count">1' in page
    listing = client.get(reverse("monitoring:notifications")).content.decode()
    assert "“Lập quy hoạch” is due in 7 days." in listing
    assert reverse("tracking:task", args=[reminded.pk]) in listing


@pytest.mark.parametrize(("unread", "shown"), [(99, "99"), (100, "99+"), (250, "99+")])
def test_the_bell_counts_at_most_a_hundred(client, world, unread, shown):
    """The count on every page reads a bounded number of index entries, however many wait."""
    Notification.objects.bulk_create(
        Notification(recipient=world.hh_officer, kind=NotificationKind.LATE,
                     dedupe_key=f"late-{n}") for n in range(unread))
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert f'<span class="count">{shown}<span class="visually-hidden"> unread' in page


def test_marking_one_read(client, world, reminded):
    client.force_login(world.hh_officer)
    note = Notification.objects.get()
    response = client.post(reverse("monitoring:mark_read"), {"id": note.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_reads_or_marks_anothers_notifications(client, world, reminded):
    client.force_login(world.hh_manager)
    assert "Lập quy hoạch" not in client.get(reverse("monitoring:notifications")).content.decode()
    client.post(reverse("monitoring:mark_read"), {"id": Notification.objects.get().pk})
    assert Notification.objects.get().read_at is None


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("monitoring:notifications"))
    assert response.status_code == 302 and "sign-in" in response.url
    assert client.post(reverse("monitoring:mark_read")).status_code == 302


def test_marking_needs_a_post(client, world):
    client.force_login(world.hh_officer)
    assert client.get(reverse("monitoring:mark_read")).status_code == 405


def test_the_list_has_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(25):
        TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                    deadline=TODAY + datetime.timedelta(days=7), title=f"Nhiệm vụ {n}")
    queue_reminders(TODAY)
    client.force_login(world.hh_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monitoring:notifications")).status_code == 200
