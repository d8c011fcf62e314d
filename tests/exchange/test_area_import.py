"""Spreadsheets name areas of the shared list: another name of an area maps to it, an unknown
one is refused on its row and column."""

from sixclear.exchange.importing import import_rows
from sixclear.plans.models import Target
from tests.exchange.conftest import edit_cell, export


def test_an_imported_area_maps_to_the_shared_list(client, world, hoa_hoi_data):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "targets")
    code = Target.objects.filter(unit=world.hoa_hoi).order_by("code").first().code
    outcome = import_rows(kind="targets", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=edit_cell(data, 2, "Area", "Xã hội"), file_format="xlsx")
    assert outcome.error_count == 0
    target = Target.objects.get(unit=world.hoa_hoi, code=code)
    assert (target.area.code, target.group) == ("van-hoa-xa-hoi", "Văn hóa – xã hội")


def test_an_unknown_area_is_refused_on_its_row(client, world, hoa_hoi_data):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "targets")
    outcome = import_rows(kind="targets", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=edit_cell(data, 2, "Area", "Thể thao"), file_format="xlsx")
    assert outcome.error_count == 1
    assert outcome.errors[0]["column"] == "Area"
    assert "Thể thao" in outcome.errors[0]["message"]
