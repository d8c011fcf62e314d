"""Working-day arithmetic on the Vietnamese calendar, with the administrator's overrides."""

import datetime

import pytest

from sixclear.procedures.calendar import WorkingCalendar
from sixclear.procedures.models import WorkingDayOverride

D = datetime.date


def test_weekends_are_not_counted():
    calendar = WorkingCalendar({})
    # Friday 6 March 2026 + 1 working day = Monday 9 March.
    assert calendar.add(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert calendar.add(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert calendar.add(D(2026, 3, 7), 0) == D(2026, 3, 7)


def test_tet_is_skipped():
    calendar = WorkingCalendar({})
    # Tết Bính Ngọ: 16–20 February 2026 are holidays; 14–15 and 21–22 are weekends.
    assert not calendar.is_working_day(D(2026, 2, 17))
    assert calendar.add(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert calendar.between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    # Tết Đinh Mùi 2027 falls on 6 February: the lunar calendar, not a fixed date.
    assert not calendar.is_working_day(D(2027, 2, 8))
    assert calendar.is_working_day(D(2026, 2, 9))


def test_national_days_and_new_year():
    calendar = WorkingCalendar({})
    assert not calendar.is_working_day(D(2026, 9, 2))
    assert not calendar.is_working_day(D(2026, 1, 1))
    # 30 April and 1 May 2026 are a Thursday and a Friday: Wednesday + 1 = Monday 4 May.
    assert calendar.add(D(2026, 4, 29), 1) == D(2026, 5, 4)


@pytest.mark.django_db
def test_overrides_swap_days():
    WorkingDayOverride.objects.create(day=D(2026, 3, 7), is_working_day=True,
                                      reason="Làm bù cho ngày nghỉ 2/1")
    WorkingDayOverride.objects.create(day=D(2026, 3, 9), is_working_day=False,
                                      reason="Nghỉ bù")
    calendar = WorkingCalendar()
    assert calendar.is_working_day(D(2026, 3, 7))
    assert not calendar.is_working_day(D(2026, 3, 9))
    assert calendar.add(D(2026, 3, 6), 1) == D(2026, 3, 7)
    assert calendar.add(D(2026, 3, 6), 2) == D(2026, 3, 10)


def test_suspension_length_counts_the_first_day_not_the_last():
    calendar = WorkingCalendar({})
    assert calendar.from_to(D(2026, 3, 2), D(2026, 3, 4)) == 2  # Monday, Tuesday
    assert calendar.from_to(D(2026, 3, 6), D(2026, 3, 9)) == 1  # Friday only
    assert calendar.from_to(D(2026, 3, 4), D(2026, 3, 4)) == 0


def test_bad_input_refused():
    with pytest.raises(ValueError):
        WorkingCalendar({}).add(D(2026, 1, 1), -1)
