"""The unit dashboard shows the subtree's cases closed on time this year (from the monthly
rollups) and the steps stuck past their time limit, linking to the performance page; its
queries do not grow with cases or units."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from sixclear.orgs.models import Role, UnitKind
from sixclear.procedures import services
from tests.factories import make_unit, person

from .helpers import PETITION_STEPS, open_case, petition_procedure

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


def closed_cases(world, unit, actor, procedure, days, prefix):
    """One-step cases received 2 March (due 3 March), handed over (closed) on `days`."""
    for number, day in enumerate(days):
        case = open_case(world, procedure, D(2026, 3, 2), reference=f"{prefix}{number}",
                         unit=unit, actor=actor)
        services.hand_over(actor=actor, case=case, expected_version=case.version, on=day)


@pytest.fixture
def cases(world):
    """Hòa Hội: 3 cases closed, 2 on time (3 March) and 1 late (5 March) → 66.7 %; one case
    received 2 March whose first step (1 working day) is still in hand on 20 March → 1 stuck.
    An Nhơn Bắc (not under Hòa Hội): 1 case closed late and 1 stuck."""
    procedure = petition_procedure(world, steps=PETITION_STEPS[:1])
    closed_cases(world, world.hoa_hoi, world.hh_officer, procedure,
                 [D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 3)], "HH-")
    open_case(world, petition_procedure(world, code="QT-02"), D(2026, 3, 2), reference="HH-9")
    anb = petition_procedure(world, world.an_nhon_bac, actor=world.anb_manager, code="QT-A",
                             steps=PETITION_STEPS[:1])
    closed_cases(world, world.an_nhon_bac, world.anb_officer, anb, [D(2026, 3, 6)], "ANB-")
    open_case(world, anb, D(2026, 3, 2), reference="ANB-9", unit=world.an_nhon_bac,
              actor=world.anb_officer)
    return world


def dashboard(client, user, unit, **headers):
    client.force_login(user)
    return client.get(reverse("dashboards:unit", args=[unit.pk]), **headers)


def test_the_dashboard_shows_the_subtrees_cases_worked_out_by_hand(client, cases):
    page = dashboard(client, cases.hh_manager, cases.hoa_hoi).content.decode()
    performance = reverse("procedures:performance", args=[cases.hoa_hoi.pk])
    assert 'id="case-on-time-rate"><bdi>66.7 %</bdi>' in page
    assert 'id="cases-stuck"><bdi>1</bdi>' in page
    assert f'href="{performance}?year=2026#stuck"' in page
    # The province counts both communes: 2 of 4 on time, 2 stuck.
    page = dashboard(client, cases.province_leader, cases.gia_lai).content.decode()
    assert 'id="case-on-time-rate"><bdi>50 %</bdi>' in page
    assert 'id="cases-stuck"><bdi>2</bdi>' in page


def test_a_unit_without_cases_shows_a_dash(client, world):
    page = dashboard(client, world.vh_manager, world.viet_hung).content.decode()
    assert 'id="case-on-time-rate"><bdi>—</bdi>' in page
    assert 'id="cases-stuck"><bdi>0</bdi>' in page


def test_the_figures_speak_vietnamese_and_arabic(client, cases):
    client.cookies["django_language"] = "vi"
    page = dashboard(client, cases.hh_manager, cases.hoa_hoi,
                     HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hồ sơ theo quy trình năm 2026" in page
    client.cookies["django_language"] = "ar"
    page = dashboard(client, cases.hh_manager, cases.hoa_hoi,
                     HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "66,7 %" in page and "أُغلقت في موعدها" in page


def test_the_dashboards_queries_do_not_grow_with_cases(client, cases,
                                                       django_assert_max_num_queries):
    dashboard(client, cases.province_leader, cases.gia_lai)  # warm the session and roles
    with django_assert_max_num_queries(40) as few:
        dashboard(client, cases.province_leader, cases.gia_lai)
    for number in range(4):
        commune = make_unit(f"Xã {number}", cases.gia_lai, UnitKind.COMMUNE)
        officer = person(commune, Role.OFFICER, username=f"officer{number}")
        manager = person(commune, Role.MANAGER, username=f"manager{number}")
        procedure = petition_procedure(cases, commune, actor=manager, code=f"QT-{number}",
                                       steps=PETITION_STEPS[:1])
        closed_cases(cases, commune, officer, procedure, [D(2026, 3, 3), D(2026, 3, 9)],
                     f"X{number}-")
        open_case(cases, procedure, D(2026, 3, 2), reference=f"X{number}-9", unit=commune,
                  actor=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = dashboard(client, cases.province_leader, cases.gia_lai).content.decode()
    assert 'id="cases-stuck"><bdi>6</bdi>' in page


def test_the_figures_are_one_query(cases, django_assert_num_queries):
    from sixclear.procedures.selectors import dashboard_figures

    with django_assert_num_queries(1):
        figures = dashboard_figures(cases.gia_lai, D(2026, 3, 20))
    assert (figures.cases.on_time, figures.cases.done, figures.stuck) == (2, 4, 2)
