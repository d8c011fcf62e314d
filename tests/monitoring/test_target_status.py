"""Targets against their trajectory, as the scan stores them."""

import datetime
from decimal import Decimal

import pytest

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import MonitoringPolicy, TargetHealth
from sixclear.plans.services import store_trajectory
from sixclear.tracking.models import Measurement
from tests.factories import TargetFactory

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def production_value(world):
    """Hòa Hội: production value +21.7 %/yr from 100 in 2025 (121.7 expected for 2026)."""
    target = TargetFactory(unit=world.hoa_hoi)
    store_trajectory(target)
    return target


def measure(target, world, value, year=2026, kind="year", number=0, status="approved"):
    return Measurement.objects.create(
        target=target, year=year, period_kind=kind, period_number=number,
        value=Decimal(value), reported_by=world.hh_officer, status=status,
    )


def health(target):
    return TargetHealth.objects.get(target=target)


@pytest.mark.parametrize(
    ("actual", "status", "gap_percent"),
    [("125", "on_track", Decimal("2.71")), ("118", "behind", Decimal("-3.04")),
     ("115", "off_track", Decimal("-5.51"))],
)
def test_latest_value_against_the_expected_value(world, production_value, actual, status,
                                                 gap_percent):
    measure(production_value, world, actual)
    run_scan(TODAY)
    stored = health(production_value)
    assert stored.status == status
    assert stored.expected == Decimal("121.7")
    assert stored.gap == Decimal(actual) - Decimal("121.7")
    assert stored.gap_percent == gap_percent


def test_a_quarter_is_compared_with_the_path_at_that_point_of_the_year(world, production_value):
    measure(production_value, world, "110", kind="quarter", number=2)
    run_scan(TODAY)
    stored = health(production_value)
    assert stored.expected == Decimal("110.85")
    assert (stored.status, stored.period_kind, stored.period_number) == ("behind", "quarter", 2)


def test_the_latest_approved_value_counts_and_drafts_do_not(world, production_value):
    measure(production_value, world, "115", year=2026, kind="quarter", number=3)
    measure(production_value, world, "125", year=2026)
    measure(production_value, world, "90", year=2027, status="submitted")
    run_scan(TODAY)
    stored = health(production_value)
    assert (stored.year, stored.period_kind, stored.actual) == (2026, "year", Decimal("125"))


def test_no_value_means_no_data(world, production_value):
    run_scan(TODAY)
    assert health(production_value).status == "no_data"


def test_lower_is_better_flips_the_gap(world):
    poverty = TargetFactory(unit=world.hoa_hoi, kind="threshold", direction="lower",
                            baseline_value=Decimal("4"), target_value=Decimal("2"),
                            annual_rate=None)
    store_trajectory(poverty)
    measure(poverty, world, "1.5")
    run_scan(TODAY)
    assert (health(poverty).status, health(poverty).gap) == ("on_track", Decimal("0.5"))
    Measurement.objects.filter(target=poverty).update(value=Decimal("3"))
    run_scan(TODAY)
    assert (health(poverty).status, health(poverty).gap) == ("off_track", Decimal("-1"))


def test_the_unit_sets_the_tolerance(world, production_value):
    measure(production_value, world, "115")
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, tolerance_percent=Decimal("10"))
    run_scan(TODAY)
    assert health(production_value).status == "behind"
