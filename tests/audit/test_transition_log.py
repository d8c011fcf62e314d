"""django-fsm-log's transitions (a case's and its steps' states) are chained as they are
logged, so a logged transition changed or deleted behind the application is named by the
audit verification."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_fsm_log.models import StateLog

from sixclear.audit import chain
from sixclear.audit.models import AuditEntry
from sixclear.procedures import services
from tests.procedures.helpers import open_case, petition_procedure

pytestmark = pytest.mark.django_db
LABEL = "django_fsm_log.StateLog"


@pytest.fixture
def moved(world):
    """A petition received and handed over once: the case's and its steps' transitions."""
    case = open_case(world, petition_procedure(world), datetime.date(2026, 3, 2))
    return services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                              to=world.hh_officer, on=datetime.date(2026, 3, 3))


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("state_log", StateLog._meta.db_table), params)


def test_every_logged_transition_has_its_entry_in_the_write_that_logged_it(moved, world):
    logged = list(StateLog.objects.order_by("pk"))
    entries = {entry.history_id: entry for entry in AuditEntry.objects.filter(model_label=LABEL)}
    assert {row.pk for row in logged} == set(entries)
    hand_over = next(row for row in logged if row.transition == "hand_over")
    entry = entries[hand_over.pk]
    assert entry.object_id == f"procedures.casestep:{hand_over.object_id}"
    assert (entry.history_type, entry.user_id) == ("+", world.hh_officer.pk)
    advance = next(row for row in logged if row.transition == "advance")
    assert entries[advance.pk].object_id == f"procedures.case:{moved.pk}"
    assert chain.verify().ok and chain.verify_history().ok


def test_a_transition_rewritten_in_the_database_is_named(moved):
    row = StateLog.objects.get(transition="hand_over")
    entry = AuditEntry.objects.get(model_label=LABEL, history_id=row.pk)
    sql("UPDATE state_log SET by_id = NULL WHERE id = %s", row.pk)
    call_command("audit", "verify")  # the chain itself is intact
    with pytest.raises(CommandError, match=rf"entry {entry.seq} altered \({LABEL} "
                                           rf"procedures.casestep:{row.object_id}\)"):
        call_command("audit", "verify", "--history")


def test_a_deleted_transition_is_named(moved):
    row = StateLog.objects.get(transition="advance")
    entry = AuditEntry.objects.get(model_label=LABEL, history_id=row.pk)
    sql("DELETE FROM state_log WHERE id = %s", row.pk)
    verdict = chain.verify_history()
    assert not verdict.ok and (verdict.kind, verdict.seq) == ("removed", entry.seq)
    with pytest.raises(CommandError, match=rf"entry {entry.seq} removed"):
        call_command("audit", "verify", "--history")


def test_a_transition_saved_again_through_the_orm_is_named_too(moved):
    """No second entry is written for a row saved again: its first no longer matches."""
    row = StateLog.objects.get(transition="advance")
    before = AuditEntry.objects.count()
    row.description = "Sửa lại"
    row.save()
    assert AuditEntry.objects.count() == before
    verdict = chain.verify_history()
    assert not verdict.ok and verdict.kind == "altered" and verdict.model_label == LABEL
