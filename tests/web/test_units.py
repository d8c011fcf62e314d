"""The unit page: sub-units side by side, tasks with filters, search and pages, and its plans."""

import pytest
from django.urls import reverse

from sixclear.monitoring.engine import run_scan
from sixclear.orgs.models import Unit
from sixclear.tracking import services
from sixclear.tracking.models import Task, TaskState
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory, TaskFactory
from tests.web.conftest import days
from tests.web.test_my_work import count_queries


def url(unit, **query):
    from urllib.parse import urlencode

    return reverse("orgs:unit", args=[unit.pk]) + ("?" + urlencode(query) if query else "")


def titles(response):
    return [task.title for task in response.context["page"].object_list]


def issued(world, **fields):
    values = {"unit": world.hoa_hoi, "owner": world.hh_officer, "state": TaskState.ISSUED,
              "start_date": days(-60), "deadline": days(10)}
    return TaskFactory(**(values | fields))


@pytest.fixture
def tasks(world):
    program = ProgramFactory(unit=world.hoa_hoi, number="01-CTr/ĐU")
    late = issued(world, title="Trễ hạn", deadline=days(-2), program=program)
    stuck = issued(world, title="Vướng mắc", owner=world.hh_manager)
    services.report_progress(actor=world.hh_manager, task=stuck, percent=10, narrative="x",
                             obstacles="Thiếu vốn")
    unstuck = issued(world, title="Hết vướng")
    services.report_progress(actor=world.hh_officer, task=unstuck, percent=10, narrative="x",
                             obstacles="Cũ", report_date=days(-5))
    services.report_progress(actor=world.hh_officer, task=unstuck, percent=30, narrative="y")
    draft = TaskFactory(unit=world.hoa_hoi, title="Bản nháp quy hoạch", owner=None)
    office = issued(world, title="Việc của phòng", unit=world.economy_office,
                    lead_unit=world.economy_office)
    return {"program": program, "late": late, "stuck": stuck, "unstuck": unstuck,
            "draft": draft, "office": office}


def test_the_unit_lists_its_own_tasks(client, world, tasks):
    client.force_login(world.hh_manager)
    response = client.get(url(world.hoa_hoi))
    assert set(titles(response)) == {"Trễ hạn", "Vướng mắc", "Hết vướng", "Bản nháp quy hoạch"}
    assert "clear person: nobody owns the task" in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ({"state": "draft"}, {"Bản nháp quy hoạch"}),
    ({"late": "on"}, {"Trễ hạn"}),
    ({"obstacles": "on"}, {"Vướng mắc"}),  # only the latest report counts
    ({"search": "quy hoạch"}, {"Bản nháp quy hoạch"}),
    ({"include_sub_units": "on", "search": "phòng"}, {"Việc của phòng"}),
])
def test_filters(client, world, tasks, query, expected):
    client.force_login(world.hh_manager)
    assert set(titles(client.get(url(world.hoa_hoi, **query)))) == expected


def test_filter_by_program_and_owner(client, world, tasks):
    client.force_login(world.hh_manager)
    response = client.get(url(world.hoa_hoi, program=tasks["program"].pk))
    assert titles(response) == ["Trễ hạn"]
    response = client.get(url(world.hoa_hoi, owner=world.hh_manager.pk))
    assert titles(response) == ["Vướng mắc"]


def test_the_filters_offer_what_the_list_can_show(client, world, tasks):
    """The unit's own tasks' owners and programs; with its sub-units, theirs too."""
    office_program = ProgramFactory(unit=world.economy_office, number="02-CTr/PKT")
    issued(world, title="Việc phòng theo chương trình", unit=world.economy_office,
           lead_unit=world.economy_office, owner=world.anb_manager, program=office_program)
    client.force_login(world.hh_manager)
    form = client.get(url(world.hoa_hoi)).context["form"]
    assert set(form.fields["owner"].queryset) == {world.hh_officer, world.hh_manager}
    assert list(form.fields["program"].queryset) == [tasks["program"]]
    response = client.get(url(world.hoa_hoi, include_sub_units="on", owner=world.anb_manager.pk,
                              program=office_program.pk))
    form = response.context["form"]
    assert world.anb_manager in form.fields["owner"].queryset
    assert set(form.fields["program"].queryset) == {tasks["program"], office_program}
    assert titles(response) == ["Việc phòng theo chương trình"]


def test_a_filter_that_matches_nothing_says_so(client, world, tasks):
    client.force_login(world.hh_manager)
    page = client.get(url(world.hoa_hoi, search="không có")).content.decode()
    assert "No task matches these filters." in page


def test_a_unit_without_tasks_has_an_empty_state(client, world):
    client.force_login(world.hh_manager)
    page = client.get(url(world.hoa_hoi)).content.decode()
    assert "This unit has no tasks of its own yet." in page
    assert "Create the first task" in page


def test_pages_of_twenty_keep_the_filters(client, world):
    for i in range(25):
        issued(world, title=f"Việc {i:02d}")
    client.force_login(world.hh_manager)
    first = client.get(url(world.hoa_hoi, state="issued"))
    assert len(first.context["page"].object_list) == 20
    assert "?state=issued&amp;page=2" in first.content.decode()
    second = client.get(url(world.hoa_hoi, state="issued", page=2))
    assert len(second.context["page"].object_list) == 5


def test_sub_units_are_listed_with_their_counts(client, world, tasks):
    issued(world, unit=world.an_nhon_bac, lead_unit=world.an_nhon_bac,
           owner=world.anb_officer, deadline=days(-1))
    run_scan()  # the factories wrote behind the services' back: statuses and rollups
    client.force_login(world.province_leader)
    summaries = {s.unit.name: s for s in client.get(url(world.gia_lai)).context["sub_units"]}
    assert (summaries["Hòa Hội"].total, summaries["Hòa Hội"].late) == (5, 1)  # with its office
    assert (summaries["An Nhơn Bắc"].total, summaries["An Nhơn Bắc"].open) == (1, 1)


def test_a_unit_without_own_tasks_points_to_its_sub_units(client, world, tasks):
    run_scan()
    client.force_login(world.province_leader)
    page = client.get(url(world.gia_lai)).content.decode()
    assert "Show the 5 tasks of its sub-units" in page


def test_the_unit_shows_its_resolutions_programs_and_targets(client, world, tasks):
    resolution = ResolutionFactory(unit=world.hoa_hoi, title="Nghị quyết Đại hội")
    target = TargetFactory(unit=world.hoa_hoi, name="Thu hút 10 dự án")
    client.force_login(world.hh_officer)
    page = client.get(url(world.hoa_hoi)).content.decode()
    assert reverse("plans:resolution", args=[resolution.pk]) in page
    assert reverse("plans:target", args=[target.pk]) in page
    assert "01-CTr/ĐU" in page


def test_the_breadcrumb_links_only_units_the_person_may_open(client, world):
    client.force_login(world.hh_manager)
    page = client.get(url(world.economy_office)).content.decode()
    # Each name isolated from the sentence direction (Arabic pages).
    assert f'<a href="{url(world.hoa_hoi)}"><bdi>Hòa Hội</bdi></a>' in page
    assert "<span><bdi>Gia Lai</bdi></span>" in page
    assert '<li aria-current="page"><bdi>Phòng Kinh tế</bdi></li>' in page


def test_unit_page_queries_do_not_grow_with_tasks_or_sub_units(
    client, world, django_assert_max_num_queries
):
    from tests.factories import make_unit

    def add(n):
        for i in range(n):
            task = issued(world, title=f"Việc {i}", deadline=days(i - 5),
                          owner=world.hh_officer if i % 2 else None)
            if i % 3 == 0:
                services.report_progress(actor=world.hh_manager, task=task, percent=5,
                                         narrative="x", obstacles="y")
            issued(world, unit=world.economy_office, lead_unit=world.economy_office)
        make_unit(f"Phòng {n}", world.hoa_hoi)

    add(3)
    client.force_login(world.hh_manager)
    few = count_queries(client, url(world.hoa_hoi))
    add(27)
    with django_assert_max_num_queries(21):  # 20 + 1 for the reports card (reports.unit_panel)
        response = client.get(url(world.hoa_hoi, include_sub_units="on"))
    assert len(response.context["page"].object_list) == 20
    assert count_queries(client, url(world.hoa_hoi)) == few


def base_table_counts(unit):
    """{sub-unit: (all, open, late, done)}: the tasks counted in each direct sub-unit's
    subtree, counted one by one from the tasks, where the dashboard counts them (at the lead
    unit when it lies below the owning unit, else at the owning unit)."""
    counts = {}
    for child in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1):
        tasks = [task for task in Task.objects.select_related("unit", "lead_unit")
                 if (task.lead_unit if task.lead_unit and task.lead_unit.path.startswith(
                     task.unit.path) else task.unit).path.startswith(child.path)]
        counts[child.name] = (
            len(tasks),
            sum(task.state == TaskState.ISSUED for task in tasks),
            sum(task.state == TaskState.ISSUED and task.deadline < days(0) for task in tasks),
            sum(task.state == TaskState.DONE for task in tasks),
        )
    return counts


def shown_counts(client, unit):
    return {summary.unit.name: (summary.total, summary.open, summary.late, summary.done)
            for summary in client.get(url(unit)).context["sub_units"]}


def test_sub_unit_counts_equal_the_tasks_counted_one_by_one(client, world, tasks):
    """Read from the rollups, the figures equal a count of the tasks themselves: every state,
    late ones, tasks of a commune's office, a province's task led by a commune (counted at
    the commune), a commune's task led by its province (counted at the commune)."""
    issued(world, unit=world.an_nhon_bac, lead_unit=world.an_nhon_bac, owner=world.anb_officer,
           deadline=days(-1))
    issued(world, unit=world.an_nhon_bac, lead_unit=world.an_nhon_bac, owner=world.anb_officer,
           state=TaskState.DONE, completed_on=days(-3))
    issued(world, unit=world.gia_lai, lead_unit=world.an_nhon_bac, owner=world.anb_officer,
           deadline=days(-4))
    issued(world, unit=world.hoa_hoi, lead_unit=world.gia_lai, state=TaskState.CANCELLED)
    issued(world, unit=world.gia_lai, lead_unit=world.gia_lai)  # the province's own
    run_scan()
    client.force_login(world.province_leader)
    expected = base_table_counts(world.gia_lai)
    assert shown_counts(client, world.gia_lai) == expected
    assert expected["An Nhơn Bắc"] == (3, 2, 2, 1) and expected["Hòa Hội"][0] == 6
    # Through the services, the figures follow each write with no scan.
    services.cancel_task(actor=world.hh_leader, task=tasks["unstuck"], reason="Trùng lặp",
                         expected_version=tasks["unstuck"].version)
    assert base_table_counts(world.gia_lai)["Hòa Hội"][1] == 3
    assert shown_counts(client, world.gia_lai) == base_table_counts(world.gia_lai)
    client.force_login(world.hh_viewer)
    assert shown_counts(client, world.hoa_hoi) == base_table_counts(world.hoa_hoi)


def test_a_unit_lists_its_first_targets_and_links_to_all_its_own(client, world, monkeypatch):
    from sixclear.web import units

    monkeypatch.setattr(units, "UNIT_PAGE_TARGETS", 2)
    own = [TargetFactory(unit=world.hoa_hoi, code=f"CT{i}", name=f"Chỉ tiêu {i}")
           for i in range(3)]
    below = TargetFactory(unit=world.economy_office, code="KT1", name="Chỉ tiêu phòng")
    client.force_login(world.hh_manager)
    response = client.get(url(world.hoa_hoi))
    assert len(response.context["targets"]) == 2 and response.context["target_total"] == 3
    page = response.content.decode()
    all_url = reverse("dashboards:targets", args=[world.hoa_hoi.pk]) + "?own=1"
    assert "The first 2 of 3 are listed." in page and all_url in page
    listed = client.get(all_url)
    assert {t.pk for t in listed.context["page"].object_list} == {t.pk for t in own}
    assert below.pk not in {t.pk for t in listed.context["page"].object_list}
    assert "Targets set by" in listed.content.decode()


def test_a_unit_lists_its_first_sub_units_and_links_to_all_of_them(client, world, monkeypatch):
    from sixclear.web import units

    monkeypatch.setattr(units, "UNIT_PAGE_SUB_UNITS", 1)
    client.force_login(world.province_leader)
    response = client.get(url(world.gia_lai))
    assert response.context["sub_unit_total"] == 2  # An Nhơn Bắc and Hòa Hội
    assert len(response.context["sub_units"]) == 1
    page = response.content.decode()
    assert "The first 1 of 2 are listed." in page
    assert reverse("dashboards:sub_units", args=[world.gia_lai.pk]) in page
