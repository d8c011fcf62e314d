"""The yearly path a target is expected to follow, from its kind, baseline and goal.

Pure functions on Decimals, shared by the services that store trajectories and by monitoring.
"""

from decimal import Decimal

FOUR_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


def _round(value):
    return Decimal(value).quantize(FOUR_PLACES)


def compound(baseline, rate_percent, years):
    """`baseline` grown by `rate_percent` a year for `years` years."""
    return baseline * (1 + Decimal(rate_percent) / HUNDRED) ** years


def linear(baseline, goal, years_done, years_total):
    return baseline + (goal - baseline) * Decimal(years_done) / Decimal(years_total)


def meets(value, threshold, direction):
    """Whether `value` is at or beyond `threshold` in the target's direction."""
    return value <= threshold if direction == "lower" else value >= threshold


def expected_path(
    *,
    kind,
    baseline_value,
    baseline_year,
    target_year,
    target_value=None,
    annual_rate=None,
    annual_rate_high=None,
    direction="higher",
):
    """Return [(year, expected, expected_high or None)] for each year after the baseline.

    - annual_growth: compound growth at `annual_rate` % a year;
    - growth_range: the low and high compound paths (e.g. 11–12 % a year);
    - cumulative and count: a straight line from the baseline to `target_value`;
    - threshold (to reach by the target year): a straight line from the baseline to the
      threshold, like a count; when the baseline is already at or beyond the threshold (in the
      target's `direction`), the threshold itself, so the path never asks for less;
    - threshold_keep: the threshold itself, every year;
    - yes_no: 0 until the target year, 1 in it.
    """
    baseline = Decimal(baseline_value)
    total = target_year - baseline_year
    path = []
    for year in range(baseline_year + 1, target_year + 1):
        done = year - baseline_year
        high = None
        if kind == "annual_growth":
            value = compound(baseline, annual_rate, done)
        elif kind == "growth_range":
            value = compound(baseline, annual_rate, done)
            high = _round(compound(baseline, annual_rate_high, done))
        elif kind in ("cumulative", "count"):
            value = linear(baseline, Decimal(target_value), done, total)
        elif kind == "threshold":
            goal = Decimal(target_value)
            reached = meets(baseline, goal, direction)
            value = goal if reached else linear(baseline, goal, done, total)
        elif kind == "threshold_keep":
            value = Decimal(target_value)
        elif kind == "yes_no":
            value = Decimal(1 if year == target_year else 0)
        else:
            raise ValueError(f"unknown target kind {kind!r}")
        path.append((year, _round(value), high))
    return path


def final_value(**target_fields):
    """The value the path reaches in the target year (the low end for a range)."""
    return expected_path(**target_fields)[-1][1]


PERCENT_UNITS = ("%",)
GROWTH_KINDS = ("annual_growth", "growth_range")


def possible_range(*, kind, unit_of_measure="", lowest=None, highest=None):
    """(lowest, highest) the indicator can be, either None for no bound.

    What the target declares wins; otherwise a share in % ("%" as its unit of measure) lies
    within 0–100. A growth target is measured as levels, and a rate in % a year may exceed
    100, so neither gets the default.
    """
    share = (unit_of_measure or "").strip() in PERCENT_UNITS and kind not in GROWTH_KINDS
    if lowest is None and share:
        lowest = Decimal(0)
    if highest is None and share:
        highest = HUNDRED
    return (None if lowest is None else Decimal(lowest),
            None if highest is None else Decimal(highest))
