"""Managers create and edit targets of every kind from the page, with the yearly path
previewed by the code that saves it, and draw a path by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from sixclear.plans import services
from sixclear.plans.models import Area, Target, TargetKind
from sixclear.tracking.models import Measurement, ReviewStatus
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory

KIND_FIGURES = {
    TargetKind.ANNUAL_GROWTH: {"annual_rate": "11.5", "unit_of_measure": "tỷ đồng",
                               "baseline_value": "1200"},
    TargetKind.GROWTH_RANGE: {"annual_rate": "11", "annual_rate_high": "12",
                              "unit_of_measure": "tỷ đồng", "baseline_value": "1200"},
    TargetKind.CUMULATIVE: {"target_value": "5000", "unit_of_measure": "tỷ đồng",
                            "baseline_value": "0"},
    TargetKind.COUNT: {"target_value": "10", "unit_of_measure": "dự án", "baseline_value": "2"},
    TargetKind.THRESHOLD: {"target_value": "33", "unit_of_measure": "triệu USD",
                           "baseline_value": "20"},
    TargetKind.THRESHOLD_KEEP: {"target_value": "1", "unit_of_measure": "%",
                                "baseline_value": "0.8", "direction": "lower"},
    TargetKind.YES_NO: {"target_value": "1", "baseline_value": "0"},
}


def form_data(base_kind, **changes):
    data = {"code": f"CT-{base_kind}", "name": "Chỉ tiêu thử", "kind": base_kind,
            "direction": "higher", "baseline_year": "2025", "target_year": "2030", "save": "1",
            **KIND_FIGURES[base_kind]}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_url(world, unit=None):
    return reverse("plans:target_create", args=[(unit or world.hoa_hoi).pk])


def preview_url(world):
    return reverse("plans:target_preview", args=[world.hoa_hoi.pk])


def saved_path(target):
    return [(p.year, p.expected_value, p.expected_high) for p in target.trajectory.all()]


def json_path(response):
    return [(row["year"], Decimal(row["expected"]),
             None if row["expected_high"] is None else Decimal(row["expected_high"]))
            for row in response.json()["path"]]


@pytest.mark.parametrize("kind", list(TargetKind.values))
def test_a_manager_creates_a_target_of_every_kind_and_the_preview_is_what_is_saved(
        client, world, kind):
    client.force_login(world.hh_manager)
    data = form_data(kind)
    preview = client.get(preview_url(world), {**data, "format": "json"})
    assert preview.status_code == 200 and preview.json()["errors"] == []
    response = client.post(create_url(world), data)
    target = Target.objects.get(code=f"CT-{kind}")
    assert response.status_code == 302
    assert response.url == reverse("plans:target", args=[target.pk])
    assert target.kind == kind and target.unit == world.hoa_hoi
    assert saved_path(target) == json_path(preview)
    assert [year for year, *_ in saved_path(target)] == [2026, 2027, 2028, 2029, 2030]
    # What the page's fragment shows is the same path.
    fragment = client.get(preview_url(world), data)
    assert [row["expected"] for row in fragment.context["preview"]["rows"]] == [
        low for _year, low, _high in saved_path(target)]


def test_the_figures_a_kind_does_not_use_are_not_kept(client, world):
    client.force_login(world.hh_manager)
    client.post(create_url(world), form_data(TargetKind.COUNT, annual_rate="12",
                                             annual_rate_high="14"))
    target = Target.objects.get()
    assert target.annual_rate is None and target.annual_rate_high is None
    assert target.target_value == 10


def test_the_page_offers_each_field_for_its_kinds(client, world):
    client.force_login(world.hh_manager)
    page = client.get(create_url(world)).content.decode()
    assert 'data-kinds="annual_growth growth_range"' in page
    assert 'data-kinds="growth_range"' in page
    assert "plans/target-form.js" in page
    assert "<script>" not in page  # the CSP allows no inline script
    assert f'hx-get="{preview_url(world)}"' in page


def test_the_area_responsible_person_and_programs_are_saved(client, world):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    program = ProgramFactory(unit=world.hoa_hoi, resolution=resolution)
    client.force_login(world.hh_manager)
    page = client.get(create_url(world), {"program": program.pk})
    form = page.context["form"]
    assert form["programs"].value() == [program.pk]
    assert form["resolution"].value() == resolution.pk
    area = Area.objects.filter(is_active=True).first()
    client.post(create_url(world), form_data(
        TargetKind.COUNT, area=area.pk, indicator="FDI-PROJECTS", resolution=resolution.pk,
        programs=[program.pk], responsible_unit=world.economy_office.pk,
        responsible_person=world.hh_officer.pk))
    target = Target.objects.get()
    assert target.area == area and target.group == area.name
    assert list(target.programs.all()) == [program]
    assert target.resolution == resolution and target.indicator == "FDI-PROJECTS"
    assert target.responsible_person == world.hh_officer
    assert target.responsible_unit == world.economy_office


@pytest.mark.parametrize(("changes", "field"), [
    ({"target_year": "2020"}, "target_year"),
    ({"baseline_year": "1800"}, "baseline_year"),
    ({"target_year": "2090"}, "target_year"),
    ({"annual_rate": None}, "annual_rate"),
    ({"annual_rate": "-150"}, "annual_rate"),
    ({"kind": TargetKind.GROWTH_RANGE, "annual_rate_high": "10"}, "annual_rate_high"),
    ({"kind": TargetKind.GROWTH_RANGE}, "annual_rate_high"),
    ({"kind": TargetKind.COUNT}, "target_value"),
    ({"kind": TargetKind.YES_NO, "target_value": "5"}, "target_value"),
    ({"baseline_value": "1e16"}, "baseline_value"),
    ({"code": ""}, "code"),
    ({"name": ""}, "name"),
    ({"kind": ""}, "kind"),
    ({"baseline_value": "mười"}, "baseline_value"),
])
def test_each_refusal_is_named_beside_its_field_and_nothing_is_written(
        client, world, changes, field):
    client.force_login(world.hh_manager)
    response = client.post(create_url(world), form_data(TargetKind.ANNUAL_GROWTH, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Target.objects.exists()
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page


@pytest.mark.parametrize("language", ["vi", "ar", "en"])
def test_refusals_are_worded_in_the_persons_language(client, world, language):
    client.force_login(world.hh_manager)
    client.post(reverse("accounts:language"), {"language": language})
    response = client.post(create_url(world), form_data(TargetKind.COUNT, target_year="2020",
                                                        target_value=None))
    errors = response.context["form"].errors
    with translation.override(language):
        expected = {
            "target_year": translation.gettext("The target year must come after the baseline "
                                               "year."),
            "target_value": translation.gettext("This kind of target needs a target value."),
        }
    assert errors["target_year"] == [expected["target_year"]]
    if language != "en":
        assert expected["target_year"] != "The target year must come after the baseline year."
    page = response.content.decode()
    assert f'<html lang="{language}"' in page and expected["target_year"] in page


def test_a_code_taken_in_the_unit_is_refused_beside_the_code(client, world):
    TargetFactory(unit=world.hoa_hoi, code="CT-count")
    client.force_login(world.hh_manager)
    response = client.post(create_url(world), form_data(TargetKind.COUNT))
    assert "code" in response.context["form"].errors
    assert Target.objects.count() == 1


def test_the_preview_button_shows_the_path_without_saving(client, world):
    client.force_login(world.hh_manager)
    data = form_data(TargetKind.ANNUAL_GROWTH)
    del data["save"]
    response = client.post(create_url(world), {**data, "preview": "1"})
    assert response.status_code == 200 and not Target.objects.exists()
    rows = response.context["preview"]["rows"]
    assert [row["year"] for row in rows] == [2026, 2027, 2028, 2029, 2030]
    assert rows[0]["expected"] == Decimal("1338.0000")
    assert 'id="preview-table"' in response.content.decode()


def test_the_preview_names_what_it_still_needs(client, world):
    client.force_login(world.hh_manager)
    response = client.get(preview_url(world), {"kind": "count", "baseline_year": "2025",
                                               "format": "json"})
    fields = {error["field"].lower() for error in response.json()["errors"]}
    assert {"baseline value", "target year"} <= fields
    response = client.get(preview_url(world), {**form_data(TargetKind.COUNT, target_value=None),
                                               "format": "json"})
    assert response.json()["path"] == []
    assert [e["field"].lower() for e in response.json()["errors"]] == ["target value"]


def growth_target(world, **fields):
    values = {"code": "KT-01", "name": "Giá trị sản xuất", "kind": "annual_growth",
              "baseline_value": Decimal(100), "baseline_year": 2025,
              "annual_rate": Decimal("10"), "target_year": 2030}
    values.update(fields)
    return services.create_target(actor=world.hh_manager, unit=world.hoa_hoi, **values)


def edit_data(target, **changes):
    data = {"code": target.code, "name": target.name, "kind": target.kind,
            "direction": target.direction, "baseline_value": str(target.baseline_value),
            "baseline_year": target.baseline_year, "annual_rate": str(target.annual_rate),
            "target_year": target.target_year, "version": target.version, "save": "1"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_edits_a_target_and_its_path_follows(client, world):
    target = growth_target(world)
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:target_edit", args=[target.pk]),
                           edit_data(target, annual_rate="20"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.annual_rate == 20
    assert target.trajectory.get(year=2026).expected_value == Decimal("120.0000")


def test_a_stale_edit_answers_409_keeping_the_input_and_showing_the_other_change(client, world):
    target = growth_target(world)
    opened = edit_data(target, name="Tên mới của tôi", annual_rate="15")
    services.update_target(actor=world.hh_leader, target=target,
                           expected_version=target.version, annual_rate=Decimal("12"))
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:target_edit", args=[target.pk]), opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Tên mới của tôi" in page
    form = response.context["form"]
    assert "annual_rate" in form.conflicts and form.conflicts["annual_rate"] == "12.000"
    target.refresh_from_db()
    assert target.annual_rate == 12 and target.name == "Giá trị sản xuất"
    assert f'name="version" value="{target.version}"' in page


@pytest.fixture
def adopted(world):
    target = growth_target(world)
    Measurement.objects.create(target=target, year=2025, value=Decimal(100),
                               reported_by=world.hh_officer, status=ReviewStatus.APPROVED)
    return target


def test_an_adopted_target_shows_its_figures_held_and_links_the_change_request(
        client, world, adopted):
    client.force_login(world.hh_manager)
    url = reverse("plans:target_edit", args=[adopted.pk])
    page = client.get(url)
    assert page.context["form"].held
    body = page.content.decode()
    assert reverse("plans:target", args=[adopted.pk]) + "#change-form" in body
    assert "re-baselining" in body
    # A posted figure is not taken; the name is.
    response = client.post(url, edit_data(adopted, annual_rate="50", name="Tên đã sửa"))
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.annual_rate == 10 and adopted.name == "Tên đã sửa"
    # The preview of the edit page uses the target's own held figures.
    preview = client.get(reverse("plans:target_preview", args=[world.hoa_hoi.pk]),
                         {"target": adopted.pk, "kind": "annual_growth", "format": "json"})
    assert json_path(preview) == saved_path(adopted)


def test_a_leader_over_the_unit_may_change_an_adopted_targets_figures(client, world, adopted):
    client.force_login(world.hh_leader)
    url = reverse("plans:target_edit", args=[adopted.pk])
    assert not client.get(url).context["form"].held
    client.post(url, edit_data(adopted, annual_rate="12"))
    adopted.refresh_from_db()
    assert adopted.annual_rate == 12


def test_a_path_drawn_by_hand_year_by_year(client, world):
    target = growth_target(world)
    client.force_login(world.hh_manager)
    url = reverse("plans:target_path", args=[target.pk])
    page = client.get(url)
    assert [year for year, _field in page.context["form"].rows()] == [2026, 2027, 2028, 2029,
                                                                       2030]
    response = client.post(url, {"version": target.version, "year_2026": "105",
                                 "year_2028": "130", "year_2030": "200"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.trajectory_is_custom
    assert saved_path(target) == [(2026, Decimal("105.0000"), None),
                                  (2028, Decimal("130.0000"), None),
                                  (2030, Decimal("200.0000"), None)]
    # Back to the computed path.
    client.post(reverse("plans:target_path_computed", args=[target.pk]),
                {"version": target.version})
    target.refresh_from_db()
    assert not target.trajectory_is_custom and target.trajectory.count() == 5


def test_a_hand_drawn_path_refusals(client, world, adopted):
    target = growth_target(world, code="KT-02")
    client.force_login(world.hh_manager)
    url = reverse("plans:target_path", args=[target.pk])
    empty = client.post(url, {"version": target.version})
    assert empty.status_code == 200 and empty.context["form"].non_field_errors()
    stale = client.post(url, {"version": target.version - 1 or 99, "year_2026": "1"})
    assert stale.status_code == 409
    assert 'value="1"' in stale.content.decode()
    held = client.post(reverse("plans:target_path", args=[adopted.pk]),
                       {"version": adopted.version, "year_2026": "1"})
    assert held.status_code == 200
    assert "re-baselining" in held.content.decode()
    assert not Target.objects.get(pk=adopted.pk).trajectory_is_custom


PAGES = ["create", "preview", "edit", "path"]


def page_url(world, target, page):
    return {
        "create": create_url(world),
        "preview": preview_url(world),
        "edit": reverse("plans:target_edit", args=[target.pk]),
        "path": reverse("plans:target_path", args=[target.pk]),
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "status"), [
    ("hh_manager", 200), ("hh_leader", 200), ("province_leader", 200),
    ("hh_officer", 403), ("hh_viewer", 403), ("anb_manager", 404), ("vh_manager", 404),
])
def test_who_may_open_the_target_pages(client, world, page, who, status):
    target = growth_target(world)
    client.force_login(getattr(world, who))
    assert client.get(page_url(world, target, page)).status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, world, page):
    target = growth_target(world)
    response = client.get(page_url(world, target, page))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url


def test_posts_from_people_without_the_role_write_nothing(client, world):
    target = growth_target(world)
    client.force_login(world.hh_officer)
    assert client.post(create_url(world), form_data(TargetKind.COUNT)).status_code == 403
    assert client.post(reverse("plans:target_edit", args=[target.pk]),
                       edit_data(target, name="x")).status_code == 403
    client.force_login(world.anb_manager)
    assert client.post(reverse("plans:target_path_computed", args=[target.pk]),
                       {"version": target.version}).status_code == 404
    assert Target.objects.count() == 1 and Target.objects.get().name == "Giá trị sản xuất"


def test_a_program_of_another_unit_is_not_offered_nor_taken(client, world):
    other = ProgramFactory(unit=world.an_nhon_bac)
    client.force_login(world.hh_manager)
    page = client.get(create_url(world), {"program": other.pk})
    assert page.context["form"]["programs"].value() in (None, [])
    response = client.post(create_url(world), form_data(TargetKind.COUNT, programs=[other.pk]))
    assert "programs" in response.context["form"].errors
    assert not Target.objects.exists()


def test_the_form_pages_read_a_bounded_number_of_queries(client, world,
                                                         django_assert_max_num_queries):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    for number in range(15):
        ProgramFactory(unit=world.hoa_hoi, resolution=resolution, number=f"{number}-CTr")
    target = growth_target(world)
    client.force_login(world.hh_manager)
    with django_assert_max_num_queries(20):
        client.get(create_url(world))
    with django_assert_max_num_queries(25):
        client.get(reverse("plans:target_edit", args=[target.pk]))
    with django_assert_max_num_queries(12):
        client.get(preview_url(world), form_data(TargetKind.GROWTH_RANGE))
    with django_assert_max_num_queries(15):
        client.get(reverse("plans:target_path", args=[target.pk]))


def test_the_target_page_offers_edit_and_path_to_managers_only(client, world):
    target = growth_target(world)
    client.force_login(world.hh_manager)
    body = client.get(reverse("plans:target", args=[target.pk])).content.decode()
    assert reverse("plans:target_edit", args=[target.pk]) in body
    assert reverse("plans:target_path", args=[target.pk]) in body
    client.force_login(world.hh_officer)
    body = client.get(reverse("plans:target", args=[target.pk])).content.decode()
    assert reverse("plans:target_edit", args=[target.pk]) not in body

