"""References through the two remaining doors: an approved change request, and the Django
admin. The superuser may see every row, so the admin is held to where a row may belong: a lead
unit within the task's unit, an owner with an officer role there, sources of the unit or above,
an approving person with a manager role at the unit or above."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sixclear.changes import services as changes
from sixclear.changes.models import ChangeKind, ChangeRequest
from sixclear.plans.models import Target
from sixclear.tracking.models import Task
from tests.factories import UserFactory
from tests.write_path.conftest import (
    MISSING_ID,
    assert_answered_alike,
    browser,
    counts,
    days,
    secrets_of,
    snapshot,
)

# --- change requests ------------------------------------------------------------------------


def refusal(call):
    """The error a service raised, as text, or a failure if it accepted."""
    with pytest.raises((ValidationError, PermissionDenied)) as error:
        call()
    value = error.value
    return repr(getattr(value, "message_dict", None) or getattr(value, "messages", None)
                or str(value))


def test_manager_cannot_ask_to_hand_a_task_to_a_person_of_another_commune(world, home, foreign):
    def ask(ref):
        return changes.request_change(actor=world.hh_manager, task=home.issued,
                                      kind=ChangeKind.OWNER, proposed={"owner": ref},
                                      reason="Chuyển người phụ trách")

    before, task_before = counts(), snapshot(home.issued)
    foreign_answer = refusal(lambda: ask(foreign.officer.pk))
    assert counts() == before and snapshot(home.issued) == task_before
    missing_answer = refusal(lambda: ask(MISSING_ID))
    assert_answered_alike(foreign_answer, missing_answer, foreign_ref=foreign.officer.pk,
                          missing_ref=MISSING_ID, secrets=secrets_of(foreign.officer))


def test_approving_a_change_that_hands_a_task_to_another_communes_person_changes_nothing(
        world, home, foreign):
    """A request stored before the rule (or by a path that skipped it): deciding it must not
    apply the foreign owner, and answers as for an owner that does not exist."""
    def pending(ref):
        return ChangeRequest.objects.create(
            kind=ChangeKind.OWNER, task=home.issued, reason="Chuyển người phụ trách",
            requested_by=world.hh_officer, original={"owner": world.hh_officer.pk},
            proposed={"owner": ref})

    def decide(change):
        return changes.decide_change(actor=world.hh_leader, change=change,
                                     expected_version=change.version, approve=True)

    task_before = snapshot(home.issued)
    first = pending(foreign.officer.pk)
    foreign_answer = refusal(lambda: decide(first))
    assert snapshot(home.issued) == task_before
    assert Task.objects.get(pk=home.issued.pk).owner == world.hh_officer
    first.delete()
    missing_answer = refusal(lambda: decide(pending(MISSING_ID)))
    assert_answered_alike(foreign_answer, missing_answer, foreign_ref=foreign.officer.pk,
                          missing_ref=MISSING_ID, secrets=secrets_of(foreign.officer))


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def chief(client, world):
    return browser(client, UserFactory(username="chief", is_superuser=True, is_staff=True))


def admin_task_data(task=None, unit=None, **changes_):
    """The admin's task form for `task` (or a new task of `unit`), with `changes_`."""
    data = {
        "unit": unit.pk if unit else task.unit_id,
        "title": task.title if task else "Nhiệm vụ do quản trị nhập",
        "description": task.description if task else "Triển khai",
        "lead_unit": (task.lead_unit_id if task else unit.pk),
        "start_date": task.start_date.isoformat() if task and task.start_date else "",
        "deadline": (task.deadline if task else days(60)).isoformat(),
        "expected_result": task.expected_result if task else "Báo cáo",
        "authority_body": task.authority_body if task else "Ban Thường vụ",
        "priority": task.priority if task else "normal",
        "state": task.state if task else "draft",
        "percent_complete": task.percent_complete if task else 0,
        "code": task.code if task else "",
        "steps-TOTAL_FORMS": 0, "steps-INITIAL_FORMS": 0,
    }
    if task is not None:
        data["expected_version"] = task.version
        for name in ("owner", "authority", "resolution", "program", "task_group", "parent"):
            if getattr(task, f"{name}_id"):
                data[name] = getattr(task, f"{name}_id")
        data["coordinating_units"] = [u.pk for u in task.coordinating_units.all()]
        data["targets"] = [t.pk for t in task.targets.all()]
    data.update(changes_)
    return {k: v for k, v in data.items() if v is not None}


# case -> (field, how to find the misplaced row, whether the field takes a list)
ADMIN_TASK_MISPLACED = {
    "lead_unit_outside_the_unit": ("lead_unit", lambda w, f: w.viet_hung, False),
    "coordinating_unit_of_another_province": ("coordinating_units", lambda w, f: w.viet_hung,
                                              True),
    "owner_without_an_officer_role_there": ("owner", lambda w, f: f.officer, False),
    "authority_of_another_province": ("authority", lambda w, f: f.leader, False),
    "authority_without_a_manager_role": ("authority", lambda w, f: w.hh_officer, False),
    "resolution_of_another_commune": ("resolution", lambda w, f: f.resolution, False),
    "program_of_another_commune": ("program", lambda w, f: f.program, False),
    "task_group_of_another_communes_resolution": ("task_group", lambda w, f: f.task_group,
                                                  False),
    "parent_of_another_commune": ("parent", lambda w, f: f.task, False),
    "target_of_another_commune": ("targets", lambda w, f: f.target, True),
}


def form_errors(response):
    form = response.context["adminform"].form
    return form.errors


@pytest.mark.parametrize("case", ADMIN_TASK_MISPLACED)
@pytest.mark.parametrize("page", ["add", "change"])
def test_the_admin_refuses_a_task_reference_that_does_not_belong_there(
        chief, world, home, foreign, case, page):
    field, find, many = ADMIN_TASK_MISPLACED[case]
    item = find(world, foreign)
    value = [item.pk] if many else item.pk
    before, task_before = counts(), snapshot(home.draft)
    if page == "add":
        url = reverse("admin:tracking_task_add")
        data = admin_task_data(unit=world.hoa_hoi, **{field: value})
    else:
        url = reverse("admin:tracking_task_change", args=[home.draft.pk])
        data = admin_task_data(home.draft, **{field: value})

    response = chief.post(url, data)

    assert response.status_code == 200, f"{response.status_code} {response.get('Location')}"
    assert form_errors(response)
    assert counts() == before
    assert snapshot(home.draft) == task_before


def test_the_admin_saves_a_task_whose_references_belong_there(chief, world, home):
    """The control of the matrix above."""
    data = admin_task_data(unit=world.hoa_hoi, lead_unit=world.economy_office.pk,
                           owner=world.hh_officer.pk, authority=world.hh_leader.pk,
                           resolution=home.resolution.pk, program=home.program.pk,
                           task_group=home.task_group.pk, targets=[home.target.pk],
                           coordinating_units=[world.an_nhon_bac.pk])
    response = chief.post(reverse("admin:tracking_task_add"), data)
    assert response.status_code == 302, form_errors(response)
    assert Task.objects.filter(title="Nhiệm vụ do quản trị nhập").exists()


def admin_target_data(world, **changes_):
    data = {"unit": world.hoa_hoi.pk, "code": "KT-QT", "name": "Chỉ tiêu do quản trị nhập",
            "group": "", "indicator": "", "kind": "count", "direction": "higher",
            "unit_of_measure": "", "baseline_value": "0", "baseline_year": 2025,
            "target_value": "10", "target_year": 2030,
            "trajectory-TOTAL_FORMS": 0, "trajectory-INITIAL_FORMS": 0}
    data.update(changes_)
    return data


ADMIN_TARGET_MISPLACED = {
    "responsible_unit_of_another_province": ("responsible_unit", lambda w, f: w.viet_hung,
                                             False),
    "responsible_person_of_another_commune": ("responsible_person", lambda w, f: f.officer,
                                              False),
    "resolution_of_another_commune": ("resolution", lambda w, f: f.resolution, False),
    "program_of_another_commune": ("programs", lambda w, f: f.program, True),
}


@pytest.mark.parametrize("case", ADMIN_TARGET_MISPLACED)
def test_the_admin_refuses_a_target_reference_that_does_not_belong_there(
        chief, world, home, foreign, case):
    field, find, many = ADMIN_TARGET_MISPLACED[case]
    item = find(world, foreign)
    before = counts()
    response = chief.post(reverse("admin:plans_target_add"),
                          admin_target_data(world, **{field: [item.pk] if many else item.pk}))
    assert response.status_code == 200, f"{response.status_code} {response.get('Location')}"
    assert form_errors(response)
    assert counts() == before


def test_the_admin_saves_a_target_whose_references_belong_there(chief, world, home):
    response = chief.post(reverse("admin:plans_target_add"), admin_target_data(
        world, responsible_unit=world.economy_office.pk, responsible_person=world.hh_officer.pk,
        resolution=home.resolution.pk, programs=[home.program.pk]))
    assert response.status_code == 302, form_errors(response)
    assert Target.objects.filter(code="KT-QT").exists()
