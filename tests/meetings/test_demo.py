"""The demo's obstacles and meetings (built once for the module, rolled back after)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from sixclear.meetings.models import (
    Decision,
    ItemKind,
    Meeting,
    MeetingState,
    Obstacle,
    ObstacleState,
)
from sixclear.tracking.models import TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashing, transaction.atomic():
        call_command("demo", verbosity=0)
        call_command("demo", verbosity=0)  # a second build adds nothing
        yield
        transaction.set_rollback(True)


def test_hoa_hoi_shows_obstacles_in_every_state(demo):
    states = set(Obstacle.objects.filter(unit__code="GL-HH").values_list("state", flat=True))
    assert states == set(ObstacleState.values)
    escalated = Obstacle.objects.get(unit__code="GL-HH", state=ObstacleState.ESCALATED)
    assert escalated.must_act.code == "GL" and escalated.report is not None


def test_viet_hung_november_meeting_with_decisions_and_tasks(demo):
    november = Meeting.objects.get(unit__code="HN-VH", held_on__month=11)
    assert november.state == MeetingState.CLOSED
    items = list(november.items.order_by("position"))
    assert items[0].kind == ItemKind.OBSTACLE
    decisions = {item.decision for item in items}
    assert {Decision.RESOLVED, Decision.ESCALATED, Decision.NOTED} <= decisions
    tasks = [task for item in items for task in item.tasks_created.all()]
    assert sorted(task.state for task in tasks) == [TaskState.DRAFT, TaskState.ISSUED]
    assert all(task.program == november.conclusion for task in tasks)
    assert november.attendees.filter(confirmed_at__isnull=False).count() == 2
    december = Meeting.objects.get(unit__code="HN-VH", held_on__month=12)
    assert december.items.filter(carried_from__meeting=november).exists()
    assert Meeting.objects.filter(unit__code="HN-VH").count() == 2


def test_viet_hung_november_meeting_has_its_conclusion_notice(demo):
    from io import BytesIO

    from docx import Document

    from sixclear.reports.conclusion_notice import notice_content
    from sixclear.reports.issued import render_docx

    november = Meeting.objects.get(unit__code="HN-VH", held_on__month=11)
    content = notice_content(november, "vi")
    works = [row[1] for row in content.tables[0].rows]
    assert any(work.startswith("Di dời 2 cột điện") for work in works)
    assert any(work.startswith("Đề nghị cấp chữ ký số") for work in works)
    document = Document(BytesIO(render_docx(content)))
    text = " ".join(p.text for p in document.paragraphs)
    assert "Phòng họp tầng 2, trụ sở Đảng ủy phường Việt Hưng" in text
    assert "Chủ trì: đồng chí" in text and "THÔNG BÁO" in text
    heading = " ".join(cell.text for cell in document.tables[0].rows[0].cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in heading and "-TB/ĐU" in heading
    december = Meeting.objects.get(unit__code="HN-VH", held_on__month=12)
    concluded = set(december.items.filter(kind=ItemKind.CONCLUSION)
                    .values_list("task__title", flat=True))
    assert {title[:20] for title in concluded} >= {"Di dời 2 cột điện vư", "Đề nghị cấp chữ ký s"}
