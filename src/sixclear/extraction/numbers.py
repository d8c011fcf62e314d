"""Numbers as each language writes them: "1.200" and "1,2" in Vietnamese, "1,200" and "1.2" in
English, Arabic-Indic digits with "٫" and "٬" in Arabic."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬٪", "01234567890123456789.,%")
# A number as written: digits with separators inside ("1.200,5", "1,200.5", "21,7").
NUMBER = r"(?<![0-9A-Za-z.,])\d+(?:[.,]\d+)*(?![0-9A-Za-z])"
NUMBER_RE = re.compile(NUMBER)


def ascii_digits(text: str) -> str:
    """Arabic-Indic digits and separators as ASCII, same length (spans stay right)."""
    return text.translate(ARABIC_DIGITS)


def parse_number(written: str, language: str) -> Decimal | None:
    """The value of a number as `language` writes it; None if it is not one."""
    written = ascii_digits(written)
    if language == "vi":
        thousands, decimal = ".", ","
    else:
        thousands, decimal = ",", "."
    parts = written.split(decimal)
    if len(parts) > 2:
        # "1.200.300" in English or "1,2,3" anywhere: not a decimal number.
        if language != "vi" and all(len(p) == 3 for p in parts[1:]):
            return _decimal("".join(parts))
        return None
    whole = parts[0]
    groups = whole.split(thousands)
    if len(groups) > 1:
        if all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3:
            whole = "".join(groups)
        elif len(groups) == 2 and len(parts) == 1:
            # The other language's decimal mark ("1.5" in Vietnamese, "21,7" in English).
            return _decimal(f"{groups[0]}.{groups[1]}")
        else:
            return None
    if len(parts) == 2:
        return _decimal(f"{whole}.{parts[1]}")
    return _decimal(whole)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def plain(value: Decimal | None) -> str | None:
    """A decimal as JSON text without exponent or trailing zeros: "1200", "21.7"."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text
