"""Emulation titles a closed round of collectives proposes, as data: which grade, rank and run
of years qualifies a collective for which title.

A rule: {"code", "title": {lang: text}, "levels": [level], "grades": [grade], "max_rank": int or
None (the round's first N), "years": N (graded so this year and the N - 1 years before it, in
the closed rounds of the same deciding unit and level), "group": text (of the rules of one group
a collective is proposed for the first it meets only: "Tập thể lao động xuất sắc" rather than
"tiên tiến" as well), "citation", "verified"}, and optionally:

- "requires": [evidence] the subject must hold besides its grade, evidence Sixclear does not
  compute but a reviewer records with its reference: "initiative" (an initiative or solution
  recognised, `Subject.initiative`);
- "cap": {"share", "of": title code, "citation"}: at most `share` (rounded down) of the
  subjects proposed for the title `of` in the round get this one; those who qualify are taken
  by points, then rank, then name, and the others are left out, each with why (`capped`).

The rules of persons ("cadre") and of collectives live in the same table.

The table below is Sixclear's reading of the rules as the press reported them; none has been
checked against the official text (`verified` False, and each citation says so). A criteria
set's rules may carry their own table under "titles" in the same shape: it then replaces this
one for the rounds graded with that set. Nothing here reads the database: `qualifying` is a pure
function of the rules, the round's results and the earlier grades.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.utils import translation

from .defaults import TO_CHECK

LUAT_TDKT = "Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định 98/2023/NĐ-CP"
PARTY = "Quy định 366-QĐ/TW và hướng dẫn khen thưởng tổ chức đảng của cấp ủy cấp trên"
STATE_LEVELS = ["peoples_committee", "department"]
PARTY_LEVELS = ["party_committee", "party_cell"]
PERSON_LEVELS = ["cadre"]
INITIATIVE = "initiative"  # evidence a reviewer records on a person's subject page


def _rule(code: str, vi: str, en: str, ar: str, levels: list[str], grades: list[str],
          group: str, citation: str, *, years: int = 1,
          max_rank: int | None = None) -> dict[str, Any]:
    return {"code": code, "title": {"vi": vi, "en": en, "ar": ar}, "levels": levels,
            "grades": grades, "years": years, "max_rank": max_rank, "group": group,
            "citation": f"{citation} ({TO_CHECK}); Sixclear đọc điều kiện theo xếp loại của "
                        f"đợt đánh giá", "verified": False}


TITLE_RULES: list[dict[str, Any]] = [
    _rule("TTLDXS", "Tập thể lao động xuất sắc", "Excellent labour collective",
          "جماعة عمل متميزة", STATE_LEVELS, ["excellent"], "labour",
          f"{LUAT_TDKT}: tập thể hoàn thành xuất sắc nhiệm vụ"),
    _rule("TTLDTT", "Tập thể lao động tiên tiến", "Advanced labour collective",
          "جماعة عمل متقدمة", STATE_LEVELS, ["excellent", "good"], "labour",
          f"{LUAT_TDKT}: tập thể hoàn thành tốt nhiệm vụ trở lên"),
    _rule("BK-UBND", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
          "Certificate of merit of the provincial people's committee chair",
          "شهادة تقدير من رئيس اللجنة الشعبية للمقاطعة", STATE_LEVELS, ["excellent"],
          "merit", f"{LUAT_TDKT}: tập thể 02 năm liên tục hoàn thành xuất sắc nhiệm vụ",
          years=2),
    _rule("GK-UBND", "Giấy khen", "Certificate of commendation", "شهادة ثناء",
          STATE_LEVELS, ["excellent"], "merit",
          f"{LUAT_TDKT}: tập thể hoàn thành xuất sắc nhiệm vụ, có thành tích được bình xét"),
    _rule("BK-DANG", "Bằng khen của Ban Thường vụ cấp ủy cấp tỉnh",
          "Certificate of merit of the provincial party standing committee",
          "شهادة تقدير من اللجنة الدائمة للحزب في المقاطعة", PARTY_LEVELS, ["excellent"],
          "merit", f"{PARTY}: tổ chức đảng 05 năm liền hoàn thành xuất sắc nhiệm vụ", years=5),
    _rule("GK-DANG", "Giấy khen của cấp ủy cấp trên",
          "Certificate of commendation of the party committee above",
          "شهادة ثناء من لجنة الحزب الأعلى", PARTY_LEVELS, ["excellent"], "merit",
          f"{PARTY}: tổ chức đảng hoàn thành xuất sắc nhiệm vụ"),
    _rule("LDTT", "Lao động tiên tiến", "Advanced worker", "عامل متقدم", PERSON_LEVELS,
          ["excellent", "good"], "worker",
          f"{LUAT_TDKT}: cá nhân hoàn thành tốt nhiệm vụ trở lên"),
    {**_rule("CSTDCS", "Chiến sĩ thi đua cơ sở", "Grassroots emulation fighter",
             "مقاتل المحاكاة على المستوى القاعدي", PERSON_LEVELS, ["excellent"], "fighter",
             f"{LUAT_TDKT}: cá nhân hoàn thành xuất sắc nhiệm vụ và có sáng kiến, giải pháp "
             f"được công nhận"),
     "requires": [INITIATIVE],
     "cap": {"share": "0.15", "of": "LDTT",
             "citation": f"{LUAT_TDKT}: không quá 15% tổng số cá nhân đạt danh hiệu “Lao động "
                         f"tiên tiến” ({TO_CHECK})"}},
]


def rules_for(level: str, set_rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The title rules a round of `level` graded with a set of `set_rules` follows."""
    table = set_rules.get("titles") or TITLE_RULES
    return [rule for rule in table if level in rule.get("levels", [])]


def title_label(rule: Mapping[str, Any], language: str | None = None) -> str:
    """The title in the reader's language, else its Vietnamese words."""
    language = (language or translation.get_language() or "vi")[:2]
    titles = rule.get("title", {})
    return titles.get(language) or titles.get("vi") or rule.get("code", "")


@dataclass(frozen=True)
class Graded:
    """A collective of the closed round: its key, grade and rank."""

    key: str
    grade: str
    rank: int
    points: Decimal = Decimal(0)
    name: str = ""
    evidence: frozenset[str] = frozenset()


def meets(rule: Mapping[str, Any], subject: Graded, earlier: Mapping[int, str],
          year: int) -> bool:
    """Whether `subject` meets `rule`; `earlier` holds its grades of the years before."""
    grades = rule.get("grades", [])
    if subject.grade not in grades:
        return False
    if any(needed not in subject.evidence for needed in rule.get("requires", [])):
        return False
    max_rank = rule.get("max_rank")
    if max_rank is not None and subject.rank > int(max_rank):
        return False
    return all(earlier.get(year - back) in grades
               for back in range(1, int(rule.get("years", 1))))


def qualifying(rules: Iterable[Mapping[str, Any]], subjects: Iterable[Graded],
               history: Mapping[str, Mapping[int, str]],
               year: int) -> list[tuple[str, dict[str, Any]]]:
    """(subject key, rule) for every title a subject qualifies for, the first rule of each
    group only, in the table's order."""
    rules = list(rules)
    found = []
    for subject in subjects:
        groups: set[str] = set()
        for rule in rules:
            group = rule.get("group") or rule["code"]
            if group in groups or not meets(rule, subject, history.get(subject.key, {}), year):
                continue
            groups.add(group)
            found.append((subject.key, dict(rule)))
    return found


@dataclass(frozen=True)
class LeftOut:
    """A subject who met a capped rule but had no place under its cap: `place` in the order
    by points, `allowed` places of `share` of the `base` subjects proposed for the title the
    cap is `of`."""

    key: str
    rule: dict[str, Any]
    place: int
    allowed: int
    base: int


def cap_places(share: Any, base: int) -> int:
    """`share` of `base`, rounded down: 15 % of 7 is 1, of 6 is 0."""
    return int((Decimal(str(share)) * base).to_integral_value(rounding=ROUND_FLOOR))


def capped(found: Iterable[tuple[str, dict[str, Any]]], subjects: Iterable[Graded],
           standing: Mapping[str, Iterable[str]] | None = None,
           ) -> tuple[list[tuple[str, dict[str, Any]]], list[LeftOut]]:
    """Apply each rule's cap to `found` (from `qualifying`): of those who meet a capped rule,
    as many as its places allow are kept, by points (highest first), then rank, then name;
    the others are left out. `standing` holds the subjects already proposed for each title
    (earlier drawn up, or added by hand): they count towards the base and take places first."""
    held = {code: set(keys) for code, keys in (standing or {}).items()}
    by_key = {subject.key: subject for subject in subjects}
    proposed: dict[str, set[str]] = {code: set(keys) for code, keys in held.items()}
    for key, rule in found:
        if not rule.get("cap"):
            proposed.setdefault(rule["code"], set()).add(key)
    kept: list[tuple[str, dict[str, Any]]] = []
    waiting: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, rule in found:
        if rule.get("cap"):
            waiting.setdefault(rule["code"], []).append((key, rule))
        else:
            kept.append((key, rule))
    left_out: list[LeftOut] = []
    for code, candidates in waiting.items():
        cap = candidates[0][1]["cap"]
        base = len(proposed.get(cap["of"], set()))
        allowed = cap_places(cap["share"], base)
        free = max(0, allowed - len(held.get(code, set())))
        candidates.sort(key=lambda item: (-by_key[item[0]].points, by_key[item[0]].rank,
                                          by_key[item[0]].name, item[0]))
        for place, (key, rule) in enumerate(candidates, start=1):
            if place <= free:
                kept.append((key, rule))
            else:
                left_out.append(LeftOut(key, rule, place, allowed, base))
    return kept, left_out
