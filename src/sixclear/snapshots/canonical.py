"""Canonical JSON: one text for one content, whatever the order it was built in.

Keys sorted, no insignificant whitespace, UTF-8 kept as is; decimals written as their exact
text without trailing zeros ("12.5"), dates as ISO text (the snapshots hold no floats).
Its SHA-256 therefore depends on the content only, so a snapshot's hash can be recomputed
and compared years later.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Exact and without trailing zeros: 12.50 and 12.5 are the same figure.
        text = format(value.normalize(), "f") if value == value else "NaN"
        return "0" if text in ("-0", "0") else text
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not canonical JSON")


def dumps(data: Any) -> str:
    """The canonical text of `data` (dicts, lists, str, int, bool, None, Decimal, date)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_plain, allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
