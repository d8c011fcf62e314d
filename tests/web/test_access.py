"""Every page × own unit / sibling unit / superior unit / anonymous.

Objects of units a person may not see answer 404; actions they may not take answer 403.
"""

import pytest
from django.urls import reverse

from sixclear.tracking import services
from sixclear.tracking.models import ReviewStatus
from tests.factories import TaskFactory
from tests.web.conftest import days

OK, DENIED, HIDDEN, SIGN_IN = 200, 403, 404, 302


@pytest.fixture
def objects(world, submitted_report, target, resolution):
    measurement = services.record_measurement(
        actor=world.hh_officer, target=target, year=2025, value=100
    )
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, deadline=days(20))
    return {
        "task": submitted_report.task, "report": submitted_report, "target": target,
        "resolution": resolution, "measurement": measurement, "draft": draft,
        "evidence": submitted_report.evidence.get(), "unit": world.hoa_hoi,
    }


PAGES = {
    "task": lambda o: reverse("tracking:task", args=[o["task"].pk]),
    "task_edit": lambda o: reverse("tracking:task_edit", args=[o["task"].pk]),
    "task_create": lambda o: reverse("tracking:task_create", args=[o["unit"].pk]),
    "unit": lambda o: reverse("orgs:unit", args=[o["unit"].pk]),
    "resolution": lambda o: reverse("plans:resolution", args=[o["resolution"].pk]),
    "target": lambda o: reverse("plans:target", args=[o["target"].pk]),
    "evidence": lambda o: reverse("tracking:evidence", args=[o["evidence"].pk]),
}

# (page, person, expected): the officer and viewer work in Hòa Hội, An Nhơn Bắc is its sibling,
# Việt Hưng is in another province and the leader is above, in Gia Lai.
CASES = [
    *[(page, "hh_officer", OK) for page in ("task", "unit", "resolution", "target", "evidence")],
    ("task_edit", "hh_officer", DENIED), ("task_create", "hh_officer", DENIED),
    *[(page, "hh_manager", OK) for page in PAGES],
    *[(page, "hh_viewer", OK) for page in ("task", "unit", "resolution", "target", "evidence")],
    ("task_edit", "hh_viewer", DENIED),
    *[(page, "anb_manager", HIDDEN) for page in PAGES],
    *[(page, "vh_manager", HIDDEN) for page in PAGES],
    *[(page, "outsider", HIDDEN) for page in PAGES],
    *[(page, "province_leader", OK) for page in PAGES],
    *[(page, None, SIGN_IN) for page in PAGES],
]


@pytest.mark.parametrize(("page", "who", "expected"), CASES)
def test_page_access(client, world, objects, page, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(PAGES[page](objects))
    assert response.status_code == expected
    if expected == SIGN_IN:
        assert response.url.startswith(reverse("accounts:sign_in"))


ACTIONS = {
    "report": lambda o: (reverse("tracking:report_progress", args=[o["task"].pk]),
                         {"percent": 50, "narrative": "x"}),
    "step": lambda o: (reverse("tracking:step_add", args=[o["task"].pk]), {"title": "Bước"}),
    "issue": lambda o: (reverse("tracking:task_issue", args=[o["draft"].pk]),
                        {"version": o["draft"].version}),
    "review_report": lambda o: (reverse("tracking:review_report", args=[o["report"].pk]),
                                {f"report-{o['report'].pk}-version": o["report"].version,
                                 f"report-{o['report'].pk}-decision": "approve"}),
    "review_measurement": lambda o: (
        reverse("tracking:review_measurement", args=[o["measurement"].pk]),
        {f"measurement-{o['measurement'].pk}-version": o["measurement"].version,
         f"measurement-{o['measurement'].pk}-decision": "approve"}),
    "measurement": lambda o: (reverse("plans:record_measurement", args=[o["target"].pk]),
                              {"period_kind": "year", "year": 2026, "value": "120"}),
}
DONE = 302  # the action succeeded and redirected back

ACTION_CASES = [
    ("report", "hh_officer", DONE), ("step", "hh_officer", DENIED),
    ("issue", "hh_officer", DENIED), ("review_report", "hh_officer", DENIED),
    ("review_measurement", "hh_officer", DENIED), ("measurement", "hh_officer", DONE),
    ("report", "hh_viewer", DENIED), ("measurement", "hh_viewer", DENIED),
    *[(action, "hh_manager", DONE) for action in ACTIONS],
    *[(action, "anb_manager", HIDDEN) for action in ACTIONS],
    *[(action, "vh_manager", HIDDEN) for action in ACTIONS],
    *[(action, "province_leader", DONE) for action in ACTIONS],
    *[(action, None, SIGN_IN) for action in ACTIONS],
]


@pytest.mark.parametrize(("action", "who", "expected"), ACTION_CASES)
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


def test_my_work_and_approvals_need_a_signed_in_person(client, world):
    for name in ("tracking:my_work", "tracking:approvals"):
        assert client.get(reverse(name)).url.startswith(reverse("accounts:sign_in"))


def test_a_report_waits_until_someone_entitled_reviews_it(client, world, objects):
    client.force_login(world.anb_manager)
    client.post(*ACTIONS["review_report"](objects))
    objects["report"].refresh_from_db()
    assert objects["report"].status == ReviewStatus.SUBMITTED
