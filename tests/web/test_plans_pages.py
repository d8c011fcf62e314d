"""The resolution page as one structure, and the target page with its chart and measurements."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sixclear.plans import services as plans
from sixclear.plans.models import ResolutionItemKind, TargetKind
from sixclear.tracking import services
from sixclear.tracking.models import Measurement, ReviewStatus
from tests.factories import ProgramFactory, TaskFactory


@pytest.fixture
def structured(world, resolution):
    for kind, title in [
        (ResolutionItemKind.VIEWPOINT, "Phát triển nhanh và bền vững"),
        (ResolutionItemKind.BREAKTHROUGH, "Hạ tầng giao thông"),
        (ResolutionItemKind.TASK_GROUP, "Phát triển công nghiệp"),
    ]:
        plans.add_resolution_item(actor=world.hh_manager, resolution=resolution, kind=kind,
                                  title=title)
    group = resolution.items.get(kind=ResolutionItemKind.TASK_GROUP)
    task = TaskFactory(unit=world.hoa_hoi, task_group=group, resolution=resolution,
                       title="Mở rộng cụm công nghiệp")
    program = ProgramFactory(unit=world.hoa_hoi, resolution=resolution, title="Chương trình 1")
    target = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, programs=[program], code="CT1",
        name="Giá trị sản xuất", kind=TargetKind.ANNUAL_GROWTH, resolution=resolution,
        group="Kinh tế", baseline_value=Decimal(100), baseline_year=2025,
        annual_rate=Decimal("21.7"), target_year=2030, responsible_person=world.hh_officer,
        unit_of_measure="tỷ đồng",
    )
    return {"task": task, "program": program, "target": target}


def test_the_resolution_reads_as_one_structure(client, world, resolution, structured):
    client.force_login(world.hh_officer)
    response = client.get(reverse("plans:resolution", args=[resolution.pk]))
    page = response.content.decode()
    for text in ["Phát triển nhanh và bền vững", "Hạ tầng giao thông", "Phát triển công nghiệp",
                 "Mở rộng cụm công nghiệp", "Kinh tế", "Giá trị sản xuất", "Chương trình 1"]:
        assert text in page
    assert page.index("Phát triển nhanh") < page.index("Hạ tầng") < page.index("Mở rộng cụm")
    assert response.context["page"].programs[0].target_count == 1


def test_tasks_of_units_the_person_cannot_see_stay_hidden(client, world, resolution,
                                                         structured):
    client.force_login(world.anb_manager)
    assert client.get(reverse("plans:resolution", args=[resolution.pk])).status_code == 404


def chart_data(page):
    found = re.search(r'<script id="target-chart-data" type="application/json">(.*?)</script>',
                      page, re.S)
    return json.loads(found.group(1))


def test_the_target_page_has_its_path_and_a_chart_without_inline_code(client, world,
                                                                      structured):
    target = structured["target"]
    services.record_measurement(actor=world.hh_officer, target=target, year=2026, value=130)
    client.force_login(world.hh_officer)
    response = client.get(reverse("plans:target", args=[target.pk]))
    page = response.content.decode()
    data = chart_data(page)
    assert data["years"] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert data["measured"][:2] == [100.0, 130.0]
    assert data["expected"][1] == pytest.approx(121.7)
    rows = response.context["rows"]
    assert rows[1].on_track is True
    assert "sixclear/target-chart.js" in page and "vendor/chartjs/chart.umd.js" in page
    assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page) is None
    assert "On track" in page


def test_the_responsible_person_records_a_measurement(client, world, structured):
    target = structured["target"]
    client.force_login(world.hh_officer)
    response = client.post(reverse("plans:record_measurement", args=[target.pk]), {
        "period_kind": "quarter", "year": 2026, "period_number": 2, "value": "118.5",
        "source": "Chi cục Thống kê",
    })
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.period_label, measurement.status) == ("Q2/2026", ReviewStatus.SUBMITTED)


def test_a_bad_measurement_is_shown_beside_its_field_and_keeps_the_input(client, world,
                                                                         structured):
    target = structured["target"]
    client.force_login(world.hh_officer)
    response = client.post(reverse("plans:record_measurement", args=[target.pk]), {
        "period_kind": "year", "year": 2040, "value": "118.5", "source": "Chi cục Thống kê",
    })
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    page = response.content.decode()
    assert 'value="Chi cục Thống kê"' in page and 'value="118.5"' in page
    assert not Measurement.objects.exists()


def test_viewers_are_not_offered_the_measurement_form(client, world, structured):
    client.force_login(world.hh_viewer)
    page = client.get(reverse("plans:target", args=[structured["target"].pk])).content.decode()
    assert 'id="measurement-form"' not in page


def test_a_large_task_group_shows_its_first_open_tasks_and_links_to_all(client, world,
                                                                        resolution, structured):
    """A national group holds thousands of tasks: the page lists the first open ones by
    deadline and links to the unit's task list filtered by the group, which lists them all."""
    import datetime

    from sixclear.tracking.selectors import RESOLUTION_GROUP_TASKS

    group = structured["task"].task_group
    start = datetime.date(2027, 1, 1)
    for n in range(RESOLUTION_GROUP_TASKS + 2):
        TaskFactory(unit=world.hoa_hoi, task_group=group, resolution=resolution,
                    title=f"Việc số {n:02}", deadline=start + datetime.timedelta(days=n))
    done = TaskFactory(unit=world.hoa_hoi, task_group=group, resolution=resolution,
                       title="Việc đã xong", state="done", deadline=datetime.date(2026, 1, 1),
                       completed_on=datetime.date(2026, 1, 1), percent_complete=100)
    client.force_login(world.hh_officer)
    page = client.get(reverse("plans:resolution", args=[resolution.pk])).content.decode()
    total = RESOLUTION_GROUP_TASKS + 4
    assert f"All {total} tasks of this group" in page
    assert done.title not in page  # open tasks first
    assert page.count("Việc số") == RESOLUTION_GROUP_TASKS - 1  # and the factory's own task
    listing = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk]),
                         {"group": group.pk, "include_sub_units": "on"})
    assert listing.context["page"].paginator.count == total
    assert "Phát triển công nghiệp" in listing.content.decode()


def test_the_resolution_page_query_count_does_not_grow_with_a_groups_tasks(
        client, world, resolution, structured, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.hh_officer)
    url = reverse("plans:resolution", args=[resolution.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        TaskFactory(unit=world.hoa_hoi, task_group=structured["task"].task_group,
                    resolution=resolution, title=f"Thêm {n}")
    with django_assert_max_num_queries(len(few)):
        client.get(url)
