"""Working days in Việt Nam: Monday to Friday, less the public holidays (the `holidays`
package's calendar for VN, lunar Tết included, with the substitute days it knows), then the
overrides an administrator enters for the swaps the government announces each year
(`WorkingDayOverride`: a Saturday worked, a weekday given off).

Counting follows the administrative rule "within N working days from receipt": the day a
step is received is not counted; its due date is the N-th working day after it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

from .models import WorkingDayOverride

ONE_DAY = datetime.timedelta(days=1)
# No sane limit is longer: a loop that walks further has been given bad input.
MAX_WORKING_DAYS = 2000


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


class WorkingCalendar:
    """The calendar with the overrides read once (one query), for a run of calculations."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None) -> None:
        if overrides is None:
            overrides = dict(WorkingDayOverride.objects.values_list("day", "is_working_day"))
        self.overrides = overrides

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (`start` itself when `days` is 0)."""
        if days < 0 or days > MAX_WORKING_DAYS:
            raise ValueError(days)
        day = start
        while days:
            day += ONE_DAY
            if self.is_working_day(day):
                days -= 1
        return day

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    def from_to(self, first: datetime.date, until: datetime.date) -> int:
        """Working days from `first` included to `until` excluded (a suspension's length)."""
        return self.between(first - ONE_DAY, until - ONE_DAY)


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar()
