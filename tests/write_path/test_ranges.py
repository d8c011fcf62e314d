"""Values stay in range: a growth path that overflows, a rate below −100 % and a value for a
year that has not begun are refused with 400, and nothing is left behind that breaks a page."""

from sixclear.plans.models import Target
from sixclear.tracking.models import Measurement
from tests.write_path.conftest import TODAY, api


def target_payload(world, **changes):
    payload = {"unit": world.hoa_hoi.pk, "code": "KT-TRAN", "name": "Giá trị sản xuất",
               "kind": "annual_growth", "baseline_value": "100", "baseline_year": 2020,
               "annual_rate": "30", "target_year": 2200}
    payload.update(changes)
    return payload


def test_a_growth_target_whose_path_overflows_is_refused_and_nothing_is_stored(
        client, world, home):
    """30 %/yr from 2020 to 2200 grows past any stored number (was a 500, and on SQLite the
    row was committed)."""
    manager = api(world.hh_manager)
    response = manager.post("/api/v1/targets/", target_payload(world), format="json")

    assert response.status_code == 400, response.content.decode()[:500]
    assert not Target.objects.filter(code="KT-TRAN").exists()
    assert manager.get(f"/api/v1/targets/?unit={world.hoa_hoi.pk}").status_code == 200
    assert client.get("/portal/open-data/").status_code == 200
    assert client.get("/portal/open-data/trajectory.csv").status_code == 200


def test_an_annual_rate_below_minus_one_hundred_percent_is_refused(world, home):
    response = api(world.hh_manager).post("/api/v1/targets/", target_payload(
        world, annual_rate="-150", baseline_year=2025, target_year=2030), format="json")

    assert response.status_code == 400, response.content.decode()[:500]
    assert "annual_rate" in response.json()["fields"]
    assert not Target.objects.filter(code="KT-TRAN").exists()


def test_a_value_for_a_year_that_has_not_begun_is_refused(world, home):
    next_year = TODAY.year + 1
    assert home.target.target_year >= next_year
    response = api(world.hh_manager).post("/api/v1/measurements/", {
        "target": home.target.pk, "year": next_year, "value": "150", "submit": False,
    }, format="json")

    assert response.status_code == 400, response.content.decode()[:500]
    assert "year" in response.json()["fields"]
    assert not Measurement.objects.filter(target=home.target, year=next_year).exists()


def test_a_value_for_this_year_is_still_accepted(world, home):
    response = api(world.hh_manager).post("/api/v1/measurements/", {
        "target": home.target.pk, "year": TODAY.year, "value": "121.7", "submit": False,
    }, format="json")
    assert response.status_code == 201, response.content.decode()[:500]
