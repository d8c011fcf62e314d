"""A year's row and the target's badge name the same status with the same words."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import TargetHealth, TargetStatus
from sixclear.plans import services as plans
from sixclear.plans.models import TargetKind
from sixclear.tracking import services


@pytest.fixture
def slightly_behind(world):
    """Expected 121.7 in 2026; 118 is 3 % short, within the default 5 % tolerance."""
    target = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="CT9", name="Giá trị sản xuất",
        kind=TargetKind.ANNUAL_GROWTH, baseline_value=Decimal(100), baseline_year=2025,
        annual_rate=Decimal("21.7"), target_year=2030, responsible_person=world.hh_officer)
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal(118))
    services.review_measurement(actor=world.hh_manager, measurement=value,
                                expected_version=value.version, approve=True)
    run_scan(datetime.date(2027, 1, 10))
    return target


@pytest.mark.parametrize("language", ["vi", "ar", "en"])
def test_the_years_row_says_what_the_badge_says(client, world, slightly_behind, language):
    assert TargetHealth.objects.get(target=slightly_behind).status == TargetStatus.BEHIND
    client.force_login(world.hh_officer)
    response = client.get(reverse("plans:target", args=[slightly_behind.pk]),
                          HTTP_ACCEPT_LANGUAGE=language)
    row = next(r for r in response.context["rows"] if r.year == 2026)
    assert row.assessment.status == TargetStatus.BEHIND
    with translation.override(language):
        label = str(TargetStatus.BEHIND.label)
        page = response.content.decode()
        assert page.count(f'data-status="behind">{label}<') == 3  # two badges and the row
        assert str(TargetStatus.OFF_TRACK.label) not in page
