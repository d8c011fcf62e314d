"""Passwords of 12 characters or more, refused when common or like the person's name (ASVS
V2.1); personal API tokens revoked when the password changes or the account is closed."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from sixclear.api.models import ApiToken
from sixclear.demo.dataset import DEMO_PASSWORD
from tests.api.conftest import token_client
from tests.security.test_requests import fresh_rate_limits  # noqa: F401 - autouse fixture
from tests.web.test_accounts import PASSWORD


@pytest.mark.parametrize("password", ["sixclear", "short-pass1", "password12345", "123456789012",
                                      "1q2w3e4r5t6y"])
def test_short_or_common_passwords_are_refused(password, world):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.hh_officer)


def test_a_password_like_the_person_s_name_is_refused(world):
    with pytest.raises(ValidationError):
        validate_password(world.hh_officer.username + "2025", user=world.hh_officer)


def test_the_demo_password_is_still_accepted(world):
    validate_password(DEMO_PASSWORD, user=world.hh_officer)


def test_the_password_page_refuses_sixclear(client, world):
    client.force_login(world.hh_officer)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "sixclear", "new_password2": "sixclear"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def api_works(client):
    return client.get(reverse("api:task-list")).status_code == 200


def test_changing_the_password_revokes_the_person_s_api_tokens(client, world):
    api = token_client(world.hh_officer)
    other = token_client(world.hh_manager)
    assert api_works(api)
    client.force_login(world.hh_officer)
    client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a new long passphrase 2025",
        "new_password2": "a new long passphrase 2025"})
    assert not api_works(api)
    assert api_works(other)  # someone else's tokens are untouched
    assert not ApiToken.objects.filter(user=world.hh_officer, revoked_at=None).exists()


def test_a_password_set_anywhere_else_revokes_them_too(world):
    api = token_client(world.hh_officer)
    world.hh_officer.set_password("another long passphrase 77")
    world.hh_officer.save()
    assert not api_works(api)


def test_closing_an_account_revokes_its_tokens_for_good(world):
    api = token_client(world.hh_officer)
    world.hh_officer.is_active = False
    world.hh_officer.save()
    world.hh_officer.is_active = True  # opened again: the old tokens stay revoked
    world.hh_officer.save()
    assert not api_works(api)


def test_signing_in_does_not_revoke_tokens(client, world):
    api = token_client(world.hh_officer)
    client.post(reverse("accounts:sign_in"), {"username": "hh.officer", "password": PASSWORD})
    assert api_works(api)


def test_a_stronger_hash_stored_at_sign_in_is_no_password_change(world, settings):
    api = token_client(world.hh_officer)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert world.hh_officer.check_password(PASSWORD)  # stores the PBKDF2 hash
    assert world.hh_officer.password.startswith("pbkdf2_")
    assert api_works(api)
