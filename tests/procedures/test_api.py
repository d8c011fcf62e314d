"""The API for systems that already handle the cases: access, errors, all-or-nothing bulk."""

import datetime

import pytest
import time_machine
from django.core.cache import cache

from sixclear.procedures.models import Case
from tests.api.conftest import token_client

from .helpers import open_case, petition_procedure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _march_2026():
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield
    cache.clear()


@pytest.fixture
def procedure(world):
    return petition_procedure(world)


def record(world, procedure, **changes):
    return {"unit": world.hoa_hoi.pk, "procedure": procedure.pk, "reference": "HS-1",
            "subject": "Cấp giấy xác nhận cư trú", "applicant": "Phạm Thị D",
            "opened_on": "2026-03-02", "steps_done_on": ["2026-03-03"], **changes}


def test_officer_records_and_updates_a_case(world, procedure):
    client = token_client(world.hh_officer)
    response = client.post("/api/v1/cases/", record(world, procedure), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recorded_elsewhere"] and body["steps"][0]["done_on"] == "2026-03-03"
    assert body["steps"][1]["state"] == "active"
    again = client.post("/api/v1/cases/", record(
        world, procedure, steps_done_on=["2026-03-03", "2026-03-09"]), format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert again.json()["steps"][1]["on_time"] is True


def test_errors_name_each_field_in_the_callers_language(world, procedure):
    client = token_client(world.hh_officer)
    response = client.post("/api/v1/cases/", record(world, procedure, reference="",
                                                    opened_on="2026-13-01"),
                           format="json", HTTP_ACCEPT_LANGUAGE="vi")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid"
    assert {"reference", "opened_on"} <= set(body["fields"])
    later = client.post("/api/v1/cases/", record(world, procedure, opened_on="2026-03-19",
                                                 steps_done_on=["2026-03-18"]), format="json")
    assert later.status_code == 400 and "steps_done_on" in later.json()["fields"]


@pytest.mark.parametrize(("who", "expected"), [
    ("anb_officer", 400), ("vh_manager", 400), ("hh_viewer", 403), (None, 401)])
def test_access(world, procedure, who, expected):
    client = token_client(getattr(world, who) if who else None)
    response = client.post("/api/v1/cases/", record(world, procedure), format="json")
    assert response.status_code == expected
    assert not Case.objects.exists()
    if expected == 400:  # another commune's unit and procedure do not exist for them
        assert {"unit", "procedure"} <= set(response.json()["fields"])


def test_reads_are_scoped(world, procedure):
    case = open_case(world, procedure, D(2026, 3, 9))
    own = token_client(world.hh_viewer)
    assert own.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert [row["id"] for row in own.get("/api/v1/cases/").json()["results"]] == [case.pk]
    assert own.get("/api/v1/procedures/").json()["results"][0]["steps"][0]["days"] == 1
    sibling = token_client(world.anb_manager)
    assert sibling.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert sibling.get("/api/v1/cases/").json()["results"] == []
    assert sibling.get(f"/api/v1/procedures/{procedure.pk}/").status_code == 404
    assert token_client(world.province_leader).get(
        f"/api/v1/cases/{case.pk}/").status_code == 200


def test_bulk_is_all_or_nothing(world, procedure):
    client = token_client(world.hh_officer)
    good = [record(world, procedure, reference=f"HS-{n}") for n in range(3)]
    bad = [*good, record(world, procedure, reference="HS-9", steps_done_on=["2026-02-01"])]
    response = client.post("/api/v1/cases/bulk/", {"cases": bad}, format="json")
    assert response.status_code == 400
    assert "cases.3.steps_done_on" in response.json()["fields"]
    assert not Case.objects.exists()
    response = client.post("/api/v1/cases/bulk/", {"cases": good}, format="json")
    assert response.status_code == 200 and len(response.json()) == 3
    assert Case.objects.count() == 3
