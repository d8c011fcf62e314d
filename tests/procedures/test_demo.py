"""Việt Hưng's procedures in the demo: two procedures, a year's cases, one late, one stuck."""

import pytest
from django.utils import timezone

from sixclear.demo.builder import build_demo
from sixclear.orgs.models import Unit
from sixclear.procedures import selectors
from sixclear.procedures.models import Case, CaseState, Procedure

pytestmark = pytest.mark.django_db


def test_demo_has_viet_hung_procedures_and_cases():
    build_demo()
    unit = Unit.objects.get(code="HN-VH")
    procedures = Procedure.objects.filter(unit=unit)
    assert set(procedures.values_list("code", flat=True)) == {"QT-VH-01", "QT-VH-02"}
    petitions = procedures.get(code="QT-VH-01")
    assert petitions.versions.count() == 2 and petitions.objectives.exists()
    cases = Case.objects.filter(unit=unit)
    assert cases.count() == 7
    closed = cases.filter(state=CaseState.CLOSED)
    assert any(case.on_time is False for case in closed) and any(case.on_time for case in closed)
    assert cases.filter(state=CaseState.SUSPENDED).count() == 1
    today = timezone.localdate()
    assert selectors.stuck_cases(unit, today)
    figures = selectors.performance(unit, max(c.closed_on for c in closed).year)
    assert figures.cases.done >= 1
    audit = unit.internal_audits.get()
    assert audit.state == "reported" and audit.checks.filter(result="nonconforms").count() == 2
    findings = unit.nonconformities.all()
    assert findings.count() == 2
    assert {item.state for item in findings} == {"in_progress"}
    assert all(item.actions.get().task.program is not None for item in findings)
    build_demo()  # a second build adds nothing
    assert Case.objects.filter(unit=unit).count() == 7
