"""Existing thresholds after the split into thresholds to reach and to keep."""

import importlib
from decimal import Decimal

from django.apps import apps

from sixclear.plans.models import TrajectoryPoint
from tests.factories import TargetFactory

split = importlib.import_module("sixclear.plans.migrations.0003_threshold_to_reach_or_keep")


def make_threshold(world, **fields):
    target = TargetFactory(unit=world.hoa_hoi, kind="threshold", annual_rate=None,
                           baseline_year=2025, target_year=2027, **fields)
    # As stored before the split: the threshold itself every year.
    for year in (2026, 2027):
        TrajectoryPoint.objects.create(target=target, year=year,
                                       expected_value=target.target_value)
    return target


def test_thresholds_not_yet_met_become_paths_and_met_ones_are_to_keep(world):
    online = make_threshold(world, code="ONLINE", baseline_value=Decimal(45),
                            target_value=Decimal(80))
    kept = make_threshold(world, code="KEPT", baseline_value=Decimal(100),
                          target_value=Decimal(100))
    poverty = make_threshold(world, code="POOR", direction="lower",
                             baseline_value=Decimal("0.5"), target_value=Decimal(1))
    split.split_thresholds(apps, None)
    for target in (online, kept, poverty):
        target.refresh_from_db()
    assert (online.kind, kept.kind, poverty.kind) == ("threshold", "threshold_keep",
                                                      "threshold_keep")
    assert [p.expected_value for p in online.trajectory.order_by("year")] == [
        Decimal("62.5"), Decimal(80)]
    assert [p.expected_value for p in kept.trajectory.order_by("year")] == [100, 100]
