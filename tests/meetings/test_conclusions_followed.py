"""The next meeting opens with the earlier conclusions not yet done: right after the obstacles,
drafts kept by the six-clears gate included, and never a conclusion already done (drafted or
carried over)."""

import pytest

from sixclear.meetings import services
from sixclear.meetings.models import Decision, ItemKind, MeetingKind
from sixclear.tracking import services as tracking
from tests.meetings.conftest import days
from tests.meetings.test_meetings import agenda_world, move, schedule  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agenda_world")]


def _concluded(world, november, **fields):
    item = november.items.get(kind=ItemKind.OBSTACLE)
    values = {"title": "Trình đơn giá bồi thường", "description": "Văn phòng trình UBND xã",
              "owner": world.hh_officer, "lead_unit": world.hoa_hoi, "deadline": days(14),
              "expected_result": "Tờ trình được ký", "authority_body": "UBND xã", **fields}
    task, missing = services.create_item_task(actor=world.hh_leader, item=item, **values)
    item.refresh_from_db()
    return task, missing


def _finish(world, task):
    report = tracking.report_progress(actor=world.hh_officer, task=task, percent=100,
                                      narrative="Đã xong.")
    tracking.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=True)
    task.refresh_from_db()
    assert task.state == "done"


def test_conclusions_come_right_after_the_obstacles_drafts_included(world):
    november = move(world, schedule(world), "open", "start")
    issued, _missing = _concluded(world, november)
    draft, missing = _concluded(world, november, title="Xin chữ ký số", description="",
                                deadline=None, expected_result="", authority_body="")
    assert missing and draft.state == "draft"
    move(world, november, "close")
    december = schedule(world, title="Giao ban tháng 12", held_on=days(30))
    kinds = [item.kind for item in december.items.order_by("position")]
    first_other = next(i for i, kind in enumerate(kinds)
                       if kind not in (ItemKind.OBSTACLE, ItemKind.CONCLUSION))
    assert kinds[:first_other] == [ItemKind.OBSTACLE, ItemKind.CONCLUSION, ItemKind.CONCLUSION]
    assert set(december.items.filter(kind=ItemKind.CONCLUSION)
               .values_list("task", flat=True)) == {issued.pk, draft.pk}


def test_a_conclusion_done_is_not_on_the_next_agenda(world):
    november = move(world, schedule(world), "open", "start")
    task, _missing = _concluded(world, november)
    move(world, november, "close")
    _finish(world, task)
    december = schedule(world, title="Giao ban tháng 12", held_on=days(30))
    assert not december.items.filter(task=task).exists()


def test_a_conclusion_not_reached_and_done_since_is_not_carried(world):
    november = move(world, schedule(world), "open", "start")
    task, _missing = _concluded(world, november)
    move(world, november, "close")
    december = move(world, schedule(world, title="Giao ban tháng 12", held_on=days(30)),
                    "open", "start")
    assert december.items.filter(kind=ItemKind.CONCLUSION, task=task).exists()
    move(world, december, "close")  # not reached: no decision on it
    _finish(world, task)
    january = schedule(world, title="Giao ban tháng 1", held_on=days(60))
    assert not january.items.filter(task=task).exists()


def test_a_conclusion_not_reached_and_still_open_is_carried_with_its_notes(world):
    november = move(world, schedule(world), "open", "start")
    task, _missing = _concluded(world, november)
    move(world, november, "close")
    december = move(world, schedule(world, title="Giao ban tháng 12", held_on=days(30)),
                    "open", "start")
    item = december.items.get(kind=ItemKind.CONCLUSION, task=task)
    services.note_item(actor=world.hh_leader, item=item, expected_version=item.version,
                       notes="Chờ ý kiến huyện")
    move(world, december, "close")
    january = schedule(world, title="Giao ban tháng 1", held_on=days(60))
    carried = january.items.get(kind=ItemKind.CONCLUSION, task=task)
    assert carried.carried_from == item and carried.notes == "Chờ ý kiến huyện"
    assert Decision.NOTED in services.DECISIONS_FOR[carried.kind]
    assert january.kind == MeetingKind.MONTHLY
