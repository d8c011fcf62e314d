"""History of many-to-many links (a task's targets and coordinating units, a target's
programs) is chained like every other historical record, and tampering with it is named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sixclear.audit import chain
from sixclear.audit.models import AuditEntry
from sixclear.tracking.models import Task
from tests.factories import ProgramFactory, TargetFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    first = TargetFactory(unit=world.hoa_hoi, code="KT-01")
    second = TargetFactory(unit=world.hoa_hoi, code="XH-02")
    task.targets.set([first, second])
    task.coordinating_units.set([world.an_nhon_bac])
    first.programs.set([ProgramFactory(unit=world.hoa_hoi)])
    return task


def link_entries(label_part):
    return AuditEntry.objects.filter(model_label__contains=label_part).order_by("seq")


def test_each_link_row_of_a_history_record_has_its_entry(linked):
    latest = linked.history.latest()
    task_links = [e for e in AuditEntry.objects.order_by("seq")
                  if e.model_label.startswith("tracking.") and e.model_label != "tracking.Task"]
    table = {e.model_label for e in task_links}
    assert len(table) == 2  # the targets' and the coordinating units' link histories
    rows = {label: chain.history_model(label).objects.filter(history=latest)
            for label in table}
    for label, linked_rows in rows.items():
        chained = {e.history_id for e in task_links if e.model_label == label}
        assert {row.pk for row in linked_rows} <= chained
        for entry in (e for e in task_links if e.model_label == label):
            assert entry.object_id == str(linked.pk)
    # The link rows come just before the historical record they belong to.
    record = AuditEntry.objects.get(model_label="tracking.Task", history_id=latest.pk)
    assert max(e.seq for e in task_links) < record.seq
    assert link_entries("plans.").exclude(model_label="plans.Target").exists()
    assert chain.verify().ok and chain.verify_history().ok


def _link_table_entry():
    """The last chained link row of a task's targets."""
    entry = (AuditEntry.objects.filter(model_label__startswith="tracking.",
                                       model_label__icontains="target")
             .order_by("seq").last())
    return entry, chain.history_model(entry.model_label)


def test_an_altered_link_history_row_is_named(linked):
    entry, model = _link_table_entry()
    other = TargetFactory(unit=linked.unit, code="KT-99")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET "  # noqa: S608
                       f"{model._meta.get_field('target').column} = %s "
                       f"WHERE {model._meta.pk.column} = %s", [other.pk, entry.history_id])
    verdict = chain.verify_history()
    assert not verdict.ok and verdict.kind == "altered" and verdict.seq == entry.seq
    assert verdict.model_label == entry.model_label
    with pytest.raises(CommandError, match=rf"entry {entry.seq} altered"):
        call_command("audit", "verify", "--history")


def test_a_removed_link_history_row_is_named(linked):
    entry, model = _link_table_entry()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE "  # noqa: S608
                       f"{model._meta.pk.column} = %s", [entry.history_id])
    verdict = chain.verify_history()
    assert not verdict.ok and verdict.kind == "removed" and verdict.seq == entry.seq


def test_links_set_through_the_services_are_chained(world):
    from sixclear.tracking import services

    target = TargetFactory(unit=world.hoa_hoi, code="KT-01")
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    services.update_task(actor=world.hh_manager, task=task, expected_version=task.version,
                         targets=[target])
    assert Task.objects.get(pk=task.pk).targets.get() == target
    assert link_entries("tracking.").exclude(model_label="tracking.Task").exists()
    assert chain.verify().ok and chain.verify_history().ok
