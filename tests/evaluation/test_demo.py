"""The evaluation's part of the demo: 2026 rounds for Gia Lai's communes, Hòa Hội's party cells
and Việt Hưng's departments, with Hòa Hội's self-assessment handed to the province."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from sixclear.evaluation.models import Level, Round, SubjectState

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_opens_the_2026_rounds_and_rebuilds_without_change():
    call_command("demo", stdout=StringIO())
    communes = Round.objects.get(unit__code="GL", year=2026, level=Level.PARTY_COMMITTEE)
    states = dict(communes.subjects.values_list("unit__code", "state"))
    assert states == {"GL-HH": SubjectState.SUBMITTED, "GL-ANB": SubjectState.DRAFT}
    hoa_hoi = communes.subjects.get(unit__code="GL-HH")
    tasks = hoa_hoi.lines.get(criterion__code="KQ1")
    assert tasks.denominator and tasks.records
    cells = Round.objects.get(unit__code="GL-HH", level=Level.PARTY_CELL)
    assert list(cells.subjects.values_list("name", flat=True)) == ["Chi bộ thôn 2"]
    departments = Round.objects.get(unit__code="HN-VH", level=Level.DEPARTMENT)
    assert departments.subjects.count() == 2
    before = Round.objects.count()
    call_command("demo", stdout=StringIO())
    assert Round.objects.count() == before
