"""Authority holds at every door. Once a task is issued, its owner, deadline, expected result,
lead unit, coordinating units and authority change only through a change request decided by the
approving person (or a leader above them); once a target is adopted, its baseline, goal and
rates change only through a re-baselining decided by the leaders over its unit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sixclear.changes import services as changes
from sixclear.exchange.importing import import_rows
from sixclear.orgs.models import Role
from sixclear.plans.models import Target, TrajectoryPoint
from sixclear.tracking import services as tracking
from sixclear.tracking.models import Task
from tests.exchange.conftest import workbook_bytes
from tests.factories import TargetFactory, person
from tests.write_path.conftest import (
    api,
    browser,
    counts,
    days,
    expected_in,
    late_count,
    settle,
    snapshot,
    target_status,
    task_form_data,
    task_status,
    verify_rollups,
)
from tests.write_path.test_references_admin_and_changes import admin_task_data

# --- issued tasks --------------------------------------------------------------------------


def new_values(world):
    """field -> (API value, web form value, (import column, cell), expected stored value)."""
    other = Task._meta.get_field("owner").related_model.objects.get(username="hh.officer2")
    office = world.economy_office
    return {
        "owner": (other.pk, other.pk, ("Owner", other.username), other.pk),
        "deadline": (days(90).isoformat(), days(90).isoformat(), ("Deadline", days(90)),
                     days(90)),
        "expected_result": ("Đề án được phê duyệt", "Đề án được phê duyệt",
                            ("Expected result", "Đề án được phê duyệt"),
                            "Đề án được phê duyệt"),
        "lead_unit": (office.pk, office.pk, ("Lead unit", office.code), office.pk),
        "coordinating_units": ([office.pk], [office.pk], ("Coordinating units", office.code),
                               [office.pk]),
        "authority": (world.province_leader.pk, world.province_leader.pk,
                      ("Approving person", world.province_leader.username),
                      world.province_leader.pk),
        "authority_body": ("Ban Chấp hành", "Ban Chấp hành", ("Approving body", "Ban Chấp hành"),
                           "Ban Chấp hành"),
    }


HELD_FIELDS = ["owner", "deadline", "expected_result", "lead_unit", "coordinating_units",
               "authority", "authority_body"]


@pytest.fixture
def issued(world, home):
    """Hòa Hội's issued task, approved by the commune's leader, and a second officer."""
    person(world.hoa_hoi, Role.OFFICER, username="hh.officer2")
    return home.issued


def stored(task, field):
    fresh = Task.objects.get(pk=task.pk)
    if field == "coordinating_units":
        return sorted(fresh.coordinating_units.values_list("pk", flat=True))
    value = getattr(fresh, f"{field}_id", None) if field in ("owner", "lead_unit", "authority") \
        else getattr(fresh, field)
    return value


def edit_through_the_api(client, world, task, field, user):
    value = new_values(world)[field][0]
    response = api(user).patch(f"/api/v1/tasks/{task.pk}/",
                               {"version": Task.objects.get(pk=task.pk).version, field: value},
                               format="json")
    return response.status_code, response.content.decode(), response


def edit_through_the_web_form(client, world, task, field, user):
    browser(client, user)
    value = new_values(world)[field][1]
    response = client.post(reverse("tracking:task_edit", args=[task.pk]),
                           task_form_data(Task.objects.get(pk=task.pk), **{field: value}))
    return response.status_code, response.content.decode(), response


def edit_through_the_import(client, world, task, field, user):
    column, cell = new_values(world)[field][2]
    fresh = Task.objects.get(pk=task.pk)
    data = workbook_bytes([["Code", "Title", column], [fresh.code, fresh.title, cell]])
    outcome = import_rows(kind="tasks", unit=world.hoa_hoi, actor=user, data=data,
                          file_format="xlsx")
    return outcome.error_count, repr(outcome.errors), outcome


def edit_through_the_admin(client, world, task, field, user):
    """A staff user with the task change permission who is not a superuser."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="tracking", codename__in=["change_task", "view_task"]))
    browser(client, user)
    value = new_values(world)[field][1]
    fresh = Task.objects.get(pk=task.pk)
    response = client.post(reverse("admin:tracking_task_change", args=[task.pk]),
                           admin_task_data(fresh, **{field: value}))
    return response.status_code, response.content.decode(), response


DOORS = {"api": edit_through_the_api, "web_form": edit_through_the_web_form,
         "import": edit_through_the_import, "admin": edit_through_the_admin}


@pytest.mark.parametrize("field", HELD_FIELDS)
@pytest.mark.parametrize("door", DOORS)
def test_a_manager_who_is_not_the_approving_person_cannot_change_an_issued_task_directly(
        client, world, issued, door, field):
    before, task_before = counts(), snapshot(issued)

    status, text, answer = DOORS[door](client, world, issued, field, world.hh_manager)

    assert snapshot(issued) == task_before, f"{door} changed {field}: {text[:600]}"
    assert counts() == before
    if door == "api":
        assert status in (400, 403), text[:600]
        body = answer.json()
        assert field in body["fields"] or field in body["message"], body
        assert "change request" in text.lower(), body
    elif door == "import":
        assert status >= 1
        assert "change request" in text.lower(), text
    elif door == "web_form":
        assert status == 200, answer.get("Location")
        form = answer.context["form"]
        assert form.errors
        assert "change request" in text.lower()
    else:  # the admin, if it lets a non-superuser staff member in at all
        assert status in (200, 403), answer.get("Location")
        if status == 200:
            assert answer.context["adminform"].form.errors


@pytest.mark.parametrize("field", HELD_FIELDS)
@pytest.mark.parametrize("door", ["api", "web_form", "import"])
def test_the_approving_person_changes_an_issued_task_directly(client, world, issued, door,
                                                               field):
    status, text, answer = DOORS[door](client, world, issued, field, world.hh_leader)

    if door == "api":
        assert status == 200, text[:600]
    elif door == "web_form":
        assert status == 302, answer.context["form"].errors
    else:
        assert status == 0, text
    assert stored(issued, field) == new_values(world)[field][3]


def ask_and_decide(world, task, decider, kind="deadline", proposed=None):
    change = changes.request_change(
        actor=world.hh_manager, task=task, kind=kind,
        proposed=proposed or {"deadline": days(-2).isoformat()}, reason="Theo chỉ đạo")
    return changes.decide_change(actor=decider, change=change,
                                 expected_version=change.version, approve=True)


def test_a_change_approved_by_the_approving_person_applies_and_updates_status_and_dashboard(
        world, issued):
    late_before = late_count(world.hoa_hoi)
    ask_and_decide(world, issued, world.hh_leader)
    assert Task.objects.get(pk=issued.pk).deadline == days(-2)
    assert task_status(issued) == "late"
    assert late_count(world.hoa_hoi) == late_before + 1
    verify_rollups()


def test_a_leader_above_the_approving_person_may_decide_the_change(world, issued):
    ask_and_decide(world, issued, world.province_leader)
    assert Task.objects.get(pk=issued.pk).deadline == days(-2)


def test_a_manager_who_is_not_the_approving_person_cannot_decide_the_change(world, issued):
    change = changes.request_change(actor=world.hh_officer, task=issued, kind="deadline",
                                    proposed={"deadline": days(90).isoformat()},
                                    reason="Chờ vốn")
    with pytest.raises(Exception) as error:
        changes.decide_change(actor=world.hh_manager, change=change,
                              expected_version=change.version, approve=True)
    assert type(error.value).__name__ in ("PermissionDenied", "ValidationError")
    assert Task.objects.get(pk=issued.pk).deadline == issued.deadline


def test_a_draft_task_is_still_edited_directly_by_a_manager(world, home):
    response = api(world.hh_manager).patch(f"/api/v1/tasks/{home.draft.pk}/", {
        "version": home.draft.version, "deadline": days(90).isoformat()}, format="json")
    assert response.status_code == 200, response.json()


# --- adopted targets -----------------------------------------------------------------------

# field -> (kind of target, new value)
BASELINE_FIELDS = {
    "baseline_value": ("annual_growth", "90"),
    "baseline_year": ("annual_growth", 2024),
    "target_value": ("count", "12"),
    "annual_rate": ("annual_growth", "11"),
    "annual_rate_high": ("growth_range", "13"),
    "target_year": ("annual_growth", 2031),
}
TARGET_KINDS = {
    "annual_growth": {"kind": "annual_growth", "annual_rate": Decimal("21.7")},
    "growth_range": {"kind": "growth_range", "annual_rate": Decimal("11"),
                     "annual_rate_high": Decimal("12")},
    "count": {"kind": "count", "annual_rate": None, "baseline_value": Decimal("7"),
              "target_value": Decimal("10")},
}


def adopt(world, home, target, way):
    """Make `target` adopted in one of the three ways."""
    if way == "resolution_adopted":
        home.resolution.adopted_on = days(-100)
        home.resolution.save()
    elif way == "program_issued":
        home.program.issued_on = days(-100)
        home.program.save()
        target.programs.add(home.program)
    else:  # a value approved
        value = tracking.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                            value=Decimal("112"))
        tracking.review_measurement(actor=world.hh_manager, measurement=value,
                                    expected_version=value.version, approve=True)


ADOPTION = ["resolution_adopted", "program_issued", "value_approved"]


@pytest.fixture
def make_target(world, home):
    def make(kind):
        target = TargetFactory(unit=world.hoa_hoi, code=f"KT-{kind}", resolution=home.resolution,
                               responsible_person=world.hh_officer, **TARGET_KINDS[kind])
        settle()
        return target
    return make


def trajectory_of(target):
    return list(TrajectoryPoint.objects.filter(target=target).order_by("year")
                .values_list("year", "expected_value", "expected_high"))


def patch_target(user, target, field, value):
    return api(user).patch(f"/api/v1/targets/{target.pk}/", {
        "version": Target.objects.get(pk=target.pk).version, field: value}, format="json")


@pytest.mark.parametrize("field", BASELINE_FIELDS)
@pytest.mark.parametrize("way", ADOPTION)
def test_a_manager_cannot_rebaseline_an_adopted_target_through_the_api(
        world, home, make_target, way, field):
    kind, value = BASELINE_FIELDS[field]
    target = make_target(kind)
    adopt(world, home, target, way)
    before, path_before = snapshot(target), trajectory_of(target)

    response = patch_target(world.hh_manager, target, field, value)

    assert response.status_code in (400, 403), response.content.decode()[:600]
    body = response.json()
    assert field in body["fields"] or field in body["message"], body
    assert "change request" in response.content.decode().lower(), body
    assert snapshot(target) == before and trajectory_of(target) == path_before


@pytest.mark.parametrize("field", BASELINE_FIELDS)
def test_a_target_not_yet_adopted_is_edited_directly_by_a_manager(world, home, make_target,
                                                                   field):
    """The control of the matrix above: the same edits before adoption are applied."""
    kind, value = BASELINE_FIELDS[field]
    target = make_target(kind)
    response = patch_target(world.hh_manager, target, field, value)
    assert response.status_code == 200, response.content.decode()[:600]


@pytest.mark.parametrize("way", ADOPTION)
def test_a_leader_may_rebaseline_an_adopted_target_directly(world, home, make_target, way):
    target = make_target("annual_growth")
    adopt(world, home, target, way)
    response = patch_target(world.hh_leader, target, "annual_rate", "11")
    assert response.status_code == 200, response.content.decode()[:600]
    assert Target.objects.get(pk=target.pk).annual_rate == Decimal("11")


@pytest.mark.parametrize("way", ADOPTION)
def test_a_manager_cannot_rebaseline_an_adopted_target_through_the_import(
        world, home, make_target, way):
    target = make_target("annual_growth")
    adopt(world, home, target, way)
    before = snapshot(target)
    data = workbook_bytes([
        ["Code", "Name", "Kind", "Baseline value", "Baseline year", "Annual rate (%)",
         "Target year"],
        [target.code, target.name, "annual_growth", 100, 2025, 11, 2030]])

    outcome = import_rows(kind="targets", unit=world.hoa_hoi, actor=world.hh_manager, data=data,
                          file_format="xlsx")

    assert outcome.error_count >= 1, outcome.summary
    assert "change request" in repr(outcome.errors).lower(), outcome.errors
    assert snapshot(target) == before


def test_the_issues_rebaseline_after_an_approved_value_is_refused(world, home):
    """Rate 21.7 → 11 after a value was approved, by a plain PATCH of a manager."""
    target = home.target
    adopt(world, home, target, "value_approved")
    response = patch_target(world.hh_manager, target, "annual_rate", "11")
    assert response.status_code in (400, 403)
    assert Target.objects.get(pk=target.pk).annual_rate == Decimal("21.7")


def test_an_approved_rebaseline_recomputes_the_path_and_the_targets_status(world, home):
    target = home.target
    adopt(world, home, target, "value_approved")  # 112 in 2026 against 121.7 expected
    status_before = target_status(target)
    assert expected_in(target, 2026) == Decimal("121.7")
    assert status_before != "on_track"

    change = changes.request_change(actor=world.hh_manager, target=target, kind="rebaseline",
                                    proposed={"annual_rate": "11"},
                                    reason="Điều chỉnh theo Nghị quyết bổ sung")
    changes.decide_change(actor=world.hh_leader, change=change,
                          expected_version=change.version, approve=True)

    assert Target.objects.get(pk=target.pk).annual_rate == Decimal("11")
    assert expected_in(target, 2026) == Decimal("111")
    assert target_status(target) == "on_track"
    verify_rollups()
