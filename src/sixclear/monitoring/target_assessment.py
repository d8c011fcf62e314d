"""Where a target stands against its trajectory, what it still needs, and where it is heading.

Pure functions on Decimals: no models, no database. Callers pass the yearly path from
`sixclear.plans.trajectory.expected_path` (or a path drawn by hand) and approved measurements.

Conventions, so that anyone can check a figure by hand:

- Arithmetic runs with 50 significant digits, so rounding inside a calculation never shows.
  Fractional powers (the n-th root behind a growth rate) use Decimal's own `**`, which is
  correctly rounded; no float is involved anywhere.
- Results are rounded half up, as people round on paper: values to 4 decimal places (as
  stored in the database), growth rates to 0.01 percentage point, gaps in percent to 0.1.
- Direction "lower" means lower is better; every comparison respects it, so a "lower"
  target is the mirror image of a "higher" one.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sixclear.numbers import NumberKind, format_number

from .models import TargetStatus

ON_TRACK = "on_track"
BEHIND = "behind"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
# One status, one name everywhere: the label of the stored status (TargetStatus).
STATUS_LABELS = {status.value: status.label for status in TargetStatus}

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
UNKNOWN = "unknown"
LIKELIHOOD_LABELS = {
    LIKELY: _("likely"),
    POSSIBLE: _("possible"),
    UNLIKELY: _("unlikely"),
    UNKNOWN: _("unknown"),
}

GROWTH_KINDS = ("annual_growth", "growth_range")
LINEAR_KINDS = ("cumulative", "count", "threshold", "threshold_keep")
# Kinds aiming at an amount by the target year: what each remaining year needs is an amount.
AMOUNT_KINDS = ("cumulative", "count", "threshold")
# A threshold to keep or a yes/no holds for a whole year; a fraction of it means nothing. A
# threshold to reach moves along its path like a count.
STEP_KINDS = ("threshold_keep", "yes_no")
KNOWN_KINDS = GROWTH_KINDS + LINEAR_KINDS + ("yes_no",)

DEFAULT_TOLERANCE_PERCENT = Decimal(5)
# One measurement gives no spread of growth rates, so the range is the rate ± this.
SINGLE_POINT_RATE_SPREAD = Decimal(2)
# Two points always lie exactly on a line, so the range is the projection ± this share.
FEW_POINTS_SPREAD = Decimal("0.10")
# Projections are compared with the goal allowing for this share of the goal, so that figures
# reported to 4 decimal places exactly on the trajectory are not judged short by rounding.
ROUNDING_SLACK = Decimal("0.0001")

HUNDRED = Decimal(100)
VALUE_PLACES = Decimal("0.0001")
RATE_PLACES = Decimal("0.01")
GAP_PERCENT_PLACES = Decimal("0.1")
WORKING_CONTEXT = Context(prec=50)


def _decimal(value):
    """Decimal from whatever the caller holds (floats via their shortest text form)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _round(number, places):
    if number is None:
        return None
    # Enough digits for any magnitude, so that even an absurd typo in the data cannot make
    # rounding fail.
    digits = max(WORKING_CONTEXT.prec, number.adjusted() - places.adjusted() + 2)
    return number.quantize(places, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def _value(number):
    return _round(number, VALUE_PLACES)


def _rate(number):
    return _round(number, RATE_PLACES)


def _show(number):
    """A number of the method text as the reader's language writes it (sixclear.numbers):
    grouped, at most two decimals, "266,96" in Vietnamese, "266.96" in English."""
    return format_number(number, NumberKind.PLAIN)


def _show_rate(number):
    """A rate in percent, to one decimal: "19,2" in Vietnamese."""
    return format_number(number, NumberKind.PERCENT)


def _better_or_equal(value, reference, direction):
    return value <= reference if direction == "lower" else value >= reference


def _worse_end(low, high, direction):
    """The end of a range that is less favourable for the target."""
    return high if direction == "lower" else low


def _better_end(low, high, direction):
    return low if direction == "lower" else high


def _lenient_end(low, high, direction):
    """The end of a target range that is easier to meet: where "on track" begins."""
    return high if direction == "lower" and high is not None else low


# --- Expected value inside a year ---------------------------------------------------------


@dataclass(frozen=True)
class _Knot:
    year: int
    low: Decimal
    high: Decimal | None


def _knots(path, baseline, baseline_year):
    """The baseline followed by the path's points after it, in year order."""
    knots = [_Knot(baseline_year, baseline, None)]
    for year, low, high in sorted(path, key=lambda point: point[0]):
        if year > baseline_year:
            knots.append(_Knot(year, _decimal(low), _decimal(high)))
    return knots


def expected_for_period(
    *, path, baseline_value, baseline_year, year, fraction=Decimal(1), kind=None
):
    """Expected (low, high or None) at a point inside `year`.

    `fraction` is how much of the year has passed: 1 is the year end (the path's point),
    a quarter is 0.25, 0.5 or 0.75, a month n/12. Between consecutive points (the baseline
    counts as the point of `baseline_year`) the value is interpolated on a straight line,
    also for growth kinds: simple to check by hand, and within a fraction of a percent of
    the geometric path for realistic rates. A path drawn by hand may skip years; the line
    then runs between the points that exist. Thresholds to keep and yes/no targets (give
    `kind`) hold the value of the year itself. Before the baseline the baseline is expected; after
    the last point, the last point.
    """
    with localcontext(WORKING_CONTEXT):
        baseline = _decimal(baseline_value)
        fraction = Decimal(1) if fraction is None else _decimal(fraction)
        fraction = min(max(fraction, Decimal(0)), Decimal(1))
        knots = _knots(path, baseline, baseline_year)
        has_high = any(knot.high is not None for knot in knots)
        if kind in STEP_KINDS:
            moment = year
            left = right = knots[_first_knot_from(knots, year)]
        else:
            moment = year - 1 + fraction
            index = _first_knot_from(knots, moment)
            right, left = knots[index], knots[max(index - 1, 0)]
        low = _between(left.low, right.low, left.year, right.year, moment)
        high = None
        if has_high:
            left_high = left.high if left.high is not None else left.low
            right_high = right.high if right.high is not None else right.low
            high = _value(_between(left_high, right_high, left.year, right.year, moment))
        return _value(low), high


def _first_knot_from(knots, moment):
    """Index of the first knot at or after `moment`; the last one when the moment is past all."""
    return next((i for i, knot in enumerate(knots) if knot.year >= moment), len(knots) - 1)


def _between(left_value, right_value, left_year, right_year, moment):
    if right_year == left_year or moment >= right_year:
        return right_value
    if moment <= left_year:
        return left_value
    share = (moment - left_year) / Decimal(right_year - left_year)
    return left_value + (right_value - left_value) * share


# --- Status against the trajectory ----------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    status: str  # ON_TRACK, BEHIND, OFF_TRACK or NO_DATA
    expected: Decimal | None  # the expected value (the low end for a range)
    expected_high: Decimal | None
    actual: Decimal | None
    gap: Decimal | None  # negative means worse than expected, whatever the direction
    gap_percent: Decimal | None  # gap as a percentage of the expected value, to 0.1

    @property
    def label(self):
        return STATUS_LABELS[self.status]


def assess(
    *,
    kind,
    direction,
    actual,
    expected,
    expected_high=None,
    tolerance_percent=DEFAULT_TOLERANCE_PERCENT,
):
    """Compare an actual value with the expected one.

    - on_track: the actual meets or beats the expected value;
    - behind: worse, but by no more than `tolerance_percent` of the expected value;
    - off_track: worse by more than that. A yes/no target has no "nearly": not done is off track;
    - no_data: no actual value (or nothing to compare it with).

    A range is met at its lenient end: the low path when higher is better, the high path when
    lower is better. The gap is signed so that negative means worse. With an expected value
    of 0 there is no percentage, so any shortfall is off track.
    """
    actual, expected, expected_high = map(_decimal, (actual, expected, expected_high))
    if actual is None or expected is None:
        return Assessment(NO_DATA, expected, expected_high, actual, None, None)
    with localcontext(WORKING_CONTEXT):
        reference = _lenient_end(expected, expected_high, direction)
        gap = reference - actual if direction == "lower" else actual - reference
        share = None if reference == 0 else gap / abs(reference) * HUNDRED
        status = _status(kind, gap, share, _decimal(tolerance_percent))
        gap_percent = _round(share, GAP_PERCENT_PLACES)
        return Assessment(status, expected, expected_high, actual, _value(gap), gap_percent)


def _status(kind, gap, share, tolerance_percent):
    if gap >= 0:
        return ON_TRACK
    if kind == "yes_no" or share is None:
        return OFF_TRACK
    tolerance = DEFAULT_TOLERANCE_PERCENT if tolerance_percent is None else tolerance_percent
    return BEHIND if -share <= tolerance else OFF_TRACK


# --- What the remaining years still need ----------------------------------------------------


def required_rate(*, actual, actual_year, goal, target_year):
    """Compound growth in % a year still needed from `actual` to reach `goal`, to 0.01.

    None when no years remain, when there is no actual value or goal, or when growth is
    undefined (actual ≤ 0, or a negative goal). A negative rate means the goal is reached
    even if the value falls that much each year.
    """
    actual, goal = _decimal(actual), _decimal(goal)
    years = target_year - actual_year
    if actual is None or goal is None or years <= 0 or actual <= 0 or goal < 0:
        return None
    with localcontext(WORKING_CONTEXT):
        return _rate((_root(goal / actual, years) - 1) * HUNDRED)


def _root(ratio, years):
    """The `years`-th root of a ratio ≥ 0: the yearly factor that compounds into it."""
    if ratio == 0:
        return Decimal(0)
    return ratio ** (Decimal(1) / Decimal(years))


def required_yearly_amount(*, actual, actual_year, goal, target_year):
    """For amounts and counts: how much a year the remaining years still need, to 4 places.

    None when no years remain or a figure is missing. A negative amount means the value may
    fall (or, for a lower-is-better target, must fall) by that much a year.
    """
    actual, goal = _decimal(actual), _decimal(goal)
    years = target_year - actual_year
    if actual is None or goal is None or years <= 0:
        return None
    with localcontext(WORKING_CONTEXT):
        return _value((goal - actual) / Decimal(years))


# --- Forecast of the final value ------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    value: Decimal | None  # projected value in the target year
    low: Decimal | None  # plausible range
    high: Decimal | None
    likelihood: str  # LIKELY, POSSIBLE, UNLIKELY or UNKNOWN
    method: str  # how it was computed, with the numbers, in the active language

    @property
    def label(self):
        return LIKELIHOOD_LABELS[self.likelihood]


@dataclass(frozen=True)
class _Projection:
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    words: str


def forecast(
    *,
    kind,
    direction,
    baseline_value,
    baseline_year,
    measurements,
    target_year,
    goal,
    goal_high=None,
    lowest=None,
    highest=None,
):
    """Project the value in `target_year` from approved yearly measurements [(year, value)].

    - annual_growth, growth_range: the compound annual growth rate from the baseline to the
      latest value, continued to the target year. Range: the lowest and highest year-on-year
      growth seen (the rate ± 2 percentage points with a single measurement).
    - cumulative, count, thresholds: the least-squares line through the baseline and the
      measurements. Range: ± twice the standard deviation of the points around the line
      (± 10 % of the projection with fewer than 3 points, which always fit a line exactly).
    - yes_no: the latest value.

    Likely when the less favourable end of the range reaches the goal, possible when the more
    favourable end does, otherwise unlikely; unknown without measurements or goal. For a range
    target the goal is its lenient end: `goal` (low) when higher is better, `goal_high` when
    lower is better. Measurements without a value, at or before the baseline year or after the
    target year are left out; for a year given twice, the last one counts.

    `lowest` and `highest` are what the indicator can be at all (a share in % lies within
    0–100; see `plans.trajectory.possible_range`): the projection and its range are held
    inside them, and the method says so when it had to.
    """
    if kind not in KNOWN_KINDS:
        raise ValueError(f"unknown target kind {kind!r}")
    points = _usable(measurements, baseline_year, target_year)
    if not points:
        words = gettext("No approved measurement yet, so there is nothing to project.")
        return Forecast(None, None, None, UNKNOWN, words)
    with localcontext(WORKING_CONTEXT):
        baseline = _decimal(baseline_value)
        if kind == "yes_no":
            return _yes_no_forecast(direction, points, target_year, _decimal(goal))
        if kind in GROWTH_KINDS:
            projection = _growth_projection(baseline, baseline_year, points, target_year)
        else:
            projection = _linear_projection(baseline, baseline_year, points, target_year)
        projection = _bounded(projection, _decimal(lowest), _decimal(highest))
        lenient_goal = _lenient_end(_decimal(goal), _decimal(goal_high), direction)
        likelihood, words = _likelihood(projection, direction, lenient_goal)
        method = " ".join(part for part in (projection.words, words) if part)
        return Forecast(projection.value, projection.low, projection.high, likelihood, method)


def _usable(measurements, baseline_year, target_year):
    by_year = {}
    for year, value in measurements or ():
        if value is not None and baseline_year < year <= target_year:
            by_year[year] = _decimal(value)
    return sorted(by_year.items())


def _yes_no_forecast(direction, points, target_year, goal):
    latest_year, latest = points[-1]
    words = gettext("The latest value, %(value)s in %(year)s, is taken as the final value.") % {
        "value": _show(_value(latest)), "year": latest_year}
    if goal is None:
        likelihood = UNKNOWN
    elif _better_or_equal(latest, goal, direction):
        likelihood = LIKELY
    elif latest_year < target_year:
        likelihood = POSSIBLE
    else:
        likelihood = UNLIKELY
    explanation = {
        LIKELY: gettext("Likely: it already reaches the goal."),
        POSSIBLE: gettext("Possible: not yet, but there is time until %(year)s."),
        UNLIKELY: gettext("Unlikely: the goal was not reached by %(year)s."),
        UNKNOWN: gettext("No goal is given, so there is no likelihood."),
    }[likelihood] % {"year": target_year}
    value = _value(latest)
    return Forecast(value, value, value, likelihood, f"{words} {explanation}")


def _growth_projection(baseline, baseline_year, points, target_year):
    if baseline is None or baseline <= 0 or any(value <= 0 for _year, value in points):
        words = gettext(
            "A growth rate needs positive values, and the baseline or a measurement is zero "
            "or negative, so no projection is made."
        )
        return _Projection(None, None, None, words)
    latest_year, latest = points[-1]
    growth = _root(latest / baseline, latest_year - baseline_year)
    years_left = target_year - latest_year
    numbers = {
        "baseline": _show(_value(baseline)), "baseline_year": baseline_year,
        "latest": _show(_value(latest)), "latest_year": latest_year,
        "rate": _show_rate(_rate((growth - 1) * HUNDRED)), "target_year": target_year,
    }
    words = gettext(
        "Compound growth from the baseline %(baseline)s (%(baseline_year)s) to the latest value "
        "%(latest)s (%(latest_year)s) is %(rate)s %% a year."
    ) % numbers
    if years_left == 0:
        value = _value(latest)
        words += " " + gettext("The latest value is for the target year itself.")
        return _Projection(value, value, value, words)
    low_growth, high_growth, range_words = _growth_spread(baseline, baseline_year, points, growth)
    value = _value(latest * growth**years_left)
    low = _value(latest * low_growth**years_left)
    high = _value(latest * high_growth**years_left)
    numbers |= {
        "value": _show(value), "low": _show(low), "high": _show(high),
        "spread": _show_rate(SINGLE_POINT_RATE_SPREAD),
        "low_rate": _show_rate(_rate((low_growth - 1) * HUNDRED)),
        "high_rate": _show_rate(_rate((high_growth - 1) * HUNDRED)),
    }
    words += " " + gettext(
        "Continued from %(latest_year)s to %(target_year)s it gives %(value)s."
    ) % numbers
    return _Projection(value, low, high, f"{words} {range_words % numbers}")


def _growth_spread(baseline, baseline_year, points, growth):
    """The lowest and highest yearly growth factors, and the words that explain them."""
    if len(points) == 1:
        spread = SINGLE_POINT_RATE_SPREAD / HUNDRED
        words = gettext(
            "With a single measurement the range is that rate ± %(spread)s percentage points "
            "(%(low_rate)s %% to %(high_rate)s %% a year): %(low)s to %(high)s."
        )
        # A value cannot shrink by more than all of it in a year.
        return max(growth - spread, Decimal(0)), growth + spread, words
    # Each step is annualised, so a year missing between two measurements is fair.
    steps = [(baseline_year, baseline), *points]
    factors = [
        _root(value / previous, year - previous_year)
        for (previous_year, previous), (year, value) in zip(steps, steps[1:], strict=False)
    ]
    words = gettext(
        "The range uses the lowest and highest year-on-year growth seen (%(low_rate)s %% and "
        "%(high_rate)s %% a year): %(low)s to %(high)s."
    )
    return min(factors), max(factors), words


def _linear_projection(baseline, baseline_year, points, target_year):
    # Years are counted from the baseline year to keep the numbers small and readable.
    xs = [Decimal(0)] + [Decimal(year - baseline_year) for year, _value in points]
    ys = [baseline if baseline is not None else Decimal(0)] + [value for _year, value in points]
    count = len(xs)
    mean_x, mean_y = sum(xs) / count, sum(ys) / count
    spread_x = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread_x
    value = _value(mean_y + slope * (Decimal(target_year - baseline_year) - mean_x))
    numbers = {
        "baseline": _show(_value(ys[0])), "baseline_year": baseline_year, "count": count,
        "slope": _show(_value(slope)), "target_year": target_year, "value": _show(value),
        "share": _show_rate(FEW_POINTS_SPREAD * HUNDRED),
    }
    words = gettext(
        "A least-squares straight line through %(count)s points (the baseline, %(baseline)s in "
        "%(baseline_year)s, and the measurements) changes by %(slope)s a year; continued to "
        "%(target_year)s it gives %(value)s."
    ) % numbers
    if count < 3:
        margin = _value(abs(value) * FEW_POINTS_SPREAD)
        range_words = gettext(
            "Two points always fit a line exactly, so the range is ± %(share)s %% of the "
            "projection: %(low)s to %(high)s."
        )
    else:
        residuals = [y - (mean_y + slope * (x - mean_x)) for x, y in zip(xs, ys, strict=True)]
        deviation = _value((sum(r**2 for r in residuals) / (count - 2)).sqrt())
        margin = 2 * deviation
        numbers["deviation"] = _show(deviation)
        range_words = gettext(
            "The points stray from the line by a standard deviation of %(deviation)s (square "
            "root of the summed squared distances over the number of points less 2); the range "
            "is ± twice that: %(low)s to %(high)s."
        )
    low, high = value - margin, value + margin
    numbers |= {"low": _show(low), "high": _show(high)}
    return _Projection(value, low, high, f"{words} {range_words % numbers}")


def _bounded(projection, lowest, highest):
    """The projection held inside what the indicator can be, with words when it was not."""
    if projection.value is None or (lowest is None and highest is None):
        return projection

    def held(number):
        if lowest is not None and number < lowest:
            return lowest
        if highest is not None and number > highest:
            return highest
        return number

    value, low, high = held(projection.value), held(projection.low), held(projection.high)
    if (value, low, high) == (projection.value, projection.low, projection.high):
        return projection
    numbers = {"lowest": _show(_value(lowest)) if lowest is not None else "−∞",
               "highest": _show(_value(highest)) if highest is not None else "+∞",
               "value": _show(value), "low": _show(low), "high": _show(high)}
    words = gettext(
        "The indicator can only lie between %(lowest)s and %(highest)s, so the projection is "
        "held there: %(value)s (range %(low)s to %(high)s)."
    ) % numbers
    return _Projection(value, low, high, f"{projection.words} {words}")


def _likelihood(projection, direction, goal):
    if projection.value is None:
        return UNKNOWN, ""
    if goal is None:
        return UNKNOWN, gettext("No goal is given, so there is no likelihood.")
    worse = _worse_end(projection.low, projection.high, direction)
    better = _better_end(projection.low, projection.high, direction)
    if _reaches(worse, goal, direction):
        likelihood, template = LIKELY, gettext(
            "Likely: even the less favourable end, %(worse)s, reaches the goal %(goal)s."
        )
    elif _reaches(better, goal, direction):
        likelihood, template = POSSIBLE, gettext(
            "Possible: the more favourable end, %(better)s, reaches the goal %(goal)s, "
            "the less favourable end, %(worse)s, does not."
        )
    else:
        likelihood, template = UNLIKELY, gettext(
            "Unlikely: even the more favourable end, %(better)s, misses the goal %(goal)s."
        )
    words = template % {"worse": _show(worse), "better": _show(better), "goal": _show(_value(goal))}
    if direction == "lower":
        rule = gettext(
            "(Lower is better for this target. Differences under 0.01 %% of the goal count as "
            "rounding.)"
        )
    else:
        rule = gettext("(Differences under 0.01 %% of the goal count as rounding.)")
    return likelihood, f"{words} {rule % {}}"


def _reaches(value, goal, direction):
    slack = abs(goal) * ROUNDING_SLACK
    if direction == "lower":
        return value <= goal + slack
    return value >= goal - slack
