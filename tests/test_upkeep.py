"""The upkeep port: every writer says what changed; handlers run in a fixed order."""

import pytest

from sixclear import upkeep
from sixclear.dashboards.models import UnitTaskRollup
from sixclear.monitoring.models import TaskHealth
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory


def test_statuses_run_before_the_rollups_that_count_them_and_people_are_told_last():
    assert upkeep.handlers() == {
        "TaskChange": ["sixclear.monitoring.refresh.refresh_after_tasks",
                       "sixclear.dashboards.upkeep.recount_after_tasks"],
        "TargetChange": ["sixclear.monitoring.refresh.refresh_after_targets",
                         "sixclear.dashboards.upkeep.recount_after_targets"],
        "StatusChange": ["sixclear.dashboards.upkeep.recount_after_scan"],
        "Happened": ["sixclear.monitoring.events.notify_of"],
        "ProgressReported": ["sixclear.meetings.services.register_reported_obstacles"],
    }


def test_registering_twice_keeps_one_handler():
    before = upkeep.handlers()
    from sixclear.dashboards.upkeep import recount_after_tasks

    upkeep.on_tasks_changed(upkeep.Stage.ROLLUPS, recount_after_tasks)
    assert upkeep.handlers() == before


@pytest.mark.django_db
def test_a_change_told_to_the_port_updates_status_and_rollup(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED)
    assert not TaskHealth.objects.filter(task=task).exists()
    upkeep.tasks_changed([task])
    assert TaskHealth.objects.get(task=task).status
    assert UnitTaskRollup.objects.get(unit=world.hoa_hoi).open == 1


def test_an_event_leaves_out_the_actor_and_empty_recipients(monkeypatch):
    seen = []
    monkeypatch.setattr(upkeep, "_registry", upkeep._Registry())
    upkeep.on_happened(upkeep.Stage.NOTIFICATIONS, seen.append)
    actor = type("Actor", (), {"pk": 7})()
    upkeep.happened(upkeep.Event.TASK_ISSUED, recipients=[7, None, 8, 8], actor=actor,
                    occasion="task:1:2")
    upkeep.happened(upkeep.Event.TASK_ISSUED, recipients=[7, None], actor=actor,
                    occasion="task:1:3")
    assert [event.recipient_ids for event in seen] == [(8,)]
    assert seen[0].actor_id == 7 and seen[0].kind == "task_issued"
