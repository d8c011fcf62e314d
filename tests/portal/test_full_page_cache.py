"""The portal's whole-page cache for anonymous visitors (portal.pagecache.FullPageCache): no
query on a second visit, a decision shows at once, never for a signed-in person, never across
languages, never for a page that carries a CSRF token or a CSP nonce."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from sixclear.portal import pagecache, services

from .conftest import SECRET_TASK


def _unit_url(world):
    return reverse("portal:unit", args=[world.viet_hung.pk])


def test_a_second_anonymous_visit_runs_no_query(client, world, vh, django_assert_num_queries):
    url = _unit_url(world)
    first = client.get(url)
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again["X-Portal-Cache"] == "hit"
    assert again.content == first.content
    assert "public" in again["Cache-Control"] and "no-cache" in again["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in again["Vary"].split(",")}
    assert "Content-Security-Policy" in again and again["X-Frame-Options"] == "DENY"
    assert not again.cookies
    assert "csrfmiddlewaretoken" not in again.content.decode()


def test_the_cached_page_answers_304_to_its_etag(client, world, vh, django_assert_num_queries):
    url = _unit_url(world)
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag


def test_publishing_changes_the_page_at_once(client, world, vh):
    url = _unit_url(world)
    assert SECRET_TASK not in client.get(url).content.decode()
    assert client.get(url)["X-Portal-Cache"] == "hit"
    services.set_publication(actor=vh["manager"], item=vh["secret"], published=True)
    after = client.get(url)
    assert after["X-Portal-Cache"] == "miss"
    assert SECRET_TASK in after.content.decode()
    services.set_publication(actor=vh["manager"], item=vh["secret"], published=False)
    assert SECRET_TASK not in client.get(url).content.decode()


def test_a_signed_in_person_never_gets_or_leaves_a_cached_page(client, world, vh):
    url = _unit_url(world)
    signed_in = Client()
    signed_in.force_login(vh["manager"])
    mine = signed_in.get(url)
    assert "X-Portal-Cache" not in mine and "no-store" in mine["Cache-Control"]
    assert client.get(url)["X-Portal-Cache"] == "miss"  # the manager's page was not kept
    assert client.get(url)["X-Portal-Cache"] == "hit"
    again = signed_in.get(url)
    assert "X-Portal-Cache" not in again
    assert reverse("accounts:sign_out") in again.content.decode()


def test_languages_never_mix(client, world, vh):
    url = _unit_url(world)
    for language, direction in [("vi", "ltr"), ("ar", "rtl"), ("en", "ltr")]:
        first = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert first["X-Portal-Cache"] == "miss", language
        again = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert again["X-Portal-Cache"] == "hit"
        assert f'lang="{language}" dir="{direction}"' in again.content.decode()
        assert again["Content-Language"] == language
    chosen = Client()
    chosen.cookies["django_language"] = "ar"
    page = chosen.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert page["X-Portal-Cache"] == "hit" and 'lang="ar"' in page.content.decode()


def test_a_page_with_a_csrf_form_is_not_cached(client, world, vh):
    url = reverse("portal:target", args=[vh["target"].pk])  # follow and rating forms
    for _n in range(2):
        response = client.get(url)
        assert "X-Portal-Cache" not in response
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "private" in response["Cache-Control"]


def test_a_visitor_with_a_session_or_a_message_passes_by_the_cache(client, world, vh):
    url = _unit_url(world)
    client.get(url)
    for cookie in ("sessionid", "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "x"
        assert "X-Portal-Cache" not in visitor.get(url), cookie


def test_a_search_or_an_unknown_parameter_is_not_cached(client, world, vh):
    index = reverse("portal:index")
    assert "X-Portal-Cache" not in client.get(index, {"q": "việt"})
    assert "X-Portal-Cache" not in client.get(index, {"utm": "1"})
    assert client.get(index)["X-Portal-Cache"] == "miss"
    assert client.get(_unit_url(world), {"page": "2"})["X-Portal-Cache"] == "miss"


@pytest.mark.parametrize("spoil", ["cookie", "csrf", "nonce", "language", "unmarked"])
def test_only_a_response_everyone_may_share_is_stored(spoil):
    request = RequestFactory().get("/portal/")
    response = HttpResponse("page", headers={"Content-Language": "en"})
    setattr(response, pagecache.SHARED, True)
    assert pagecache._storable(request, response, "en")
    if spoil == "cookie":
        response.set_cookie("x", "1")
    elif spoil == "csrf":
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    elif spoil == "nonce":
        request._csp_nonce = "abc"  # what django-csp sets once a template asks for a nonce
    elif spoil == "language":
        response["Content-Language"] = "vi"
    else:
        delattr(response, pagecache.SHARED)
    assert not pagecache._storable(request, response, "en")


def test_the_language_form_of_a_visitor_needs_no_token_but_this_site_as_origin(world, vh):
    visitor = Client(enforce_csrf_checks=True)
    url = reverse("accounts:language")
    assert visitor.post(url, {"language": "vi", "next": "/portal/"},
                        HTTP_ORIGIN="http://testserver").status_code == 302
    assert visitor.post(url, {"language": "vi", "next": "/portal/"}).status_code == 302
    assert visitor.post(url, {"language": "vi", "next": "/portal/"},
                        HTTP_ORIGIN="https://elsewhere.example").status_code == 403
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(vh["manager"])
    assert signed_in.post(url, {"language": "vi", "next": "/"},
                          HTTP_ORIGIN="http://testserver").status_code == 403  # no token
