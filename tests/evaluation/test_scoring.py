"""The arithmetic of grades, worked out by hand: points, thresholds at 90/70/50, requirements,
vetoes, caps and the ranking."""

from decimal import Decimal as D

import pytest

from sixclear.evaluation import scoring
from sixclear.evaluation.defaults import default_sets

RULES = {
    "grades": {
        "excellent": {"min_points": "90", "requires": [{"criterion": "KQ1", "min_ratio": "1"}]},
        "good": {"min_points": "70", "requires": [{"criterion": "KQ1", "min_ratio": "1"}]},
        "complete": {"min_points": "50", "requires": [{"criterion": "KQ1", "min_ratio": "0.8"}]},
    },
    "caps": [{"grade": "excellent", "share": "0.2", "of": ["excellent", "good"]}],
    "vetoes": [{"code": "disciplined", "max_grade": "not_complete"}],
}


def subject(key, manual, done=1, due=1, vetoes=(), target=(1, 1)):
    """30 manual points + 70 computed: KQ1 tasks (50 points), KQ2 targets (20 points)."""
    return scoring.SubjectInput(key=key, name=key, vetoes=list(vetoes), lines=[
        scoring.LineInput("TC", D(30), "manual", self_points=D(manual)),
        scoring.LineInput("KQ1", D(50), "measure", numerator=done, denominator=due),
        scoring.LineInput("KQ2", D(20), "measure", numerator=target[0], denominator=target[1]),
    ])


def grade(*args, **kwargs):
    return scoring.grade_subject(RULES, subject("s", *args, **kwargs))


def test_computed_points_are_the_share_of_the_criterion_rounded_half_up():
    line = scoring.line_points(scoring.LineInput("KQ1", D(35), "measure", numerator=41,
                                                 denominator=47))
    # 35 × 41/47 = 30.5319… → 30.53
    assert line.points == D("30.53")
    assert line.ratio == D(41) / D(47)


def test_full_at_gives_full_points_from_that_share():
    line = scoring.line_points(scoring.LineInput(
        "KQ5", D(5), "measure", parameters={"full_at": "0.8"}, numerator=3, denominator=5))
    assert line.points == D("3.75")  # 5 × 0.6/0.8
    line = scoring.line_points(scoring.LineInput(
        "KQ5", D(5), "measure", parameters={"full_at": "0.8"}, numerator=9, denominator=10))
    assert line.points == D(5)


def test_nothing_due_earns_full_points_unless_the_criterion_says_zero():
    assert scoring.line_points(scoring.LineInput("K", D(10), "measure")).points == D(10)
    assert scoring.line_points(scoring.LineInput(
        "K", D(10), "measure", parameters={"when_nothing_due": "zero"})).points == D(0)


@pytest.mark.parametrize(("manual", "target", "points", "expected"), [
    ("30", (1, 1), "100", "excellent"),
    ("20", (1, 1), "90", "excellent"),        # exactly 90
    ("19.99", (1, 1), "89.99", "good"),       # just below 90
    ("0", (1, 1), "70", "good"),              # exactly 70
    ("0", (99, 100), "69.80", "complete"),    # 50 + 19.80: just below 70
])
def test_thresholds_at_90_and_70(manual, target, points, expected):
    result = grade(manual, target=target)
    assert (result.points, result.grade) == (D(points), expected)


def test_exactly_50_is_complete_and_just_below_is_not():
    # 30 manual + KQ1 4/5 → 40 + KQ2 0/1 → 0 = 70, but KQ1 below 1 → not good: complete
    assert grade("30", done=4, due=5, target=(0, 1)).grade == "complete"
    # 10 manual + 40 = exactly 50 → complete
    result = grade("10", done=4, due=5, target=(0, 1))
    assert result.points == D(50) and result.grade == "complete"
    result = grade("9.99", done=4, due=5, target=(0, 1))
    assert result.points == D("49.99") and result.grade == "not_complete"


def test_a_late_task_keeps_a_high_score_from_excellent_and_good():
    result = grade("30", done=19, due=20)  # 30 + 47.5 + 20 = 97.5, but one task late
    assert result.points == D("97.50")
    assert result.grade == "complete"
    assert [step.kind for step in result.steps] == ["requirement", "requirement", "threshold"]


def test_more_than_a_fifth_late_is_not_complete_whatever_the_points():
    assert grade("30", done=3, due=4).grade == "not_complete"  # 75 %, below 80 %


def test_a_veto_lowers_the_grade_and_says_so():
    result = grade("30", vetoes=["disciplined"])
    assert result.grade == "not_complete"
    assert result.steps[-1].kind == "veto"


def test_an_adjustment_replaces_the_computed_points_and_keeps_them():
    line = scoring.line_points(scoring.LineInput(
        "KQ1", D(50), "measure", numerator=1, denominator=2, review_points=D(40)))
    assert (line.computed, line.points, line.adjusted) == (D(25), D(40), True)


def test_an_adjustment_beyond_the_criterion_points_counts_only_its_points():
    line = scoring.line_points(scoring.LineInput("TC", D(30), "manual", self_points=D(45)))
    assert line.points == D(30)


def test_cap_excellent_at_a_fifth_of_good_rounded_down_lowest_first():
    # 5 excellent, 5 good: 20 % of 10 = 2 excellent kept, the 3 lowest go to good.
    subjects = [subject(f"e{n}", str(30 - n)) for n in range(5)]
    subjects += [subject(f"g{n}", "5") for n in range(5)]
    results = {r.key: r for r in scoring.grade_round(RULES, subjects)}
    assert [results[f"e{n}"].grade for n in range(5)] == [
        "excellent", "excellent", "good", "good", "good"]
    capped = results["e4"].steps[-1]
    assert (capped.kind, capped.detail["allowed"], capped.detail["base"]) == ("cap", 2, 10)


def test_cap_with_fewer_than_five_allows_no_excellent():
    results = scoring.grade_round(RULES, [subject("a", "30"), subject("b", "5")])
    assert {r.key: r.grade for r in results} == {"a": "good", "b": "good"}


def test_ranking_by_grade_points_computed_points_and_ties_share_a_rank():
    results = {r.key: r for r in scoring.grade_round({**RULES, "caps": []}, [
        subject("b", "25"), subject("a", "25"), subject("c", "30"), subject("d", "0")])}
    assert results["c"].rank == 1
    assert results["a"].rank == results["b"].rank == 2
    assert results["d"].rank == 4


def test_grading_is_a_function_of_its_inputs():
    subjects = [subject(f"s{n}", str(n * 3)) for n in range(10)]
    first = [(r.key, r.grade, r.points, r.rank) for r in scoring.grade_round(RULES, subjects)]
    again = [(r.key, r.grade, r.points, r.rank) for r in scoring.grade_round(RULES, subjects)]
    assert first == again


def test_every_shipped_set_adds_up_to_100_and_cites_its_source_as_to_be_checked():
    for data in default_sets(2026):
        assert sum(row["points"] for row in data["criteria"]) == 100
        for row in data["criteria"]:
            assert "cần đối chiếu" in row["citation"] and row["verified"] is False


def test_an_adjusted_criterion_meets_its_requirement_at_its_adjusted_share():
    late = subject("s", "30", done=3, due=4)
    assert scoring.grade_subject(RULES, late).grade == "not_complete"
    late.lines[1].review_points = D(50)  # the delay was confirmed as objective
    result = scoring.grade_subject(RULES, late)
    assert (result.points, result.grade) == (D(100), "excellent")


def test_the_common_path_of_subjects_is_their_deepest_shared_unit():
    from sixclear.evaluation.measures import common_path

    assert common_path(["000100020003", "000100020004"]) == "00010002"
    assert common_path(["000100020003", "00010005"]) == "0001"
    assert common_path(["00010002"]) == "00010002"
    assert common_path(["0001", "0002"]) == ""
    assert common_path([]) is None
