"""Dashboard pages: access by unit, sorting, drill-down to the tasks, exports, bounded queries."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sixclear.dashboards import pages, rollups
from sixclear.monitoring.engine import run_scan
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory, make_unit

TODAY = timezone.localdate()


def late_tasks(unit, owner, count):
    return [TaskFactory(unit=unit, owner=owner, state=TaskState.ISSUED,
                        issued_at=timezone.now() - datetime.timedelta(days=60),
                        start_date=TODAY - datetime.timedelta(days=60),
                        deadline=TODAY - datetime.timedelta(days=3 + n),
                        title=f"Nhiệm vụ trễ {unit.name} {n}") for n in range(count)]


@pytest.fixture
def figures(world):
    """Two late tasks in Hòa Hội, one in An Nhơn Bắc, a target in each; statuses computed."""
    late_tasks(world.hoa_hoi, world.hh_officer, 2)
    late_tasks(world.an_nhon_bac, world.anb_officer, 1)
    TargetFactory(unit=world.hoa_hoi, group="Kinh tế", indicator="GTSX")
    TargetFactory(unit=world.an_nhon_bac, group="Kinh tế", indicator="GTSX")
    run_scan(TODAY)
    rollups.rebuild()
    return world


def dashboard(world, unit=None):
    return reverse("dashboards:unit", args=[(unit or world.gia_lai).pk])


PAGES = [
    ("dashboards:unit", ()), ("dashboards:targets", ()), ("dashboards:indicators", ()),
    ("dashboards:indicator", ("GTSX",)), ("dashboards:sub_units", ()),
]


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_a_province_leader_opens_every_dashboard_page_of_a_commune(client, figures, name, extra):
    client.force_login(figures.province_leader)
    for unit in (figures.gia_lai, figures.hoa_hoi):
        assert client.get(reverse(name, args=[unit.pk, *extra])).status_code == 200


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_a_commune_cannot_open_a_sibling_or_its_province(client, figures, name, extra):
    client.force_login(figures.hh_manager)
    for unit in (figures.an_nhon_bac, figures.gia_lai):
        assert client.get(reverse(name, args=[unit.pk, *extra])).status_code == 404


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, figures, name, extra):
    response = client.get(reverse(name, args=[figures.hoa_hoi.pk, *extra]))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_my_dashboard_opens_the_persons_highest_unit(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(reverse("dashboards:mine"))
    assert response["Location"] == dashboard(figures)
    client.force_login(figures.outsider)
    assert client.get(reverse("dashboards:mine")).status_code == 404


def league_names(response):
    rows = response.context["tables"]["league"].rows
    return [row[0].value for row in rows], [row[5].value for row in rows]


def test_the_league_sorts_by_late_tasks_both_ways(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(dashboard(figures), {"sort": "late", "dir": "desc"})
    assert league_names(response) == (["Hòa Hội", "An Nhơn Bắc"], [2, 1])
    assert 'aria-sort="descending"' in response.content.decode()
    response = client.get(dashboard(figures), {"sort": "late", "dir": "asc"})
    assert league_names(response) == (["An Nhơn Bắc", "Hòa Hội"], [1, 2])


def test_a_long_league_shows_its_first_rows_and_leads_to_all_of_them(client, figures,
                                                                      monkeypatch):
    monkeypatch.setattr(pages, "LEAGUE_SHOWN", 1)
    client.force_login(figures.province_leader)
    response = client.get(dashboard(figures), {"sort": "late", "dir": "asc"})
    assert league_names(response) == (["An Nhơn Bắc"], [1])
    assert [row[0].value for row in response.context["tables"]["areas"].rows] == ["An Nhơn Bắc"]
    every = reverse("dashboards:sub_units", args=[figures.gia_lai.pk])
    assert f'href="{every}?sort=late&amp;dir=asc"' in response.content.decode()
    download = client.get(dashboard(figures), {"export": "league", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))) == 3
    response = client.get(every, {"sort": "late", "dir": "asc"})
    assert league_names(response) == (["An Nhơn Bắc", "Hòa Hội"], [1, 2])
    assert len(response.context["tables"]["areas"].rows) == 2
    download = client.get(every, {"export": "areas", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))) == 3


def test_a_unit_without_sub_units_says_so_on_the_sub_units_page(client, figures):
    client.force_login(figures.hh_manager)
    commune = make_unit("Xã Lẻ", figures.hoa_hoi)
    response = client.get(reverse("dashboards:sub_units", args=[commune.pk]))
    assert response.status_code == 200 and "league" not in response.context["tables"]


def test_a_late_figure_leads_to_exactly_those_late_tasks(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(dashboard(figures), {"sort": "late"})
    link = response.context["tables"]["league"].rows[0][5].link
    tasks = client.get(link)
    titles = [task.title for task in tasks.context["page"].object_list]
    assert sorted(titles) == ["Nhiệm vụ trễ Hòa Hội 0", "Nhiệm vụ trễ Hòa Hội 1"]


def test_the_off_track_figure_leads_to_the_targets_list(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(reverse("dashboards:targets", args=[figures.gia_lai.pk]),
                          {"area": "Kinh tế"})
    assert response.context["page"].paginator.count == 2


def test_a_table_downloads_as_csv_and_xlsx_with_numbers_as_numbers(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(dashboard(figures), {"sort": "late", "export": "league", "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "Hòa Hội" and rows[1][5] == "2"
    response = client.get(dashboard(figures), {"sort": "late", "export": "league",
                                               "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "Hòa Hội"
    assert sheet["F2"].value == 2 and isinstance(sheet["F2"].value, int)


def test_an_unknown_table_or_format_is_not_found(client, figures):
    client.force_login(figures.province_leader)
    assert client.get(dashboard(figures), {"export": "nope"}).status_code == 404
    assert client.get(dashboard(figures), {"export": "league", "format": "exe"}).status_code == 404


def test_a_unit_name_is_never_a_formula_in_a_download(client, figures):
    make_unit("=HYPERLINK(\"http://x\")", figures.gia_lai)
    client.force_login(figures.province_leader)
    response = client.get(dashboard(figures), {"export": "league", "format": "xlsx"})
    cells = {cell.value: cell for cell in load_workbook(io.BytesIO(response.content)).active["A"]}
    name = cells["=HYPERLINK(\"http://x\")"]  # the name as written, in a text cell
    assert name.data_type == "s" and name.quotePrefix
    text = client.get(dashboard(figures), {"export": "league", "format": "csv"}).content
    assert "'=HYPERLINK(\"\"http://x\"\")" in text.decode("utf-8-sig")


def test_the_dashboard_reads_a_fixed_number_of_queries(client, figures,
                                                       django_assert_max_num_queries):
    """Counted as built (the kept figures emptied first), before and after the data grew: the
    page frame, the subtree's stamp, the figures, the obstacle register's and the cases'."""
    client.force_login(figures.province_leader)
    client.get(dashboard(figures))  # warm the session and the person's roles
    cache.clear()
    with django_assert_max_num_queries(21) as few:
        client.get(dashboard(figures))
    for number in range(8):
        commune = make_unit(f"Xã {number}", figures.gia_lai)
        late_tasks(commune, figures.hh_officer, 3)
    run_scan(TODAY)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(dashboard(figures))
    assert len(response.context["tables"]["league"].rows) == 10


def test_kept_figures_cost_no_query_of_their_own(client, figures):
    """Built: the subtree's stamp and eight reads of figures (the open obstacles in two, a
    province having a unit above it); kept: the unit's own rollup version, read with the unit."""
    client.force_login(figures.province_leader)
    client.get(dashboard(figures))
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        client.get(dashboard(figures))
    with CaptureQueriesContext(connection) as kept:
        response = client.get(dashboard(figures))
    assert len(kept.captured_queries) == len(built.captured_queries) - 9
    assert "Hòa Hội" in response.content.decode()


def test_the_dashboard_speaks_vietnamese_and_arabic(client, figures):
    client.force_login(figures.province_leader)
    for language, words in (("vi", "Trễ hạn"), ("ar", 'dir="rtl"')):
        client.cookies["django_language"] = language
        response = client.get(dashboard(figures), HTTP_ACCEPT_LANGUAGE=language)
        assert words in response.content.decode()


def test_the_indicator_page_puts_every_commune_on_one_chart(client, figures):
    client.force_login(figures.province_leader)
    response = client.get(reverse("dashboards:indicator", args=[figures.gia_lai.pk, "GTSX"]))
    labels = [series["label"] for series in response.context["chart"]["series"]]
    assert sorted(labels) == ["An Nhơn Bắc", "Hòa Hội"]
    assert response.context["chart"]["series"][0]["values"][0] == 100.0


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_table_numbers_read_as_everywhere_else(language):
    from decimal import Decimal

    from django.utils import translation

    from sixclear.dashboards.tables import Numbers
    from sixclear.plans.templatetags.figures import figure

    values = [0, 7, 1234, 1234567, -42, Decimal("55.6"), Decimal("100.0"), Decimal("-27.27"),
              Decimal("2683.8000"), Decimal("1234567.125"), Decimal("0.5"), Decimal("-0.01")]
    with translation.override(language):
        numbers = Numbers()
        assert [numbers(value) for value in values] == [str(figure(value)) for value in values]


def test_an_off_track_target_needs_what_reaches_the_end_of_its_path(world):
    from decimal import Decimal

    from sixclear.dashboards.selectors import most_off_track
    from sixclear.monitoring.models import TargetHealth, TargetStatus
    from sixclear.plans.models import TargetKind, TrajectoryPoint

    target = TargetFactory(unit=world.hoa_hoi, kind=TargetKind.CUMULATIVE, annual_rate=None,
                           baseline_value=Decimal(0), target_year=2030)
    for year, value in ((2030, 50), (2026, 10), (2028, 30)):
        TrajectoryPoint.objects.create(target=target, year=year, expected_value=value)
    TargetHealth.objects.create(target=target, status=TargetStatus.OFF_TRACK, year=2026,
                                actual=Decimal(10), expected=Decimal(20),
                                gap_percent=Decimal(-50), changed_on=TODAY)
    [item] = most_off_track(world.gia_lai)
    assert (item.target, item.required, item.required_is_rate) == (target, Decimal(10), False)
