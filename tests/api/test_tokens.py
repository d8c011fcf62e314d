"""Personal API tokens: created and revoked on a page, stored only as a hash, shown once."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sixclear.api import services
from sixclear.api.models import ApiToken, hash_token
from tests.factories import UserFactory


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_a_token_acts_as_its_owner_and_records_its_last_use(world, sample):
    token, raw = services.create_token(actor=world.hh_manager, name="Hệ thống báo cáo")
    assert token.last_used_at is None

    response = bearer(raw).get(f"/api/v1/tasks/{sample.task.pk}/")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(world):
    token, raw = services.create_token(actor=world.hh_manager, name="x")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in [str(value) for value in row.values()]
    assert row["key_hash"] == hash_token(raw)
    assert raw.startswith(row["key_start"]) and len(row["key_start"]) < 10


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "inactive user"])
def test_a_dead_token_is_refused_with_401(world, sample, state):
    token, raw = services.create_token(actor=world.hh_manager, name="x")
    if state == "revoked":
        services.revoke_token(actor=world.hh_manager, token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "unknown":
        raw = raw[:-2] + "zz"
    else:
        world.hh_manager.is_active = False
        world.hh_manager.save()

    response = bearer(raw).get("/api/v1/tasks/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_authorization_header_must_be_well_formed(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_person_may_revoke_only_their_own_tokens(world):
    token, _raw = services.create_token(actor=world.hh_manager, name="x")
    with pytest.raises(Exception) as error:
        services.revoke_token(actor=world.hh_officer, token=token)
    assert "own tokens" in str(error.value)


def test_token_names_and_lifetimes_are_checked(world):
    with pytest.raises(Exception) as error:
        services.create_token(actor=world.hh_manager, name=" ", days=0)
    assert set(error.value.message_dict) == {"name", "days"}


# The page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/accounts/api-tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_new_token_is_shown_once(client, world):
    client.force_login(world.hh_officer)
    response = client.post("/accounts/api-tokens/", {"name": "Báo cáo tỉnh", "days": "30"},
                           follow=True)

    token = ApiToken.objects.get(user=world.hh_officer)
    shown = response.context["new_token"]["value"]
    assert token.key_hash == hash_token(shown)
    assert shown in response.content.decode()
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()

    again = client.get("/accounts/api-tokens/")
    assert shown not in again.content.decode()
    assert "Báo cáo tỉnh" in again.content.decode()
    assert bearer(shown).get("/api/v1/units/").status_code == 200


def test_the_form_says_what_is_wrong_and_keeps_the_input(client, world):
    client.force_login(world.hh_officer)
    response = client.post("/accounts/api-tokens/", {"name": "Giữ lại", "days": "7"},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["days"]
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert 'value="Giữ lại"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_the_token(client, world):
    token, raw = services.create_token(actor=world.hh_officer, name="cũ")
    client.force_login(world.hh_officer)

    response = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert bearer(raw).get("/api/v1/units/").status_code == 401


def test_nobody_else_can_see_or_revoke_a_persons_tokens(client, world):
    token, raw = services.create_token(actor=world.hh_officer, name="của tôi")
    client.force_login(world.hh_manager)  # a manager of the same commune

    page = client.get("/accounts/api-tokens/")
    revoke = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")

    assert "của tôi" not in page.content.decode()
    assert revoke.status_code == 404
    assert bearer(raw).get("/api/v1/units/").status_code == 200


def test_the_page_lists_tokens_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.hh_officer)
    services.create_token(actor=world.hh_officer, name="một")
    with django_assert_max_num_queries(12) as one:
        client.get("/accounts/api-tokens/")
    for n in range(10):
        services.create_token(actor=world.hh_officer, name=f"token {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/accounts/api-tokens/")
    assert response.content.decode().count("token ") >= 10


def test_the_header_links_to_the_token_page(client, world):
    client.force_login(world.hh_officer)
    response = client.get("/my-work/")
    assert 'href="/accounts/api-tokens/"' in response.content.decode()


def test_an_administrator_sees_tokens_without_their_value_and_revokes_them(client, world):
    token, raw = services.create_token(actor=world.hh_officer, name="báo cáo")
    chief = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(chief)

    listing = client.get("/admin/api/apitoken/")
    detail = client.get(f"/admin/api/apitoken/{token.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    assert token.key_hash not in detail.content.decode() and raw not in detail.content.decode()
    assert client.get("/admin/api/apitoken/add/").status_code == 403

    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert bearer(raw).get("/api/v1/units/").status_code == 401
