"""The portal's pages: open to anyone, methods beside figures, cacheable, bounded queries,
in every language; and the publishing panels and actions on the internal pages."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from sixclear.orgs.models import Role
from sixclear.portal import services
from sixclear.portal.models import Publication, PublishingDefault
from sixclear.tracking.models import TaskState
from sixclear.versioning import StaleEdit
from tests.factories import TaskFactory, person


def test_a_citizen_reads_a_target_with_the_method_of_each_figure(client, world, vh):
    page = client.get(reverse("portal:target", args=[vh["target"].pk])).content.decode()
    assert vh["target"].name in page
    assert "How the status is computed" in page
    assert "How the expected values are computed" in page
    assert "grows by 12 % a year, compounded" in page
    assert "How the required rate is computed" in page
    assert "How the forecast is computed" in page
    assert "5 % of the expected value" in page  # the unit's tolerance, in words


def test_a_citizen_reads_a_task_with_status_and_approved_completion(client, world, vh):
    page = client.get(reverse("portal:task", args=[vh["task"].pk])).content.decode()
    assert vh["task"].title in page
    assert "40 % done (approved)" in page
    assert 'data-status="at_risk"' in page  # the obstacle counts, its words never show
    assert "How the status and completion are computed" in page


def test_units_are_found_by_name_and_shown_side_by_side(client, world, vh):
    found = client.get(reverse("portal:index"), {"q": "việt hưng"}).content.decode()
    assert reverse("portal:unit", args=[world.viet_hung.pk]) in found
    province = client.get(reverse("portal:unit", args=[world.ha_noi.pk])).content.decode()
    assert "Units under it, side by side" in province
    assert reverse("portal:unit", args=[world.viet_hung.pk]) in province


def test_pages_send_an_etag_and_answer_304_when_nothing_changed(client, world, vh):
    url = reverse("portal:target", args=[vh["target"].pk])
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # The target's page links its resolution only while that is published.
    services.set_publication(actor=vh["manager"], item=vh["resolution"], published=False)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert reverse("portal:resolution", args=[vh["resolution"].pk]) not in (
        changed.content.decode())
    arabic = client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"], HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.status_code == 200  # another language is another page


def test_a_cached_page_costs_no_query_to_rebuild(client, world, vh, django_assert_num_queries):
    url = reverse("portal:target", args=[vh["target"].pk])
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


def test_the_unit_page_query_count_does_not_grow_with_rows(client, world, vh,
                                                           django_assert_max_num_queries):
    url = reverse("portal:unit", args=[world.viet_hung.pk])
    services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung, publish=True,
                                    expected_version=0)
    caches["portal"].clear()
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(30):
        TaskFactory(unit=world.viet_hung, state=TaskState.ISSUED, owner=vh["officer"],
                    title=f"Nhiệm vụ công khai {n}")
    caches["portal"].clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Nhiệm vụ công khai 29" in page


def test_every_portal_page_opens_without_an_account_in_three_languages(client, world, vh):
    urls = [reverse("portal:index"), reverse("portal:unit", args=[world.viet_hung.pk]),
            reverse("portal:resolution", args=[vh["resolution"].pk]),
            reverse("portal:target", args=[vh["target"].pk]),
            reverse("portal:task", args=[vh["task"].pk]), reverse("portal:open_data")]
    for language, direction in [("vi", "ltr"), ("ar", "rtl"), ("en", "ltr")]:
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            assert f'lang="{language}" dir="{direction}"' in response.content.decode()


def test_the_language_switcher_works_without_an_account(client, world, vh):
    url = reverse("portal:target", args=[vh["target"].pk])
    response = client.post(reverse("accounts:language"), {"language": "ar", "next": url})
    assert response.status_code == 302
    assert 'lang="ar" dir="rtl"' in client.get(url).content.decode()


# --- Publishing ----------------------------------------------------------------------------


def test_a_manager_publishes_and_withdraws_with_history(world, vh):
    secret = vh["secret"]
    services.set_publication(actor=vh["manager"], item=secret, published=True)
    again = services.set_publication(actor=vh["manager"], item=secret, published=True)
    assert again.history.count() == 1  # idempotent: nothing new recorded
    services.set_publication(actor=vh["manager"], item=secret, published=False)
    publication = Publication.objects.get(task=secret)
    assert [h.published for h in publication.history.order_by("history_id")] == [True, False]
    assert publication.history.first().history_user == vh["manager"]


def test_a_draft_task_cannot_be_published(world, vh):
    with pytest.raises(Exception, match="issued or finished"):
        services.set_publication(actor=vh["manager"], item=vh["draft"], published=True)


def test_only_managers_of_the_unit_or_above_may_publish(world, vh):
    from django.core.exceptions import PermissionDenied

    viewer = person(world.viet_hung, Role.VIEWER, username="vh.viewer")
    for actor in (viewer, vh["officer"], world.hh_manager, world.province_leader):
        with pytest.raises(PermissionDenied):
            services.set_publication(actor=actor, item=vh["secret"], published=True)
    leader = person(world.ha_noi, Role.LEADER, username="hn.leader")
    services.set_publication(actor=leader, item=vh["secret"], published=True)


def test_a_stale_default_is_refused(world, vh):
    services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung, publish=True,
                                    expected_version=0)
    with pytest.raises(StaleEdit):
        services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung,
                                        publish=False, expected_version=0)
    default = PublishingDefault.objects.get(unit=world.viet_hung)
    services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung, publish=False,
                                    expected_version=default.version)
    with pytest.raises(StaleEdit):
        services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung,
                                        publish=True, expected_version=default.version)


def test_the_publish_button_on_the_task_page(client, world, vh):
    client.force_login(vh["manager"])
    page = client.get(reverse("tracking:task", args=[vh["secret"].pk])).content.decode()
    assert 'data-published="no"' in page and "Publish on the portal" in page
    response = client.post(reverse("portal:publish", args=["task", vh["secret"].pk]),
                           {"published": "1"})
    assert response["Location"] == reverse("tracking:task", args=[vh["secret"].pk])
    page = client.get(reverse("tracking:task", args=[vh["secret"].pk])).content.decode()
    assert 'data-published="yes"' in page and "Withdraw from the portal" in page


def test_the_panels_offer_no_button_to_those_who_may_not_publish(client, world, vh):
    client.force_login(vh["officer"])
    for url in [reverse("tracking:task", args=[vh["task"].pk]),
                reverse("plans:target", args=[vh["target"].pk]),
                reverse("plans:resolution", args=[vh["resolution"].pk]),
                reverse("orgs:unit", args=[world.viet_hung.pk])]:
        page = client.get(url).content.decode()
        assert "Public portal" in page, url
        assert "Publish on the portal" not in page and "Withdraw from the portal" not in page
        assert "Save the default" not in page


@pytest.mark.parametrize("kind", ["task", "target", "resolution"])
def test_publishing_access_sibling_anonymous_superior(client, world, vh, kind):
    item = {"task": vh["secret"], "target": vh["hidden_target"],
            "resolution": vh["resolution"]}[kind]
    url = reverse("portal:publish", args=[kind, item.pk])
    wanted = kind != "resolution"  # the resolution is already published: withdraw it
    data = {"published": "1" if wanted else "0"}
    response = client.post(url, data)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    client.force_login(world.hh_manager)  # a manager of a commune in another province
    assert client.post(url, data).status_code == 404
    client.force_login(person(world.viet_hung, Role.VIEWER, username="vh.viewer"))
    assert client.post(url, data).status_code == 403
    client.force_login(person(world.ha_noi, Role.LEADER, username="hn.leader"))
    assert client.post(url, data).status_code == 302
    assert Publication.objects.get(**{kind: item}).published is wanted


def test_the_unit_default_form_access_and_effect(client, world, vh):
    url = reverse("portal:publishing_default", args=[world.viet_hung.pk])
    data = {"publish": "1", "version": "0"}
    assert "sign-in" in client.post(url, data)["Location"]
    client.force_login(world.hh_manager)
    assert client.post(url, data).status_code == 404
    client.force_login(vh["manager"])
    page = client.get(reverse("orgs:unit", args=[world.viet_hung.pk])).content.decode()
    assert "Save the default" in page
    assert client.post(url, data).status_code == 302
    assert PublishingDefault.objects.get(unit=world.viet_hung).publish
    stale = client.post(url, {"publish": "0", "version": "0"}, follow=True)
    assert "changed by someone else" in stale.content.decode()
    assert PublishingDefault.objects.get(unit=world.viet_hung).publish


@pytest.mark.parametrize("model", ["publication", "publishingdefault", "rating", "follow"])
def test_the_admin_shows_portal_rows_for_inspection_only(client, world, vh, model):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="chief", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/portal/{model}/").status_code == 200
    assert client.get(f"/admin/portal/{model}/add/").status_code == 403


def test_the_page_cache_is_shared_by_every_process(settings):
    """A publish handled by one worker must empty the cache the other workers read."""
    assert "locmem" not in settings.CACHES["portal"]["BACKEND"]
