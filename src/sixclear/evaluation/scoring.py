"""The arithmetic of a grade, as pure functions of the rules and the frozen figures.

Nothing here reads the database: `services` and `selectors` feed it the criteria set's rules
and the lines' stored evidence and scores, so the same inputs always give the same grade.

Order of the steps (each is shown to the person with its citation):
1. each criterion's points: a computed one earns `points × min(1, ratio / full_at)`
   (rounded half up to 0.01), a manual one what the person scored; an adjustment by the level
   above replaces either, the computed figure kept beside it;
2. the grade: the best one whose `min_points` the total reaches and whose required criteria
   reach their `min_ratio` (a criterion with nothing due meets its requirement; an adjusted
   criterion is read at its adjusted share of its points);
3. disqualifiers (vetoes) applied to the subject lower the grade to their `max_grade`;
4. caps across the round: when more subjects hold a grade than `share` of those holding the
   grades in `of` allows (rounded down), the lowest-ranked of them go one grade down;
5. the ranking: grade, then total points, then points of computed criteria, then name; equal
   grade, points and computed points share a rank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GRADES = ["excellent", "good", "complete", "not_complete"]  # best first
RANK = {grade: len(GRADES) - index for index, grade in enumerate(GRADES)}
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class LineInput:
    code: str
    max_points: Decimal
    method: str  # "measure" or "manual"
    parameters: dict[str, Any] = field(default_factory=dict)
    numerator: int | None = None
    denominator: int | None = None
    self_points: Decimal | None = None
    review_points: Decimal | None = None


@dataclass
class LineResult:
    code: str
    ratio: Decimal | None
    computed: Decimal | None  # what the rule gives (None for a manual line not yet scored)
    points: Decimal  # what counts
    adjusted: bool
    nothing_due: bool


@dataclass
class Step:
    kind: str  # "threshold", "requirement", "veto", "cap"
    grade: str
    citation: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class SubjectInput:
    key: str
    name: str
    lines: list[LineInput]
    vetoes: list[str] = field(default_factory=list)


@dataclass
class SubjectResult:
    key: str
    name: str
    lines: list[LineResult]
    points: Decimal
    computed_points: Decimal
    grade: str
    steps: list[Step]
    rank: int = 0


def ratio_of(line: LineInput) -> Decimal | None:
    if not line.denominator:
        return None
    return Decimal(line.numerator or 0) / Decimal(line.denominator)


def line_points(line: LineInput) -> LineResult:
    ratio = ratio_of(line)
    nothing_due = line.method == "measure" and ratio is None
    if line.method == "measure":
        if ratio is None:
            share = Decimal(1) if line.parameters.get("when_nothing_due", "full") == "full" \
                else Decimal(0)
        else:
            full_at = Decimal(str(line.parameters.get("full_at", 1))) or Decimal(1)
            share = min(Decimal(1), ratio / full_at)
        computed: Decimal | None = cents(line.max_points * share)
    else:
        computed = line.self_points
    adjusted = line.review_points is not None
    counted = line.review_points if adjusted else computed
    points = min(line.max_points, max(Decimal(0), counted or Decimal(0)))
    return LineResult(line.code, ratio, computed, cents(points), adjusted, nothing_due)


def _below(ratio: Decimal | None, minimum: Any) -> bool:
    """A requirement unmet; a criterion with nothing due meets it."""
    return ratio is not None and ratio < Decimal(str(minimum))


def grade_subject(rules: dict[str, Any], subject: SubjectInput) -> SubjectResult:
    lines = [line_points(line) for line in subject.lines]
    total = cents(sum((line.points for line in lines), Decimal(0)))
    computed_total = cents(sum((line.points for line, given in zip(lines, subject.lines,
                                                                   strict=True)
                                if given.method == "measure"), Decimal(0)))
    # A requirement reads the adjusted share where the level above adjusted the points (it
    # judged the figure: a delay for an objective reason it confirmed no longer counts).
    ratios = {line.code: (line.points / given.max_points if line.adjusted and given.max_points
                          else line.ratio)
              for line, given in zip(lines, subject.lines, strict=True)}
    steps: list[Step] = []
    grades = rules.get("grades", {})
    grade = "not_complete"
    for candidate in GRADES[:-1]:
        rule = grades.get(candidate)
        if rule is None or total < Decimal(str(rule.get("min_points", 0))):
            continue
        unmet = [need for need in rule.get("requires", [])
                 if _below(ratios.get(need["criterion"]), need["min_ratio"])]
        if unmet:
            for need in unmet:
                steps.append(Step("requirement", candidate, rule.get("citation", ""), {
                    "criterion": need["criterion"], "min_ratio": str(need["min_ratio"]),
                    "ratio": str(ratios[need["criterion"]])}))
            continue
        grade = candidate
        steps.append(Step("threshold", candidate, rule.get("citation", ""),
                          {"min_points": str(rule.get("min_points", 0)), "points": str(total)}))
        break
    else:
        steps.append(Step("threshold", grade, "", {"points": str(total)}))
    vetoes = {veto["code"]: veto for veto in rules.get("vetoes", [])}
    for code in subject.vetoes:
        veto = vetoes.get(code)
        if veto is None:
            continue
        if RANK[grade] > RANK[veto["max_grade"]]:
            grade = veto["max_grade"]
        steps.append(Step("veto", veto["max_grade"], veto.get("citation", ""), {"code": code}))
    return SubjectResult(subject.key, subject.name, lines, total, computed_total, grade, steps)


def _order(result: SubjectResult) -> tuple:
    return (-RANK[result.grade], -result.points, -result.computed_points, result.name,
            result.key)


def apply_caps(rules: dict[str, Any], results: list[SubjectResult]) -> None:
    """Lower the grades a cap does not allow, lowest-ranked first (in place)."""
    for cap in rules.get("caps", []):
        grade, share = cap["grade"], Decimal(str(cap["share"]))
        base = sum(1 for result in results if result.grade in cap.get("of", [grade]))
        allowed = math.floor(share * base)
        holders = sorted((r for r in results if r.grade == grade), key=_order)
        lower = GRADES[GRADES.index(grade) + 1]
        for result in holders[allowed:]:
            result.grade = lower
            result.steps.append(Step("cap", lower, cap.get("citation", ""), {
                "capped": grade, "share": str(share), "base": base, "allowed": allowed}))


def rank(results: list[SubjectResult]) -> None:
    """Positions in the round; subjects equal in grade, points and computed points share the
    rank of the first of them (listed by name)."""
    ordered = sorted(results, key=_order)
    for position, result in enumerate(ordered, start=1):
        before = ordered[position - 2] if position > 1 else None
        if before is not None and (before.grade, before.points, before.computed_points) == (
                result.grade, result.points, result.computed_points):
            result.rank = before.rank
        else:
            result.rank = position


def grade_round(rules: dict[str, Any], subjects: list[SubjectInput]) -> list[SubjectResult]:
    results = [grade_subject(rules, subject) for subject in subjects]
    apply_caps(rules, results)
    rank(results)
    return results
