"""The register, obstacle and meeting pages: what they show, the access matrix (own unit,
sibling unit, superior unit, another province, anonymous, too low a role) for every view, and
bounded queries on the lists."""

import pytest
from django.urls import reverse

from sixclear.meetings import services
from sixclear.meetings.models import Decision, MeetingKind, ObstacleState
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory
from tests.meetings.conftest import TODAY, days

pytestmark = pytest.mark.django_db

OK, REDIRECT, BAD, DENIED, HIDDEN = 200, 302, 400, 403, 404


@pytest.fixture
def meeting(world, reported):
    meeting = services.schedule_meeting(
        actor=world.hh_leader, unit=world.hoa_hoi, kind=MeetingKind.MONTHLY,
        title="Giao ban tháng 11", held_on=TODAY, attendees=[world.hh_officer])
    for action in ("open", "start"):
        meeting = getattr(services, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    return meeting


@pytest.fixture
def objects(world, reported, meeting, task):
    return {"unit": world.hoa_hoi, "obstacle": reported, "meeting": meeting, "task": task,
            "item": meeting.items.get(kind="obstacle")}


PAGES = {
    "register": lambda o: reverse("meetings:register", args=[o["unit"].pk]),
    "obstacle": lambda o: reverse("meetings:obstacle", args=[o["obstacle"].pk]),
    "meetings": lambda o: reverse("meetings:meetings", args=[o["unit"].pk]),
    "meeting": lambda o: reverse("meetings:meeting", args=[o["meeting"].pk]),
}

# Hòa Hội's people are at home; An Nhơn Bắc is its sibling, Việt Hưng in another province,
# the province leader above.
VIEW_CASES = [
    *[(page, who, OK) for page in PAGES
      for who in ("hh_officer", "hh_viewer", "hh_manager", "hh_leader", "province_leader")],
    *[(page, who, HIDDEN) for page in PAGES for who in ("anb_manager", "vh_manager",
                                                         "outsider")],
    *[(page, None, REDIRECT) for page in PAGES],
]


@pytest.mark.parametrize(("page", "who", "expected"), VIEW_CASES)
def test_page_access(client, world, objects, page, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(PAGES[page](objects))
    assert response.status_code == expected
    if expected == REDIRECT:
        assert reverse("accounts:sign_in") in response["Location"]


def _post(objects, action):
    obstacle, item, unit = objects["obstacle"], objects["item"], objects["unit"]
    return {
        "raise": (reverse("meetings:register", args=[unit.pk]),
                  {"blocks": f"task:{objects['task'].pk}", "description": "Thiếu vốn"}),
        "route": (reverse("meetings:obstacle_action", args=[obstacle.pk, "route"]),
                  {"version": obstacle.version, "must_act": unit.pk}),
        "answer": (reverse("meetings:obstacle_action", args=[obstacle.pk, "answer"]),
                   {"version": obstacle.version, "answer": "Đã có đơn giá"}),
        "escalate": (reverse("meetings:obstacle_action", args=[obstacle.pk, "escalate"]),
                     {"version": obstacle.version}),
        "schedule": (reverse("meetings:meetings", args=[unit.pk]),
                     {"kind": "thematic", "title": "Chuyên đề", "held_on": TODAY.isoformat()}),
        "close": (reverse("meetings:meeting_action", args=[objects["meeting"].pk, "close"]),
                  {"version": objects["meeting"].version}),
        "decide": (reverse("meetings:item_decide", args=[item.pk]),
                   {f"item-{item.pk}-version": item.version,
                    f"item-{item.pk}-decision": "noted"}),
        "task": (reverse("meetings:item_task", args=[item.pk]),
                 {f"task-{item.pk}-title": "Việc mới"}),
        "item": (reverse("meetings:meeting_action", args=[objects["meeting"].pk, "item"]),
                 {"title": "Phòng chống bão"}),
    }[action]


ACTIONS = ("raise", "route", "answer", "escalate", "schedule", "close", "decide", "task",
           "item")
ACTION_CASES = [
    *[(action, "hh_manager", REDIRECT) for action in ACTIONS],
    *[(action, "province_leader", REDIRECT) for action in ACTIONS if action != "raise"],
    ("raise", "hh_officer", REDIRECT),
    *[(action, "hh_officer", DENIED) for action in ACTIONS if action != "raise"],
    *[(action, "hh_viewer", DENIED) for action in ACTIONS],
    *[(action, who, HIDDEN) for action in ACTIONS for who in ("anb_manager", "vh_manager")],
    *[(action, None, REDIRECT) for action in ACTIONS],
]


@pytest.mark.parametrize(("action", "who", "expected"), ACTION_CASES)
def test_action_access(client, world, objects, action, who, expected):
    if who:
        client.force_login(getattr(world, who))
    url, data = _post(objects, action)
    response = client.post(url, data)
    assert response.status_code == expected
    if who is None:
        assert reverse("accounts:sign_in") in response["Location"]


def test_the_register_shows_the_figures_and_filters(client, world, reported, office):
    services.route_obstacle(actor=world.hh_manager, obstacle=reported,
                            expected_version=reported.version, must_act=office)
    client.force_login(world.hh_manager)
    page = client.get(reverse("meetings:register", args=[world.hoa_hoi.pk])).content.decode()
    assert "Chưa có đơn giá bồi thường" in page and "Open obstacles by level and age" in page
    assert "Median days to resolve" in page
    resolved = client.get(reverse("meetings:register", args=[world.hoa_hoi.pk]),
                          {"state": "resolved"}).content.decode()
    assert "Chưa có đơn giá bồi thường" not in resolved
    waiting_here = client.get(reverse("meetings:register", args=[world.hoa_hoi.pk]),
                              {"waiting_here": "on"}).content.decode()
    assert "Chưa có đơn giá bồi thường" not in waiting_here  # it waits for the office
    office_page = client.get(reverse("meetings:register", args=[office.pk]),
                             {"waiting_here": "on"}).content.decode()
    assert "Chưa có đơn giá bồi thường" in office_page


def test_the_register_lists_in_bounded_queries(client, world, task,
                                               django_assert_max_num_queries):
    for number in range(25):
        services.raise_obstacle(actor=world.hh_officer, task=task, description=f"Vướng {number}")
    client.force_login(world.province_leader)
    url = reverse("meetings:register", args=[world.gia_lai.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url, {"include_sub_units": "on"})
    assert response.content.decode().count("Vướng ") >= 25


@pytest.mark.parametrize("who", ["hh_officer", "hh_leader"])
def test_the_meeting_page_in_bounded_queries(client, world, task, who,
                                             django_assert_max_num_queries):
    for number in range(15):
        late = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                           start_date=days(-90), deadline=days(-20 - number),
                           title=f"Trễ {number}")
        services.raise_obstacle(actor=world.hh_officer, task=late, description=f"Vướng {number}")
    meeting = services.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                        kind=MeetingKind.MONTHLY, title="Giao ban",
                                        held_on=TODAY, attendees=[world.hh_officer])
    for action in ("open", "start"):
        meeting = getattr(services, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    assert meeting.items.count() > 30
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings:meeting", args=[meeting.pk]))
    assert response.content.decode().count("Vướng ") >= 15


def test_the_meetings_list_in_bounded_queries(client, world, django_assert_max_num_queries):
    for number in range(12):
        services.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                  kind=MeetingKind.THEMATIC, title=f"Chuyên đề {number}",
                                  held_on=days(number))
    client.force_login(world.hh_officer)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:meetings", args=[world.hoa_hoi.pk]))
    assert response.content.decode().count("Chuyên đề ") == 12


def test_a_stale_answer_keeps_the_input_and_answers_409(client, world, reported):
    client.force_login(world.hh_manager)
    response = client.post(reverse("meetings:obstacle_action", args=[reported.pk, "answer"]),
                           {"version": reported.version - 1, "answer": "Câu trả lời của tôi"})
    assert response.status_code == 409
    assert "Câu trả lời của tôi" in response.content.decode()


def test_a_task_refused_by_the_gate_is_kept_as_a_draft_and_names_the_clears(client, world,
                                                                           objects):
    item = objects["item"]
    client.force_login(world.hh_leader)
    response = client.post(reverse("meetings:item_task", args=[item.pk]),
                           {f"task-{item.pk}-title": "Kiểm đếm lại",
                            f"task-{item.pk}-owner": world.hh_officer.pk}, follow=True)
    page = response.content.decode()
    assert "kept as a draft" in page and "clear deadline" in page
    assert item.tasks_created.get().state == TaskState.DRAFT


def test_the_leader_resolves_in_the_meeting_and_the_officer_reads_the_answer(client, world,
                                                                           objects):
    item = objects["item"]
    client.force_login(world.hh_leader)
    client.post(reverse("meetings:item_decide", args=[item.pk]),
                {f"item-{item.pk}-version": item.version, f"item-{item.pk}-decision":
                 Decision.RESOLVED, f"item-{item.pk}-text": "Áp đơn giá của tỉnh"})
    objects["obstacle"].refresh_from_db()
    assert objects["obstacle"].state == ObstacleState.RESOLVED
    client.force_login(world.hh_officer)
    page = client.get(reverse("meetings:obstacle", args=[objects["obstacle"].pk])).content
    assert "Áp đơn giá của tỉnh" in page.decode()
    notes = client.get(reverse("monitoring:notifications")).content.decode()
    assert f'href="/obstacles/{objects["obstacle"].pk}/"' in notes


def test_the_dashboard_shows_the_obstacle_figures(client, world, reported):
    client.force_login(world.province_leader)
    page = client.get(reverse("dashboards:unit", args=[world.gia_lai.pk])).content.decode()
    assert "Open obstacles by level and age" in page


def test_the_task_page_shows_its_obstacles_and_their_answers(client, world, reported, task):
    services.answer_obstacle(actor=world.hh_manager, obstacle=reported,
                             expected_version=reported.version, answer="Áp giá của tỉnh")
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:task", args=[task.pk])).content.decode()
    assert f'href="/obstacles/{reported.pk}/"' in page and "Áp giá của tỉnh" in page


def test_a_closed_meeting_offers_no_decision_and_asks_attendees_to_confirm(client, world,
                                                                           meeting):
    meeting = services.close_meeting(actor=world.hh_leader, meeting=meeting,
                                     expected_version=meeting.version)
    client.force_login(world.hh_officer)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Record a decision" not in page and "Confirm the minutes" in page
    response = client.post(reverse("meetings:meeting_action", args=[meeting.pk, "confirm"]),
                           {"amendment": "Bổ sung ý kiến"})
    assert response.status_code == REDIRECT
    assert meeting.attendees.get(person=world.hh_officer).amendment == "Bổ sung ý kiến"
    client.force_login(world.hh_leader)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Close the meeting" not in page and "Record a decision" not in page
    response = client.post(reverse("meetings:item_decide", args=[objects_item(meeting).pk]),
                           {f"item-{objects_item(meeting).pk}-version": 99,
                            f"item-{objects_item(meeting).pk}-decision": "noted"})
    assert response.status_code in (400, 409)  # read-only: nothing is recorded
    assert not objects_item(meeting).decision


def objects_item(meeting):
    return meeting.items.get(kind="obstacle")


@pytest.fixture
def answered(world, reported):
    return services.answer_obstacle(actor=world.hh_manager, obstacle=reported,
                                    expected_version=reported.version, answer="Đã có giá")


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_officer", REDIRECT), ("hh_manager", REDIRECT), ("province_leader", REDIRECT),
    ("hh_viewer", DENIED), ("anb_manager", HIDDEN), ("vh_manager", HIDDEN), (None, REDIRECT),
])
def test_closing_an_answered_obstacle_access(client, world, answered, who, expected):
    """The reporter (the officer) or a manager of its unit closes it; others may not."""
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("meetings:obstacle_action", args=[answered.pk, "resolve"]),
                           {"version": answered.version})
    assert response.status_code == expected
    answered.refresh_from_db()
    assert (answered.state == ObstacleState.RESOLVED) == (expected == REDIRECT and who is not None)


@pytest.fixture
def draft_meeting(world):
    return services.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                     kind=MeetingKind.THEMATIC, title="Chuyên đề",
                                     held_on=TODAY, attendees=[world.hh_officer])


@pytest.mark.parametrize("action", ["open", "redraft"])
@pytest.mark.parametrize(("who", "expected"), [
    ("hh_manager", REDIRECT), ("province_leader", REDIRECT), ("hh_officer", DENIED),
    ("hh_viewer", DENIED), ("anb_manager", HIDDEN), ("vh_manager", HIDDEN), (None, REDIRECT),
])
def test_preparing_a_meeting_access(client, world, draft_meeting, action, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("meetings:meeting_action", args=[draft_meeting.pk, action]),
                           {"version": draft_meeting.version})
    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_officer", REDIRECT), ("hh_leader", REDIRECT), ("hh_viewer", DENIED),
    ("hh_manager", DENIED), ("anb_manager", HIDDEN), (None, REDIRECT),
])
def test_confirming_the_minutes_access(client, world, meeting, who, expected):
    """Attendees (the officer, the organiser) confirm; others who see it may not."""
    services.close_meeting(actor=world.hh_leader, meeting=meeting,
                           expected_version=meeting.version)
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("meetings:meeting_action", args=[meeting.pk, "confirm"]))
    assert response.status_code == expected


def test_notes_are_saved_without_a_decision(client, world, objects):
    item = objects["item"]
    client.force_login(world.hh_leader)
    response = client.post(reverse("meetings:item_decide", args=[item.pk]),
                           {f"item-{item.pk}-version": item.version,
                            f"item-{item.pk}-notes": "Văn phòng báo cáo thêm"})
    assert response.status_code == REDIRECT
    item.refresh_from_db()
    assert item.notes == "Văn phòng báo cáo thêm" and not item.decision
