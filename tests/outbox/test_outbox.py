"""No job lost: a job is a row of the write that asks for it, handed to the queue after the
commit, drained again when the queue was down or its worker died, and every job idempotent."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from sixclear.exchange import services as exchange_services
from sixclear.exchange.models import ImportJob
from sixclear.monitoring import notifications
from sixclear.monitoring.models import Notification
from sixclear.monitoring.tasks import email_notifications_now
from sixclear.outbox import services as outbox
from sixclear.outbox.models import Job
from sixclear.reports import services as report_services
from sixclear.reports.models import Report
from sixclear.tracking.models import Task
from tests.exchange.conftest import edit_cell, export, sheet_rows, upload
from tests.factories import TaskFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def queue_down(monkeypatch):
    """The queue's Redis is unreachable: enqueuing raises, as in production."""
    unreachable = RedisHuey("sixclear-test", url="redis://127.0.0.1:9/0")
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", unreachable.storage)


def request_report(world):
    return report_services.request_report(
        actor=world.hh_manager, unit=world.hoa_hoi, period_kind="month", year=2026,
        period_number=10, format="xlsx", language="en")


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_the_job_is_a_row_of_the_write_and_runs_after_the_commit(
        world, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = request_report(world)
    job = Job.objects.get()
    assert job.name == "sixclear.reports.tasks.generate_report"
    assert job.arguments == [report.pk] and job.dispatched_at is None
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    report.refresh_from_db()
    assert report.status == "done" and job.finished_at and job.attempts == 1


def test_a_write_that_rolls_back_asks_for_no_job(world, media,
                                                 django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        request_report(world)
        raise RuntimeError("the write fails after asking")
    assert not Job.objects.exists() and not Report.objects.exists()


def test_queue_unreachable_at_commit_the_job_still_runs_after_the_drain(
        world, media, django_capture_on_commit_callbacks, monkeypatch, queue_down):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(world)  # the write succeeds though the queue is down
    job = Job.objects.get()
    assert job.dispatched_at is None and job.finished_at is None
    assert "ConnectionError" in job.last_error
    assert Report.objects.get().status == "queued"
    assert outbox.drain() == 0  # still down: the row stays
    monkeypatch.undo()  # the queue is back (immediate in tests: handing over runs the job)
    assert outbox.drain() == 1
    report.refresh_from_db()
    job.refresh_from_db()
    assert report.status == "done" and report.file and job.finished_at
    assert outbox.drain() == 0


def test_a_worker_killed_mid_job_has_its_job_run_again_once(
        world, media, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False):
        report = request_report(world)
    job = Job.objects.get()
    # A worker took it, claimed the report and was killed -9: nothing marks it finished.
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(dispatched_at=started, started_at=started, attempts=1)
    Report.objects.filter(pk=report.pk).update(status="running", progress=40)
    assert outbox.drain() == 0  # within the lease: maybe still running
    assert outbox.run(job.pk) is False  # a second runner does not take a live lease
    lease = settings.SIXCLEAR_JOB_LEASE_SECONDS
    with time_machine.travel(later(lease + 1)):
        assert outbox.drain() == 1
    report.refresh_from_db()
    job.refresh_from_db()
    assert report.status == "done" and report.file and report.progress == 100
    assert job.finished_at and job.attempts == 2
    with time_machine.travel(later(lease + 2)):
        assert outbox.drain() == 0  # once
    assert Report.objects.count() == 1


def test_generating_a_report_twice_yields_one_report(world, media,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(world)
    report.refresh_from_db()
    done = (report.status, report.file.name, report.sha256, report.finished_at)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(finished_at=None, started_at=None)  # as if unmarked
    assert outbox.run(job.pk) is True  # the job runs again...
    report.refresh_from_db()
    assert (report.status, report.file.name, report.sha256, report.finished_at) == done
    assert report_services.build_report(report.pk, resume=True) is None  # ...and changes nothing
    assert Report.objects.count() == 1


def test_a_report_left_running_is_taken_over_only_by_a_retry(world, media,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = request_report(world)
    Report.objects.filter(pk=report.pk).update(status="running")
    assert report_services.build_report(report.pk) is None
    assert report_services.build_report(report.pk, resume=True).status == "done"


def _start_import(client, world, data):
    return exchange_services.start_import(actor=world.hh_manager, unit=world.hoa_hoi,
                                          kind="tasks", upload=upload("tasks.xlsx", data))


def _edited_tasks(client, world):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "tasks")
    codes = [row[0] for row in sheet_rows(data)]
    return edit_cell(data, codes.index("NV-03") + 1, "Title", "Đề án chuyển đổi số (sửa)")


def test_an_import_is_applied_once_however_often_its_job_runs(
        client, world, hoa_hoi_data, media, django_capture_on_commit_callbacks):
    data = _edited_tasks(client, world)
    task = Task.objects.get(code="NV-03")
    before = task.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = _start_import(client, world, data)
    job.refresh_from_db()
    assert job.status == "done" and job.summary["updated"] == 1
    row = Job.objects.get(name="sixclear.exchange.tasks.import_spreadsheet")
    Job.objects.filter(pk=row.pk).update(finished_at=None, started_at=None)
    assert outbox.run(row.pk) is True
    exchange_services.run_import_job(job.pk, resume=True)
    assert task.history.count() == before + 1
    assert Task.objects.get(code="NV-03").title == "Đề án chuyển đổi số (sửa)"


def test_an_import_whose_worker_died_is_applied_by_the_retry(
        client, world, hoa_hoi_data, media, django_capture_on_commit_callbacks, settings):
    data = _edited_tasks(client, world)
    task = Task.objects.get(code="NV-03")
    before = task.history.count()
    with django_capture_on_commit_callbacks(execute=False):
        job = _start_import(client, world, data)
    row = Job.objects.get()
    # Killed while checking: its transaction never committed, so nothing was applied.
    now = timezone.now()
    Job.objects.filter(pk=row.pk).update(dispatched_at=now, started_at=now, attempts=1)
    ImportJob.objects.filter(pk=job.pk).update(status="checking")
    with time_machine.travel(later(settings.SIXCLEAR_JOB_LEASE_SECONDS + 1)):
        assert outbox.drain() == 1
    job.refresh_from_db()
    assert job.status == "done" and task.history.count() == before + 1
    assert Job.objects.get().finished_at is not None


def test_emailing_at_once_twice_sends_once(world, django_capture_on_commit_callbacks):
    world.hh_officer.email = "officer@example.org"
    world.hh_officer.save()
    from sixclear.accounts.models import UserPreference

    UserPreference.objects.create(user=world.hh_officer, language="en", email_at_once=True)
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, code="NV-09",
                        title="Lập quy hoạch chung", authority=world.hh_leader)
    from sixclear.tracking import services

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_task(actor=world.hh_manager, task=draft, expected_version=draft.version)
    assert len(mail.outbox) == 1
    row = Job.objects.get(name="sixclear.monitoring.tasks.email_notifications_now")
    Job.objects.filter(pk=row.pk).update(finished_at=None, started_at=None)
    assert outbox.run(row.pk) is True
    assert len(mail.outbox) == 1 and notifications.send_daily_digests() == 0
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1


def test_a_failing_job_is_retried_then_left_with_its_error(
        db, settings, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("sixclear.monitoring.tasks.send_at_once",
                        lambda ids: (_ for _ in ()).throw(OSError("mail server down")))
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(email_notifications_now, [1])
    row.refresh_from_db()
    assert row.finished_at is None and "mail server down" in row.last_error
    for _ in range(settings.SIXCLEAR_JOB_MAX_ATTEMPTS + 2):
        outbox.drain()
    row.refresh_from_db()
    assert row.attempts == settings.SIXCLEAR_JOB_MAX_ATTEMPTS and row.finished_at is None


def test_only_registered_jobs_are_asked_for(db):
    with pytest.raises(ValueError):
        outbox.enqueue(print, 1)


def test_finished_rows_are_forgotten_after_some_days(db, settings,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(email_notifications_now, [])
    row.refresh_from_db()
    assert row.finished_at
    outbox.drain(now=later(settings.SIXCLEAR_JOB_KEEP_DAYS * 86400 - 60))
    assert Job.objects.filter(pk=row.pk).exists()
    outbox.drain(now=later(settings.SIXCLEAR_JOB_KEEP_DAYS * 86400 + 60))
    assert not Job.objects.filter(pk=row.pk).exists()


def test_administrators_see_the_jobs_but_do_not_write_them(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="chief", is_superuser=True, is_staff=True))
    row = Job.objects.create(name="sixclear.reports.tasks.generate_report", arguments=[1],
                             last_error="queue: ConnectionError()")
    page = client.get("/admin/outbox/job/")
    assert page.status_code == 200 and "ConnectionError" in page.content.decode()
    assert client.get("/admin/outbox/job/add/").status_code == 403
    assert client.post(f"/admin/outbox/job/{row.pk}/change/", {}).status_code == 403
