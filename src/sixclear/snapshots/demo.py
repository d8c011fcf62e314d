"""The demo's periodic reviews: the last month and the last quarter that ended before the
demo's day, frozen for every unit (so Việt Hưng, Hòa Hội and An Nhơn Bắc each have a review
to open and two to compare). Idempotent: a unit's period is frozen once."""

import datetime

from sixclear.periods import PeriodKind, containing

from .services import take_snapshots


def add_demo(today: datetime.date) -> None:
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        take_snapshots(containing(kind, today).previous(), today=today)
