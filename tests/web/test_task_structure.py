"""Sub-tasks from a task's page, cancelling a task with a reason, and reassigning an issued
task through a change request."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sixclear.changes.models import ChangeKind, ChangeRequest, ChangeStatus
from sixclear.tracking import services
from sixclear.tracking.models import Task, TaskState
from tests.factories import ProgramFactory, ResolutionFactory, TaskFactory
from tests.web.conftest import days


@pytest.fixture
def parent(world):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    program = ProgramFactory(unit=world.hoa_hoi, resolution=resolution)
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       title="Phát triển cụm công nghiệp", resolution=resolution,
                       program=program, code="NV-2026-001")


def task_url(task):
    return reverse("tracking:task", args=[task.pk])


def sub_task_data(world, parent, **changes):
    data = {"title": "Khảo sát mặt bằng", "description": "Khảo sát 3 vị trí",
            "owner": world.hh_officer.pk, "lead_unit": world.hoa_hoi.pk,
            "deadline": days(20).isoformat(), "expected_result": "Báo cáo khảo sát",
            "authority_body": "Ban Thường vụ", "priority": "normal", "parent": parent.pk,
            "save": "1"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_adds_a_sub_task_from_the_task_page(client, world, parent):
    client.force_login(world.hh_manager)
    page = client.get(task_url(parent)).content.decode()
    create = reverse("tracking:task_create", args=[world.hoa_hoi.pk]) + f"?parent={parent.pk}"
    assert create in page
    form = client.get(create).context["form"]
    assert form["parent"].value() == parent.pk
    assert form["program"].value() == parent.program_id
    assert form["resolution"].value() == parent.resolution_id
    response = client.post(create, sub_task_data(world, parent, program=parent.program_id))
    sub = Task.objects.get(title="Khảo sát mặt bằng")
    assert response.url == task_url(sub)
    assert sub.parent == parent and sub.program == parent.program


def test_the_parent_page_lists_its_sub_tasks_with_state_and_progress(
        client, world, parent, django_assert_max_num_queries):
    for number in range(6):
        TaskFactory(unit=world.hoa_hoi, parent=parent, title=f"Việc con {number}",
                    owner=world.hh_officer, state=TaskState.ISSUED, percent_complete=10 * number)
    draft = TaskFactory(unit=world.hoa_hoi, parent=parent, title="Việc con khác")
    client.force_login(world.hh_manager)
    client.get(task_url(parent))
    with django_assert_max_num_queries(45):
        response = client.get(task_url(parent))
    subtasks = response.context["subtasks"]
    assert len(subtasks) == 7
    page = response.content.decode()
    assert "Việc con 5" in page and "50%" in page
    assert f'data-subtask="{draft.pk}"' in page
    # The sub-task's page names its parent.
    assert parent.title in client.get(task_url(subtasks[0])).content.decode()


def test_more_sub_tasks_do_not_cost_more_queries(client, world, parent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    client.force_login(world.hh_manager)
    TaskFactory(unit=world.hoa_hoi, parent=parent, owner=world.hh_officer)
    client.get(task_url(parent))
    with CaptureQueriesContext(connection) as few:
        client.get(task_url(parent))
    for _number in range(8):
        TaskFactory(unit=world.hoa_hoi, parent=parent, owner=world.hh_officer)
    with CaptureQueriesContext(connection) as many:
        client.get(task_url(parent))
    assert len(many) == len(few)


def test_a_parent_of_another_commune_is_neither_offered_nor_taken(client, world):
    elsewhere = TaskFactory(unit=world.an_nhon_bac, title="Việc của An Nhơn Bắc")
    client.force_login(world.hh_manager)
    create = reverse("tracking:task_create", args=[world.hoa_hoi.pk])
    form = client.get(create + f"?parent={elsewhere.pk}").context["form"]
    assert form["parent"].value() is None
    assert elsewhere not in form.fields["parent"].queryset
    response = client.post(create, sub_task_data(world, elsewhere))
    assert "parent" in response.context["form"].errors
    assert not Task.objects.filter(title="Khảo sát mặt bằng").exists()


def test_a_task_cannot_be_made_its_own_grandparent(client, world, parent):
    child = TaskFactory(unit=world.hoa_hoi, parent=parent)
    client.force_login(world.hh_manager)
    form = client.get(reverse("tracking:task_edit", args=[parent.pk])).context["form"]
    assert parent not in form.fields["parent"].queryset
    data = {"title": parent.title, "description": parent.description,
            "owner": parent.owner_id, "lead_unit": parent.lead_unit_id,
            "deadline": parent.deadline.isoformat(), "expected_result": parent.expected_result,
            "authority_body": parent.authority_body, "priority": "normal",
            "resolution": parent.resolution_id, "program": parent.program_id,
            "parent": child.pk, "version": parent.version, "save": "1"}
    response = client.post(reverse("tracking:task_edit", args=[parent.pk]), data)
    assert "parent" in response.context["form"].errors
    parent.refresh_from_db()
    assert parent.parent is None


def cancel_url(task):
    return reverse("tracking:task_cancel", args=[task.pk])


def test_a_leader_cancels_a_sub_task_with_a_reason_kept_and_shown(client, world, parent):
    sub = TaskFactory(unit=world.hoa_hoi, parent=parent, owner=world.hh_officer,
                      state=TaskState.ISSUED, title="Khảo sát mặt bằng")
    client.force_login(world.hh_leader)
    assert cancel_url(sub) in client.get(task_url(sub)).content.decode()
    response = client.post(cancel_url(sub), {"version": sub.version,
                                             "reason": "Đã gộp vào nhiệm vụ cha"})
    assert response.url == task_url(sub)
    sub.refresh_from_db()
    assert sub.state == TaskState.CANCELLED
    assert sub.history.first().history_change_reason == "Đã gộp vào nhiệm vụ cha"
    page = client.get(task_url(sub))
    assert page.context["cancellation"].reason == "Đã gộp vào nhiệm vụ cha"
    assert page.context["cancellation"].by == world.hh_leader
    body = page.content.decode()
    assert 'id="cancellation"' in body and "Đã gộp vào nhiệm vụ cha" in body
    assert cancel_url(sub) not in body
    # The parent's list shows it cancelled.
    parent_page = client.get(task_url(parent)).content.decode()
    assert "Cancelled" in parent_page


def test_a_cancellation_needs_a_short_reason(client, world, parent):
    client.force_login(world.hh_leader)
    empty = client.post(cancel_url(parent), {"version": parent.version, "reason": "  "})
    assert "reason" in empty.context["form"].errors
    long = client.post(cancel_url(parent), {"version": parent.version, "reason": "x" * 101})
    assert "reason" in long.context["form"].errors
    parent.refresh_from_db()
    assert parent.state == TaskState.ISSUED
    with pytest.raises(ValidationError) as refusal:
        services.cancel_task(actor=world.hh_leader, task=parent,
                             expected_version=parent.version, reason="y" * 101)
    assert "reason" in refusal.value.message_dict


def test_a_stale_cancellation_answers_409_keeping_the_reason(client, world, parent):
    opened = parent.version
    Task.objects.filter(pk=parent.pk).update(version=opened + 1)  # someone saved it meanwhile
    client.force_login(world.hh_leader)
    response = client.post(cancel_url(parent), {"version": opened, "reason": "Không còn phù hợp"})
    assert response.status_code == 409
    assert "Không còn phù hợp" in response.content.decode()
    parent.refresh_from_db()
    assert parent.state == TaskState.ISSUED


def test_a_cancelled_task_cannot_be_cancelled_again(world, parent):
    services.cancel_task(actor=world.hh_leader, task=parent, expected_version=parent.version,
                         reason="Không còn phù hợp")
    with pytest.raises(ValidationError):
        services.cancel_task(actor=world.hh_leader, task=parent,
                             expected_version=parent.version, reason="Lần nữa")


@pytest.mark.parametrize(("who", "status"), [
    ("hh_leader", 200), ("province_leader", 200), ("hh_manager", 403), ("hh_officer", 403),
    ("hh_viewer", 403), ("anb_manager", 404), ("vh_manager", 404),
])
def test_who_may_cancel_a_task(client, world, parent, who, status):
    client.force_login(getattr(world, who))
    assert client.get(cancel_url(parent)).status_code == status
    response = client.post(cancel_url(parent), {"version": parent.version, "reason": "Lý do"})
    assert response.status_code == (302 if status == 200 else status)


def test_anonymous_people_are_sent_to_sign_in_to_cancel(client, world, parent):
    response = client.get(cancel_url(parent))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url


def test_an_issued_task_is_reassigned_through_a_change_request(client, world, parent):
    client.force_login(world.hh_manager)
    page = client.get(task_url(parent))
    assert "?change=owner#change-form" in page.content.decode()
    form = client.get(task_url(parent) + "?change=owner").context["change_form"]
    assert form["kind"].value() == ChangeKind.OWNER
    new_owner = world.hh_manager
    response = client.post(reverse("changes:request_task_change", args=[parent.pk]), {
        "change-kind": ChangeKind.OWNER, "change-owner": new_owner.pk,
        "change-reason": "Cán bộ phụ trách chuyển công tác"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    parent.refresh_from_db()
    assert parent.owner == world.hh_officer  # not before the authority decides
    client.force_login(world.hh_leader)
    client.post(reverse("changes:decide", args=[change.pk]), {
        f"change-{change.pk}-version": change.version,
        f"change-{change.pk}-decision": "approve", f"change-{change.pk}-comment": ""})
    change.refresh_from_db()
    parent.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and parent.owner == new_owner
    assert f"{change.pk}" in parent.history.first().history_change_reason


def test_a_draft_is_reassigned_by_editing_it_not_by_a_request(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    client.force_login(world.hh_manager)
    page = client.get(task_url(draft))
    assert page.context["change_form"] is None
    assert "?change=owner" not in page.content.decode()


def test_a_task_from_a_program_page_comes_from_that_program(client, world):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    program = ProgramFactory(unit=world.hoa_hoi, resolution=resolution)
    client.force_login(world.hh_manager)
    page = client.get(reverse("plans:program", args=[program.pk]))
    create = reverse("tracking:task_create", args=[world.hoa_hoi.pk]) + f"?program={program.pk}"
    assert create in page.content.decode()
    form = client.get(create).context["form"]
    assert form.initial["program"] == program.pk
    assert form.initial["resolution"] == resolution.pk


def test_a_program_the_person_may_not_see_is_not_preselected(client, world):
    elsewhere = ProgramFactory(unit=world.an_nhon_bac)
    client.force_login(world.hh_manager)
    create = reverse("tracking:task_create", args=[world.hoa_hoi.pk])
    form = client.get(f"{create}?program={elsewhere.pk}").context["form"]
    assert "program" not in form.initial


def test_the_task_page_lists_the_first_sub_tasks_and_links_to_all_of_them(
        client, world, parent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sixclear.tracking.selectors import SUBTASKS_SHOWN
    total = SUBTASKS_SHOWN + 3
    for number in range(total):
        TaskFactory(unit=world.hoa_hoi, parent=parent, owner=world.hh_officer,
                    title=f"Việc con {number:02d}", deadline=days(number + 1))
    client.force_login(world.hh_manager)
    client.get(task_url(parent))
    with CaptureQueriesContext(connection) as first:
        response = client.get(task_url(parent))
    shown = response.context["subtasks"]
    assert [sub.title for sub in shown] == [f"Việc con {n:02d}" for n in range(SUBTASKS_SHOWN)]
    assert response.context["subtask_total"] == total
    page = response.content.decode()
    assert f"The first {SUBTASKS_SHOWN} of {total} are listed." in page
    assert 'href="?subtasks=all#subtasks"' in page
    with CaptureQueriesContext(connection) as every:
        response = client.get(task_url(parent) + "?subtasks=all")
    assert len(response.context["subtasks"]) == total
    assert 'href="?subtasks=all#subtasks"' not in response.content.decode()
    assert len(every) == len(first)


def test_the_sub_task_count_holds_only_what_the_person_may_see(client, world):
    parent = TaskFactory(unit=world.gia_lai, owner=world.hh_officer, state=TaskState.ISSUED)
    TaskFactory(unit=world.gia_lai, parent=parent)  # the province's: not the officer's to see
    mine = TaskFactory(unit=world.gia_lai, parent=parent, owner=world.hh_officer)
    client.force_login(world.hh_officer)
    response = client.get(task_url(parent))
    assert response.context["subtasks"] == [mine]
    assert response.context["subtask_total"] == 1
