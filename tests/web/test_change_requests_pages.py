"""Changes that need authority, on the pages: asking on the task and target pages, deciding
there and in the approvals inbox, and who may do which."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from sixclear.changes import services as changes
from sixclear.changes.models import ChangeRequest, ChangeStatus
from sixclear.plans import services as plans
from sixclear.plans.models import TargetKind
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory
from tests.web.conftest import days

OK, DENIED, HIDDEN, SIGN_IN, DONE = 200, 403, 404, 302, 302
APPROVALS = reverse("tracking:approvals")


@pytest.fixture
def task(world):
    """An issued task of Hòa Hội owned by its officer; no approving person, so its leaders
    decide."""
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       start_date=days(-10), deadline=days(20), title="Lập quy hoạch chung")


@pytest.fixture
def growth_target(world, resolution):
    return plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="CT1", name="Giá trị sản xuất",
        kind=TargetKind.ANNUAL_GROWTH, resolution=resolution, baseline_value=Decimal(100),
        baseline_year=2025, annual_rate=Decimal("21.7"), target_year=2030,
        responsible_person=world.hh_officer, unit_of_measure="tỷ đồng",
    )


def ask_extension(world, task, new=None):
    return changes.request_change(
        actor=world.hh_officer, task=task, kind="deadline",
        proposed={"deadline": (new or days(50)).isoformat()},
        reason="Chờ phê duyệt vốn đầu tư công",
    )


def ask_rebaseline(world, target):
    return changes.request_change(
        actor=world.hh_officer, target=target, kind="rebaseline",
        proposed={"baseline_value": "110"}, reason="Số liệu năm gốc được Cục Thống kê điều chỉnh",
    )


def task_url(task):
    return reverse("tracking:task", args=[task.pk])


def ask_url(task):
    return reverse("changes:request_task_change", args=[task.pk])


def decide_url(change):
    return reverse("changes:decide", args=[change.pk])


def decision(change, choice, comment="", version=None, **extra):
    prefix = f"change-{change.pk}"
    return {f"{prefix}-version": change.version if version is None else version,
            f"{prefix}-decision": choice, f"{prefix}-comment": comment, **extra}


# --- Asking on the task page ----------------------------------------------------------------


def test_the_owner_asks_for_an_extension(client, world, task):
    client.force_login(world.hh_officer)
    assert 'id="change-form"' in client.get(task_url(task)).content.decode()
    response = client.post(ask_url(task), {
        "change-kind": "deadline", "change-deadline": days(45).isoformat(),
        "change-expected_result": "ignored", "change-reason": "Chờ vốn",
    })
    assert response.status_code == 302 and response.url == task_url(task)
    change = ChangeRequest.objects.get()
    assert change.proposed == {"deadline": days(45).isoformat()}
    assert change.original == {"deadline": days(20).isoformat()}
    page = client.get(task_url(task)).content.decode()
    assert "Your request was sent to the approving authority." in page
    assert "Deadline extension" in page and "Waiting for a decision" in page
    assert "Chờ vốn" in page
    assert date_format(days(45)) in page  # the value asked for, as a date


def test_a_manager_asks_for_a_new_owner(client, world, task):
    client.force_login(world.hh_manager)
    response = client.post(ask_url(task), {
        "change-kind": "owner", "change-owner": world.hh_manager.pk,
        "change-reason": "Chuyển công tác",
    })
    assert response.status_code == 302
    assert ChangeRequest.objects.get().proposed == {"owner": world.hh_manager.pk}
    page = client.get(task_url(task)).content.decode()
    assert "hh.officer" in page and "hh.manager" in page


def test_errors_are_beside_their_fields_and_the_input_is_kept(client, world, task):
    client.force_login(world.hh_officer)
    response = client.post(ask_url(task), {"change-kind": "deadline", "change-reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["change_form"].errors
    assert 'id="id_change-reason_error"' in response.content.decode()
    response = client.post(ask_url(task), {
        "change-kind": "deadline", "change-deadline": days(-30).isoformat(),
        "change-reason": "Lùi lại để khớp kế hoạch",
    })
    form = response.context["change_form"]
    assert form.errors["deadline"] == ["The deadline cannot be before the start date."]
    page = response.content.decode()
    assert 'id="id_change-deadline_error"' in page
    assert "Lùi lại để khớp kế hoạch</textarea>" in page
    assert f'value="{days(-30).isoformat()}"' in page
    response = client.post(ask_url(task), {"change-kind": "deadline",
                                           "change-reason": "Không ghi ngày"})
    assert response.context["change_form"].errors["deadline"] == ["This value is required."]
    assert not ChangeRequest.objects.exists()


def test_a_second_pending_request_of_a_kind_is_refused_on_top(client, world, task):
    ask_extension(world, task)
    client.force_login(world.hh_officer)
    response = client.post(ask_url(task), {
        "change-kind": "deadline", "change-deadline": days(60).isoformat(),
        "change-reason": "Thêm lần nữa",
    })
    assert "A change of this kind already waits for a decision." in response.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_the_form_is_hidden_from_who_may_not_ask(client, world, task):
    for who in ("hh_viewer", "anb_officer"):
        task.coordinating_units.set([world.an_nhon_bac])  # so the sibling's officer sees it
        client.force_login(getattr(world, who))
        response = client.get(task_url(task))
        assert response.status_code == 200
        assert 'id="change-form"' not in response.content.decode()


# --- Deciding on the task page -------------------------------------------------------------


def test_the_leader_approves_from_the_task_page(client, world, task):
    change = ask_extension(world, task)
    client.force_login(world.hh_officer)
    assert 'value="approve"' not in client.get(task_url(task)).content.decode()  # own request
    client.force_login(world.hh_leader)
    assert f'name="change-{change.pk}-decision" value="approve"' in client.get(
        task_url(task)).content.decode()
    response = client.post(decide_url(change), decision(change, "approve"))
    assert response.status_code == 302 and response.url == task_url(task)
    task.refresh_from_db()
    assert task.deadline == days(50)
    page = client.get(task_url(task)).content.decode()
    assert "The change was approved and applied." in page
    assert "approved by <bdi>hh.leader</bdi>" in page
    assert f"Change request {change.pk} approved" in page  # in the history


def test_a_rejection_needs_a_comment_beside_its_field(client, world, task):
    change = ask_extension(world, task)
    client.force_login(world.hh_leader)
    response = client.post(decide_url(change), decision(change, "reject"))
    assert response.status_code == 200
    assert f'id="id_change-{change.pk}-comment_error"' in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    client.post(decide_url(change), decision(change, "reject", "Phải xong trong năm"))
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    page = client.get(task_url(task)).content.decode()
    assert "rejected by <bdi>hh.leader</bdi>" in page and "Phải xong trong năm" in page


def test_two_leaders_deciding_the_same_request(client, world, task):
    change = ask_extension(world, task)
    seen = change.version
    changes.decide_change(actor=world.hh_leader, change=change, expected_version=seen,
                          approve=True)
    client.force_login(world.province_leader)
    response = client.post(decide_url(change), decision(change, "reject", "Không đồng ý",
                                                        version=seen), follow=True)
    page = response.content.decode()
    assert "hh.leader decided this change first (approved); your decision was not recorded." \
        in page
    assert "message--error" in page
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeStatus.APPROVED, world.hh_leader)


def test_a_stale_version_is_explained(client, world, task):
    change = ask_extension(world, task)
    client.force_login(world.hh_leader)
    response = client.post(decide_url(change), decision(change, "approve",
                                                        version=change.version + 3))
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


# --- The target page -----------------------------------------------------------------------


def test_the_responsible_person_asks_to_rebaseline(client, world, growth_target):
    url = reverse("plans:target", args=[growth_target.pk])
    client.force_login(world.hh_officer)
    page = client.get(url).content.decode()
    assert 'id="change-form"' in page and 'name="rebaseline-baseline_value"' in page
    assert 'value="100"' in page and 'value="21.7"' in page  # the target as it is
    form = {f"rebaseline-{name}": value for name, value in {
        "baseline_value": "108.5", "baseline_year": "2025", "target_value": "",
        "annual_rate": "21.7", "annual_rate_high": "", "target_year": "2030",
        "reason": "Cục Thống kê điều chỉnh số liệu năm 2025",
    }.items()}
    response = client.post(reverse("changes:request_target_change", args=[growth_target.pk]),
                           form)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.proposed == {"baseline_value": "108.5"}  # only what changed
    client.force_login(world.hh_leader)
    page = client.get(url).content.decode()
    assert "Target re-baselining" in page and "108.5" in page
    client.post(decide_url(change), decision(change, "approve"))
    growth_target.refresh_from_db()
    assert growth_target.baseline_value == Decimal("108.5")
    assert growth_target.trajectory.get(year=2026).expected_value == Decimal("132.0445")


def test_a_bad_rebaseline_is_shown_beside_its_field(client, world, growth_target):
    client.force_login(world.hh_manager)
    response = client.post(
        reverse("changes:request_target_change", args=[growth_target.pk]),
        {"rebaseline-baseline_value": "100", "rebaseline-baseline_year": "2025",
         "rebaseline-annual_rate": "", "rebaseline-target_year": "2030",
         "rebaseline-reason": "Bỏ tốc độ"})
    assert response.status_code == 200
    assert "annual_rate" in response.context["change_form"].errors
    assert 'id="id_rebaseline-annual_rate_error"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_viewers_are_not_offered_the_rebaseline_form(client, world, growth_target):
    client.force_login(world.hh_viewer)
    page = client.get(reverse("plans:target", args=[growth_target.pk])).content.decode()
    assert 'id="change-form"' not in page


# --- The approvals inbox --------------------------------------------------------------------


def test_the_inbox_has_changes_waiting_for_my_decision(client, world, task, growth_target):
    extension = ask_extension(world, task)
    rebaseline = ask_rebaseline(world, growth_target)
    client.force_login(world.hh_leader)
    response = client.get(APPROVALS)
    assert [c.pk for c in response.context["changes"]] == [extension.pk, rebaseline.pk]
    page = response.content.decode()
    assert "Changes waiting for my decision" in page
    assert 'Approvals <span class="count">2' in page
    assert 'name="origin" value="approvals"' in page
    client.force_login(world.hh_manager)  # managers do not decide changes
    assert client.get(APPROVALS).context["changes"] == []
    client.force_login(world.hh_leader)
    response = client.get(reverse("tracking:my_work"))  # the header counts on every page
    assert 'Approvals <span class="count">2' in response.content.decode()


def test_deciding_from_the_inbox_returns_there(client, world, task, growth_target):
    extension = ask_extension(world, task)
    rebaseline = ask_rebaseline(world, growth_target)
    client.force_login(world.hh_leader)
    response = client.post(decide_url(extension), decision(extension, "reject", origin="approvals"))
    assert response.status_code == 200  # the comment is missing: shown beside its field
    assert f'id="id_change-{extension.pk}-comment_error"' in response.content.decode()
    response = client.post(decide_url(rebaseline),
                           decision(rebaseline, "approve", origin="approvals"))
    assert response.url == APPROVALS
    growth_target.refresh_from_db()
    assert growth_target.baseline_value == Decimal(110)
    assert [c.pk for c in client.get(APPROVALS).context["changes"]] == [extension.pk]


def test_the_inbox_stays_bounded_with_changes(client, world, django_assert_max_num_queries):
    from tests.web.test_my_work import count_queries

    def add(n):
        for i in range(n):
            task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer,
                               state=TaskState.ISSUED, start_date=days(-9), deadline=days(9))
            kind, proposed = (("owner", {"owner": world.hh_manager.pk}) if i % 2 else
                              ("deadline", {"deadline": days(30).isoformat()}))
            changes.request_change(actor=world.hh_officer, task=task, kind=kind,
                                   proposed=proposed, reason="x")

    add(3)
    client.force_login(world.hh_leader)
    few = count_queries(client, APPROVALS)
    add(27)
    with django_assert_max_num_queries(12):
        response = client.get(APPROVALS)
    assert len(response.context["changes"]) == 30
    assert count_queries(client, APPROVALS) == few


# --- Who may do what: own unit, sibling unit, superior unit, anonymous ----------------------


@pytest.fixture
def objects(world, task, growth_target):
    """A pending extension of the task, and a pending re-baselining of a second target (the
    first stays free for a new request)."""
    other = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="CT2", name="Số doanh nghiệp",
        kind=TargetKind.COUNT, baseline_value=Decimal(40), baseline_year=2025,
        target_value=Decimal(60), target_year=2030, responsible_person=world.hh_officer,
    )
    return {"task": task, "target": growth_target,
            "task_change": ask_extension(world, task, new=days(40)),
            "target_change": ask_rebaseline(world, other)}


ACTIONS = {
    "ask_task": lambda o: (ask_url(o["task"]), {
        "change-kind": "result", "change-expected_result": "Đồ án được phê duyệt",
        "change-reason": "Rõ sản phẩm hơn"}),
    "ask_target": lambda o: (
        reverse("changes:request_target_change", args=[o["target"].pk]),
        {"rebaseline-baseline_value": "100", "rebaseline-baseline_year": "2025",
         "rebaseline-annual_rate": "21.7", "rebaseline-target_year": "2031",
         "rebaseline-reason": "Kéo dài"}),
    "decide_task": lambda o: (decide_url(o["task_change"]),
                              decision(o["task_change"], "approve")),
    "decide_target": lambda o: (decide_url(o["target_change"]),
                                decision(o["target_change"], "approve")),
}

CASES = [
    # Hòa Hội: the officer is the task's owner and the target's responsible person.
    ("ask_task", "hh_officer", DONE), ("ask_target", "hh_officer", DONE),
    ("decide_task", "hh_officer", DENIED), ("decide_target", "hh_officer", DENIED),
    ("ask_task", "hh_manager", DONE), ("ask_target", "hh_manager", DONE),
    ("decide_task", "hh_manager", DENIED), ("decide_target", "hh_manager", DENIED),
    *[(action, "hh_viewer", DENIED) for action in ACTIONS],
    ("decide_task", "hh_leader", DONE), ("decide_target", "hh_leader", DONE),
    # The sibling unit and another province see nothing.
    *[(action, "anb_manager", HIDDEN) for action in ACTIONS],
    *[(action, "vh_manager", HIDDEN) for action in ACTIONS],
    *[(action, "outsider", HIDDEN) for action in ACTIONS],
    # The leader of the province above may ask (a manager's right) and decide.
    *[(action, "province_leader", DONE) for action in ACTIONS],
    *[(action, None, SIGN_IN) for action in ACTIONS],
]


@pytest.mark.parametrize(("action", "who", "expected"), CASES)
def test_action_access(client, world, objects, action, who, expected):
    if who:
        client.force_login(getattr(world, who))
    url, data = ACTIONS[action](objects)
    response = client.post(url, data)
    assert response.status_code == expected
    if who is None:
        assert response.url.startswith(reverse("accounts:sign_in"))
    elif expected == DONE:
        assert not response.url.startswith(reverse("accounts:sign_in"))
        assert not response.url.startswith(APPROVALS)
    if expected != DONE and action.startswith("decide"):
        for change in (objects["task_change"], objects["target_change"]):
            change.refresh_from_db()
            assert change.status == ChangeStatus.PENDING


@pytest.mark.parametrize("name", ["changes:request_task_change", "changes:request_target_change",
                                  "changes:decide"])
def test_the_endpoints_take_only_posts(client, world, objects, name):
    client.force_login(world.hh_manager)
    key = {"changes:request_task_change": "task", "changes:request_target_change": "target",
           "changes:decide": "task_change"}[name]
    assert client.get(reverse(name, args=[objects[key].pk])).status_code == 405


def test_a_superior_sees_the_requests_of_the_unit_below(client, world, objects):
    client.force_login(world.province_leader)
    page = client.get(task_url(objects["task"])).content.decode()
    assert f'id="change-{objects["task_change"].pk}"' in page
    assert f'name="change-{objects["task_change"].pk}-decision"' in page


def test_the_deadline_of_a_decided_extension_is_dated(world, objects):
    # The original deadline stays in the request after approval.
    change = objects["task_change"]
    changes.decide_change(actor=world.hh_leader, change=change,
                          expected_version=change.version, approve=True)
    change.refresh_from_db()
    assert datetime.date.fromisoformat(change.original["deadline"]) == days(20)


def _change_fields(page):
    return {name for name in ("change-deadline", "change-owner", "change-expected_result")
            if f'name="{name}"' in page}


def test_the_request_form_shows_only_the_chosen_kind_s_field(client, world, task):
    client.force_login(world.hh_manager)
    page = client.get(task_url(task)).content.decode()
    assert _change_fields(page) == {"change-deadline"}  # a deadline unless another is chosen
    assert '<input type="hidden" name="change-kind" value="deadline"' in page
    # the chooser is plain links reloading the page: it works without JavaScript
    assert 'href="?change=owner#change-form"' in page
    assert 'href="?change=deadline#change-form" aria-current="true"' in page
    page = client.get(task_url(task) + "?change=owner").content.decode()
    assert _change_fields(page) == {"change-owner"}
    assert 'href="?change=owner#change-form" aria-current="true"' in page
    page = client.get(task_url(task) + "?kind=result").content.decode()
    assert _change_fields(page) == {"change-expected_result"}
    page = client.get(task_url(task) + "?change=nonsense").content.decode()
    assert _change_fields(page) == {"change-deadline"}


def test_a_refused_request_shows_the_field_of_its_kind(client, world, task):
    client.force_login(world.hh_officer)
    response = client.post(ask_url(task), {"change-kind": "result",
                                           "change-expected_result": "Đồ án",
                                           "change-reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert _change_fields(page) == {"change-expected_result"}
    assert "Đồ án</textarea>" in page
    assert not ChangeRequest.objects.exists()
