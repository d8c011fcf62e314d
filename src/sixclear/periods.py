"""Periods of reports and reviews: a month, quarter, six months, year, or a term's
mid-term or final review.

A period is (kind, year, number): the month 1–12, quarter 1–4, half 1–2, 0 for a year; for
mid-term and final reviews `year` is the term's first year and `number` its last.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Six months")
    YEAR = "year", gettext_lazy("Year")
    MIDTERM = "midterm", gettext_lazy("Mid-term review")
    FINAL = "final", gettext_lazy("Final review")


NUMBER_RANGE = {"month": (1, 12), "quarter": (1, 4), "half": (1, 2), "year": (0, 0)}
ROMAN = ["", "I", "II", "III", "IV"]


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 0

    @property
    def start(self):
        if self.kind == PeriodKind.MONTH:
            return datetime.date(self.year, self.number, 1)
        if self.kind == PeriodKind.QUARTER:
            return datetime.date(self.year, 3 * self.number - 2, 1)
        if self.kind == PeriodKind.HALF:
            return datetime.date(self.year, 6 * self.number - 5, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        if self.kind == PeriodKind.MONTH:
            last_month = self.number
        elif self.kind == PeriodKind.QUARTER:
            last_month = 3 * self.number
        elif self.kind == PeriodKind.HALF:
            last_month = 6 * self.number
        elif self.kind == PeriodKind.MIDTERM:
            return datetime.date(self.year + (self.number - self.year) // 2, 12, 31)
        elif self.kind == PeriodKind.FINAL:
            return datetime.date(self.number, 12, 31)
        else:
            last_month = 12
        year = self.year
        return datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])

    def label(self):
        """The period in words, in the active language: "Quarter IV 2026"."""
        values = {"year": self.year, "number": self.number,
                  "roman": ROMAN[self.number] if self.kind == PeriodKind.QUARTER else ""}
        if self.kind == PeriodKind.MONTH:
            return _("Month %(number)s/%(year)s") % values
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(roman)s %(year)s") % values
        if self.kind == PeriodKind.HALF:
            if self.number == 1:
                return _("First six months of %(year)s") % values
            return _("Last six months of %(year)s") % values
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % values
        if self.kind == PeriodKind.MIDTERM:
            return _("Mid-term review %(year)s–%(number)s") % values
        return _("Final review %(year)s–%(number)s") % values

    def previous(self):
        if self.kind in (PeriodKind.MIDTERM, PeriodKind.FINAL, PeriodKind.YEAR):
            return Period(self.kind, self.year - 1, self.number and self.number - 1)
        low, high = NUMBER_RANGE[self.kind]
        if self.number > low:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, high)


def period_errors(kind, year, number):
    """{field: message} for a period that does not exist."""
    errors = {}
    if kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose a kind of period.")
        return errors
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("Write a year between 2000 and 2100.")
    if kind in NUMBER_RANGE:
        low, high = NUMBER_RANGE[kind]
        if kind != PeriodKind.YEAR and not low <= (number or 0) <= high:
            errors["period_number"] = _("For this kind of period, write a number from "
                                        "%(low)s to %(high)s.") % {"low": low, "high": high}
    elif year is not None and (number is None or number <= year):
        errors["period_number"] = _("For a term review, write the term's last year "
                                    "(after its first year).")
    return errors


def normalise(kind, year, number):
    return Period(kind, year, 0 if kind == PeriodKind.YEAR else number or 0)


def containing(kind, day):
    """The period of `kind` (month, quarter, half or year) that contains `day`."""
    if kind == PeriodKind.MONTH:
        return Period(kind, day.year, day.month)
    if kind == PeriodKind.QUARTER:
        return Period(kind, day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.HALF:
        return Period(kind, day.year, (day.month - 1) // 6 + 1)
    return Period(PeriodKind.YEAR, day.year, 0)


def due_date(period, day_of_month):
    """When a scheduled report of `period` is due: day `day_of_month` of the period's last
    month (the 20th of each month, say), or the period's last day when it is 0."""
    end = period.end
    if not day_of_month:
        return end
    return end.replace(day=min(day_of_month, end.day))
