"""The yearly report carries the fewer-meetings measures: each month's and the year's, the
same figures the meetings page shows; other periods do not."""

import datetime
from io import BytesIO

import pytest
from django.utils import translation

from sixclear.meetings import services as meetings
from sixclear.meetings.models import Decision, ItemKind, MeetingKind
from sixclear.meetings.selectors import less_meeting_measures
from sixclear.reports.periods import Period
from sixclear.reports.sections import report_sections
from sixclear.reports.selectors import report_content
from sixclear.reports.writers import report_docx, report_xlsx
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

YEAR = Period("year", 2026)
TODAY = datetime.date(2026, 12, 6)


def _at(time_machine, day, hour, minutes=0):
    time_machine.move_to(datetime.datetime(2026, day.month, day.day, hour, tzinfo=datetime.UTC)
                         + datetime.timedelta(minutes=minutes))


def _hold(world, time_machine, day, minutes):
    """A meeting of Hòa Hội on `day`, its obstacle resolved in it, lasting `minutes`."""
    _at(time_machine, day, 1)
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       deadline=day + datetime.timedelta(days=40))
    meetings.raise_obstacle(actor=world.hh_officer, task=task, description=f"Vướng {day}")
    meeting = meetings.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                        kind=MeetingKind.MONTHLY, title=f"Giao ban {day}",
                                        held_on=day)
    for action in ("open", "start"):
        meeting = getattr(meetings, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    item = meeting.items.get(kind=ItemKind.OBSTACLE, obstacle__description=f"Vướng {day}")
    meetings.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                         decision=Decision.RESOLVED, text="Đã tháo gỡ")
    _at(time_machine, day, 1, minutes)
    meeting.refresh_from_db()
    meetings.close_meeting(actor=world.hh_leader, meeting=meeting,
                           expected_version=meeting.version)
    return meeting


@pytest.fixture
def held(world, time_machine):
    _hold(world, time_machine, datetime.date(2026, 10, 8), 60)
    _hold(world, time_machine, datetime.date(2026, 11, 12), 30)
    _at(time_machine, TODAY, 3)


def test_the_year_report_has_the_measures_month_by_month_and_for_the_year(world, held):
    with translation.override("en"):
        content = report_content(world.gia_lai, YEAR, today=TODAY, language="en")
        rows = content.meeting_measures
        assert [row["month"] for row in rows] == [
            *[f"Month {month}/2026" for month in range(1, 13)], "Year 2026"]
        october, november, year = rows[9], rows[10], rows[12]
        assert (october["meetings"], october["average_minutes"]) == (1, 60)
        assert (november["meetings"], november["average_minutes"]) == (1, 30)
        assert (year["meetings"], year["average_minutes"]) == (2, 45)
        assert year["resolved_in_meetings"] == 2 and year["resolved_elsewhere"] == 0
        assert rows[0]["meetings"] == 0 and rows[0]["average_minutes"] is None
        # The same figures as the meetings page's.
        page = less_meeting_measures(world.gia_lai, today=TODAY, months=3)
        assert [m.average_minutes for m in page[:2]] == [60, 30]
        assert november["decisive_percent"] == page[1].decisive_percent
        section = report_sections(content)[-1]
        assert section.key == "meetings" and section.wide
        assert [c.label for c in section.columns][:3] == [
            "Month", "Meetings held", "Average length (minutes)"]


def test_the_measures_are_in_the_docx_and_the_xlsx(world, held):
    from docx import Document
    from openpyxl import load_workbook

    with translation.override("vi"):
        content = report_content(world.hoa_hoi, YEAR, today=TODAY, language="vi")
        document = Document(BytesIO(report_docx(content)))
        workbook = load_workbook(BytesIO(report_xlsx(content)))
    text = " ".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    assert "Họp ít hơn, tập trung tháo gỡ vướng mắc" in text
    assert "Năm 2026" in cells and "Tháng 11 năm 2026" in cells
    sheet = workbook.worksheets[-1]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[-1][:3] == ["Năm 2026", 2, 45]


def test_other_periods_have_no_such_section(world, held):
    content = report_content(world.hoa_hoi, Period("quarter", 2026, 4), today=TODAY)
    assert content.meeting_measures == []
    assert "meetings" not in [section.key for section in report_sections(content)]
