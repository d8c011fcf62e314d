"""Rollups: a unit's figures over its subtree and per sub-unit, with the same access rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sixclear.dashboards import rollups
from sixclear.tracking.models import TaskState
from tests.api.conftest import Sample, token_client
from tests.factories import TaskFactory, make_unit


@pytest.fixture
def counted(world):
    sample = Sample(world)
    TaskFactory(unit=world.hoa_hoi, state=TaskState.DRAFT)
    TaskFactory(unit=world.an_nhon_bac, owner=world.anb_officer, state=TaskState.ISSUED)
    rollups.rebuild()
    return sample


def test_a_province_sees_its_total_and_each_commune(world, counted):
    response = token_client(world.province_leader).get(f"/api/v1/units/{world.gia_lai.pk}/rollup/")

    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == world.gia_lai.pk
    assert (body["tasks"]["open"], body["tasks"]["drafts"]) == (2, 1)
    assert body["targets"]["targets"] == 1
    communes = {row["unit"]: row for row in body["sub_units"]}
    assert set(communes) == {world.an_nhon_bac.pk, world.hoa_hoi.pk}
    assert communes[world.hoa_hoi.pk]["tasks"]["on_track"] == 1
    assert communes[world.an_nhon_bac.pk]["tasks"]["open"] == 1
    assert communes[world.hoa_hoi.pk]["name"] == "Hòa Hội"


def test_a_commune_sees_its_own_rollup(world, counted):
    response = token_client(world.hh_viewer).get(f"/api/v1/units/{world.hoa_hoi.pk}/rollup/")
    assert response.status_code == 200
    assert response.json()["tasks"]["open"] == 1


@pytest.mark.parametrize("unit", ["hoa_hoi", "gia_lai"])
def test_a_sibling_commune_sees_neither_its_neighbour_nor_its_province(world, counted, unit):
    response = token_client(world.anb_officer).get(
        f"/api/v1/units/{getattr(world, unit).pk}/rollup/")
    assert response.status_code == 404


def test_anonymous_gets_401(world, counted):
    assert APIClient().get(f"/api/v1/units/{world.hoa_hoi.pk}/rollup/").status_code == 401


def test_the_rollup_costs_the_same_for_few_and_many_sub_units(
    world, counted, django_assert_max_num_queries
):
    client = token_client(world.province_leader)
    client.get("/api/v1/units/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/units/{world.gia_lai.pk}/rollup/")
    for n in range(5):
        make_unit(f"Xã {n}", world.gia_lai)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/v1/units/{world.gia_lai.pk}/rollup/")
    assert len(response.json()["sub_units"]) == 7
