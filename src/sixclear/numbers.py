"""Every number a person reads, formatted one way for their language.

Pages, the portal, the dashboards' tables, the method texts of forecasts, e-mails and the
chart's axis all go through `format_number`, so "9610,7082 tỷ đồng" next to "19.17 %" cannot
happen: digits are grouped by thousands and the decimal mark is the active language's (vi
1.234,5; en 1,234.5; ar as Django's Arabic formats write it), and a number shows the precision
its unit deserves: money 2 decimals, percentages 1, counts none, other quantities at most 2.
A whole number shows no decimals ("3.600 tỷ đồng", not "3.600,00"). What kind a target's
numbers are is decided from its unit of measure and its kind (`kind_of`).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.utils import numberformat
from django.utils.formats import get_format


class NumberKind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    PLAIN = "plain"


PLACES = {NumberKind.MONEY: 2, NumberKind.PERCENT: 1, NumberKind.COUNT: 0,
          NumberKind.PLAIN: 2}

# Units of measure that name money or a share, as offices write them (lower case).
_MONEY = re.compile(r"đồng|\bvn[dđ]\b|\busd\b|\beur\b|\$|€|dollar|\bđ\b")
_PERCENT = re.compile(r"%|phần trăm|percent|٪")
# Units that count whole things: people, households, communes, projects...
_COUNTED = {
    "người", "hộ", "lượt", "doanh nghiệp", "dự án", "công trình", "cơ sở", "trường", "xã",
    "thôn", "đơn vị", "hợp tác xã", "sản phẩm", "mô hình", "căn", "nhà", "lớp", "đảng viên",
    "chi bộ", "tổ chức", "việc làm", "lao động", "học sinh", "bác sĩ", "giường bệnh",
    "people", "persons", "households", "projects", "communes", "units", "jobs",
}
# Target kinds (plans.models.TargetKind) whose values are counts whatever the unit says.
_COUNT_KINDS = {"count", "yes_no"}


def kind_of(unit_of_measure: str = "", target_kind: str = "") -> NumberKind:
    """The kind of a target's values from its unit of measure ("tỷ đồng", "%", "hộ") and its
    kind (a count target counts; a yes/no is 0 or 1)."""
    unit = (unit_of_measure or "").strip().lower()
    if _PERCENT.search(unit):
        return NumberKind.PERCENT
    if _MONEY.search(unit):
        return NumberKind.MONEY
    if target_kind in _COUNT_KINDS or unit.split("/")[0].strip() in _COUNTED:
        return NumberKind.COUNT
    return NumberKind.PLAIN


def kind_of_target(target: object) -> NumberKind:
    return kind_of(getattr(target, "unit_of_measure", ""), getattr(target, "kind", ""))


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def separators() -> dict[str, str]:
    """The active language's decimal mark and thousands separator (for the chart's axis)."""
    return {"decimal": str(get_format("DECIMAL_SEPARATOR")),
            "thousands": str(get_format("THOUSAND_SEPARATOR"))}


def format_number(value: object, kind: NumberKind | str = NumberKind.PLAIN) -> str:
    """`value` as a person of the active language reads it, rounded to its kind's precision.

    None and "" give ""; what is not a number is returned as text, unchanged.
    """
    return NumberFormatter()(value, kind)


class NumberFormatter:
    """`format_number` with the language's marks read once: a province's dashboard formats
    over a thousand figures (`dashboards.tables`)."""

    def __init__(self) -> None:
        marks = separators()
        self.decimal, self.thousands = marks["decimal"], marks["thousands"]

    def __call__(self, value: object, kind: NumberKind | str = NumberKind.PLAIN) -> str:
        if value is None or value == "":
            return ""
        number = _decimal(value)
        if number is None:
            return str(value)
        places = PLACES[NumberKind(kind)]
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if number == 0:
            number = abs(number)  # no "-0"
        if number == number.to_integral_value():
            places = 0
        elif kind == NumberKind.PLAIN:
            places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
        return numberformat.format(number, self.decimal, decimal_pos=places, grouping=3,
                                   thousand_sep=self.thousands, force_grouping=True)
