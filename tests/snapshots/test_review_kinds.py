"""Which reviews a resolution keeps, chosen on its page by a manager over its unit, with the
version read: who sees the page, who may change it, a stale choice answers 409."""

import pytest
from django.urls import reverse

from sixclear.plans.models import ResolutionStatus
from sixclear.snapshots import services
from sixclear.snapshots.models import ReviewKinds
from sixclear.versioning import StaleEdit
from tests.factories import ResolutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(world):
    return ResolutionFactory(unit=world.hoa_hoi, status=ResolutionStatus.ADOPTED,
                             number="05-NQ/ĐU", title="Nghị quyết Đại hội Đảng bộ xã")


def url(resolution):
    return reverse("snapshots:review_kinds", args=[resolution.pk])


@pytest.mark.parametrize(("who", "status", "may_change"), [
    ("hh_viewer", 200, False),  # own unit, too low a role to change it
    ("hh_officer", 200, False),
    ("hh_manager", 200, True),
    ("province_leader", 200, True),  # the unit above
    ("anb_manager", 404, False),  # a sibling commune
    ("vh_manager", 404, False),  # another province
    ("outsider", 404, False),
])
def test_who_sees_and_who_may_change_the_choice(client, world, resolution, who, status,
                                                 may_change):
    client.force_login(getattr(world, who))
    response = client.get(url(resolution))
    assert response.status_code == status
    if status == 200:
        assert (response.context["form"] is not None) is may_change
        assert "Mid-term review" in response.content.decode()  # every kind, none chosen yet
    response = client.post(url(resolution), {"version": 0, "kinds": ["year"]})
    assert response.status_code == (302 if may_change else 403 if status == 200 else 404)
    assert ReviewKinds.objects.filter(resolution=resolution).exists() is may_change


def test_anonymous_people_are_sent_to_sign_in(client, resolution):
    for response in (client.get(url(resolution)),
                     client.post(url(resolution), {"version": 0, "kinds": ["year"]})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert not ReviewKinds.objects.exists()


def test_a_manager_chooses_and_a_stale_choice_is_refused(client, world, resolution):
    client.force_login(world.hh_manager)
    response = client.post(url(resolution), {"version": 0, "kinds": ["year", "quarter"]})
    assert response.status_code == 302
    row = ReviewKinds.objects.get(resolution=resolution)
    assert row.kinds == ["quarter", "year"] and row.version == 1
    assert row.updated_by == world.hh_manager
    assert row.history.first().history_user == world.hh_manager

    # The province's leader opened the page before that choice: theirs is stale.
    client.force_login(world.province_leader)
    stale = client.post(url(resolution), {"version": 0, "kinds": ["final"]})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    row.refresh_from_db()
    assert row.kinds == ["quarter", "year"]
    again = client.post(url(resolution), {"version": 1, "kinds": ["midterm", "final"]})
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.kinds == ["midterm", "final"] and row.version == 2
    page = client.get(url(resolution)).content.decode()
    who = world.province_leader.get_full_name() or world.province_leader.get_username()
    assert "Mid-term review" in page and f"Chosen by <bdi>{who}</bdi>" in page


@pytest.mark.parametrize("kinds", [[], ["weekly"], ["half"]])
def test_a_choice_names_at_least_one_known_kind(client, world, resolution, kinds):
    client.force_login(world.hh_manager)
    response = client.post(url(resolution), {"version": 0, "kinds": kinds})
    assert response.status_code == 400
    assert response.context["form"].errors["kinds"]
    assert not ReviewKinds.objects.exists()


def test_the_service_checks_the_version(world, resolution):
    services.set_review_kinds(actor=world.hh_manager, resolution=resolution, kinds=["year"],
                              expected_version=0)
    with pytest.raises(StaleEdit):
        services.set_review_kinds(actor=world.hh_manager, resolution=resolution,
                                  kinds=["month"], expected_version=0)
    with pytest.raises(StaleEdit):  # a choice read that is no longer there
        services.set_review_kinds(actor=world.hh_manager,
                                  resolution=ResolutionFactory(unit=world.hoa_hoi),
                                  kinds=["month"], expected_version=3)


@pytest.mark.parametrize(("language", "words"), [
    ("vi", "Chọn ít nhất một kỳ trong"),
    ("ar", "اختر نوعًا واحدًا على الأقل"),
])
def test_the_page_speaks_the_readers_language(client, world, resolution, language, words):
    client.force_login(world.hh_manager)
    response = client.post(url(resolution), {"version": 0, "kinds": []},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert words in response.content.decode()


def test_the_units_reviews_lead_to_the_choice(client, world, resolution,
                                               django_assert_max_num_queries):
    ResolutionFactory(unit=world.hoa_hoi)
    client.force_login(world.hh_viewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("snapshots:unit", args=[world.hoa_hoi.pk]))
    html = response.content.decode()
    assert url(resolution) in html
    assert len(response.context["resolutions"]) == 2
