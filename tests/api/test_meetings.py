"""Obstacles, meetings and agenda items in the API: who reads and writes them, the flows through
the meetings services, 409 on a stale version, errors in the caller's language, flat lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sixclear.meetings import services as meetings
from sixclear.meetings.models import AgendaItem, Obstacle
from sixclear.orgs.models import Role, UnitKind
from sixclear.references import NOT_FOUND
from sixclear.tracking.models import Task
from tests.api.conftest import TODAY, Meetings, days, token_client
from tests.factories import TaskFactory, make_unit, person


@pytest.fixture
def held(world):
    return Meetings(world)


def started(world, meeting):
    for move in (meetings.open_meeting, meetings.start_meeting):
        meeting = move(actor=world.hh_manager, meeting=meeting, expected_version=meeting.version)
    return meeting


def ids(response):
    return [row["id"] for row in response.json()["results"]]


ROWS = {"obstacles": "obstacle", "meetings": "meeting", "agenda-items": "item"}


# Access


@pytest.mark.parametrize("endpoint", ROWS)
@pytest.mark.parametrize(("who", "sees"), [
    ("hh_viewer", True),  # own unit, the lowest role
    ("province_leader", True),  # the unit above
    ("anb_manager", False),  # a sibling commune
    ("vh_manager", False),  # another province
    ("outsider", False),  # no role anywhere
])
def test_reading_follows_the_unit_tree(world, held, endpoint, who, sees):
    row = getattr(held, ROWS[endpoint])
    client = token_client(getattr(world, who))
    listed = client.get(f"/api/v1/{endpoint}/")
    detail = client.get(f"/api/v1/{endpoint}/{row.pk}/")

    assert listed.status_code == 200
    assert (row.pk in ids(listed)) is sees
    assert detail.status_code == (200 if sees else 404)
    if not sees:
        assert detail.json()["code"] == "not_found"


@pytest.mark.parametrize("endpoint", ROWS)
def test_anonymous_people_read_nothing(held, endpoint):
    row = getattr(held, ROWS[endpoint])
    for url in (f"/api/v1/{endpoint}/", f"/api/v1/{endpoint}/{row.pk}/"):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert set(response.json()) == {"code", "message", "fields"}


def actions(held):
    """(url, body) of every write on the held meeting's rows."""
    obstacle, meeting, item = held.obstacle, held.meeting, held.item
    return [
        (f"/api/v1/obstacles/{obstacle.pk}/route/", {"version": 1, "must_act": meeting.unit_id}),
        (f"/api/v1/obstacles/{obstacle.pk}/answer/", {"version": 1, "answer": "Có"}),
        (f"/api/v1/obstacles/{obstacle.pk}/escalate/", {"version": 1}),
        (f"/api/v1/obstacles/{obstacle.pk}/resolve/", {"version": 1}),
        (f"/api/v1/meetings/{meeting.pk}/open/", {"version": meeting.version}),
        (f"/api/v1/meetings/{meeting.pk}/start/", {"version": meeting.version}),
        (f"/api/v1/meetings/{meeting.pk}/close/", {"version": meeting.version}),
        (f"/api/v1/meetings/{meeting.pk}/items/", {"title": "Việc khác"}),
        (f"/api/v1/meetings/{meeting.pk}/confirm/", {}),
        (f"/api/v1/agenda-items/{item.pk}/notes/", {"version": 1, "notes": "x"}),
        (f"/api/v1/agenda-items/{item.pk}/decide/", {"version": 1, "decision": "noted"}),
        (f"/api/v1/agenda-items/{item.pk}/tasks/", {"title": "Việc"}),
    ]


@pytest.mark.parametrize("who", ["anb_manager", "vh_manager"])
def test_a_sibling_or_another_province_cannot_act_and_learns_nothing(world, held, who):
    client = token_client(getattr(world, who))
    for url, body in actions(held):
        response = client.post(url, body, format="json")
        assert response.status_code == 404, url
    held.obstacle.refresh_from_db()
    assert held.obstacle.version == 1


def test_anonymous_people_cannot_act(held):
    for url, body in actions(held):
        assert APIClient().post(url, body, format="json").status_code == 401, url


def test_a_viewer_of_the_unit_reads_but_may_not_act(world, held):
    started(world, held.meeting)
    held.meeting.refresh_from_db()
    client = token_client(world.hh_viewer)
    for url, body in actions(held):
        if url.endswith(("/resolve/", "/confirm/")):
            continue  # asked of an answered obstacle and a closed meeting, below
        if "/meetings/" in url and "version" in body:
            body = {"version": held.meeting.version}
        response = client.post(url, body, format="json")
        assert response.status_code == 403, (url, response.json())
        assert response.json()["code"] == "permission_denied"
    creates = [("/api/v1/obstacles/", {"task": held.sample.task.pk, "description": "x"}),
               ("/api/v1/meetings/", {"unit": world.hoa_hoi.pk, "kind": "monthly",
                                      "title": "Họp", "held_on": TODAY.isoformat()})]
    for url, body in creates:
        assert client.post(url, body, format="json").status_code == 403, url
    meetings.answer_obstacle(actor=world.hh_manager, obstacle=held.obstacle,
                             expected_version=1, answer="Đã có vốn")
    assert client.post(f"/api/v1/obstacles/{held.obstacle.pk}/resolve/", {"version": 2},
                       format="json").status_code == 403
    meetings.close_meeting(actor=world.hh_manager, meeting=held.meeting,
                           expected_version=held.meeting.version)
    # Only the attendees confirm the minutes: the viewer was not invited.
    assert client.post(f"/api/v1/meetings/{held.meeting.pk}/confirm/", {},
                       format="json").status_code == 403


def test_an_officer_raises_an_obstacle_but_may_not_route_it(world, held):
    client = token_client(world.hh_officer)
    response = client.post("/api/v1/obstacles/", {
        "target": held.sample.target.pk, "description": "Chưa có số liệu thống kê",
        "help_asked": "Đề nghị Chi cục Thống kê cung cấp"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "open" and body["target"] == held.sample.target.pk
    assert body["task"] is None and body["waiting_for"] == world.hoa_hoi.pk
    assert response["Location"] == f"/api/v1/obstacles/{body['id']}/"
    route = client.post(f"/api/v1/obstacles/{body['id']}/route/",
                        {"version": 1, "must_act": world.gia_lai.pk}, format="json")
    assert route.status_code == 403


def test_a_reference_to_an_invisible_task_answers_like_a_missing_one(world, held):
    client = token_client(world.anb_officer)
    hidden = client.post("/api/v1/obstacles/", {"task": held.sample.task.pk,
                                                "description": "x"}, format="json")
    missing = client.post("/api/v1/obstacles/", {"task": 2**40, "description": "x"},
                          format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert hidden.json()["fields"] == {"task": [NOT_FOUND]}
    assert not Obstacle.objects.filter(reported_by=world.anb_officer).exists()


def test_a_meeting_cannot_name_a_unit_or_person_out_of_its_reach(world, held):
    client = token_client(world.hh_manager)
    base = {"unit": world.hoa_hoi.pk, "kind": "working", "title": "Làm việc",
            "held_on": TODAY.isoformat()}
    other = client.post("/api/v1/meetings/", {**base, "with_unit": world.viet_hung.pk},
                        format="json")
    missing = client.post("/api/v1/meetings/", {**base, "with_unit": 2**40}, format="json")
    assert other.status_code == missing.status_code == 400
    assert other.json()["fields"] == missing.json()["fields"] == {"with_unit": [NOT_FOUND]}
    stranger = client.post("/api/v1/meetings/", {**base, "with_unit": world.economy_office.pk,
                                                 "attendees": [world.vh_manager.pk]},
                           format="json")
    assert stranger.json()["fields"] == {"attendees": [NOT_FOUND]}
    # A unit the caller may not see at all is not found either.
    hidden = client.post("/api/v1/meetings/", {**base, "unit": world.viet_hung.pk},
                         format="json")
    assert hidden.json()["fields"] == {"unit": [NOT_FOUND]}


# Flows through the services


def test_an_obstacle_is_routed_answered_and_closed(world, held):
    office = make_unit("Văn phòng UBND", world.hoa_hoi, UnitKind.DEPARTMENT)
    office_manager = person(office, Role.MANAGER, username="hh.office")
    url = f"/api/v1/obstacles/{held.obstacle.pk}"

    routed = token_client(world.hh_manager).post(
        f"{url}/route/", {"version": 1, "must_act": office.pk}, format="json")
    assert routed.status_code == 200, routed.json()
    assert routed.json()["state"] == "assigned" and routed.json()["waiting_for"] == office.pk
    answered = token_client(office_manager).post(
        f"{url}/answer/", {"version": 2, "answer": "Đã bố trí 2 tỷ đồng"}, format="json")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["answered_by"] == office_manager.pk
    closed = token_client(world.hh_officer).post(f"{url}/resolve/", {"version": 3},
                                                 format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["state"] == "resolved" and closed.json()["resolved_at"]


def test_the_unit_above_escalates_and_routes(world, held):
    url = f"/api/v1/obstacles/{held.obstacle.pk}"
    escalated = token_client(world.hh_manager).post(f"{url}/escalate/", {"version": 1},
                                                    format="json")
    assert escalated.status_code == 200
    assert escalated.json()["state"] == "escalated"
    assert escalated.json()["waiting_for"] == world.gia_lai.pk
    # Gia Lai's leader (above) now routes it to An Nhơn Bắc, a unit of its line.
    routed = token_client(world.province_leader).post(
        f"{url}/route/", {"version": 2, "must_act": world.an_nhon_bac.pk}, format="json")
    assert routed.status_code == 200, routed.json()
    # A unit out of its line is not found, like one that does not exist.
    out = token_client(world.anb_manager).post(
        f"{url}/route/", {"version": 3, "must_act": world.viet_hung.pk}, format="json")
    assert out.status_code == 400 and out.json()["fields"] == {"must_act": [NOT_FOUND]}


def test_a_stale_version_answers_409_and_changes_nothing(world, held):
    client = token_client(world.hh_manager)
    url = f"/api/v1/obstacles/{held.obstacle.pk}"
    assert client.post(f"{url}/escalate/", {"version": 1}, format="json").status_code == 200
    stale = token_client(world.province_leader).post(
        f"{url}/answer/", {"version": 1, "answer": "Muộn"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    held.obstacle.refresh_from_db()
    assert held.obstacle.state == "escalated" and held.obstacle.answer == ""

    meeting = f"/api/v1/meetings/{held.meeting.pk}"
    version = held.meeting.version
    assert client.post(f"{meeting}/open/", {"version": version}, format="json").status_code == 200
    stale = client.post(f"{meeting}/start/", {"version": version}, format="json")
    assert stale.status_code == 409
    held.meeting.refresh_from_db()
    assert held.meeting.state == "open"


def test_a_meeting_is_held_through_the_api(world, held):
    # The commune's leader: a manager's role, and the authority over the change requested.
    client = token_client(world.hh_leader)
    created = client.post("/api/v1/meetings/", {
        "unit": world.hoa_hoi.pk, "kind": "thematic", "title": "Chuyên đề giải phóng mặt bằng",
        "held_on": days(7).isoformat(), "attendees": [world.hh_officer.pk]}, format="json")
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["state"] == "draft"
    assert {row["person"] for row in meeting["attendees"]} == {world.hh_leader.pk,
                                                               world.hh_officer.pk}
    kinds = [item["kind"] for item in meeting["items"]]
    assert kinds[0] == "obstacle" and "change" in kinds and kinds[-1] == "routine"
    url = f"/api/v1/meetings/{meeting['id']}"
    for move in ("open", "start"):
        response = client.post(f"{url}/{move}/", {"version": meeting["version"]}, format="json")
        assert response.status_code == 200, response.json()
        meeting = response.json()
    assert meeting["state"] == "in_progress"
    items = {item["kind"]: item for item in meeting["items"]}

    obstacle = items["obstacle"]
    assert obstacle["decisions"] == ["resolved", "escalated", "noted"]
    noted = client.post(f"/api/v1/agenda-items/{obstacle['id']}/notes/",
                        {"version": obstacle["version"], "notes": "Thiếu 2 tỷ"}, format="json")
    assert noted.status_code == 200 and noted.json()["notes"] == "Thiếu 2 tỷ"
    decided = client.post(f"/api/v1/agenda-items/{obstacle['id']}/decide/", {
        "version": noted.json()["version"], "decision": "resolved",
        "text": "Huyện bố trí vốn đối ứng"}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["decision"] == "resolved" and decided.json()["notes"] == "Thiếu 2 tỷ"
    held.obstacle.refresh_from_db()
    assert held.obstacle.state == "resolved" and held.obstacle.answer == "Huyện bố trí vốn đối ứng"

    change = items["change"]
    approved = client.post(f"/api/v1/agenda-items/{change['id']}/decide/", {
        "version": change["version"], "decision": "rejected", "text": "Không đủ căn cứ"},
        format="json")
    assert approved.status_code == 200, approved.json()
    held.sample.change.refresh_from_db()
    assert held.sample.change.status == "rejected"

    task = client.post(f"/api/v1/agenda-items/{obstacle['id']}/tasks/", {
        "title": "Trình phương án vốn đối ứng", "owner": world.hh_officer.pk,
        "lead_unit": world.hoa_hoi.pk, "deadline": days(30).isoformat(),
        "description": "Lập tờ trình", "expected_result": "Tờ trình được duyệt",
        "authority_body": "UBND xã"}, format="json")
    assert task.status_code == 201, task.json()
    assert task.json()["state"] == "issued" and task.json()["missing_clears"] == []
    assert task["Location"] == f"/api/v1/tasks/{task.json()['id']}/"
    draft = client.post(f"/api/v1/agenda-items/{obstacle['id']}/tasks/",
                        {"title": "Rà soát hồ sơ"}, format="json")
    assert draft.status_code == 201
    assert draft.json()["state"] == "draft" and "person" in draft.json()["missing_clears"]
    conclusion = Task.objects.get(pk=task.json()["id"]).program
    assert conclusion.kind == "conclusion"
    item = client.get(f"/api/v1/agenda-items/{obstacle['id']}/").json()
    assert set(item["tasks_created"]) == {task.json()["id"], draft.json()["id"]}

    added = client.post(f"{url}/items/", {"title": "Chuẩn bị Tết"}, format="json")
    assert added.status_code == 201 and added.json()["items"][-1]["title"] == "Chuẩn bị Tết"
    closed = client.post(f"{url}/close/", {"version": added.json()["version"]}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["conclusion"] == conclusion.pk
    confirmed = token_client(world.hh_officer).post(f"{url}/confirm/", {"amendment": ""},
                                                    format="json")
    assert confirmed.status_code == 200
    mine = [a for a in confirmed.json()["attendees"] if a["person"] == world.hh_officer.pk]
    assert mine[0]["confirmed_at"]


def test_a_decision_is_recorded_only_in_progress_and_must_fit(world, held):
    client = token_client(world.hh_manager)
    url = f"/api/v1/agenda-items/{held.item.pk}/decide/"
    early = client.post(url, {"version": 1, "decision": "noted"}, format="json")
    assert early.status_code == 400
    started(world, held.meeting)
    wrong = client.post(url, {"version": 1, "decision": "approved"}, format="json")
    assert wrong.status_code == 400 and set(wrong.json()["fields"]) == {"decision"}
    unknown = client.post(url, {"version": 1, "decision": "maybe"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()["fields"]) == {"decision"}
    stale = client.post(url, {"version": 7, "decision": "noted"}, format="json")
    assert stale.status_code == 409
    assert AgendaItem.objects.get(pk=held.item.pk).decision == ""


@pytest.mark.parametrize(("language", "words", "forbidden", "not_found"), [
    ("vi", "Nhập nội dung trả lời khó khăn, vướng mắc.",
     "Chỉ cán bộ quản lý của đơn vị đang xử lý mới có thể giao xử lý.",
     "Không tìm thấy trong các mục bạn được phép chọn ở đây."),
    ("ar", "اكتب الرد على العائق.", "لا يحيله إلا مدير الوحدة التي ينتظرها.",
     "غير موجود ضمن العناصر التي يمكنك اختيارها هنا."),
    ("en", "Write the answer to the obstacle.",
     "Only a manager of the unit it waits for can route it.",
     "Not found among the items you may choose here."),
])
def test_errors_speak_the_callers_language(world, held, language, words, forbidden,
                                           not_found):
    started(world, held.meeting)
    response = token_client(world.hh_manager).post(
        f"/api/v1/agenda-items/{held.item.pk}/decide/",
        {"version": 1, "decision": "resolved", "text": ""}, format="json",
        HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json()["fields"] == {"text": [words]}
    refused = token_client(world.hh_officer).post(
        f"/api/v1/obstacles/{held.obstacle.pk}/route/",
        {"version": 1, "must_act": world.hoa_hoi.pk}, format="json",
        HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 403 and refused.json()["message"] == forbidden
    missing = token_client(world.anb_officer).post(
        "/api/v1/obstacles/", {"task": held.sample.task.pk, "description": "x"}, format="json",
        HTTP_ACCEPT_LANGUAGE=language)
    assert missing.json()["fields"] == {"task": [not_found]}


def test_creating_an_obstacle_is_safe_to_retry(world, held):
    client = token_client(world.hh_officer)
    body = {"task": held.sample.task.pk, "description": "Thiếu mặt bằng"}
    first = client.post("/api/v1/obstacles/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/obstacles/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Obstacle.objects.filter(description="Thiếu mặt bằng").count() == 1


# Lists


def test_filters_narrow_the_register(world, held):
    other = TaskFactory(unit=world.economy_office, owner=world.hh_officer, state="issued",
                        deadline=days(10))
    raised = meetings.raise_obstacle(actor=world.hh_officer, task=other, description="Chờ vốn")
    meetings.escalate_obstacle(actor=world.hh_manager, obstacle=held.obstacle,
                               expected_version=1)
    Obstacle.objects.filter(pk=raised.pk).update(
        reported_at=held.obstacle.reported_at - datetime.timedelta(days=40))
    client = token_client(world.province_leader)

    def listed(query):
        return sorted(ids(client.get(f"/api/v1/obstacles/?{query}")))

    assert listed("state=escalated") == [held.obstacle.pk]
    assert listed(f"waiting_for_unit={world.gia_lai.pk}") == [held.obstacle.pk]
    assert listed(f"waiting_for_unit={world.economy_office.pk}") == [raised.pk]
    assert listed(f"unit={world.hoa_hoi.pk}") == [held.obstacle.pk]
    assert listed(f"task={other.pk}") == [raised.pk]
    assert listed(f"target={held.sample.target.pk}") == []
    assert listed("age=30") == [raised.pk]
    assert listed("waiting=true") == sorted([held.obstacle.pk, raised.pk])
    for query, field in (("state=gone", "state"), ("age=-1", "age"), ("unit=x", "unit")):
        response = client.get(f"/api/v1/obstacles/?{query}")
        assert response.status_code == 400 and field in response.json()["fields"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("endpoint", ["obstacles", "meetings", "agenda-items"])
def test_a_list_costs_the_same_for_one_row_and_many(world, endpoint, settings):
    settings.SIXCLEAR_API_RATE = ""
    Meetings(world)
    client = token_client(world.province_leader)
    client.get("/api/v1/units/")  # the token's first use is recorded once
    one, rows_before = count_queries(client, f"/api/v1/{endpoint}/")
    for _ in range(3):
        Meetings(world)
    many, rows_after = count_queries(client, f"/api/v1/{endpoint}/")

    assert rows_after > rows_before
    assert many == one
    assert many <= 8


@pytest.mark.parametrize(("field", "foreign"), [
    ("owner", "vh_manager"), ("lead_unit", "viet_hung"), ("authority", "anb_manager")])
def test_a_task_decided_in_a_meeting_names_only_what_its_unit_may(world, held, field, foreign):
    started(world, held.meeting)
    client = token_client(world.hh_manager)
    url = f"/api/v1/agenda-items/{held.item.pk}/tasks/"
    tasks = Task.objects.count()
    other = client.post(url, {"title": "Việc", field: getattr(world, foreign).pk},
                        format="json")
    missing = client.post(url, {"title": "Việc", field: 2**40}, format="json")
    assert other.status_code == missing.status_code == 400
    assert other.json() == missing.json()
    assert other.json()["fields"] == {field: [NOT_FOUND]}
    assert Task.objects.count() == tasks
    held.meeting.refresh_from_db()
    assert held.meeting.conclusion_id is None  # nothing was kept of the refused write
