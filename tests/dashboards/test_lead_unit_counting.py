"""A task is counted once, at its lead unit when that lies below its owning unit: the commune's
department that leads the commune's task shows it, the commune's total counts it once, and the
task lists the figures open show exactly the counted tasks."""

from django.urls import reverse

from sixclear.dashboards import rollups
from sixclear.dashboards.selectors import overview
from sixclear.tracking import services
from tests.dashboards.test_rollups import draft, fresh, issue
from tests.factories import TaskFactory


def test_a_department_leading_its_communes_task_counts_it(world):
    issue(world, draft(world, lead_unit=world.economy_office))
    issue(world, draft(world))  # led by the commune itself
    office = overview(fresh(world.economy_office)).tasks
    assert office.open == 1
    commune = overview(fresh(world.hoa_hoi))
    assert commune.tasks.open == 2  # once each, not three times
    assert {row.unit.name: row.tasks.open for row in commune.league} == {"Phòng Kinh tế": 1}
    assert overview(fresh(world.gia_lai)).tasks.open == 2
    assert rollups.verify() == []


def test_a_lead_unit_above_the_owning_unit_leaves_the_task_at_the_owner(world):
    TaskFactory(unit=world.economy_office, lead_unit=world.hoa_hoi, state="draft")
    rollups.rebuild()
    assert overview(fresh(world.economy_office)).tasks.drafts == 1
    commune = overview(fresh(world.hoa_hoi))
    assert commune.tasks.drafts == 1 and commune.league[0].tasks.drafts == 1
    assert rollups.verify() == []


def test_handing_a_task_to_another_lead_unit_recounts_both(world):
    task = draft(world, lead_unit=world.economy_office)
    assert overview(fresh(world.economy_office)).tasks.drafts == 1
    task = services.update_task(actor=world.hh_manager, task=type(task).objects.get(pk=task.pk),
                                expected_version=task.version, lead_unit=world.hoa_hoi)
    assert overview(fresh(world.economy_office)).tasks.drafts == 0
    assert overview(fresh(world.hoa_hoi)).tasks.drafts == 1
    # The same instance handed back: the unit it left is recounted too.
    task = services.update_task(actor=world.hh_manager, task=task,
                                expected_version=task.version, lead_unit=world.economy_office)
    assert overview(fresh(world.economy_office)).tasks.drafts == 1
    services.update_task(actor=world.hh_manager, task=task, expected_version=task.version,
                         lead_unit=world.hoa_hoi)
    assert overview(fresh(world.economy_office)).tasks.drafts == 0
    assert rollups.verify() == []


def test_the_figures_link_lists_exactly_the_counted_tasks(client, world):
    led = draft(world, title="Do phòng chủ trì", lead_unit=world.economy_office)
    issue(world, led)
    issue(world, draft(world, title="Xã tự làm"))
    client.force_login(world.hh_manager)

    def listed(unit):
        response = client.get(reverse("orgs:unit", args=[unit.pk]),
                              {"state": "issued", "include_sub_units": "on"})
        return sorted(task.title for task in response.context["page"].object_list)

    assert listed(world.economy_office) == ["Do phòng chủ trì"]
    assert listed(world.hoa_hoi) == ["Do phòng chủ trì", "Xã tự làm"]
    summaries = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).context
    office = next(row for row in summaries["sub_units"] if row.unit == world.economy_office)
    assert (office.total, office.open) == (1, 1)


def test_the_open_obstacles_list_the_counted_tasks_however_they_are_led(world):
    """Owned in the subtree, or led in it from a unit above: the obstacles list reads the two
    in two queries and merges them, the latest report first."""
    from sixclear.dashboards.selectors import open_obstacles

    def with_obstacle(title, **fields):
        task = issue(world, draft(world, title=title, **fields))
        services.report_progress(actor=world.hh_officer, task=task, percent=10, narrative="x",
                                 obstacles=f"Vướng: {title}")
        return task

    own = with_obstacle("Xã tự làm")
    led = with_obstacle("Do phòng chủ trì", lead_unit=world.economy_office)

    def listed(unit, limit=10):
        return [health.task_id for health in open_obstacles(fresh(unit), limit=limit)]

    assert listed(world.economy_office) == [led.pk]  # led there from the commune above it
    assert listed(world.hoa_hoi) == [led.pk, own.pk]  # both owned there, the latest first
    assert listed(world.gia_lai, limit=1) == [led.pk]
    assert [health.obstacle for health in open_obstacles(fresh(world.economy_office))] == [
        "Vướng: Do phòng chủ trì"]
