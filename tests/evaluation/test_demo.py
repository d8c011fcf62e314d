"""The evaluation's part of the demo: Việt Hưng's offices' 2025 round closed (grades, title
proposals, league on the portal, decision signed once the secretary has a key, as `make run`
gives it one after the demo), and the 2026 rounds part-way: Gia Lai's communes, Hòa Hội's party
cells and Việt Hưng's offices, with self-assessments in and one point adjusted with a reason."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from sixclear.evaluation.models import Level, Round, RoundStatus, SubjectState, TitleProposal
from sixclear.portal import selectors as portal
from sixclear.reports.models import SignedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys_apart(settings, tmp_path):
    """Signing keys and signed files of the test only, none yet."""
    settings.REPORTS_PKI_DIR = tmp_path / "pki"
    settings.REPORTS_SIGNERS_FILE = tmp_path / "pki" / "signers.json"
    settings.REPORTS_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def state_of_the_demo():
    rounds = list(Round.objects.order_by("unit__code", "year", "level").values_list(
        "unit__code", "year", "level", "status", "version"))
    subjects = list(Round.objects.order_by("pk").values_list(
        "subjects__name", "subjects__state", "subjects__version", "subjects__final_points",
        "subjects__final_grade", "subjects__rank"))
    return (rounds, subjects, TitleProposal.objects.count(),
            list(SignedDocument.objects.values_list("kind", "subject", "language")))


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_closes_2025_opens_2026_and_rebuilds_without_change(keys_apart):
    call_command("demo", stdout=StringIO())

    closed = Round.objects.get(unit__code="HN-VH", year=2025, level=Level.DEPARTMENT)
    assert closed.status == RoundStatus.CLOSED
    offices = {subject.unit.code: subject for subject in closed.subjects.select_related("unit")}
    assert set(offices) == {"HN-VH-VP", "HN-VH-KT"}
    assert all(subject.final_grade and subject.rank for subject in offices.values())
    adjusted = offices["HN-VH-KT"].lines.get(criterion__code="TC")
    assert adjusted.self_points == 27 and adjusted.review_points == 25
    assert "chưa được rà soát" in adjusted.review_reason and adjusted.reviewed_by.username \
        == "vh.leader"
    assert offices["HN-VH-VP"].rank == 1 and offices["HN-VH-KT"].rank == 2
    assert TitleProposal.objects.filter(round=closed, withdrawn=False).exists()
    league = portal.league_page(closed.pk)  # published: the portal shows it
    assert [row.name for row in league.rows] == [offices["HN-VH-VP"].name,
                                                 offices["HN-VH-KT"].name]
    assert not SignedDocument.objects.exists()  # no key yet: `pki demo` comes after

    communes = Round.objects.get(unit__code="GL", year=2026, level=Level.PARTY_COMMITTEE)
    states = dict(communes.subjects.values_list("unit__code", "state"))
    assert states == {"GL-HH": SubjectState.SUBMITTED, "GL-ANB": SubjectState.DRAFT}
    hoa_hoi = communes.subjects.get(unit__code="GL-HH")
    tasks = hoa_hoi.lines.get(criterion__code="KQ1")
    assert tasks.denominator and tasks.records
    cells = Round.objects.get(unit__code="GL-HH", level=Level.PARTY_CELL)
    assert list(cells.subjects.values_list("name", flat=True)) == ["Chi bộ thôn 2"]
    departments = Round.objects.get(unit__code="HN-VH", year=2026, level=Level.DEPARTMENT)
    assert departments.status == RoundStatus.OPEN
    states = dict(departments.subjects.values_list("unit__code", "state"))
    assert states == {"HN-VH-VP": SubjectState.SUBMITTED, "HN-VH-KT": SubjectState.DRAFT}
    review = departments.subjects.get(unit__code="HN-VH-VP").lines.get(criterion__code="TC")
    assert review.self_points == 28 and review.review_points == 26 and review.review_reason

    call_command("pki", "demo", "--users", "vh.leader", stdout=StringIO())
    signed = SignedDocument.objects.get()
    assert signed.subject == f"evaluation.round:{closed.pk}" and signed.language == "vi"
    assert signed.signer.username == "vh.leader"

    before = state_of_the_demo()
    call_command("demo", stdout=StringIO())
    call_command("pki", "demo", "--users", "vh.leader", stdout=StringIO())
    assert state_of_the_demo() == before
