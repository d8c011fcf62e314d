"""A task's code when its author gives none.

A code is how a spreadsheet row finds its task again (the export's key, per unit), so every task
has one: the author's, or `NV-<year>-<number>` numbered per unit and year (NV: nhiệm vụ). The
data migration that filled the codes of older tasks used the same shape.
"""

import re
from typing import Any

PREFIX = "NV"


def _pattern(year: int) -> re.Pattern[str]:
    return re.compile(rf"^{PREFIX}-{year}-(\d+)$")


def next_task_code(task_model: Any, unit_id: int, year: int) -> str:
    """The first free `NV-<year>-<n>` of the unit, after the highest one it has.

    The caller holds the unit's row lock, so two writers do not take the same number.
    """
    pattern = _pattern(year)
    used = set(task_model.objects.filter(unit_id=unit_id, code__startswith=f"{PREFIX}-{year}-")
               .values_list("code", flat=True))
    numbers = [int(match.group(1)) for code in used if (match := pattern.match(code))]
    number = max(numbers, default=0) + 1
    while format_code(year, number) in used:
        number += 1
    return format_code(year, number)


def format_code(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:03d}"
