"""Areas come from one shared list that units pick from: names and other names map to it, an
unknown name is refused clearly, an administrator extends it, and the heat map no longer
splits on spelling."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sixclear.dashboards.selectors import overview
from sixclear.plans import services
from sixclear.plans.models import Area, area_key
from sixclear.plans.rules import find_area


def target(world, unit=None, manager=None, code="T-01", **fields):
    values = {"name": "Tỷ lệ hộ nghèo", "kind": "count", "unit_of_measure": "hộ",
              "baseline_value": Decimal(10), "baseline_year": 2025, "target_value": Decimal(20),
              "target_year": 2030, "group": "Kinh tế"}
    return services.create_target(actor=manager or world.hh_manager,
                                  unit=unit or world.hoa_hoi, code=code, **(values | fields))


pytestmark = pytest.mark.django_db


def test_the_standard_areas_are_seeded():
    names = list(Area.objects.values_list("name", flat=True))
    for name in ("Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh",
                 "Xây dựng Đảng và hệ thống chính trị", "Môi trường"):
        assert name in names


@pytest.mark.parametrize("written", [
    "Xã hội", "Văn hóa – xã hội", "văn hoá - Xã Hội", "  Văn hóa —  xã hội ", "van-hoa-xa-hoi",
    "Culture and society",
])
def test_every_spelling_of_an_area_finds_it(written):
    assert find_area(written).code == "van-hoa-xa-hoi"


def test_a_target_is_put_in_its_area_by_any_of_its_names(world):
    made = target(world, group="Xã hội")
    assert made.area.code == "van-hoa-xa-hoi" and made.group == "Văn hóa – xã hội"
    with translation.override("en"):
        assert str(made.area) == "Culture and society"


def test_an_unknown_area_is_refused_naming_the_list(world):
    with pytest.raises(ValidationError) as refused:
        target(world, group="Thể thao giải trí")
    message = " ".join(refused.value.message_dict["group"])
    assert "Thể thao giải trí" in message and "Kinh tế" in message


def test_an_administrator_extends_the_list_and_retires_areas(world):
    Area.objects.create(code="the-thao", name="Thể thao", synonyms="Thể thao giải trí")
    assert target(world, group="thể thao giải trí").area.code == "the-thao"
    Area.objects.filter(code="the-thao").update(is_active=False)
    with pytest.raises(ValidationError):
        target(world, code="T-02", group="Thể thao")


def test_two_communes_spelling_an_area_differently_share_one_row_of_the_heat_map(world):
    target(world, group="Xã hội")
    target(world, unit=world.an_nhon_bac, manager=world.anb_manager, code="T-09",
           group="Văn hóa - xã hội")
    areas = {area for row in overview(world.gia_lai).league for area in row.areas}
    assert areas == {"Văn hóa – xã hội"}


def test_the_key_ignores_case_spacing_dashes_and_tone_mark_places():
    assert area_key("Văn hoá - Xã hội") == area_key("văn hóa – xã  hội")


def test_the_heat_map_names_areas_in_the_readers_language(world):
    from sixclear.dashboards.pages import heat_table

    target(world, group="Xã hội")
    with translation.override("en"):
        table = heat_table(overview(world.gia_lai).league)
    assert "Culture and society" in [column.label for column in table.columns]


def test_an_emptied_list_starts_again_from_the_standard_areas(world):
    from sixclear.plans import services as plan_services
    from sixclear.plans.models import Area

    Area.objects.all().delete()
    target = plan_services.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="KT-09", name="Thu ngân sách",
        kind="count", baseline_value=Decimal(0), baseline_year=2025, target_value=Decimal(10),
        target_year=2030,
        group="Kinh tế")
    assert target.area.code == "kinh-te" and Area.objects.count() > 5
