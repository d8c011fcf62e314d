"""The procedure pages: every page × own unit / sibling / superior / another province /
anonymous / too-low role; the case actions; bounded queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from sixclear.procedures import services
from sixclear.procedures.models import Case, CaseState, Procedure

from .helpers import PETITION_STEPS, open_case, petition_procedure

OK, DENIED, HIDDEN, SIGN_IN = 200, 403, 404, 302
D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def objects(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    return {"unit": world.hoa_hoi, "procedure": procedure, "case": case}


PAGES = {
    "register": lambda o: reverse("procedures:register", args=[o["unit"].pk]),
    "export": lambda o: reverse("procedures:register_export", args=[o["unit"].pk]),
    "procedure": lambda o: reverse("procedures:procedure", args=[o["procedure"].pk]),
    "cases": lambda o: reverse("procedures:cases", args=[o["unit"].pk]),
    "cases_export": lambda o: reverse("procedures:cases_export", args=[o["unit"].pk]),
    "case": lambda o: reverse("procedures:case", args=[o["case"].pk]),
    "performance": lambda o: reverse("procedures:performance", args=[o["unit"].pk]),
    "evaluation": lambda o: reverse("procedures:evaluation", args=[o["unit"].pk]),
    "nonconformities": lambda o: reverse("procedures:nonconformities", args=[o["unit"].pk]),
    "procedure_new": lambda o: reverse("procedures:procedure_new", args=[o["unit"].pk]),
    "procedure_edit": lambda o: reverse("procedures:procedure_edit", args=[o["procedure"].pk]),
    "version_new": lambda o: reverse("procedures:version_new", args=[o["procedure"].pk]),
    "register_import": lambda o: reverse("procedures:register_import", args=[o["unit"].pk]),
    "case_new": lambda o: reverse("procedures:case_new", args=[o["unit"].pk]),
    "cases_import": lambda o: reverse("procedures:cases_import", args=[o["unit"].pk]),
}
READ = ["register", "export", "procedure", "cases", "cases_export", "case", "performance",
        "evaluation", "nonconformities"]
MANAGE = ["procedure_new", "procedure_edit", "version_new", "register_import"]
OFFICER = ["case_new", "cases_import"]

CASES = [
    *[(page, "hh_manager", OK) for page in PAGES],
    *[(page, "hh_officer", OK) for page in READ + OFFICER],
    *[(page, "hh_officer", DENIED) for page in MANAGE],
    *[(page, "hh_viewer", OK) for page in READ],
    *[(page, "hh_viewer", DENIED) for page in MANAGE + OFFICER],
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


ACTIONS = ["hand_over", "suspend", "resume", "extend"]


@pytest.mark.parametrize(("who", "expected"), [
    ("anb_manager", HIDDEN), ("vh_manager", HIDDEN), ("outsider", HIDDEN),
    ("hh_viewer", DENIED), (None, SIGN_IN)])
@pytest.mark.parametrize("action", ACTIONS)
def test_case_actions_refused(client, world, objects, action, who, expected):
    case = objects["case"]
    if action == "resume":
        services.suspend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                              reason="Chờ bổ sung")
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("procedures:case_action", args=[case.pk, action]),
                           {"version": case.version, "reason": "Lý do", "days": 2,
                            "to": world.hh_officer.pk})
    assert response.status_code == expected
    assert Case.objects.get(pk=case.pk).version == case.version


def test_officer_hands_over_suspends_and_resumes_through_the_page(client, world, objects):
    case = objects["case"]
    client.force_login(world.hh_officer)
    page = client.get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert 'id="hand-over"' in page and 'id="suspend"' in page
    assert 'id="extend"' not in page  # a manager's action
    url = lambda action: reverse("procedures:case_action", args=[case.pk, action])  # noqa: E731
    response = client.post(url("hand_over"), {"version": case.version,
                                              "to": world.hh_officer.pk, "note": "Đủ hồ sơ"})
    assert response.status_code == 302
    case.refresh_from_db()
    response = client.post(url("suspend"), {"version": case.version, "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["suspend_form"].errors
    response = client.post(url("suspend"), {"version": case.version,
                                            "reason": "Chờ bổ sung giấy tờ"})
    case.refresh_from_db()
    assert response.status_code == 302 and case.state == CaseState.SUSPENDED
    stale = client.post(url("resume"), {"version": case.version - 1})
    assert stale.status_code == 409
    assert client.post(url("resume"), {"version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.OPEN
    page = client.get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert "Chờ bổ sung giấy tờ" in page and "Đủ hồ sơ" in page


def test_manager_registers_a_procedure_through_the_page(client, world):
    client.force_login(world.hh_manager)
    data = {"code": "QT-02", "name": "Cấp bản sao trích lục", "effective_from": "2026-01-01",
            "steps-TOTAL_FORMS": 4, "steps-INITIAL_FORMS": 0,
            "steps-0-name": "Tiếp nhận", "steps-0-role": "officer", "steps-0-days": 1,
            "steps-1-name": "Ký", "steps-1-role": "manager", "steps-1-days": 1,
            "steps-2-role": "officer", "steps-3-role": "officer"}
    response = client.post(reverse("procedures:procedure_new", args=[world.hoa_hoi.pk]), data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="QT-02")
    assert [s.name for s in procedure.versions.get().steps.all()] == ["Tiếp nhận", "Ký"]
    again = client.post(reverse("procedures:procedure_new", args=[world.hoa_hoi.pk]), data)
    assert again.status_code == 400 and "code" in again.context["form"].errors


def test_list_pages_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    procedure = petition_procedure(world)
    for number in range(12):
        case = open_case(world, procedure, D(2026, 3, 2), reference=f"R-{number}")
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                           to=world.hh_officer, on=D(2026, 3, 3 + number % 3))
    for number in range(4):
        petition_procedure(world, code=f"QT-{10 + number}")
    client.force_login(world.province_leader)
    for number in range(6):
        services.raise_nonconformity(actor=world.hh_officer, unit=world.hoa_hoi,
                                     procedure=procedure, description=f"Điểm {number}")
    for name, unit in (("cases", world.hoa_hoi), ("register", world.hoa_hoi),
                       ("performance", world.gia_lai), ("nonconformities", world.gia_lai),
                       ("evaluation", world.gia_lai)):
        with django_assert_max_num_queries(24):
            response = client.get(reverse(f"procedures:{name}", args=[unit.pk]),
                                  {"include_sub_units": "on"})
        assert response.status_code == 200


def test_performance_page_shows_rates_worked_out_by_hand(client, world):
    procedure = petition_procedure(world, steps=PETITION_STEPS[:1])  # one step, 1 day
    on_time = open_case(world, procedure, D(2026, 3, 2), reference="A")
    late = open_case(world, procedure, D(2026, 3, 2), reference="B")
    third = open_case(world, procedure, D(2026, 3, 2), reference="C")
    for case, day in ((on_time, D(2026, 3, 3)), (late, D(2026, 3, 5)), (third, D(2026, 3, 3))):
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                           on=day)
    client.force_login(world.province_leader)
    response = client.get(reverse("procedures:performance", args=[world.gia_lai.pk]),
                          {"year": 2026})
    figures = response.context["figures"]
    assert (figures.cases.done, figures.cases.on_time) == (3, 2)
    assert round(figures.cases.percent, 1) == 66.7
    assert figures.steps.working_days == 1 + 3 + 1
    by_unit = dict((unit.name, rate.done) for unit, rate in figures.by_unit)
    assert by_unit == {"An Nhơn Bắc": 0, "Hòa Hội": 3}
    assert [(month.month, rate.on_time) for month, rate in figures.by_month] == [(3, 2)]
    assert "66.7" in response.content.decode()


def test_manager_edits_a_procedure_and_a_stale_page_keeps_the_input(client, world, objects):
    procedure = objects["procedure"]
    client.force_login(world.hh_manager)
    url = reverse("procedures:procedure_edit", args=[procedure.pk])
    data = {"name": "Tên mới", "owner": world.hh_manager.pk, "version": procedure.version}
    assert client.post(url, data).status_code == 302
    procedure.refresh_from_db()
    assert procedure.name == "Tên mới" and procedure.owner == world.hh_manager
    stale = client.post(url, {**data, "name": "Tên khác", "version": procedure.version - 1})
    assert stale.status_code == 409 and "Tên khác" in stale.content.decode()
    procedure.refresh_from_db()
    assert procedure.name == "Tên mới"


def test_case_notifications_link_to_the_case(client, world, objects):
    case = objects["case"]
    services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                       to=world.hh_manager)
    client.force_login(world.hh_manager)
    page = client.get(reverse("monitoring:notifications")).content.decode()
    assert f'href="{reverse("procedures:case", args=[case.pk])}"' in page
    assert case.subject in page


def test_cases_in_my_hands(client, world, objects, django_assert_max_num_queries):
    procedure = objects["procedure"]
    for number in range(5):
        open_case(world, procedure, D(2026, 3, 2), reference=f"M-{number}")
    client.force_login(world.hh_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("procedures:my_cases"))
    rows = list(page.context["rows"])
    assert len(rows) == 6 and rows[0].due_date <= rows[-1].due_date
    assert "badge--late" in page.content.decode()
    client.force_login(world.hh_manager)
    assert list(client.get(reverse("procedures:my_cases")).context["rows"]) == []
    client.logout()
    assert client.get(reverse("procedures:my_cases")).status_code == 302
