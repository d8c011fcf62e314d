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


def _rules(basis: str, *, requires: bool, veto_grade: str, cap: bool) -> dict[str, Any]:
    on_time = [{"criterion": "KQ1", "min_ratio": "1"}] if requires else []
    return {
        "grades": {
            "excellent": {"min_points": "90", "requires": on_time,
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


def default_sets(year: int) -> list[dict[str, Any]]:
    party = f"{QD366}"
    state = f"{ND335}"
    return [
        {"level": "party_committee", "name": f"Đảng ủy xã, phường — năm {year}",
         "basis": party, "rules": _rules(party, requires=True, veto_grade="complete", cap=True),
         "criteria": [_general(party), *_results(party)]},
        {"level": "party_cell", "name": f"Chi bộ — năm {year}",
         "basis": party, "rules": _rules(party, requires=True, veto_grade="complete", cap=True),
         "criteria": [_general(party), *_results(party)]},
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
