"""The criteria sets shipped with Sixclear, as data: one per level for a year.

Modelled on the rules as the press reported them; no figure here has been checked against the
official text yet, so every criterion is marked `verified = False` ("as reported, to be
checked") and every citation says so. An administrator of the level above derives their own
version from these and corrects it (`services.derive_criteria_set`).

- Party organisations (commune party committee, party cell): Quy định 366-QĐ/TW of the
  Politburo, 30 August 2025 (4 chapters, 19 articles; replaced 124-QĐ/TW of 4 October 2023):
  a 100-point scale, 30 general + 70 task results; "excellent" from 90 with every task on time
  and at least 30 % exceeded, "good" 70–89 with every task on time, "complete" 50–69 with at
  most 20 % late.
- State bodies and civil servants (people's committee, department, individual cadre): Nghị định
  335/2025/NĐ-CP of 21 December 2025, in force 1 January 2026 (replaced 90/2020/NĐ-CP as
  amended by 48/2023/NĐ-CP): 30 general + 70 task results (products completed over assigned,
  by quantity, quality and progress); cut-offs 90 / 70 / 50; "excellent" at most 20 % of those
  graded "good"; a disciplined person not above "did not complete".

From 2027 the party sets also carry Quy định 366's "at least 30 % exceeded" for "excellent":
a criterion of no points (KQ6, computed by `tasks_targets_exceeded`) that "excellent" requires
at 30 %. The 2025 and 2026 sets were published without it and never change; a unit that wants
it for those years derives its own version and adds it (`services.add_criterion`,
`services.set_requirement`).

How Sixclear splits the 70 points of task results among its own evidence is Sixclear's choice,
not the regulations': each criterion says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

TO_CHECK = "như báo chí đưa tin, cần đối chiếu văn bản gốc"  # as reported, to be checked
QD366 = "Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị"
ND335 = "Nghị định 335/2025/NĐ-CP ngày 21/12/2025 (hiệu lực 01/01/2026)"
SPLIT = "cách chia 70 điểm kết quả thực hiện nhiệm vụ theo dữ liệu là của Sixclear"
EXCEEDED_FROM = 2027  # the first shipped year whose party sets carry the 30 % condition
EXCEEDED_SHARE = "0.3"


def _criterion(code, points, method, title, title_en, title_ar, citation, measure="",
               **parameters) -> dict[str, Any]:
    return {"code": code, "points": Decimal(points), "method": method, "measure": measure,
            "title": title, "title_en": title_en, "title_ar": title_ar,
            "citation": citation, "parameters": parameters, "verified": False}


def _general(basis: str) -> dict[str, Any]:
    return _criterion(
        "TC", "30", "manual",
        "Tiêu chí chung: chính trị tư tưởng, đạo đức, lối sống, ý thức kỷ luật, xây dựng tổ chức",
        "General criteria: political conduct, ethics, discipline, building the organisation",
        "المعايير العامة: السلوك السياسي والأخلاق والانضباط وبناء التنظيم",
        f"{basis}: tiêu chí chung 30 điểm ({TO_CHECK})")


def exceeded_criterion(basis: str = QD366) -> dict[str, Any]:
    """Quy định 366's condition for "excellent": at least 30 % of tasks and targets exceeded.
    A condition, not points: it weighs 0 and "excellent" requires it (`_rules`)."""
    return _criterion(
        "KQ6", "0", "measure",
        "Nhiệm vụ, chỉ tiêu hoàn thành vượt (điều kiện xếp loại xuất sắc)",
        "Tasks and targets exceeded (a condition for “excellent”)",
        "المهام والأهداف المتجاوزة (شرط لتقدير «ممتاز»)",
        f"{basis}: “hoàn thành xuất sắc” khi 100% nhiệm vụ hoàn thành đúng hạn, trong đó ít "
        f"nhất 30% hoàn thành vượt mức ({TO_CHECK}); cách đo “vượt” là của Sixclear",
        "tasks_targets_exceeded", full_at="1")


def _results(basis: str, *, persons: bool = False, citizens: bool = False) -> list[dict]:
    rows = [
        _criterion("KQ1", "35" if not citizens else "30", "measure",
                   "Nhiệm vụ hoàn thành đúng hạn", "Tasks done on time",
                   "المهام المنجزة في موعدها",
                   f"{basis}: kết quả thực hiện nhiệm vụ 70 điểm ({TO_CHECK}); {SPLIT}",
                   "tasks_on_time", full_at="1"),
        _criterion("KQ2", "20", "measure",
                   "Chỉ tiêu đạt hoặc vượt lộ trình", "Targets on or above their path",
                   "الأهداف على مسارها أو فوقه",
                   f"{basis} ({TO_CHECK}); {SPLIT}", "targets_on_trajectory", full_at="1"),
        _criterion("KQ3", "10", "measure",
                   "Báo cáo số liệu chỉ tiêu đúng hạn", "Target values reported on time",
                   "الإبلاغ عن قيم الأهداف في موعده",
                   f"{basis} ({TO_CHECK}); {SPLIT}", "target_values_reported", full_at="1"),
        _criterion("KQ4", "5", "measure",
                   "Cập nhật tiến độ thường xuyên", "Tasks reported on regularly",
                   "تحديث التقدم بانتظام",
                   f"{basis} ({TO_CHECK}); {SPLIT}", "data_freshness", full_at="1"),
    ]
    if citizens:
        rows.append(_criterion(
            "KQ5", "5", "measure", "Mức độ hài lòng của người dân", "Citizens' satisfaction",
            "رضا المواطنين", f"{basis} ({TO_CHECK}); {SPLIT}", "citizen_satisfaction",
            full_at="0.8"))
    return rows


def _rules(basis: str, *, requires: bool, veto_grade: str, cap: bool,
           exceeded: bool = False) -> dict[str, Any]:
    on_time = [{"criterion": "KQ1", "min_ratio": "1"}] if requires else []
    beyond = [{"criterion": "KQ6", "min_ratio": EXCEEDED_SHARE}] if exceeded else []
    return {
        "grades": {
            "excellent": {"min_points": "90", "requires": on_time + beyond,
                          "citation": f"{basis}: từ 90 điểm ({TO_CHECK})"},
            "good": {"min_points": "70", "requires": on_time,
                     "citation": f"{basis}: từ 70 đến dưới 90 điểm ({TO_CHECK})"},
            "complete": {"min_points": "50",
                         "requires": [{"criterion": "KQ1", "min_ratio": "0.8"}]
                         if requires else [],
                         "citation": f"{basis}: từ 50 đến dưới 70 điểm ({TO_CHECK})"},
        },
        "caps": [{"grade": "excellent", "share": "0.2", "of": ["excellent", "good"],
                  "citation": f"{basis}: “hoàn thành xuất sắc” không quá 20% số “hoàn thành "
                              f"tốt” ({TO_CHECK})"}] if cap else [],
        "vetoes": [{"code": "disciplined", "max_grade": veto_grade,
                    "label": {"vi": "Bị kỷ luật trong năm", "en": "Disciplined during the year",
                              "ar": "خضع لإجراء تأديبي خلال العام"},
                    "citation": f"{basis}: bị kỷ luật trong năm ({TO_CHECK})"}],
    }


def _party(year: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The rules and criteria of a party organisation's set of `year`."""
    exceeded = year >= EXCEEDED_FROM
    rules = _rules(QD366, requires=True, veto_grade="complete", cap=True, exceeded=exceeded)
    criteria = [_general(QD366), *_results(QD366)]
    if exceeded:
        criteria.append(exceeded_criterion())
    return rules, criteria


def default_sets(year: int) -> list[dict[str, Any]]:
    party = f"{QD366}"
    state = f"{ND335}"
    (committee_rules, committee_criteria), (cell_rules, cell_criteria) = _party(year), _party(year)
    return [
        {"level": "party_committee", "name": f"Đảng ủy xã, phường — năm {year}",
         "basis": party, "rules": committee_rules, "criteria": committee_criteria},
        {"level": "party_cell", "name": f"Chi bộ — năm {year}",
         "basis": party, "rules": cell_rules, "criteria": cell_criteria},
        {"level": "peoples_committee", "name": f"Ủy ban nhân dân xã, phường — năm {year}",
         "basis": state, "rules": _rules(state, requires=False, veto_grade="complete", cap=True),
         "criteria": [_general(state), *_results(state, citizens=True)]},
        {"level": "department", "name": f"Phòng, ban chuyên môn — năm {year}",
         "basis": state, "rules": _rules(state, requires=False, veto_grade="complete", cap=True),
         "criteria": [_general(state), *_results(state)]},
        {"level": "cadre", "name": f"Cán bộ, công chức — năm {year}",
         "basis": state,
         "rules": _rules(state, requires=False, veto_grade="not_complete", cap=True),
         "criteria": [_general(state), *_results(state, persons=True)]},
    ]
