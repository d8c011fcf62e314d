"""Targets against their trajectory, as the scan stores them."""

import datetime
from decimal import Decimal

import pytest

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import MonitoringPolicy, TargetHealth
from sixclear.monitoring.selectors import target_outlook
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
    poverty = TargetFactory(unit=world.hoa_hoi, kind="threshold_keep", direction="lower",
                            baseline_value=Decimal("4"), target_value=Decimal("2"),
                            annual_rate=None)
    store_trajectory(poverty)
    measure(poverty, world, "1.5")
    run_scan(TODAY)
    assert (health(poverty).status, health(poverty).gap) == ("on_track", Decimal("0.5"))
    Measurement.objects.filter(target=poverty).update(value=Decimal("3"))
    run_scan(TODAY)
    assert (health(poverty).status, health(poverty).gap) == ("off_track", Decimal("-1"))


def test_a_threshold_to_reach_is_judged_against_its_path_not_the_threshold(world):
    """An Nhơn Bắc ANB-NQ-06: over 80 % online by 2030 from 45 % in 2025; 58 % in 2026 is
    ahead of the 52 % its path expects, not 27.5 % short of 80 %."""
    online = TargetFactory(unit=world.hoa_hoi, kind="threshold", baseline_value=Decimal(45),
                           baseline_year=2025, target_year=2030, target_value=Decimal(80),
                           annual_rate=None, unit_of_measure="%")
    store_trajectory(online)
    measure(online, world, "58")
    run_scan(TODAY)
    assert (health(online).status, health(online).expected) == ("on_track", Decimal(52))
    assert health(online).gap == Decimal(6)
    Measurement.objects.filter(target=online).update(value=Decimal("50"))
    run_scan(TODAY)
    assert health(online).status == "behind"


@pytest.mark.parametrize(("direction", "baseline", "threshold", "value", "status"), [
    ("higher", "95", "90", "80", "off_track"),
    ("higher", "95", "90", "90", "on_track"),
    ("lower", "0", "1", "2", "off_track"),
    ("lower", "0", "1", "1", "on_track"),
])
def test_a_threshold_to_keep_holds_from_the_first_year(world, direction, baseline, threshold,
                                                       value, status):
    kept = TargetFactory(unit=world.hoa_hoi, kind="threshold_keep", direction=direction,
                         baseline_value=Decimal(baseline), target_value=Decimal(threshold),
                         annual_rate=None)
    store_trajectory(kept)
    measure(kept, world, value, kind="quarter", number=1)
    run_scan(TODAY)
    assert (health(kept).status, health(kept).expected) == (status, Decimal(threshold))


def test_the_unit_sets_the_tolerance(world, production_value):
    measure(production_value, world, "115")
    MonitoringPolicy.objects.create(unit=world.hoa_hoi, tolerance_percent=Decimal("10"))
    run_scan(TODAY)
    assert health(production_value).status == "behind"


def random_target(world, rng):
    kind = rng.choice(["annual_growth", "growth_range", "cumulative", "count", "threshold",
                       "threshold_keep", "yes_no"])
    fields = {"kind": kind, "direction": rng.choice(["higher", "lower"]),
              "baseline_value": Decimal(rng.randint(0, 500)), "annual_rate": None,
              "annual_rate_high": None, "target_value": None}
    if kind in ("annual_growth", "growth_range"):
        fields["annual_rate"] = Decimal(rng.randint(0, 250)) / 10
        fields["annual_rate_high"] = fields["annual_rate"] + 1 if kind == "growth_range" else None
    else:
        fields["target_value"] = Decimal(rng.randint(0, 1 if kind == "yes_no" else 900))
    target = TargetFactory(unit=world.hoa_hoi, **fields)
    store_trajectory(target)
    for year in rng.sample([2025, 2026, 2027], rng.randint(0, 2)):
        kind_of_period, number = rng.choice([("year", 0), ("quarter", rng.randint(1, 4)),
                                             ("month", rng.randint(1, 12))])
        measure(target, world, str(rng.randint(0, 900)), year=year, kind=kind_of_period,
                number=number, status=rng.choice(["approved", "approved", "submitted"]))
    return target


def expected_status(target):
    from sixclear.monitoring.target_assessment import assess, expected_for_period

    approved = [m for m in target.measurements.all() if m.status == "approved"]
    position = {"year": 12, "quarter": 3, "month": 1}
    latest = max(approved, key=lambda m: (m.year, position[m.period_kind] * (m.period_number or 1),
                                          m.pk), default=None)
    if latest is None:
        return "no_data"
    path = [(p.year, p.expected_value, p.expected_high) for p in target.trajectory.all()]
    fraction = Decimal(position[latest.period_kind] * (latest.period_number or 1)) / 12
    low, high = expected_for_period(path=path, baseline_value=target.baseline_value,
                                    baseline_year=target.baseline_year, year=latest.year,
                                    fraction=fraction, kind=target.kind)
    return assess(kind=target.kind, direction=target.direction, actual=latest.value,
                  expected=low, expected_high=high).status


def test_sql_scan_agrees_with_the_target_assessment_on_random_targets(world):
    import random

    rng = random.Random(7)
    targets = [random_target(world, rng) for _ in range(120)]
    run_scan(TODAY)
    stored = dict(TargetHealth.objects.values_list("target_id", "status"))
    mismatches = [(t.pk, t.kind, t.direction, stored[t.pk], expected_status(t))
                  for t in targets if stored[t.pk] != expected_status(t)]
    assert not mismatches, mismatches[:5]


def test_a_second_scan_rewrites_no_target(world, production_value):
    """Interpolated values must be stored at the column's scale or every scan rewrites them."""
    measure(production_value, world, "110", kind="month", number=5)
    assert run_scan(TODAY).targets_changed == 1
    assert run_scan(TODAY).targets_changed == 0


def test_the_outlook_of_a_share_in_percent_is_held_at_100(world):
    """Citizens' satisfaction, 80 % in 2025, 95 % in 2026: the portal forecast 114.2 % and
    more; a share cannot exceed 100 %."""
    satisfaction = TargetFactory(unit=world.hoa_hoi, kind="threshold", unit_of_measure="%",
                                 baseline_value=Decimal(80), target_value=Decimal(98),
                                 annual_rate=None)
    store_trajectory(satisfaction)
    measure(satisfaction, world, "95")
    forecast = target_outlook(satisfaction).forecast
    assert forecast.value == Decimal(100)
    assert "100" in forecast.method
    satisfaction.highest_possible = Decimal(99)
    assert target_outlook(satisfaction).forecast.value == Decimal(99)
