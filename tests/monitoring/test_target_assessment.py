"""The trajectory engine's arithmetic: status, required rate, forecast.

Worked examples come from the communes' resolutions (Hòa Hội, An Nhơn Bắc); each is written so
that it can be checked with a pocket calculator. Pure functions: no database.
"""

from decimal import Decimal, localcontext

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sixclear.monitoring.target_assessment import (
    BEHIND,
    LIKELY,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    POSSIBLE,
    UNKNOWN,
    UNLIKELY,
    Assessment,
    Forecast,
    assess,
    expected_for_period,
    forecast,
    required_rate,
    required_yearly_amount,
)
from sixclear.plans.trajectory import expected_path, final_value, possible_range

D = Decimal
STATUS_ORDER = {OFF_TRACK: 0, BEHIND: 1, ON_TRACK: 2}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def growth_path(rate, baseline=100, baseline_year=2025, target_year=2030):
    return expected_path(
        kind="annual_growth", baseline_value=baseline, baseline_year=baseline_year,
        target_year=target_year, annual_rate=D(rate),
    )


def pairs(path):
    """Path points as measurements, as if reported exactly on the trajectory."""
    return [(year, low) for year, low, _high in path]


# --- Worked examples: Hòa Hội production value, +21.7 % a year ------------------------------


def test_required_rate_from_the_issue_with_the_exact_goal():
    """100 × 1.217⁵ = 266.9641 in 2030; from 115 in 2026: (266.9641 / 115)^(1/4) − 1 = 23.44 %."""
    goal = final_value(
        kind="annual_growth", baseline_value=100, baseline_year=2025, target_year=2030,
        annual_rate=D("21.7"),
    )
    rate = required_rate(actual=115, actual_year=2026, goal=goal, target_year=2030)
    assert rate == D("23.44")
    assert rate.quantize(D("0.1")) == D("23.4")


def test_required_rate_from_the_issue_with_its_rounded_goal():
    """The issue rounds the goal to 267.2, which gives 23.46 %, i.e. the 23.5 %/yr it quotes."""
    rate = required_rate(actual=115, actual_year=2026, goal=D("267.2"), target_year=2030)
    assert rate == D("23.46")
    assert rate.quantize(D("0.1")) == D("23.5")


@pytest.mark.parametrize(
    ("actual", "status", "gap", "gap_percent"),
    [
        (115, OFF_TRACK, "-6.7", "-5.5"),  # 6.7 / 121.7 = 5.5 % short: beyond the 5 %
        (118, BEHIND, "-3.7", "-3.0"),
        ("121.7", ON_TRACK, "0", "0.0"),
        (122, ON_TRACK, "0.3", "0.2"),
    ],
)
def test_production_value_in_2026_against_121_7(actual, status, gap, gap_percent):
    expected = growth_path("21.7")[0][1]
    assert expected == D("121.7")
    result = assess(kind="annual_growth", direction="higher", actual=actual, expected=expected)
    assert (result.status, result.gap, result.gap_percent) == (status, D(gap), D(gap_percent))


def test_forecast_after_a_weak_first_year_is_unlikely():
    """115 in 2026 is 15 %/yr; 115 × 1.15⁴ = 201.1357, range 13–17 %: 187.5045 to 215.4970."""
    result = forecast(
        kind="annual_growth", direction="higher", baseline_value=100, baseline_year=2025,
        measurements=[(2026, 115)], target_year=2030, goal=D("266.9641"),
    )
    assert (result.value, result.low, result.high) == (
        D("201.1357"), D("187.5045"), D("215.4970")
    )
    assert result.likelihood == UNLIKELY
    for number in ("15 %", "13 % to 17 %", "± 2 percentage points", "266.96", "215.5"):
        assert number in result.method


# --- Industry +27.8 %, services +11.3 %, agriculture +3.5 % ---------------------------------


def test_industry_half_way_through_2026_is_interpolated_on_a_straight_line():
    """Between 100 (end of 2025) and 127.8 (end of 2026): 100 + 27.8 / 2 = 113.9."""
    path = growth_path("27.8")
    assert expected_for_period(
        path=path, baseline_value=100, baseline_year=2025, year=2026, fraction=D("0.5")
    ) == (D("113.9"), None)
    # Third quarter of 2027: 127.8 + (163.3284 − 127.8) × 0.75 = 154.4463.
    assert expected_for_period(
        path=path, baseline_value=100, baseline_year=2025, year=2027, fraction=D("0.75")
    ) == (D("154.4463"), None)


def test_industry_reported_exactly_on_its_path_is_likely_to_reach_340_9214():
    path = growth_path("27.8")
    result = forecast(
        kind="annual_growth", direction="higher", baseline_value=100, baseline_year=2025,
        measurements=pairs(path[:2]), target_year=2030, goal=path[-1][1],
    )
    assert result.value == D("340.9214")
    assert result.likelihood == LIKELY
    assert "27.8 %" in result.method


def test_services_after_three_months():
    """Monthly figures: 3/12 of the way from 100 to 111.3 is 102.825."""
    low, high = expected_for_period(
        path=growth_path("11.3"), baseline_value=100, baseline_year=2025, year=2026,
        fraction=D(3) / D(12),
    )
    assert (low, high) == (D("102.825"), None)
    # Goal 100 × 1.113⁵ = 170.7953; from 105 in 2026: (170.7953 / 105)^(1/4) − 1 = 12.93 %.
    goal = growth_path("11.3")[-1][1]
    assert goal == D("170.7953")
    assert required_rate(actual=105, actual_year=2026, goal=goal, target_year=2030) == D("12.93")


def test_agriculture_slightly_behind_and_unlikely():
    """Expected 100 × 1.035² = 107.1225 in 2027; 105 is 2.1225 short, 2.0 %: behind."""
    path = growth_path("3.5")
    result = assess(kind="annual_growth", direction="higher", actual=105, expected=path[1][1])
    assert (result.status, result.gap, result.gap_percent) == (BEHIND, D("-2.1225"), D("-2.0"))
    # Growth 3 % then 1.94 %: CAGR √1.05 − 1 = 2.47 %; 105 × 1.0247³ ≈ 112.97 < 118.7686.
    outlook = forecast(
        kind="annual_growth", direction="higher", baseline_value=100, baseline_year=2025,
        measurements=[(2027, 105), (2026, 103)], target_year=2030, goal=path[-1][1],
    )
    assert (outlook.value, outlook.low, outlook.high) == (
        D("112.9726"), D("111.2360"), D("114.7363")
    )
    assert outlook.likelihood == UNLIKELY
    assert "1.9 % and 3 %" in outlook.method


# --- An Nhơn Bắc: average growth 11–12 % a year ---------------------------------------------


def range_path():
    return expected_path(
        kind="growth_range", baseline_value=1000, baseline_year=2025, target_year=2030,
        annual_rate=11, annual_rate_high=12,
    )


@pytest.mark.parametrize(
    ("actual", "status", "gap"),
    [
        (1125, ON_TRACK, "15"),
        (1115, ON_TRACK, "5"),
        (1100, BEHIND, "-10"),
        (1000, OFF_TRACK, "-110"),
    ],
)
def test_a_range_is_met_from_its_low_path(actual, status, gap):
    year, low, high = range_path()[0]
    assert (low, high) == (D(1110), D(1120))
    result = assess(
        kind="growth_range", direction="higher", actual=actual, expected=low, expected_high=high
    )
    assert (result.status, result.gap, result.expected_high) == (status, D(gap), D(1120))


def test_a_range_inside_a_quarter_has_both_ends():
    assert expected_for_period(
        path=range_path(), baseline_value=1000, baseline_year=2025, year=2026, fraction=D("0.25")
    ) == (D("1027.5"), D("1030"))


def test_range_forecast_uses_the_lowest_and_highest_yearly_growth():
    """1115 then 1240: +11.5 % and +11.21 %; 1240 × 1.1121³ = 1705.54 ≥ 1685.0582: likely."""
    path = range_path()
    result = forecast(
        kind="growth_range", direction="higher", baseline_value=1000, baseline_year=2025,
        measurements=[(2026, 1115), (2027, 1240)], target_year=2030,
        goal=path[-1][1], goal_high=path[-1][2],
    )
    assert (result.value, result.low, result.high) == (
        D("1712.1989"), D("1705.5409"), D("1718.8829")
    )
    assert result.likelihood == LIKELY


# --- Ten investment projects by 2030 (count, baseline 0 in 2025) ----------------------------


def projects_path():
    return expected_path(
        kind="count", baseline_value=0, baseline_year=2025, target_year=2030, target_value=10
    )


def test_projects_status_and_what_remains():
    expected = projects_path()[1][1]  # 4 by 2027
    result = assess(kind="count", direction="higher", actual=3, expected=expected)
    assert (result.status, result.gap, result.gap_percent) == (OFF_TRACK, D(-1), D("-25.0"))
    assert required_yearly_amount(actual=3, actual_year=2027, goal=10, target_year=2030) == (
        D("2.3333")
    )
    # Growth from zero projects is undefined: no rate, and no crash.
    assert required_rate(actual=0, actual_year=2026, goal=10, target_year=2030) is None


def test_projects_first_quarter():
    assert expected_for_period(
        path=projects_path(), baseline_value=0, baseline_year=2025, year=2026, fraction=D("0.25")
    ) == (D("0.5"), None)


def test_projects_forecast_by_least_squares():
    """Points (0, 0), (1, 1), (2, 3): slope 1.5, 4/3 + 1.5 × 4 = 7.3333; residual sd √(1/6)."""
    result = forecast(
        kind="count", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2026, 1), (2027, 3)], target_year=2030, goal=10,
    )
    assert (result.value, result.low, result.high) == (D("7.3333"), D("6.5169"), D("8.1497"))
    assert result.likelihood == UNLIKELY
    assert "1.5 a year" in result.method and "0.41" in result.method


def test_two_points_give_a_ten_percent_range_and_say_so():
    result = forecast(
        kind="count", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2026, 2)], target_year=2030, goal=10,
    )
    assert (result.value, result.low, result.high) == (D(10), D(9), D(11))
    assert result.likelihood == POSSIBLE
    assert "± 10 %" in result.method


# --- Exports above 33 million USD over the term (cumulative) --------------------------------


def test_exports_running_total_is_likely_to_pass_33_million():
    path = expected_path(
        kind="cumulative", baseline_value=0, baseline_year=2025, target_year=2030, target_value=33
    )
    assert pairs(path)[2] == (2028, D("19.8"))
    result = assess(kind="cumulative", direction="higher", actual=D("20.6"), expected=D("19.8"))
    assert (result.status, result.gap, result.gap_percent) == (ON_TRACK, D("0.8"), D("4.0"))
    assert required_yearly_amount(
        actual=D("20.6"), actual_year=2028, goal=33, target_year=2030
    ) == D("6.2")
    outlook = forecast(
        kind="cumulative", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2026, D("7.1")), (2027, D("13.9")), (2028, D("20.6"))],
        target_year=2030, goal=33,
    )
    assert (outlook.value, outlook.low, outlook.high) == (
        D("34.41"), D("34.1202"), D("34.6998")
    )
    assert outlook.likelihood == LIKELY


# --- Other kinds and edges ------------------------------------------------------------------


def test_a_threshold_to_keep_and_yes_no_hold_for_the_whole_year():
    threshold = expected_path(
        kind="threshold_keep", baseline_value=70, baseline_year=2025, target_year=2027,
        target_value=95,
    )
    assert expected_for_period(
        path=threshold, baseline_value=70, baseline_year=2025, year=2026, fraction=D("0.25"),
        kind="threshold_keep",
    ) == (D(95), None)
    reach = expected_path(
        kind="threshold", baseline_value=70, baseline_year=2025, target_year=2027, target_value=90
    )
    # A threshold to reach moves along its path inside the year, like a count.
    assert expected_for_period(
        path=reach, baseline_value=70, baseline_year=2025, year=2026, fraction=D("0.25"),
        kind="threshold",
    ) == (D("72.5"), None)
    yes_no = expected_path(
        kind="yes_no", baseline_value=0, baseline_year=2025, target_year=2027, target_value=1
    )
    assert expected_for_period(
        path=yes_no, baseline_value=0, baseline_year=2025, year=2027, fraction=D("0.5"),
        kind="yes_no",
    ) == (D(1), None)


def test_a_path_drawn_by_hand_may_skip_years():
    path = [(2026, D(110), None), (2030, D(150), None)]
    assert expected_for_period(
        path=path, baseline_value=100, baseline_year=2025, year=2028, fraction=1
    ) == (D(130), None)
    assert expected_for_period(
        path=path, baseline_value=100, baseline_year=2025, year=2035
    ) == (D(150), None)
    assert expected_for_period(
        path=path, baseline_value=100, baseline_year=2025, year=2020
    ) == (D(100), None)


def test_yes_no():
    assert assess(kind="yes_no", direction="higher", actual=0, expected=1).status == OFF_TRACK
    assert assess(kind="yes_no", direction="higher", actual=1, expected=1).status == ON_TRACK
    assert assess(kind="yes_no", direction="higher", actual=0, expected=0).status == ON_TRACK
    done = forecast(
        kind="yes_no", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2027, 1)], target_year=2030, goal=1,
    )
    assert (done.value, done.likelihood) == (D(1), LIKELY)
    waiting = forecast(
        kind="yes_no", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2027, 0)], target_year=2030, goal=1,
    )
    assert waiting.likelihood == POSSIBLE
    missed = forecast(
        kind="yes_no", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2030, 0)], target_year=2030, goal=1,
    )
    assert missed.likelihood == UNLIKELY


def test_no_data():
    result = assess(kind="count", direction="higher", actual=None, expected=D(4))
    assert result == Assessment(NO_DATA, D(4), None, None, None, None)
    outlook = forecast(
        kind="count", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2024, 3), (2026, None)], target_year=2030, goal=10,
    )
    assert (outlook.value, outlook.likelihood) == (None, UNKNOWN)
    assert outlook.method


def test_an_expected_zero_decides_by_the_gap_alone():
    at_zero = assess(kind="count", direction="higher", actual=0, expected=0)
    assert (at_zero.status, at_zero.gap_percent) == (ON_TRACK, None)
    # "No deaths on the roads": one is off track, there is no percentage of zero.
    one = assess(kind="count", direction="lower", actual=1, expected=0)
    assert (one.status, one.gap, one.gap_percent) == (OFF_TRACK, D(-1), None)


def test_a_lower_is_better_range_is_met_from_its_high_path():
    """Reduce by 1–1.5 %/yr: at 98.8 against 98.5–99 the lenient end, 99, is met."""
    result = assess(
        kind="growth_range", direction="lower", actual=D("98.8"),
        expected=D("98.5"), expected_high=D(99),
    )
    assert (result.status, result.gap) == (ON_TRACK, D("0.2"))


def test_a_falling_target_forecast():
    """Reduce 10 % a year from 100: goal 59.049 in 2030."""
    on_course = forecast(
        kind="annual_growth", direction="lower", baseline_value=100, baseline_year=2025,
        measurements=[(2026, 90), (2027, 81)], target_year=2030, goal=D("59.049"),
    )
    assert (on_course.value, on_course.likelihood) == (D("59.049"), LIKELY)
    slow = forecast(
        kind="annual_growth", direction="lower", baseline_value=100, baseline_year=2025,
        measurements=[(2026, 95), (2027, 92)], target_year=2030, goal=D("59.049"),
    )
    assert slow.likelihood == UNLIKELY
    assert "Lower is better" in slow.method


def test_growth_from_a_zero_baseline_is_unknown_not_an_error():
    result = forecast(
        kind="annual_growth", direction="higher", baseline_value=0, baseline_year=2025,
        measurements=[(2026, 5)], target_year=2030, goal=10,
    )
    assert (result.value, result.likelihood) == (None, UNKNOWN)
    assert "positive" in result.method


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown target kind"):
        forecast(
            kind="speed", direction="higher", baseline_value=0, baseline_year=2025,
            measurements=[], target_year=2030, goal=1,
        )


def test_no_years_left():
    assert required_rate(actual=100, actual_year=2030, goal=120, target_year=2030) is None
    assert required_yearly_amount(actual=1, actual_year=2031, goal=10, target_year=2030) is None


# --- Properties -----------------------------------------------------------------------------

positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=4)
kinds = st.sampled_from(["annual_growth", "growth_range", "cumulative", "count", "threshold",
                         "threshold_keep"])
directions = st.sampled_from(["higher", "lower"])
tolerances = st.decimals(min_value=0, max_value=20, places=1)


@given(actual=positive, goal=st.decimals(min_value=0, max_value=10**7, places=2),
       years=st.integers(min_value=1, max_value=10))
def test_required_rate_applied_for_the_remaining_years_reaches_the_goal(actual, goal, years):
    """The rate is rounded to 0.01, so the exact rate lies within ± 0.005 of it."""
    rate = required_rate(actual=actual, actual_year=2025, goal=goal, target_year=2025 + years)
    with localcontext() as context:
        context.prec = 60
        slower = max(1 + (rate - D("0.005")) / 100, D(0))
        faster = 1 + (rate + D("0.005")) / 100
        slack = goal * D("1e-40")
        assert actual * slower**years <= goal + slack
        assert actual * faster**years >= goal - slack


@given(actual=amounts, goal=amounts, years=st.integers(min_value=1, max_value=10))
def test_required_yearly_amount_adds_up_to_the_goal(actual, goal, years):
    amount = required_yearly_amount(
        actual=actual, actual_year=2025, goal=goal, target_year=2025 + years
    )
    assert abs(actual + amount * years - goal) <= D("0.00005") * years


@given(kind=st.sampled_from(["annual_growth", "count", "threshold", "yes_no"]),
       direction=directions, expected=amounts, first=amounts, second=amounts,
       tolerance=tolerances)
def test_a_better_actual_never_gives_a_worse_status(
    kind, direction, expected, first, second, tolerance
):
    worse, better = sorted([first, second], reverse=direction == "lower")
    statuses = [
        assess(kind=kind, direction=direction, actual=actual, expected=expected,
               tolerance_percent=tolerance).status
        for actual in (worse, better)
    ]
    assert STATUS_ORDER[statuses[0]] <= STATUS_ORDER[statuses[1]]


@given(kind=st.sampled_from(["annual_growth", "count", "threshold", "yes_no"]),
       expected=amounts, actual=amounts, tolerance=tolerances)
def test_lower_is_better_mirrors_higher_is_better(kind, expected, actual, tolerance):
    """Reflecting the actual around the expected value swaps better and worse."""
    higher = assess(kind=kind, direction="higher", actual=actual, expected=expected,
                    tolerance_percent=tolerance)
    lower = assess(kind=kind, direction="lower", actual=2 * expected - actual,
                   expected=expected, tolerance_percent=tolerance)
    assert (lower.status, lower.gap, lower.gap_percent) == (
        higher.status, higher.gap, higher.gap_percent
    )


@given(low=amounts, width=st.decimals(min_value=0, max_value=1000, places=2), actual=amounts)
def test_a_lower_is_better_range_mirrors_a_higher_one(low, width, actual):
    high = low + width
    higher = assess(kind="growth_range", direction="higher", actual=actual,
                    expected=low, expected_high=high)
    lower = assess(kind="growth_range", direction="lower", actual=-actual,
                   expected=-high, expected_high=-low)
    assert (lower.status, lower.gap, lower.gap_percent) == (
        higher.status, higher.gap, higher.gap_percent
    )


@given(baseline=st.decimals(min_value=100, max_value=10**6, places=2),
       rate=st.decimals(min_value=0, max_value=50, places=1),
       years=st.integers(min_value=2, max_value=10), data=st.data())
def test_a_forecast_through_a_compound_path_reproduces_it_and_is_likely(
    baseline, rate, years, data
):
    """Two measurements at least: a single one gets a ± 2 point range, which is only possible."""
    path = growth_path(rate, baseline=baseline, target_year=2025 + years)
    measured = data.draw(st.integers(min_value=2, max_value=years))
    goal = path[-1][1]
    result = forecast(
        kind="annual_growth", direction="higher", baseline_value=baseline, baseline_year=2025,
        measurements=pairs(path[:measured]), target_year=2025 + years, goal=goal,
    )
    assert abs(result.value - goal) <= goal * D("0.00001") + D("0.0001")
    assert result.likelihood == LIKELY


@given(baseline=st.integers(min_value=0, max_value=1000),
       slope=st.decimals(min_value=-100, max_value=100, places=2),
       years=st.integers(min_value=2, max_value=10), kind=st.sampled_from(["cumulative", "count"]),
       data=st.data())
def test_a_forecast_through_a_straight_line_reproduces_it_and_is_likely(
    baseline, slope, years, kind, data
):
    measured = data.draw(st.integers(min_value=2, max_value=years))
    points = [(2025 + n, baseline + slope * n) for n in range(1, measured + 1)]
    goal = baseline + slope * years
    direction = "higher" if slope >= 0 else "lower"
    result = forecast(
        kind=kind, direction=direction, baseline_value=baseline, baseline_year=2025,
        measurements=points, target_year=2025 + years, goal=goal,
    )
    assert (result.value, result.low, result.high) == (goal, goal, goal)
    assert result.likelihood == LIKELY


measurement_lists = st.lists(
    st.tuples(st.integers(min_value=2026, max_value=2030), amounts), min_size=1, max_size=5
)


@given(kind=st.sampled_from(["cumulative", "count", "threshold", "threshold_keep"]),
       baseline=amounts,
       measurements=measurement_lists, goal=amounts)
def test_a_lower_is_better_forecast_mirrors_a_higher_one(kind, baseline, measurements, goal):
    """Negating every figure and flipping the direction changes nothing but signs."""
    common = {"kind": kind, "baseline_year": 2025, "target_year": 2030}
    higher = forecast(direction="higher", baseline_value=baseline, measurements=measurements,
                      goal=goal, **common)
    lower = forecast(direction="lower", baseline_value=-baseline,
                     measurements=[(year, -value) for year, value in measurements],
                     goal=-goal, **common)
    assert lower.likelihood == higher.likelihood
    assert (lower.value, lower.low, lower.high) == (-higher.value, -higher.high, -higher.low)


@given(path_rate=st.decimals(min_value=0, max_value=50, places=1),
       year=st.integers(min_value=2026, max_value=2030),
       fractions=st.lists(st.decimals(min_value=0, max_value=1, places=3), min_size=2,
                          max_size=2))
def test_inside_a_year_a_growing_path_lies_between_its_year_ends(path_rate, year, fractions):
    path = growth_path(path_rate)
    values = dict((point_year, low) for point_year, low in pairs(path)) | {2025: D(100)}

    def at(fraction):
        return expected_for_period(
            path=path, baseline_value=100, baseline_year=2025, year=year, fraction=fraction
        )[0]

    early, late = sorted(fractions)
    assert values[year - 1] <= at(early) <= at(late) <= values[year]
    assert at(1) == values[year]
    assert at(0) == values[year - 1]


maybe_amount = st.none() | amounts | st.just(D(0))


@given(kind=st.sampled_from(["annual_growth", "growth_range", "cumulative", "count",
                             "threshold", "yes_no"]),
       direction=directions, baseline=maybe_amount, actual=maybe_amount,
       expected=maybe_amount, expected_high=maybe_amount, goal=maybe_amount,
       goal_high=maybe_amount, tolerance=st.none() | tolerances,
       measurements=st.lists(st.tuples(st.integers(min_value=2020, max_value=2035),
                                       maybe_amount), max_size=6),
       year=st.integers(min_value=2020, max_value=2035),
       fraction=st.none() | st.decimals(min_value=-1, max_value=2, places=2))
def test_nothing_raises_on_real_world_figures(
    kind, direction, baseline, actual, expected, expected_high, goal, goal_high, tolerance,
    measurements, year, fraction,
):
    """Zero baselines (counts), negative values (balances), missing figures, odd years."""
    result = assess(kind=kind, direction=direction, actual=actual, expected=expected,
                    expected_high=expected_high, tolerance_percent=tolerance)
    assert isinstance(result, Assessment)
    for compute in (required_rate, required_yearly_amount):
        compute(actual=actual, actual_year=year, goal=goal, target_year=2030)
    outlook = forecast(kind=kind, direction=direction, baseline_value=baseline or 0,
                       baseline_year=2025, measurements=measurements, target_year=2030,
                       goal=goal, goal_high=goal_high)
    assert isinstance(outlook, Forecast) and outlook.method
    path = [(2026, expected or 0, expected_high), (2030, goal or 0, None)]
    expected_for_period(path=path, baseline_value=baseline or 0, baseline_year=2025, year=year,
                        fraction=fraction, kind=kind)


def test_labels_translate():
    assert str(assess(kind="count", direction="higher", actual=1, expected=2).label) == "Off track"
    outlook = forecast(
        kind="count", direction="higher", baseline_value=0, baseline_year=2025, measurements=[],
        target_year=2030, goal=1,
    )
    assert str(outlook.label) == "unknown"


# --- What the indicator can be ---------------------------------------------------------------


def test_a_satisfaction_share_is_not_forecast_above_100_percent():
    """From 80 % in 2025 to 95 % in 2026 the line would give 170 % in 2030."""
    lowest, highest = possible_range(kind="threshold", unit_of_measure="%")
    result = forecast(kind="threshold", direction="higher", baseline_value=80,
                      baseline_year=2025, measurements=[(2026, 95)], target_year=2030,
                      goal=98, lowest=lowest, highest=highest)
    assert (result.value, result.low, result.high) == (D(100), D(100), D(100))
    assert result.likelihood == LIKELY
    assert "between 0 and 100" in result.method


def test_the_possible_range_comes_from_the_target_or_from_a_share_in_percent():
    assert possible_range(kind="count", unit_of_measure=" % ") == (D(0), D(100))
    assert possible_range(kind="annual_growth", unit_of_measure="%") == (None, None)
    assert possible_range(kind="count", unit_of_measure="người") == (None, None)
    assert possible_range(kind="count", unit_of_measure="người", lowest=0) == (D(0), None)
    assert possible_range(kind="threshold", unit_of_measure="%", highest=50) == (D(0), D(50))


def test_a_projection_inside_the_range_is_left_alone_and_says_nothing():
    inside = forecast(kind="count", direction="higher", baseline_value=40, baseline_year=2025,
                      measurements=[(2026, 45)], target_year=2030, goal=60, lowest=0,
                      highest=100)
    free = forecast(kind="count", direction="higher", baseline_value=40, baseline_year=2025,
                    measurements=[(2026, 45)], target_year=2030, goal=60)
    assert inside == free


@given(kind=st.sampled_from(["annual_growth", "cumulative", "count", "threshold",
                             "threshold_keep"]),
       direction=directions,
       baseline=st.decimals(min_value=1, max_value=100, places=1),
       measurements=st.lists(st.tuples(st.integers(min_value=2026, max_value=2030),
                                       st.decimals(min_value=0, max_value=100, places=1)),
                             max_size=4),
       goal=st.decimals(min_value=0, max_value=100, places=1))
def test_forecasts_of_a_share_stay_within_0_and_100(kind, direction, baseline, measurements,
                                                    goal):
    result = forecast(kind=kind, direction=direction, baseline_value=baseline,
                      baseline_year=2025, measurements=measurements, target_year=2030,
                      goal=goal, lowest=0, highest=100)
    for number in (result.value, result.low, result.high):
        assert number is None or 0 <= number <= 100


def test_the_method_text_writes_numbers_in_the_readers_language():
    with translation.override("vi"):
        result = forecast(
            kind="cumulative", direction="higher", baseline_value=D("0"), baseline_year=2025,
            measurements=[(2026, D("4381.2")), (2027, D("8651.2021"))], target_year=2030,
            goal=D("20000"))
    assert "4.325,6" in result.method and "21.555,75" in result.method
    assert "20.000" in result.method and "21646.5382" not in result.method
