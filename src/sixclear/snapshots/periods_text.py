"""Periods as people type them on the command line: 2026-Q3, 2026-11, 2026, 2025-2030-mid."""

from __future__ import annotations

import re

from sixclear.periods import Period, PeriodKind, period_errors

FORMS = (
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-H([12])$", re.I), PeriodKind.HALF),
    (re.compile(r"^(\d{4})-(?:M)?(\d{1,2})$", re.I), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
    (re.compile(r"^(\d{4})-(\d{4})-mid(?:term)?$", re.I), PeriodKind.MIDTERM),
    (re.compile(r"^(\d{4})-(\d{4})-final$", re.I), PeriodKind.FINAL),
)


def parse_period(text: str) -> Period | None:
    """The period `text` names, or None when it names none."""
    for pattern, kind in FORMS:
        match = pattern.match(text.strip())
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 0
            if period_errors(kind, year, number):
                return None
            return Period(kind, year, number)
    return None


def period_text(period: Period) -> str:
    """The inverse of `parse_period`."""
    if period.kind == PeriodKind.QUARTER:
        return f"{period.year}-Q{period.number}"
    if period.kind == PeriodKind.HALF:
        return f"{period.year}-H{period.number}"
    if period.kind == PeriodKind.MONTH:
        return f"{period.year}-{period.number:02d}"
    if period.kind == PeriodKind.YEAR:
        return str(period.year)
    suffix = "mid" if period.kind == PeriodKind.MIDTERM else "final"
    return f"{period.year}-{period.number}-{suffix}"
