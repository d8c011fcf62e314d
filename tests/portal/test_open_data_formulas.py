"""The anonymous open data CSV neutralises formulas (OWASP's CSV injection) and keeps numbers
bare, as docs/open-data.md promises."""

import csv
import io

from django.core.cache import cache, caches
from django.urls import reverse

from sixclear import spreadsheet_safety as safety
from sixclear.plans.models import Target
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory
from tests.security.test_spreadsheet_safety import PAYLOADS


def test_open_data_csv_neutralises_formulas_and_keeps_numbers(client, world, hh_result):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       code="HH-T9", title=PAYLOADS[0], expected_result=PAYLOADS[1])
    Target.objects.filter(pk=hh_result.pk).update(name="@SUM(A1)")
    for store in (cache, caches["portal"]):
        store.clear()
    response = client.get(reverse("portal:download", args=["tasks", "csv"]))
    rows = {row["code"]: row for row in csv.DictReader(
        io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows[task.code]["title"] == "'" + PAYLOADS[0]
    assert rows[task.code]["expected_result"] == "'" + PAYLOADS[1]
    targets = client.get(reverse("portal:download", args=["targets", "csv"]))
    rows = {row["code"]: row for row in csv.DictReader(
        io.StringIO(targets.content.decode("utf-8-sig")))}
    assert rows["HH-02"]["name"] == "'@SUM(A1)"
    assert rows["HH-02"]["target_value"] == "10"  # numbers stay bare
    # JSON is not a spreadsheet: it carries the text as written.
    data = client.get(reverse("portal:download", args=["tasks", "json"])).json()
    assert {row["code"]: row for row in data["rows"]}[task.code]["title"] == PAYLOADS[0]


def test_open_data_never_decorates_a_negative_number():
    from sixclear.portal.opendata import _number

    assert safety.csv_text(_number(-12.5)) == "-12.5"
