"""The evaluation pages: who sees what (own / sibling / above / anonymous / too low a role),
the self-assessment and review forms, the export, and bounded queries."""

import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sixclear.evaluation import services
from sixclear.evaluation.models import Level, SubjectState
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(evidence):
    return services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai, year=2026,
                            level=Level.PARTY_COMMITTEE)


def get(client, user, name, *args):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=args))


@pytest.mark.parametrize(("who", "status"), [
    ("hh_manager", 200), ("hh_viewer", 200), ("province_leader", 200),
    ("anb_manager", 404), ("vh_manager", 404), ("outsider", 404),
])
def test_a_subject_is_seen_by_itself_and_the_level_above_only(client, evidence, round_,
                                                              who, status):
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    assert get(client, getattr(evidence, who), "evaluation:subject", subject.pk).status_code \
        == status


@pytest.mark.parametrize(("who", "status"), [
    ("province_leader", 200), ("province_admin", 200), ("hh_manager", 404),
    ("hh_leader", 404), ("vh_manager", 404),
])
def test_the_round_is_seen_by_the_level_above_only(client, evidence, round_, who, status):
    for name in ("evaluation:round", "evaluation:round_export"):
        assert get(client, getattr(evidence, who), name, round_.pk).status_code == status


def test_anonymous_is_sent_to_sign_in(client, evidence, round_):
    subject = round_.subjects.first()
    for name, pk in (("evaluation:subject", subject.pk), ("evaluation:round", round_.pk),
                     ("evaluation:unit", evidence.gia_lai.pk),
                     ("evaluation:criteria_set", round_.criteria_set.pk)):
        response = get(client, None, name, pk)
        assert response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))


def test_the_unit_page_of_an_unseen_unit_is_404(client, evidence):
    assert get(client, evidence.hh_manager, "evaluation:unit", evidence.viet_hung.pk) \
        .status_code == 404
    assert get(client, evidence.hh_manager, "evaluation:unit", evidence.hoa_hoi.pk) \
        .status_code == 200


def test_opening_a_round_from_the_page_needs_an_administrator(client, evidence):
    url = reverse("evaluation:unit", args=[evidence.gia_lai.pk])
    client.force_login(evidence.province_leader)
    assert client.post(url, {"year": 2026, "level": "party_committee"}).status_code == 403
    client.force_login(evidence.province_admin)
    response = client.post(url, {"year": 2026, "level": "party_committee"})
    assert response.status_code == 302
    response = client.post(url, {"year": 2026, "level": "party_committee"})
    assert response.status_code == 400
    assert "already has a round" in response.content.decode()


def test_self_assessment_and_review_through_the_pages(client, evidence, round_):
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    self_url = reverse("evaluation:self_assessment", args=[subject.pk])
    review_url = reverse("evaluation:review", args=[subject.pk])
    data = {"version": subject.version, "points_TC": "27", "comment": "Đã hoàn thành",
            "proposed_grade": "good", "submit": "1"}
    client.force_login(evidence.hh_viewer)
    assert client.post(self_url, data).status_code == 403
    client.force_login(evidence.anb_manager)
    assert client.post(self_url, data).status_code == 404
    client.force_login(evidence.hh_manager)
    assert client.post(review_url, {"version": subject.version}).status_code == 403
    response = client.post(self_url, {**data, "points_TC": "31"})
    assert response.status_code == 400
    saved = {**data}
    del saved["submit"]
    assert client.post(self_url, saved).status_code == 302
    stale = client.post(self_url, {**data, "comment": "Bản của tôi"})
    assert stale.status_code == 409
    assert "Bản của tôi" in stale.content.decode()
    subject.refresh_from_db()
    response = client.post(self_url, {**data, "version": subject.version})
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.state == SubjectState.SUBMITTED
    client.force_login(evidence.province_leader)
    page = client.get(reverse("evaluation:subject", args=[subject.pk])).content.decode()
    assert reverse("tracking:task", args=[evidence.late_task.pk]) in page
    response = client.post(review_url, {"version": subject.version, "points_KQ1": "35",
                                        "reason_KQ1": "", "decide": "1"})
    assert response.status_code == 400
    response = client.post(review_url, {
        "version": subject.version, "points_KQ1": "35",
        "reason_KQ1": "Trễ do bão số 13, đã được xác nhận", "decide": "1"})
    assert response.status_code == 302
    page = client.get(reverse("evaluation:subject", args=[subject.pk])).content.decode()
    assert "Trễ do bão số 13" in page and "the rule gave 28" in page


def test_the_export_keeps_text_as_text(client, evidence, round_):
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    subject.name = "=HYPERLINK(\"http://x\")"
    subject.save()
    client.force_login(evidence.province_leader)
    response = client.get(reverse("evaluation:round_export", args=[round_.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "=HYPERLINK(\"http://x\")" in names
    cell = next(c for c in sheet["B"] if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_round_and_subject_pages_do_not_grow_with_the_subjects(client, evidence):
    round_ = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                                 year=2026, level=Level.PARTY_COMMITTEE)
    client.force_login(evidence.province_leader)
    round_url = reverse("evaluation:round", args=[round_.pk])
    subject_url = reverse("evaluation:subject", args=[round_.subjects.first().pk])
    small = (count(client, round_url), count(client, subject_url))
    round_.delete()
    for n in range(8):
        make_unit(f"Xã {n}", evidence.gia_lai)
    round_ = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                                 year=2026, level=Level.PARTY_COMMITTEE)
    assert round_.subjects.count() == 10
    round_url = reverse("evaluation:round", args=[round_.pk])
    subject_url = reverse("evaluation:subject", args=[round_.subjects.first().pk])
    assert (count(client, round_url), count(client, subject_url)) == small


@pytest.mark.parametrize("model", ["criteriaset", "round", "subject"])
def test_the_admin_shows_the_evaluation_but_does_not_edit_it(client, evidence, round_, model):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="chief", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 403


def test_the_unit_and_criteria_pages_do_not_grow_with_rounds_and_sets(client, evidence):
    from sixclear.evaluation.models import CriteriaSet

    client.force_login(evidence.province_admin)
    unit_url = reverse("evaluation:unit", args=[evidence.gia_lai.pk])
    sets_url = reverse("evaluation:criteria_sets")
    services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai, year=2026,
                        level=Level.PARTY_COMMITTEE)
    small = (count(client, unit_url), count(client, sets_url))
    for level in (Level.PEOPLES_COMMITTEE, Level.DEPARTMENT, Level.PARTY_CELL):
        services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai, year=2026,
                            level=level)
    for shipped in CriteriaSet.objects.filter(unit=None, year=2026):
        services.derive_criteria_set(actor=evidence.province_admin, source=shipped,
                                     unit=evidence.gia_lai)
    assert (count(client, unit_url), count(client, sets_url)) == small


def test_the_graded_unit_replies_to_the_decision_before_the_round_closes(client, evidence,
                                                                         round_):
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    url = reverse("evaluation:reply", args=[subject.pk])
    client.force_login(evidence.hh_manager)
    assert client.post(url, {"version": subject.version, "reply": "x"}).status_code == 400
    services.save_self_assessment(actor=evidence.hh_manager, subject=subject,
                                  expected_version=subject.version, scores={"TC": ("25", "")},
                                  submit=True)
    subject.refresh_from_db()
    services.review_subject(actor=evidence.province_leader, subject=subject,
                            expected_version=subject.version, decide=True)
    subject.refresh_from_db()
    client.force_login(evidence.hh_viewer)
    assert client.post(url, {"version": subject.version, "reply": "x"}).status_code == 403
    client.force_login(evidence.province_leader)
    assert client.post(url, {"version": subject.version, "reply": "x"}).status_code == 403
    client.force_login(evidence.hh_manager)
    page = client.get(reverse("evaluation:subject", args=[subject.pk])).content.decode()
    assert url in page
    response = client.post(url, {"version": subject.version,
                                 "reply": "Đề nghị xem xét lại tiêu chí KQ1."})
    assert response.status_code == 302
    client.force_login(evidence.province_leader)
    page = client.get(reverse("evaluation:subject", args=[subject.pk])).content.decode()
    assert "Đề nghị xem xét lại tiêu chí KQ1." in page


def test_the_league_shows_the_movement_since_last_years_closed_round(client, evidence):
    from sixclear.evaluation.models import Round, RoundStatus

    last = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai, year=2025,
                               level=Level.PARTY_COMMITTEE)
    last.subjects.filter(unit=evidence.hoa_hoi).update(rank=1, final_grade="good")
    last.subjects.filter(unit=evidence.an_nhon_bac).update(rank=2, final_grade="complete")
    Round.objects.filter(pk=last.pk).update(status=RoundStatus.CLOSED)
    this = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai, year=2026,
                               level=Level.PARTY_COMMITTEE)
    client.force_login(evidence.province_leader)
    response = client.get(reverse("evaluation:round", args=[this.pk]))
    rows = {row.subject.name: row for row in response.context["rows"]}
    # This year An Nhơn Bắc (every task on time) ranks above Hòa Hội (one late).
    assert (rows["An Nhơn Bắc"].rank, rows["An Nhơn Bắc"].movement) == (1, 1)
    assert (rows["Hòa Hội"].rank, rows["Hòa Hội"].movement) == (2, -1)
    html = response.content.decode()
    assert "up 1 place" in html and "down 1 place" in html


@pytest.mark.parametrize(("language", "counted"), [
    ("vi", "1.234 trên 2.345"), ("en", "1,234 of 2,345"), ("ar", "1.234 من 2.345")])
def test_counts_and_ranks_are_grouped_as_the_readers_language_writes_them(
        client, evidence, round_, language, counted):
    """A national round counts thousands of tasks and ranks thousands of communes: the figure
    of a line and the rank read like every other number of the page's language."""
    from sixclear.evaluation.models import Line, Subject

    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    Line.objects.filter(subject=subject, criterion__code="KQ1").update(
        numerator=1234, denominator=2345)
    Subject.objects.filter(pk=subject.pk).update(rank=1500)
    client.force_login(evidence.hh_manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("evaluation:subject", args=[subject.pk]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert counted in page
    assert "1500" not in page and ("1,500" if language == "en" else "1.500") in page
