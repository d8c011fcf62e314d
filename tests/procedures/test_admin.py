"""Administrators enter the swap days the government announces, in the admin."""

import datetime

import pytest

from sixclear.procedures.calendar import WorkingCalendar
from sixclear.procedures.models import WorkingDayOverride
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_swap_day(client):
    chief = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(chief)
    assert client.get("/admin/procedures/workingdayoverride/").status_code == 200
    response = client.post("/admin/procedures/workingdayoverride/add/", {
        "day": "2026-03-07", "is_working_day": "on", "reason": "Làm bù cho ngày 2/1"})
    assert response.status_code == 302
    assert WorkingCalendar().is_working_day(datetime.date(2026, 3, 7))
    override = WorkingDayOverride.objects.get()
    assert client.get(
        f"/admin/procedures/workingdayoverride/{override.pk}/history/").status_code == 200


def test_officers_cannot_reach_it(client, world):
    client.force_login(world.hh_manager)
    response = client.get("/admin/procedures/workingdayoverride/")
    assert response.status_code == 302
