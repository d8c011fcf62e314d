"""A dashboard's figures are kept between requests under its subtree's stamp: a change of its
own unit shows at once, a sub-unit's within the lag, and nothing else is ever shown as current."""

import datetime

import pytest
import time_machine
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sixclear.dashboards import rollups, selectors
from sixclear.dashboards.models import UnitTaskRollup
from sixclear.orgs.models import Unit
from sixclear.orgs.services import move_unit
from tests.dashboards.test_rollups import draft, issue
from tests.factories import TaskFactory, make_unit


def open_dashboard(client, unit, **query):
    """(the figures counted for this request, or None when kept ones were shown; the page)."""
    response = client.get(reverse("dashboards:unit", args=[unit.pk]), query)
    assert response.status_code == 200
    return response.context.get("tasks"), response.content.decode()


def figures_of(page):
    return page[page.index('id="headline-title"'):page.index('id="dashboard-data"')]


def later(seconds):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds))


@pytest.fixture
def leader(client, world):
    client.force_login(world.province_leader)
    return client


def test_figures_are_kept_while_nothing_under_the_unit_changes(leader, world):
    counted, page = open_dashboard(leader, world.gia_lai)
    assert counted is not None
    kept, again = open_dashboard(leader, world.gia_lai)
    assert kept is None and figures_of(again) == figures_of(page)
    TaskFactory(unit=world.viet_hung)  # another province's figures move
    rollups.refresh_units([world.viet_hung.pk])
    with later(30):  # past the lag, within the cache's lifetime: nothing here moved
        assert open_dashboard(leader, world.gia_lai)[0] is None
    with later(61):
        assert open_dashboard(leader, world.gia_lai)[0] is not None


def test_a_write_in_the_unit_itself_shows_at_once(client, world):
    client.force_login(world.hh_manager)
    assert open_dashboard(client, world.hoa_hoi)[0].open == 0
    issue(world, draft(world))
    counted, _page = open_dashboard(client, world.hoa_hoi)
    assert counted is not None and counted.open == 1


def test_a_sub_units_write_shows_within_the_lag(leader, world):
    assert open_dashboard(leader, world.gia_lai)[0].open == 0
    issue(world, draft(world))  # in Hòa Hội, under Gia Lai
    assert open_dashboard(leader, world.gia_lai)[0] is None  # kept: under five seconds old
    with later(6):
        counted, _page = open_dashboard(leader, world.gia_lai)
    assert counted is not None and counted.open == 1


@override_settings(DASHBOARD_LAG_SECONDS=0)
def test_without_lag_a_sub_units_write_shows_at_once(leader, world):
    open_dashboard(leader, world.gia_lai)
    issue(world, draft(world))
    assert open_dashboard(leader, world.gia_lai)[0].open == 1


@override_settings(DASHBOARD_LAG_SECONDS=0)
def test_a_sub_unit_added_renamed_or_moved_shows(leader, world, admin_user):
    open_dashboard(leader, world.gia_lai)
    make_unit("Xã Mới", world.gia_lai)
    assert "Xã Mới" in open_dashboard(leader, world.gia_lai)[1]
    Unit.objects.filter(pk=world.hoa_hoi.pk).update(name="Xã Hòa Hội Mới",
                                                    version=F("version") + 1)
    assert "Xã Hòa Hội Mới" in open_dashboard(leader, world.gia_lai)[1]
    move_unit(actor=admin_user, unit=world.an_nhon_bac, new_parent=world.ha_noi)
    assert "An Nhơn Bắc" not in open_dashboard(leader, world.gia_lai)[1]


def test_figures_are_kept_per_language_and_order(leader, world):
    orders = [{}, {"sort": "late"}, {"sort": "late", "dir": "asc"}]
    assert all(open_dashboard(leader, world.gia_lai, **order)[0] for order in orders)
    assert not any(open_dashboard(leader, world.gia_lai, **order)[0] for order in orders)
    leader.cookies["django_language"] = "vi"
    counted, page = open_dashboard(leader, world.gia_lai)
    assert counted is not None and "Trễ hạn" in page
    assert open_dashboard(leader, world.gia_lai)[0] is None


def test_kept_figures_are_shown_only_to_who_may_see_the_unit(client, leader, world):
    open_dashboard(leader, world.gia_lai)
    client.force_login(world.hh_manager)
    response = client.get(reverse("dashboards:unit", args=[world.gia_lai.pk]))
    assert response.status_code == 404


def test_every_recount_advances_its_units_versions_and_never_back(world):
    before = selectors.stamp(world.gia_lai)
    rollups.refresh_units([world.hoa_hoi.pk])
    after = selectors.stamp(world.gia_lai)
    assert after.recounts == before.recounts + 1 and after.own == before.own
    versions = dict(UnitTaskRollup.objects.values_list("unit_id", "version"))
    rollups.rebuild()
    assert all(version == versions.get(unit_id, 0) + 1 for unit_id, version
               in UnitTaskRollup.objects.values_list("unit_id", "version"))
    assert selectors.stamp(world.gia_lai).recounts > after.recounts
    assert selectors.stamp(world.gia_lai).own == after.own + 1
