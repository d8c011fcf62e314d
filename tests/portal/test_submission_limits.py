"""The follow and rating e-mails cannot be turned against someone's mailbox: besides the limit
per exact address, one client and one mailbox (whatever its +tag or letter case) are limited."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from sixclear.portal.limits import client_address, mailbox

COMMIT = [None]


@pytest.fixture(autouse=True)
def _commit(committed):
    COMMIT[0] = committed


def follow(client, item, email, kind="target", address="203.0.113.7"):
    return COMMIT[0](client.post, reverse("portal:follow", args=[kind, item.pk]),
                     {"email": email}, REMOTE_ADDR=address)


@pytest.mark.parametrize(("email", "expected"), [
    ("Victim+1@Example.org", "victim@example.org"),
    ("victim+a+b@example.org", "victim@example.org"),
    ("victim@EXAMPLE.org", "victim@example.org"),
    ("+tag@example.org", "+tag@example.org"),
])
def test_a_mailbox_is_the_address_without_its_tag_in_lower_case(email, expected):
    assert mailbox(email) == expected


def test_thirty_tagged_addresses_of_one_mailbox_get_only_the_hourly_few(client, world, hh_result,
                                                                          settings):
    answers = [follow(client, hh_result, f"victim+{n}@example.org").status_code
               for n in range(30)]
    allowed = settings.PORTAL_SUBMISSIONS_PER_HOUR
    assert answers.count(302) == allowed and answers.count(400) == 30 - allowed
    assert len(mail.outbox) == allowed


def test_one_client_is_limited_whatever_the_addresses(client, world, hh_result):
    with override_settings(PORTAL_SUBMISSIONS_PER_CLIENT_HOUR=4):
        answers = [follow(client, hh_result, f"person{n}@example.org").status_code
                   for n in range(6)]
        elsewhere = follow(client, hh_result, "someone@example.org", address="198.51.100.9")
    assert answers == [302] * 4 + [400] * 2
    assert elsewhere.status_code == 302
    assert len(mail.outbox) == 5


def test_the_refusal_says_why_and_keeps_the_form(client, world, hh_result):
    with override_settings(PORTAL_SUBMISSIONS_PER_CLIENT_HOUR=0):
        response = follow(client, hh_result, "dan@example.org")
    assert response.status_code == 400
    assert "Too many requests" in response.content.decode()
    assert "dan@example.org" in response.content.decode()


def test_ratings_share_the_client_limit(client, world, hh_result):
    with override_settings(PORTAL_SUBMISSIONS_PER_CLIENT_HOUR=1):
        first = follow(client, hh_result, "a@example.org")
        rating = COMMIT[0](client.post, reverse("portal:rate", args=["target", hh_result.pk]),
                           {"email": "b@example.org", "score": 4, "comment": ""},
                           REMOTE_ADDR="203.0.113.7")
    assert first.status_code == 302 and rating.status_code == 400


def test_the_client_is_the_proxy_s_client_only_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2",
                     HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    settings.SIXCLEAR_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.SIXCLEAR_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.5"


def test_ipv6_clients_are_counted_by_their_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    two = rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::2")
    assert client_address(one) == client_address(two)
