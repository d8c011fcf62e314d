"""Scheduled reports and the generation job: due on their day, made once, never twice."""

import datetime

import pytest
from django.utils import timezone, translation

from sixclear.reports import services
from sixclear.reports.models import Report, ReportSchedule
from sixclear.reports.periods import Period, containing, due_date, period_errors


@pytest.fixture
def monthly(world):
    schedule = ReportSchedule.objects.create(unit=world.hoa_hoi, period_kind="month",
                                             day_of_month=20, format="xlsx", language="vi",
                                             created_by=world.hh_manager)
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 9, 1)))
    return schedule


def test_a_monthly_report_is_due_on_the_twentieth_and_made_once(
    world, monthly, media, django_capture_on_commit_callbacks
):
    assert services.make_scheduled_reports(datetime.date(2026, 9, 19)) == []
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = services.make_scheduled_reports(datetime.date(2026, 9, 20))
    report.refresh_from_db()
    assert (report.period_kind, report.year, report.period_number) == ("month", 2026, 9)
    assert report.status == "done" and report.created_by is None and report.file
    assert services.make_scheduled_reports(datetime.date(2026, 9, 20)) == []
    assert services.make_scheduled_reports(datetime.date(2026, 9, 30)) == []
    assert Report.objects.count() == 1


def test_a_missed_day_is_caught_up(world, monthly, media):
    made = services.make_scheduled_reports(datetime.date(2026, 11, 3))
    # October's report (due 20 October) was missed; November's is not due yet.
    assert [(r.year, r.period_number) for r in made] == [(2026, 10)]


def test_periods_before_the_schedule_existed_are_not_made(world, monthly, media):
    ReportSchedule.objects.filter(pk=monthly.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 11, 2)))
    assert services.make_scheduled_reports(datetime.date(2026, 11, 3)) == []


def test_a_quarter_end_schedule_is_due_on_the_last_day(world, media):
    ReportSchedule.objects.create(unit=world.gia_lai, period_kind="quarter", day_of_month=0,
                                  language="en", created_by=world.province_leader)
    ReportSchedule.objects.update(created_at=timezone.make_aware(datetime.datetime(2026, 1, 1)))
    assert services.make_scheduled_reports(datetime.date(2026, 12, 30)) == [] or all(
        r.period_number == 3 for r in Report.objects.all())
    Report.objects.all().delete()
    made = services.make_scheduled_reports(datetime.date(2026, 12, 31))
    assert [(r.period_kind, r.period_number) for r in made] == [("quarter", 3), ("quarter", 4)]


def test_a_paused_schedule_makes_nothing(world, monthly):
    ReportSchedule.objects.update(is_active=False)
    assert services.make_scheduled_reports(datetime.date(2026, 9, 20)) == []


def test_building_twice_does_nothing_the_second_time(world, media):
    report = Report.objects.create(unit=world.hoa_hoi, period_kind="year", year=2026,
                                   format="xlsx", language="ar")
    first = services.build_report(report.pk)
    assert first.status == "done" and first.seconds > 0
    assert services.build_report(report.pk) is None
    report.refresh_from_db()
    assert report.sha256 == first.sha256


def test_a_failure_is_stored_with_its_reason(world, media, monkeypatch):
    from sixclear.reports import writers

    def broken(content):
        raise RuntimeError("disk full")

    monkeypatch.setitem(writers.REPORT_WRITERS, "pdf", broken)
    report = Report.objects.create(unit=world.hoa_hoi, period_kind="year", year=2026,
                                   format="pdf", language="vi")
    services.build_report(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error, report.progress) == ("failed", "disk full", 100)


def test_the_periodic_job_is_registered_daily():
    from sixclear.reports import tasks

    schedule = tasks.make_scheduled_reports.task_class().validate_datetime
    assert schedule(datetime.datetime(2026, 11, 23, 1, 20))
    assert not schedule(datetime.datetime(2026, 11, 23, 2, 20))


@pytest.mark.parametrize(("period", "start", "end"), [
    (Period("month", 2026, 2), datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
    (Period("quarter", 2026, 4), datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    (Period("half", 2026, 1), datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    (Period("year", 2026, 0), datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    (Period("midterm", 2025, 2030), datetime.date(2025, 1, 1), datetime.date(2027, 12, 31)),
    (Period("final", 2025, 2030), datetime.date(2025, 1, 1), datetime.date(2030, 12, 31)),
])
def test_periods(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_period_words_and_checks():
    with translation.override("en"):
        assert Period("quarter", 2026, 4).label() == "Quarter IV 2026"
        assert period_errors("quarter", 2026, 5) == {
            "period_number": "For this kind of period, write a number from 1 to 4."}
        assert "period_number" in period_errors("final", 2025, 2024)
        assert period_errors("year", 2026, 0) == {}
    assert containing("quarter", datetime.date(2026, 11, 23)) == Period("quarter", 2026, 4)
    assert due_date(Period("month", 2026, 2), 0) == datetime.date(2026, 2, 28)
    assert Period("month", 2026, 1).previous() == Period("month", 2025, 12)


def test_the_demo_adds_its_schedules_once(world):
    from sixclear.orgs.models import Unit
    from sixclear.reports.demo import add_demo
    from tests.factories import UserFactory

    Unit.objects.filter(pk=world.gia_lai.pk).update(code="GL")
    Unit.objects.filter(pk=world.hoa_hoi.pk).update(code="GL-HH")
    UserFactory(username="gl.manager")
    add_demo(datetime.date(2026, 11, 23))
    add_demo(datetime.date(2026, 11, 23))
    assert sorted(ReportSchedule.objects.values_list("unit__code", "period_kind", "day_of_month")
                  ) == [("GL", "quarter", 0), ("GL-HH", "month", 20)]


def test_report_timing_prints_each_format(world, quarter):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("report_timing", world.gia_lai.code, "--runs", "1", "--languages", "en",
                 "--formats", "docx", "xlsx", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Gia Lai quarter 2026/4 en docx", "Gia Lai quarter 2026/4 en xlsx"]
