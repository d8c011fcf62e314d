from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sixclear.plans.trajectory import expected_path, final_value


def test_production_value_growing_21_7_percent_reaches_266_96_in_2030():
    """Hòa Hội: +21.7 %/yr from 100 in 2025 is 100 × 1.217⁵ = 266.96 in 2030."""
    value = final_value(
        kind="annual_growth", baseline_value=100, baseline_year=2025, target_year=2030,
        annual_rate=Decimal("21.7"),
    )
    assert value == Decimal("266.9641")


def test_growth_range_has_a_low_and_a_high_path():
    """An Nhơn Bắc: average growth 11–12 % a year."""
    path = expected_path(
        kind="growth_range", baseline_value=1000, baseline_year=2025, target_year=2030,
        annual_rate=11, annual_rate_high=12,
    )
    assert [year for year, _low, _high in path] == [2026, 2027, 2028, 2029, 2030]
    year, low, high = path[0]
    assert (low, high) == (Decimal("1110.0000"), Decimal("1120.0000"))


def test_counts_and_amounts_follow_a_straight_line():
    path = expected_path(
        kind="count", baseline_value=0, baseline_year=2025, target_year=2030, target_value=10
    )
    assert [low for _y, low, _h in path] == [2, 4, 6, 8, 10]


def test_a_threshold_to_reach_is_a_path_from_the_baseline_not_a_wall_in_year_one():
    """An Nhơn Bắc ANB-NQ-06: over 80 % of procedures online by 2030, from 45 % in 2025."""
    path = expected_path(
        kind="threshold", baseline_value=45, baseline_year=2025, target_year=2030, target_value=80
    )
    assert [low for _y, low, _h in path] == [52, 59, 66, 73, 80]


def test_a_threshold_to_reach_downwards_when_lower_is_better():
    """Poverty below 1 % by 2030, from 2.1 % in 2025."""
    path = expected_path(
        kind="threshold", direction="lower", baseline_value="2.1", baseline_year=2025,
        target_year=2030, target_value=1,
    )
    assert [low for _y, low, _h in path] == [
        Decimal("1.88"), Decimal("1.66"), Decimal("1.44"), Decimal("1.22"), Decimal("1")]


def test_a_threshold_already_met_at_the_baseline_asks_for_the_threshold_itself():
    higher = expected_path(
        kind="threshold", baseline_value=85, baseline_year=2025, target_year=2027, target_value=80
    )
    lower = expected_path(
        kind="threshold", direction="lower", baseline_value="0.5", baseline_year=2025,
        target_year=2027, target_value=1,
    )
    assert [low for _y, low, _h in higher] == [80, 80]
    assert [low for _y, low, _h in lower] == [1, 1]


def test_threshold_to_keep_and_yes_no_paths():
    threshold = expected_path(
        kind="threshold_keep", baseline_value=70, baseline_year=2025, target_year=2027,
        target_value=95,
    )
    assert [low for _y, low, _h in threshold] == [95, 95]
    yes_no = expected_path(
        kind="yes_no", baseline_value=0, baseline_year=2025, target_year=2028, target_value=1
    )
    assert [low for _y, low, _h in yes_no] == [0, 0, 1]


@given(
    baseline=st.decimals(min_value=1, max_value=10**9, places=2),
    rate=st.decimals(min_value=0, max_value=50, places=1),
    years=st.integers(min_value=1, max_value=10),
)
def test_growth_paths_never_fall_and_end_at_the_compound_value(baseline, rate, years):
    path = expected_path(
        kind="annual_growth", baseline_value=baseline, baseline_year=2025,
        target_year=2025 + years, annual_rate=rate,
    )
    values = [low for _y, low, _h in path]
    assert values == sorted(values)
    expected = baseline * (1 + rate / 100) ** years
    assert abs(values[-1] - expected) <= Decimal("0.0001")


@given(
    baseline=st.integers(min_value=0, max_value=1000),
    goal=st.integers(min_value=0, max_value=1000),
    years=st.integers(min_value=1, max_value=10),
)
def test_linear_paths_start_near_the_baseline_and_end_on_the_goal(baseline, goal, years):
    path = expected_path(
        kind="cumulative", baseline_value=baseline, baseline_year=2025,
        target_year=2025 + years, target_value=goal,
    )
    assert len(path) == years
    assert path[-1][1] == goal


@given(
    baseline=st.decimals(min_value=0, max_value=100, places=1),
    goal=st.decimals(min_value=0, max_value=100, places=1),
    years=st.integers(min_value=1, max_value=10),
    direction=st.sampled_from(["higher", "lower"]),
)
def test_a_threshold_to_reach_moves_steadily_and_arrives_on_time(baseline, goal, years, direction):
    """Each year asks at least as much as the one before, never more than the threshold, and
    the target year asks for the threshold itself; a threshold to keep asks for it every year."""
    fields = {"baseline_value": baseline, "baseline_year": 2025, "target_year": 2025 + years,
              "target_value": goal, "direction": direction}
    values = [low for _y, low, _h in expected_path(kind="threshold", **fields)]
    assert values[-1] == goal
    ordered = values if direction == "higher" else values[::-1]
    if (baseline < goal) == (direction == "higher") and baseline != goal:
        assert ordered == sorted(ordered)
        assert all(min(baseline, goal) <= value <= max(baseline, goal) for value in values)
    else:
        assert values == [goal] * years
    kept = [low for _y, low, _h in expected_path(kind="threshold_keep", **fields)]
    assert kept == [goal] * years
