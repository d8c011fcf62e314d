"""Signing in and out, changing the password, and a language remembered per person."""

import pytest
from django.urls import reverse

from sixclear.accounts.models import UserPreference
from sixclear.accounts.services import remember_language

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:sign_in"), {"username": username, "password": password}, **extra
    )


def test_sign_in_page_labels_every_field(client, db):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page
    assert 'class="skip-link"' in page


def test_signing_in_leads_to_my_work(client, world):
    response = sign_in(client, "hh.officer")
    assert response.status_code == 302
    assert response.url == reverse("tracking:my_work")


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = sign_in(client, "hh.officer", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in") + "?next=")


def test_home_page_sends_signed_in_people_to_my_work(client, world):
    assert client.get("/").status_code == 200
    client.force_login(world.hh_officer)
    assert client.get("/").url == reverse("tracking:my_work")


def test_signing_out_needs_a_post(client, world):
    client.force_login(world.hh_officer)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.url == reverse("accounts:sign_in")
    assert client.get(reverse("tracking:my_work")).status_code == 302


def test_changing_the_password(client, world):
    client.force_login(world.hh_officer)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a new long passphrase 2025",
        "new_password2": "a new long passphrase 2025",
    })
    assert response.url == reverse("accounts:password_changed")
    world.hh_officer.refresh_from_db()
    assert world.hh_officer.check_password("a new long passphrase 2025")


def test_password_change_needs_a_signed_in_person(client, db):
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_the_chosen_language_is_remembered_for_the_person(client, world):
    client.force_login(world.hh_officer)
    response = client.post(reverse("accounts:language"), {"language": "ar", "next": "/my-work/"})
    assert response.url == "/my-work/"
    assert UserPreference.objects.get(user=world.hh_officer).language == "ar"
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_the_remembered_language_applies_at_sign_in_on_a_new_device(client, world):
    remember_language(actor=world.hh_officer, language="vi")
    sign_in(client, "hh.officer")
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert '<html lang="vi" dir="ltr">' in page


def test_an_anonymous_language_choice_is_not_stored(client, world):
    response = client.post(reverse("accounts:language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302
    assert not UserPreference.objects.exists()
    assert '<html lang="ar" dir="rtl">' in client.get("/").content.decode()


def test_an_unknown_language_is_ignored(client, world):
    client.force_login(world.hh_officer)
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    assert not UserPreference.objects.exists()


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_every_page_offers_the_three_languages(client, world, language):
    client.force_login(world.hh_officer)
    client.post(reverse("accounts:language"), {"language": language, "next": "/"})
    page = client.get(reverse("tracking:my_work")).content.decode()
    for code in ("vi", "en", "ar"):
        assert f'<option value="{code}" lang="{code}"' in page
    assert f'<html lang="{language}"' in page


@pytest.mark.parametrize("cookie", ["abc\x00defghijk", "x" * 8 + "'; DROP", "é" * 32])
def test_a_malformed_session_cookie_is_a_new_session_not_a_server_error(client, db, cookie):
    client.cookies["sessionid"] = cookie
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
