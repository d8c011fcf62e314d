"""The audit trail: every historical record is chained, and tampering is named by sequence."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sixclear.audit import chain
from sixclear.audit.models import AuditEntry, AuditFieldSet, AuditVerification
from sixclear.audit.tasks import verify_audit_trail
from sixclear.tracking import services
from sixclear.tracking.models import ProgressReport, Task
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world):
    """A task created and reported on through the services: a few chained entries."""
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    task = services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    services.report_progress(actor=world.hh_officer, task=task, percent=40, narrative="Đang làm")
    return task


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("audit_entry", AuditEntry._meta.db_table), params)


def verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("audit", "verify")


def test_a_service_write_appends_one_entry_per_historical_record(trail, world):
    report = ProgressReport.objects.get(task=trail)
    entries = AuditEntry.objects.order_by("seq")
    assert [e.seq for e in entries] == list(range(1, entries.count() + 1))
    labels = {(e.model_label, e.object_id, e.history_type) for e in entries}
    assert ("tracking.Task", str(trail.pk), "+") in labels
    assert ("tracking.ProgressReport", str(report.pk), "+") in labels
    reported = entries.get(model_label="tracking.ProgressReport")
    assert reported.user_id == world.hh_officer.pk
    assert reported.history_id == report.history.latest().history_id
    assert chain.verify().ok and chain.verify_history().ok
    assert chain.head() == (entries.last().seq, entries.last().hash)


def test_verify_command_reports_an_intact_chain_and_records_it(trail, capsys):
    call_command("audit", "verify", "--history")
    assert "Audit trail intact" in capsys.readouterr().out
    result = AuditVerification.objects.get()
    assert result.ok and result.entries == AuditEntry.objects.count()


def test_an_altered_entry_is_named(trail):
    entry = AuditEntry.objects.get(model_label="tracking.ProgressReport")
    sql("UPDATE audit_entry SET user_id = NULL WHERE seq = %s", entry.seq)
    verify_fails(rf"entry {entry.seq} altered \(tracking.ProgressReport {entry.object_id}\)")


def test_a_removed_entry_is_named(trail):
    second = AuditEntry.objects.order_by("seq")[1]
    sql("DELETE FROM audit_entry WHERE seq = %s", second.seq)
    verify_fails(rf"entry {second.seq} removed")


def test_the_last_entries_removed_after_a_verification_are_named(trail):
    chain.record_verification()
    last = AuditEntry.objects.order_by("seq").last()
    sql("DELETE FROM audit_entry WHERE seq = %s", last.seq)
    verify_fails(rf"entry {last.seq} removed")


def test_an_inserted_entry_is_named(trail):
    last = AuditEntry.objects.order_by("seq").last()
    sql("UPDATE audit_entry SET seq = seq + 1 WHERE seq = %s", last.seq)
    sql("INSERT INTO audit_entry (seq, model_label, object_id, history_id, history_type, "
        "user_id, at, digest, prev_hash, hash) SELECT %s, 'tracking.Task', '999', 1, '~', NULL, "
        "at, digest, hash, digest FROM audit_entry WHERE seq = %s", last.seq, last.seq - 1)
    verify_fails(rf"entry {last.seq} inserted \(tracking.Task 999\)")


def test_a_rewritten_history_record_is_named_by_its_entry(trail):
    entry = AuditEntry.objects.filter(model_label="tracking.Task").first()
    history = Task.history.model
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {history._meta.db_table} SET title = 'Viết lại' "  # noqa: S608
                       "WHERE history_id = %s", [entry.history_id])
    call_command("audit", "verify")  # the chain itself is intact
    verify_fails_history = pytest.raises(CommandError, match=rf"entry {entry.seq} altered")
    with verify_fails_history:
        call_command("audit", "verify", "--history")


def test_the_daily_job_keeps_its_result_for_administrators(trail, admin_client):
    assert verify_audit_trail.call_local() is True
    sql("DELETE FROM audit_entry WHERE seq = 1")
    assert verify_audit_trail.call_local() is False
    latest = AuditVerification.objects.order_by("-pk").first()
    assert not latest.ok and "entry 1 removed" in latest.problem
    page = admin_client.get("/admin/audit/auditverification/")
    assert page.status_code == 200 and "entry 1 removed" in page.content.decode()


def test_a_chain_rewritten_after_a_verification_is_caught(trail):
    chain.record_verification()
    anchor = chain.head()
    # Whoever rewrites the whole chain consistently still changes the verified head's hash.
    sql("UPDATE audit_entry SET hash = %s WHERE seq = %s", "f" * 64, anchor[0])
    verify_fails(rf"entry {anchor[0]} altered")


def test_the_importers_bulk_history_is_chained_too(world):
    from sixclear.exchange.importing import write_tasks

    task = TaskFactory.build(unit=world.hoa_hoi, owner=world.hh_officer, code="NV-IMPORT-1")
    write_tasks(world.hh_manager, [task], [], set(), [])
    entry = AuditEntry.objects.get(model_label="tracking.Task", object_id=str(task.pk))
    assert entry.history_type == "+" and entry.user_id == world.hh_manager.pk
    assert chain.verify().ok and chain.verify_history().ok


def test_sixclear_audit_verify_exits_non_zero_on_tampering(trail, capsys, monkeypatch):
    from django.db import connections

    from sixclear.cli import main

    # A command run from the command line closes its connections; the test's must stay open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    main(["audit", "verify"])
    sql("DELETE FROM audit_entry WHERE seq = 2")
    with pytest.raises(SystemExit) as leaving:
        main(["audit", "verify", "--no-record"])
    assert leaving.value.code != 0
    assert "entry 2 removed" in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the SQLite test database is in memory, where a busy table fails "
                           "at once; a SQLite file takes its write lock at BEGIN IMMEDIATE")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(world):
    """Writers in threads, each appending in its own transactions: one chain, no gap."""
    import threading

    from django.db import connections, transaction

    template = Task.history.model(id=1, history_id=1, title="x", history_type="~",
                                  history_date=world.hoa_hoi.history.latest().history_date)
    before = chain.head()[0]
    failures = []

    def write():
        try:
            for _ in range(20):
                with transaction.atomic():
                    chain.append([template])
                    chain.append([template, template])
        except Exception as error:  # noqa: BLE001 — reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    verdict = chain.verify()
    assert verdict.ok, verdict.problem
    assert verdict.head_seq == before + 3 * 20 * 3


def test_every_migrated_table_has_its_columns_recorded(db):
    history = Task.history.model
    key, names = chain._columns(history)
    stored = AuditFieldSet.objects.get(key=key)
    assert stored.model_label == history._meta.label
    assert stored.names.split(",") == names


def test_an_entry_remembers_the_columns_it_was_digested_with(trail):
    entry = AuditEntry.objects.filter(model_label="tracking.Task").last()
    assert entry.fields == chain._columns(Task.history.model)[0]


def test_a_column_added_after_an_entry_does_not_make_it_look_altered(world, monkeypatch):
    """Rows written before a migration added `expected_result` to tasks' history were digested
    without it: the deep check reads them with the columns they had, so an upgrade is no
    tampering."""
    history = Task.history.model
    key, names = chain._columns(history)
    before = [name for name in names if name != "expected_result"]
    old_key = chain.field_set_key(history._meta.label, before)
    AuditFieldSet.objects.create(key=old_key, model_label=history._meta.label,
                                 names=",".join(before))
    monkeypatch.setattr(chain, "_field_sets", {history: (old_key, before)})
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, expected_result="Báo cáo")
    monkeypatch.undo()
    entry = AuditEntry.objects.get(fields=old_key)
    assert chain.verify_history().ok
    history.objects.filter(history_id=entry.history_id).update(title="Viết lại")
    assert chain.verify_history().seq == entry.seq  # the columns it had are still checked


def test_changing_the_recorded_columns_is_caught(trail):
    key = chain._columns(Task.history.model)[0]
    AuditFieldSet.objects.filter(key=key).update(names="id,history_id")
    verdict = chain.verify_history()
    assert not verdict.ok and verdict.kind == "altered"
    assert verdict.model_label == "tracking.Task"

