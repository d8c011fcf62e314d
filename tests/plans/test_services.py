from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.plans import services
from sixclear.plans.models import ResolutionItemKind
from sixclear.plans.selectors import visible_targets
from sixclear.versioning import StaleEdit
from tests.factories import ProgramFactory, ResolutionFactory


def production_value(world, **fields):
    values = {
        "code": "KT-01", "name": "Giá trị sản xuất trên địa bàn tăng bình quân",
        "kind": "annual_growth", "baseline_value": Decimal(100), "baseline_year": 2025,
        "annual_rate": Decimal("21.7"), "target_year": 2030, "unit_of_measure": "tỷ đồng",
    }
    values.update(fields)
    return services.create_target(actor=world.hh_manager, unit=world.hoa_hoi, **values)


def test_a_target_gets_its_yearly_trajectory(world):
    target = production_value(world)
    points = list(target.trajectory.values_list("year", "expected_value"))
    assert [year for year, _ in points] == [2026, 2027, 2028, 2029, 2030]
    assert points[0][1] == Decimal("121.7000")


def test_one_target_serves_the_resolution_and_several_programs(world):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    programs = [ProgramFactory(unit=world.hoa_hoi, resolution=resolution) for _ in range(2)]
    target = production_value(world, resolution=resolution, programs=programs)
    assert set(target.programs.all()) == set(programs)
    assert all(list(p.targets.all()) == [target] for p in programs)


def test_a_growth_target_without_a_rate_is_refused(world):
    with pytest.raises(ValidationError) as failure:
        production_value(world, annual_rate=None)
    assert "annual_rate" in failure.value.message_dict


def test_a_range_needs_its_upper_rate_above_the_lower(world):
    with pytest.raises(ValidationError) as failure:
        production_value(world, kind="growth_range", annual_rate=12, annual_rate_high=11)
    assert "annual_rate_high" in failure.value.message_dict


def test_count_target_needs_a_target_value(world):
    with pytest.raises(ValidationError) as failure:
        production_value(world, code="DT-01", kind="count", annual_rate=None)
    assert "target_value" in failure.value.message_dict


def test_changing_a_target_recomputes_its_path_and_detects_stale_edits(world):
    target = production_value(world)
    opened = target.version
    services.update_target(actor=world.hh_manager, target=target, expected_version=opened,
                           annual_rate=Decimal("10"))
    assert target.trajectory.get(year=2026).expected_value == Decimal("110.0000")
    with pytest.raises(StaleEdit):
        services.update_target(actor=world.hh_leader, target=target, expected_version=opened,
                               annual_rate=Decimal("5"))


def test_a_hand_drawn_path_is_kept(world):
    target = production_value(world)
    services.draw_trajectory(actor=world.hh_manager, target=target,
                             expected_version=target.version, points={2026: 105, 2030: 300})
    assert target.trajectory_is_custom
    assert list(target.trajectory.values_list("year", flat=True)) == [2026, 2030]
    services.update_target(actor=world.hh_manager, target=target,
                           expected_version=target.version, name="Giá trị sản xuất")
    assert target.trajectory.count() == 2
    with pytest.raises(ValidationError):
        services.draw_trajectory(actor=world.hh_manager, target=target,
                                 expected_version=target.version, points={2040: 1})


def test_only_managers_of_the_unit_create_targets(world):
    with pytest.raises(PermissionDenied):
        services.create_target(actor=world.hh_officer, unit=world.hoa_hoi, code="x")
    with pytest.raises(PermissionDenied):
        services.create_target(actor=world.anb_manager, unit=world.hoa_hoi, code="x")


def test_targets_are_scoped_by_unit(world):
    target = production_value(world)
    assert target in visible_targets(world.province_leader)
    assert target not in visible_targets(world.anb_officer)
    assert target not in visible_targets(world.vh_manager)


def test_resolution_items_are_numbered_per_kind(world):
    resolution = services.create_resolution(
        actor=world.hh_manager, unit=world.hoa_hoi, number="01-NQ/ĐU",
        title="Nghị quyết Đại hội Đảng bộ xã Hòa Hội lần thứ I", term_start=2025, term_end=2030,
    )
    for title in ("Quan điểm 1", "Quan điểm 2"):
        services.add_resolution_item(actor=world.hh_manager, resolution=resolution,
                                     kind=ResolutionItemKind.VIEWPOINT, title=title)
    breakthrough = services.add_resolution_item(
        actor=world.hh_manager, resolution=resolution, kind=ResolutionItemKind.BREAKTHROUGH,
        title="Đột phá hạ tầng")
    assert breakthrough.position == 1
    assert list(resolution.items.filter(kind="viewpoint").values_list("position", flat=True)) \
        == [1, 2]


def test_a_term_must_not_end_before_it_starts(world):
    with pytest.raises(ValidationError):
        services.create_resolution(actor=world.hh_manager, unit=world.hoa_hoi, number="x",
                                   title="x", term_start=2030, term_end=2025)


def test_a_program_carries_out_a_resolution_of_its_unit_or_above(world):
    other = ResolutionFactory(unit=world.an_nhon_bac)
    with pytest.raises(ValidationError):
        services.create_program(
            actor=world.hh_manager, unit=world.hoa_hoi, kind="action_program", number="01",
            title="x", period_start="2025-10-01", period_end="2030-12-31", resolution=other,
        )


def test_a_target_links_only_to_programs_and_resolutions_of_its_unit_or_above(world):
    foreign_program = ProgramFactory(unit=world.viet_hung)
    with pytest.raises(ValidationError) as failure:
        production_value(world, programs=[foreign_program])
    assert "programs" in failure.value.message_dict
    foreign_resolution = ResolutionFactory(unit=world.viet_hung)
    with pytest.raises(ValidationError) as failure:
        production_value(world, code="KT-02", resolution=foreign_resolution)
    assert "resolution" in failure.value.message_dict
    provincial = ProgramFactory(unit=world.gia_lai)
    assert production_value(world, code="KT-03", programs=[provincial])


def test_an_adopted_targets_path_is_redrawn_only_by_its_leaders(world):
    import datetime

    from sixclear.references import NeedsChangeRequest

    resolution = ResolutionFactory(unit=world.hoa_hoi, adopted_on=datetime.date(2025, 10, 1))
    target = production_value(world, resolution=resolution)
    with pytest.raises(NeedsChangeRequest):
        services.draw_trajectory(actor=world.hh_manager, target=target,
                                 expected_version=target.version, points={2026: 105})
    services.draw_trajectory(actor=world.hh_leader, target=target,
                             expected_version=target.version, points={2026: 105})
    assert target.trajectory_is_custom


def test_the_preview_is_the_path_the_save_stores_or_the_errors_that_stop_it(world):
    from sixclear.plans.models import Target
    from sixclear.plans.rules import preview_path

    figures = {"kind": "growth_range", "baseline_value": Decimal(1200), "baseline_year": 2025,
               "annual_rate": Decimal(11), "annual_rate_high": Decimal(12), "target_year": 2030}
    path, errors = preview_path(Target(**figures))
    assert errors == {}
    target = production_value(world, **figures)
    assert path == list(target.trajectory.values_list("year", "expected_value", "expected_high"))
    path, errors = preview_path(Target(**{**figures, "annual_rate_high": Decimal(10)}))
    assert path == [] and set(errors) == {"annual_rate_high"}
    path, errors = preview_path(Target(kind="count", baseline_year=2025))
    assert path == [] and set(errors) == {"baseline_value", "target_year"}


def test_a_hand_drawn_path_gives_way_to_the_computed_one_again(world):
    target = production_value(world)
    services.draw_trajectory(actor=world.hh_manager, target=target,
                             expected_version=target.version, points={2030: 300})
    with pytest.raises(StaleEdit):
        services.use_computed_trajectory(actor=world.hh_manager, target=target,
                                         expected_version=target.version - 1)
    with pytest.raises(PermissionDenied):
        services.use_computed_trajectory(actor=world.hh_officer, target=target,
                                         expected_version=target.version)
    services.use_computed_trajectory(actor=world.hh_manager, target=target,
                                     expected_version=target.version)
    assert not target.trajectory_is_custom
    assert target.trajectory.count() == 5
    assert target.trajectory.get(year=2026).expected_value == Decimal("121.7000")
