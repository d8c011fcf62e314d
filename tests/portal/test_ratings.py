"""Citizens rate published results (1–5) with a comment: tied to a confirmed address, one per
result per address, comments moderated, floods and bots held off, nothing typed lost."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from sixclear.portal import selectors, services
from sixclear.portal.models import CommentState, Rating
from sixclear.versioning import StaleEdit

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def rate(client, committed):
    def send(item, kind="target", **fields):
        data = {"score": "4", "email": "dan@example.org", "comment": "", **fields}
        return committed(client.post, reverse("portal:rate", args=[kind, item.pk]), data)

    return send


def open_link(client, message):
    return client.get(urlsplit(LINK.search(message.body).group(0)).path)


def test_a_rating_counts_only_after_its_address_is_confirmed(client, world, vh, rate):
    response = rate(vh["target"], score="2", comment="Cần công khai số liệu sớm hơn")
    assert response.status_code == 302
    assert not Rating.objects.exists()  # nothing saved in someone's name yet
    assert "2" in mail.outbox[0].body and "Cần công khai" in mail.outbox[0].body
    assert open_link(client, mail.outbox[0]).status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.comment_state) == (2, CommentState.PENDING)
    assert selectors.item_satisfaction(vh["target"]).count == 1

    # The same browser has proven the address: rating again replaces it at once.
    mail.outbox.clear()
    rate(vh["target"], score="5", comment="")
    assert not mail.outbox
    rating = Rating.objects.get()
    assert (rating.score, rating.comment_state) == (5, CommentState.NONE)


def test_another_browser_cannot_rate_in_a_confirmed_persons_name(client, world, vh, rate,
                                                                 committed):
    rate(vh["target"], score="5")
    open_link(client, mail.outbox[0])
    stranger = client.__class__()
    committed(stranger.post, reverse("portal:rate", args=["target", vh["target"].pk]),
              {"score": "1", "email": "dan@example.org"})
    assert Rating.objects.get().score == 5  # unchanged until the owner of the box confirms


def test_a_rejected_form_keeps_everything_typed_and_says_what_is_wrong(client, world, vh,
                                                                     rate):
    long_comment = "Ý kiến " * 200
    response = rate(vh["target"], score="9", comment=long_comment, email="dan@example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Enter a valid email address." in page
    assert 'value="dan@example"' in page
    assert long_comment.strip() in page  # the textarea still holds it
    assert not Rating.objects.exists() and not mail.outbox


def test_a_comment_over_the_limit_is_refused_by_name(client, world, vh, rate):
    with override_settings(PORTAL_COMMENT_MAX_LENGTH=20):
        response = rate(vh["target"], comment="x" * 21)
    assert response.status_code == 400
    assert "at most 20 characters" in response.content.decode()
    with pytest.raises(Exception, match="at most 20"), override_settings(
            PORTAL_COMMENT_MAX_LENGTH=20):
        services.rate(item=vh["target"], email="a@example.org", score=3, comment="y" * 21)


def test_the_honeypot_turns_a_bot_away_and_keeps_the_fields(client, world, vh, rate):
    response = rate(vh["target"], website="http://spam.example", comment="Mua ngay")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert "Mua ngay" in response.content.decode()
    assert not mail.outbox and not Rating.objects.exists()


def test_an_address_is_limited_per_hour(client, world, vh, rate):
    with override_settings(PORTAL_SUBMISSIONS_PER_HOUR=2):
        assert rate(vh["target"]).status_code == 302
        assert rate(vh["task"], kind="task").status_code == 302
        response = rate(vh["target"], comment="lần ba")
        other = rate(vh["target"], email="other@example.org")
    assert response.status_code == 400
    assert "Too many requests" in response.content.decode()
    assert "lần ba" in response.content.decode()
    assert other.status_code == 302  # another address is not held back
    assert len(mail.outbox) == 3


def test_comments_wait_for_a_moderator_unless_moderation_is_off(world, vh):
    address = services._address("dan@example.org", "vi")
    address.confirmed_at = "2026-01-01T00:00Z"
    address.save()
    held = services._save_rating(address, "target", vh["target"], 4, "Tốt")
    assert held.comment_state == CommentState.PENDING
    assert selectors.approved_comments(vh["target"]) == []
    with override_settings(PORTAL_MODERATE_COMMENTS=False):
        shown = services._save_rating(address, "task", vh["task"], 3, "Chậm")
    assert shown.comment_state == CommentState.APPROVED
    assert [r.comment for r in selectors.approved_comments(vh["task"])] == ["Chậm"]


@pytest.fixture
def pending(world, vh):
    address = services._address("dan@example.org", "vi")
    address.confirmed_at = "2026-01-01T00:00Z"
    address.save()
    return services._save_rating(address, "target", vh["target"], 2, "Số liệu chưa rõ")


def test_the_units_manager_moderates_from_a_queue(client, world, vh, pending):
    client.force_login(world.vh_manager)
    page = client.get(reverse("portal:moderation"))
    assert "Số liệu chưa rõ" in page.content.decode()
    assert "dan@example.org" not in page.content.decode()
    response = client.post(reverse("portal:moderate", args=[pending.pk]),
                           {"decision": "approve", "version": pending.version})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.comment_state == CommentState.APPROVED
    assert pending.moderated_by == world.vh_manager
    public = client.get(reverse("portal:target", args=[vh["target"].pk])).content.decode()
    assert "Số liệu chưa rõ" in public


def test_a_stale_moderation_is_refused(world, vh, pending):
    version = pending.version
    services.moderate_comment(actor=world.vh_manager, rating=pending, approve=True,
                              expected_version=version)
    with pytest.raises(StaleEdit):
        services.moderate_comment(actor=world.vh_manager, rating=pending, approve=False,
                                  expected_version=version)


def test_moderation_is_for_managers_of_the_unit_or_above(client, world, vh, pending):
    url = reverse("portal:moderate", args=[pending.pk])
    assert client.get(reverse("portal:moderation")).status_code == 302  # anonymous: sign in
    assert "sign-in" in client.post(url, {"decision": "reject", "version": 1})["Location"]
    client.force_login(world.hh_manager)  # a manager of another commune
    assert "Số liệu chưa rõ" not in client.get(reverse("portal:moderation")).content.decode()
    assert client.post(url, {"decision": "reject", "version": pending.version}
                       ).status_code == 404
    client.force_login(world.hh_viewer)
    assert client.post(url, {"decision": "reject", "version": pending.version}
                       ).status_code == 404
    from sixclear.orgs.models import Role
    from tests.factories import person
    client.force_login(person(world.ha_noi, Role.LEADER, username="hn.leader"))
    assert "Số liệu chưa rõ" in client.get(reverse("portal:moderation")).content.decode()
    assert client.post(url, {"decision": "reject", "version": pending.version}
                       ).status_code == 302
    pending.refresh_from_db()
    assert pending.comment_state == CommentState.REJECTED


def test_satisfaction_is_aggregated_per_unit_and_up_the_tree(client, world, vh, hh_result):
    for email, score, item, kind in [("a@example.org", 5, vh["target"], "target"),
                                     ("b@example.org", 2, vh["task"], "task"),
                                     ("c@example.org", 4, hh_result, "target")]:
        address = services._address(email, "vi")
        address.confirmed_at = "2026-01-01T00:00Z"
        address.save()
        services._save_rating(address, kind, item, score, "")
    services._address("unconfirmed@example.org", "vi")
    assert selectors.unit_satisfaction(world.viet_hung).count == 2
    assert str(selectors.unit_satisfaction(world.viet_hung).average) == "3.5"
    assert selectors.unit_satisfaction(world.country).count == 3
    rows = {row.unit.name: row for row in selectors.sub_unit_rows(world.country)}
    assert rows["Hà Nội"].satisfaction.count == 2 and rows["Gia Lai"].satisfaction.count == 1
    page = client.get(reverse("portal:unit", args=[world.viet_hung.pk])).content.decode()
    assert "3.5 / 5" in page or "3,5 / 5" in page
    # A withdrawn result's ratings no longer count.
    services.set_publication(actor=vh["manager"], item=vh["task"], published=False)
    assert selectors.unit_satisfaction(world.viet_hung).count == 1


def test_the_moderation_queue_query_count_does_not_grow(client, world, vh,
                                                        django_assert_max_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            address = services._address(f"p{i}@example.org", "vi")
            address.confirmed_at = "2026-01-01T00:00Z"
            address.save()
            item, kind = (vh["target"], "target") if i % 2 else (vh["task"], "task")
            services._save_rating(address, kind, item, 3, f"Ý kiến số {i}")

    client.force_login(world.vh_manager)
    add(2, 0)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("portal:moderation"))
    add(20, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("portal:moderation")).content.decode()
    assert "Ý kiến số 21" in page
