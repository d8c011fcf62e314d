"""Following a published target or task by e-mail: double opt-in, one-click unsubscribe, and
an hourly job that tells followers only what is new."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from sixclear.monitoring.engine import run_scan
from sixclear.portal import services
from sixclear.portal.models import Follow
from sixclear.portal.tasks import tell_followers
from sixclear.tracking import services as tracking
from tests.portal.conftest import TODAY

LINK = re.compile(r"https?://\S+")
COMMIT = [None]


@pytest.fixture(autouse=True)
def _commit(committed):
    COMMIT[0] = committed


def follow(client, item, email="dan@example.org", kind="target"):
    return COMMIT[0](client.post, reverse("portal:follow", args=[kind, item.pk]), {"email": email})


def confirm_from_outbox(client, message):
    return client.get(urlsplit(LINK.search(message.body).group(0)).path)


def test_a_follow_needs_the_link_sent_to_the_address(client, world, vh, later):
    response = follow(client, vh["target"])
    assert response.status_code == 302
    follow_row = Follow.objects.get()
    assert follow_row.confirmed_at is None and not follow_row.active
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.org"]
    assert "/portal/confirm/" in mail.outbox[0].body

    # Nothing is sent to an unconfirmed follower, whatever happens.
    _approve_value(vh, 2028, "1300")
    assert services.send_follow_updates() == 0

    response = confirm_from_outbox(client, mail.outbox[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:target", args=[vh["target"].pk])
    follow_row.refresh_from_db()
    assert follow_row.active and follow_row.address.confirmed_at


def test_a_forged_or_expired_link_confirms_nothing(client, world, vh):
    follow(client, vh["target"])
    link = urlsplit(LINK.search(mail.outbox[0].body).group(0)).path
    forged = link[:-4] + ("AAAA" if not link.endswith("AAAA/") else "BBBB") + "/"
    assert client.get(forged).status_code == 400
    with override_settings(PORTAL_CONFIRMATION_DAYS=-1):
        assert client.get(link).status_code == 400
    assert Follow.objects.get().confirmed_at is None


def test_followers_hear_of_a_new_approved_value_once_with_an_unsubscribe_header(
        client, world, vh, later):
    follow(client, vh["target"])
    confirm_from_outbox(client, mail.outbox[0])
    mail.outbox.clear()
    assert services.send_follow_updates() == 0  # nothing new since confirming

    _approve_value(vh, 2028, "1300")
    tell_followers()  # the periodic job, run immediately in tests
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "1.300" in message.body or "1,300" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert services.send_follow_updates() == 0  # told once

    # One click in the mail client (RFC 8058): a POST without any CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    path = urlsplit(unsubscribe).path
    assert csrf_client.get(path).status_code == 200  # a page with one button
    assert Follow.objects.get().active
    assert csrf_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follow.objects.get().active
    _approve_value(vh, 2029, "1500")
    assert services.send_follow_updates() == 0


def test_followers_of_a_task_hear_of_a_status_change_and_not_of_unpublished_news(
        client, world, vh):
    follow(client, vh["task"], kind="task")
    confirm_from_outbox(client, mail.outbox[0])
    mail.outbox.clear()
    run_scan(TODAY.replace(year=TODAY.year + 1))  # the deadline has passed: late
    services.set_publication(actor=vh["manager"], item=vh["task"], published=False)
    assert services.send_follow_updates() == 0  # withdrawn: no news leaves the unit
    services.set_publication(actor=vh["manager"], item=vh["task"], published=True)
    assert services.send_follow_updates() == 1
    assert "Late" in mail.outbox[0].body or "late" in mail.outbox[0].body


def test_the_follow_e_mail_is_in_the_language_of_the_page(client, world, vh):
    COMMIT[0](client.post, reverse("portal:follow", args=["target", vh["target"].pk]),
              {"email": "dan@example.org"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Xác nhận" in mail.outbox[0].subject


def test_a_wrong_address_is_refused_and_kept_on_the_form(client, world, vh):
    response = follow(client, vh["target"], email="not-an-address")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="not-an-address"' in page
    assert "Enter a valid email address." in page
    assert not Follow.objects.exists() and not mail.outbox


def test_a_browser_that_proved_its_address_follows_at_once(client, world, vh):
    follow(client, vh["target"])
    confirm_from_outbox(client, mail.outbox[0])
    mail.outbox.clear()
    follow(client, vh["task"], kind="task")
    assert not mail.outbox
    assert Follow.objects.get(task=vh["task"]).active


@pytest.fixture
def later():
    """The term goes on: values are reported only for years that have begun."""
    with time_machine.travel(datetime.datetime(2029, 6, 1, 9, tzinfo=datetime.UTC)):
        yield


def _approve_value(vh, year, value):
    measurement = tracking.record_measurement(actor=vh["officer"], target=vh["target"],
                                              year=year, value=Decimal(value))
    tracking.review_measurement(actor=vh["manager"], measurement=measurement,
                                expected_version=measurement.version, approve=True)
    run_scan(TODAY)
