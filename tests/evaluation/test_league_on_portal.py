"""A closed round's league on the public portal when the deciding level chooses: the
collectives' ranks, points and grades, never a person; who may publish it, and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sixclear.evaluation import services
from sixclear.evaluation.models import Level
from sixclear.orgs.models import Role
from sixclear.portal import services as portal
from tests.factories import person

from .test_rounds import decide, open_communes, self_assess, subject_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(evidence):
    """The communes' round of Gia Lai closed as in test_rounds: An Nhơn Bắc 100 points, good
    (capped), rank 1; Hòa Hội 91 points, complete, rank 2."""
    round_ = open_communes(evidence)
    self_assess(evidence.hh_manager, subject_of(round_, evidence.hoa_hoi), "28",)
    self_assess(evidence.anb_manager, subject_of(round_, evidence.an_nhon_bac), "30")
    for unit in (evidence.hoa_hoi, evidence.an_nhon_bac):
        decide(evidence, subject_of(round_, unit))
    subject = subject_of(round_, evidence.hoa_hoi)
    subject.review_comment = "Nhận xét nội bộ không công bố"
    subject.save()
    round_.refresh_from_db()
    services.close_round(actor=evidence.province_leader, round=round_,
                         expected_version=round_.version)
    evidence.round = round_
    return evidence


def league(client, world):
    return client.get(reverse("portal:league", args=[world.round.pk]))


def test_a_published_league_shows_collectives_ranks_points_and_grades_only(client, closed):
    assert league(client, closed).status_code == 404  # not published yet
    portal.set_league_publication(actor=closed.province_leader, round=closed.round,
                                  published=True)
    page = league(client, closed).content.decode()  # anonymous citizen
    table = page[page.index('id="league-table"'):]
    assert table.index("An Nhơn Bắc") < table.index("Hòa Hội")
    assert "100" in table and "91" in table
    assert "Well completed duties" in table or "Hoàn thành tốt nhiệm vụ" in table
    assert "Nhận xét nội bộ" not in page and closed.hh_manager.username not in page
    unit_page = client.get(reverse("portal:unit", args=[closed.gia_lai.pk])).content.decode()
    assert reverse("portal:league", args=[closed.round.pk]) in unit_page
    portal.set_league_publication(actor=closed.province_leader, round=closed.round,
                                  published=False)
    assert league(client, closed).status_code == 404


def test_only_the_deciding_levels_leaders_publish_and_only_a_closed_round(closed):
    with pytest.raises(PermissionDenied):  # a manager of a graded commune
        portal.set_league_publication(actor=closed.hh_manager, round=closed.round,
                                      published=True)
    open_round = services.open_round(actor=closed.province_admin, unit=closed.gia_lai,
                                     year=2026, level=Level.PEOPLES_COMMITTEE)
    with pytest.raises(ValidationError):
        portal.set_league_publication(actor=closed.province_leader, round=open_round,
                                      published=True)


def test_a_round_of_persons_is_never_published(evidence):
    commune_admin = person(evidence.hoa_hoi, Role.ADMIN, username="hh.admin")
    cadres = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                 level=Level.CADRE)
    with pytest.raises(ValidationError):
        portal.set_league_publication(actor=evidence.hh_leader, round=cadres, published=True)


def test_a_round_of_persons_stays_off_the_portal_closed_through_the_page_or_forced(
        client, evidence):
    """The rule holds at every door: the service refuses a closed round of cadres, the publish
    view records nothing for it, and a publication written behind the services' back (an
    import, a bad migration) still shows no person: the portal's selector skips the round."""
    from sixclear.evaluation.models import Round, RoundStatus
    from sixclear.portal.models import LeaguePublication

    commune_admin = person(evidence.hoa_hoi, Role.ADMIN, username="hh.admin")
    cadres = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                 level=Level.CADRE)
    names = list(cadres.subjects.values_list("name", flat=True))
    assert names
    Round.objects.filter(pk=cadres.pk).update(status=RoundStatus.CLOSED)
    cadres.refresh_from_db()
    with pytest.raises(ValidationError):
        portal.set_league_publication(actor=evidence.hh_leader, round=cadres, published=True)
    client.force_login(evidence.hh_leader)
    round_page = client.get(reverse("evaluation:round", args=[cadres.pk])).content.decode()
    assert "data-published" not in round_page  # no portal panel on a round of persons
    response = client.post(reverse("portal:publish_league", args=[cadres.pk]),
                           {"published": "1"}, follow=True)
    assert "never published" in response.content.decode()
    assert not LeaguePublication.objects.filter(round=cadres).exists()
    LeaguePublication.objects.create(round=cadres, published=True,
                                     changed_by=evidence.hh_leader)
    client.logout()
    assert client.get(reverse("portal:league", args=[cadres.pk])).status_code == 404
    unit_page = client.get(reverse("portal:unit", args=[evidence.hoa_hoi.pk])).content.decode()
    assert reverse("portal:league", args=[cadres.pk]) not in unit_page
    assert not any(name in unit_page for name in names)


def test_the_publish_button_by_access(client, closed):
    url = reverse("portal:publish_league", args=[closed.round.pk])
    round_page = reverse("evaluation:round", args=[closed.round.pk])
    anonymous = client.post(url, {"published": "1"})
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]  # sign in
    client.force_login(closed.anb_officer)  # a graded commune's officer: not a reviewer
    assert client.post(url, {"published": "1"}).status_code == 404
    client.force_login(closed.vh_manager)  # another province
    assert client.post(url, {"published": "1"}).status_code == 404
    manager = person(closed.gia_lai, Role.MANAGER, username="gl.manager")
    client.force_login(manager)  # sees the round, may not decide
    assert client.post(url, {"published": "1"}).status_code == 403
    client.force_login(closed.province_leader)
    page = client.get(round_page).content.decode()
    assert url in page and 'data-published="no"' in page
    response = client.post(url, {"published": "1"})
    assert response.status_code == 302 and response["Location"] == round_page
    assert 'data-published="yes"' in client.get(round_page).content.decode()
    assert league(client, closed).status_code == 200


def test_the_league_speaks_vietnamese_and_arabic(client, closed):
    portal.set_league_publication(actor=closed.province_leader, round=closed.round,
                                  published=True)
    url = reverse("portal:league", args=[closed.round.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in page and "Tập thể" in page
    client.cookies["django_language"] = "ar"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "الجماعة" in page


def test_the_admin_lists_league_publications_but_does_not_add_them(client, closed):
    from tests.factories import UserFactory

    portal.set_league_publication(actor=closed.province_leader, round=closed.round,
                                  published=True)
    client.force_login(UserFactory(username="chief", is_superuser=True, is_staff=True))
    assert client.get("/admin/portal/leaguepublication/").status_code == 200
    assert client.get("/admin/portal/leaguepublication/add/").status_code == 403
