"""A progress report, the most frequent write: its unit's rollup moves by the task's change of
status instead of a recount, exactly (held to a fresh count), and falls back to the recount
when the move is not known; the audit chain's lock is taken last."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sixclear.dashboards import rollups
from sixclear.dashboards.models import UnitTaskRollup
from sixclear.dashboards.selectors import overview
from sixclear.monitoring import refresh
from sixclear.monitoring.models import TaskHealth, TaskStatus
from sixclear.tracking import services
from sixclear.tracking.models import ProgressReport
from tests.dashboards.test_rollups import days, draft, fresh, issue


def report(world, task, **fields):
    values = {"percent": 30, "narrative": "Đã làm một phần."}
    values.update(fields)
    return services.report_progress(actor=world.hh_officer, task=task, **values)


def test_reports_move_the_rollups_as_a_recount_would(world):
    own = issue(world, draft(world))
    led = issue(world, draft(world, lead_unit=world.economy_office))
    late = issue(world, draft(world, start_date=days(-30), deadline=days(-2)))
    report(world, own, obstacles="Thiếu vốn")  # on track -> at risk, an obstacle
    report(world, led, obstacles="Thiếu người")  # counted at the office, reviewed at the commune
    report(world, late, report_date=days(-1))
    report(world, own, submit=False)  # a draft: nothing waits for review
    report(world, own, percent=60)  # the obstacle is no longer reported
    assert rollups.verify() == []
    assert overview(fresh(world.economy_office)).tasks.obstacles == 1
    commune = overview(fresh(world.hoa_hoi)).tasks
    assert (commune.open, commune.obstacles, commune.late) == (3, 1, 1)
    assert UnitTaskRollup.objects.get(unit=world.hoa_hoi).reports_to_review == 4


def counting(monkeypatch):
    recounts = []
    real = rollups.count_tasks
    monkeypatch.setattr(rollups, "count_tasks",
                        lambda *args, **kwargs: recounts.append(args) or real(*args, **kwargs))
    return recounts


def test_a_report_counts_nothing_again_and_chains_its_audit_entry_last(world, monkeypatch):
    task = issue(world, draft(world, lead_unit=world.economy_office))
    versions = dict(UnitTaskRollup.objects.values_list("unit_id", "version"))
    recounts = counting(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        report(world, task)
    statements = [query["sql"] for query in captured.captured_queries
                  if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert recounts == []
    assert "audit_auditentry" in statements[-1] and len(statements) <= 13
    # Both units counting the task moved a version on: kept dashboards above them follow.
    moved = dict(UnitTaskRollup.objects.values_list("unit_id", "version"))
    assert {unit: moved[unit] - versions[unit]
            for unit in (world.hoa_hoi.pk, world.economy_office.pk)} == {
        world.hoa_hoi.pk: 1, world.economy_office.pk: 1}
    history = ProgressReport.history.filter(id=task.reports.get().pk)
    assert history.count() == 1
    assert (history.get().history_type, history.get().history_user) == ("+", task.owner)
    assert rollups.verify() == []


def test_a_status_changed_since_it_was_read_is_recounted(world, monkeypatch):
    task = issue(world, draft(world))
    stored = TaskHealth.objects.get(task=task)
    assert stored.status == TaskStatus.ON_TRACK
    # The write read a status the scan has replaced since: its move would be wrong.
    read_earlier = TaskHealth(task_id=task.pk, status=TaskStatus.LATE, stale=True,
                              has_open_obstacle=False, changed_on=stored.changed_on)
    monkeypatch.setattr(refresh, "_stored_health", lambda _task: read_earlier)
    recounts = counting(monkeypatch)
    report(world, task, obstacles="Thiếu vốn")
    assert recounts
    assert TaskHealth.objects.get(task=task).status == TaskStatus.AT_RISK
    assert rollups.verify() == []


def test_a_unit_without_its_rollup_row_is_recounted(world):
    task = issue(world, draft(world))
    UnitTaskRollup.objects.filter(unit=world.hoa_hoi).delete()
    report(world, task)
    assert UnitTaskRollup.objects.get(unit=world.hoa_hoi).open == 1
    assert rollups.verify() == []


def test_a_task_written_around_the_services_is_counted_by_a_recount(world):
    """A task without a status (never through the upkeep: a bulk load, a factory) is not in its
    unit's rows, so its first report recounts them rather than moving them."""
    from tests.factories import TaskFactory
    from tests.web.conftest import days as from_today

    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state="issued",
                       start_date=from_today(-30), deadline=from_today(30))
    assert not TaskHealth.objects.filter(task=task).exists()
    report(world, task)
    assert UnitTaskRollup.objects.get(unit=world.hoa_hoi).open == 1
    # (its month rows wait for a write that moves dates, as before: a report moves none)
    assert [row for row in rollups.verify() if row[0] != "months"] == []
