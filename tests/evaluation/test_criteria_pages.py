"""Criteria sets through the pages: anyone signed in reads the shipped sets, an administrator
derives their unit's version, edits and publishes it; nobody else edits; a unit's set is not
seen outside its subtree. And the pages in Vietnamese and Arabic."""

import pytest
from django.urls import reverse
from django.utils import translation

from sixclear.evaluation import services
from sixclear.evaluation.models import CriteriaSet, Level, SetStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(evidence):
    return CriteriaSet.objects.get(unit=None, year=2026, level=Level.PARTY_COMMITTEE)


def test_an_administrator_derives_edits_and_publishes_through_the_pages(client, evidence,
                                                                         shipped):
    url = reverse("evaluation:criteria_set", args=[shipped.pk])
    client.force_login(evidence.province_leader)
    page = client.get(url).content.decode()
    assert "as reported, to be checked" in page and "Quy định 366-QĐ/TW" in page
    assert 'value="derive"' not in page
    client.force_login(evidence.province_admin)
    response = client.post(url, {"action": "derive", "unit": evidence.gia_lai.pk})
    assert response.status_code == 302
    mine = CriteriaSet.objects.get(unit=evidence.gia_lai)
    mine_url = reverse("evaluation:criteria_set", args=[mine.pk])
    response = client.post(mine_url, {"version": mine.version, "name": "Bộ tiêu chí Gia Lai",
                                      "excellent_min": "85", "good_min": "85",
                                      "complete_min": "50", "cap_share": "0.2"})
    assert response.status_code == 400
    assert "more points than the one below" in response.content.decode()
    response = client.post(mine_url, {"version": mine.version, "name": "Bộ tiêu chí Gia Lai",
                                      "excellent_min": "85", "good_min": "65",
                                      "complete_min": "50", "cap_share": "0.2"})
    assert response.status_code == 302
    criterion = mine.criteria.get(code="KQ2")
    mine.refresh_from_db()
    edit = reverse("evaluation:criterion", args=[mine.pk, criterion.pk])
    response = client.post(edit, {"version": mine.version, "title": "Chỉ tiêu đạt lộ trình",
                                  "points": "20", "method": "measure", "measure": "nope",
                                  "full_at": "1"})
    assert response.status_code == 400
    response = client.post(edit, {"version": mine.version, "title": "Chỉ tiêu đạt lộ trình",
                                  "points": "20", "method": "measure",
                                  "measure": "targets_on_trajectory", "full_at": "0.9"})
    assert response.status_code == 302
    mine.refresh_from_db()
    response = client.post(mine_url, {"action": "publish", "version": mine.version})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == SetStatus.PUBLISHED
    assert mine.rules["grades"]["good"]["min_points"] == "65"
    assert mine.criteria.get(code="KQ2").parameters["full_at"] == "0.9"
    assert client.get(edit).status_code == 200  # shown, but a published set refuses the edit
    response = client.post(edit, {"version": mine.version, "title": "x", "points": "20",
                                  "method": "manual", "full_at": "1"})
    assert response.status_code == 400


def test_others_do_not_edit_and_do_not_see_a_units_set(client, evidence, shipped):
    mine = services.derive_criteria_set(actor=evidence.province_admin, source=shipped,
                                        unit=evidence.gia_lai)
    criterion = mine.criteria.first()
    client.force_login(evidence.province_leader)
    edit = reverse("evaluation:criterion", args=[mine.pk, criterion.pk])
    assert client.get(edit).status_code == 403
    client.force_login(evidence.vh_manager)
    assert client.get(reverse("evaluation:criteria_set", args=[mine.pk])).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.get(reverse("evaluation:criteria_set", args=[shipped.pk])).status_code == 200


def test_a_person_sees_their_own_evaluation_and_not_a_colleagues(client, evidence):
    from sixclear.orgs.models import Role
    from tests.factories import person

    commune_admin = person(evidence.hoa_hoi, Role.ADMIN, username="hh.admin")
    round_ = services.open_round(actor=commune_admin, unit=evidence.hoa_hoi, year=2026,
                                 level=Level.CADRE)
    own = round_.subjects.get(person=evidence.hh_officer)
    colleague = round_.subjects.get(person=evidence.hh_viewer)
    client.force_login(evidence.hh_officer)
    assert client.get(reverse("evaluation:subject", args=[own.pk])).status_code == 200
    assert client.get(reverse("evaluation:subject", args=[colleague.pk])).status_code == 404
    page = client.get(reverse("evaluation:unit", args=[evidence.hoa_hoi.pk])).content.decode()
    assert reverse("evaluation:subject", args=[own.pk]) in page
    client.force_login(evidence.hh_leader)  # a leader of the deciding unit reviews everyone
    assert client.get(reverse("evaluation:subject", args=[colleague.pk])).status_code == 200


@pytest.mark.parametrize(("language", "words", "english"), [
    ("vi", ["Từng điểm và hồ sơ làm căn cứ", "Kết quả tạm tính", "Nhiệm vụ hoàn thành đúng hạn"],
     "Every point and the records behind it"),
    ("ar", ["كل نقطة والسجلات التي تستند إليها", "التصنيف حتى الآن (مؤقت)",
            "المهام المنجزة في موعدها"], "Every point and the records behind it"),
])
def test_the_subject_page_speaks_the_persons_language(client, evidence, language, words,
                                                      english):
    from sixclear.accounts.models import UserPreference

    round_ = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                                 year=2026, level=Level.PARTY_COMMITTEE)
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    UserPreference.objects.update_or_create(user=evidence.hh_manager,
                                            defaults={"language": language})
    client.force_login(evidence.hh_manager)
    with translation.override(language):
        session = client.session
        session["_language"] = language
        session.save()
    html = client.get(reverse("evaluation:subject", args=[subject.pk]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in words:
        assert text in html
    assert english not in html
    if language == "ar":
        assert 'dir="rtl"' in html
