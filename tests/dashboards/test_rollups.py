"""Rollups follow every write in its transaction, match a fresh count, and add up by subtree."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from sixclear.dashboards import rollups
from sixclear.dashboards.models import UnitTaskRollup
from sixclear.dashboards.selectors import overview, trend
from sixclear.monitoring.engine import run_scan
from sixclear.orgs.services import move_unit
from sixclear.plans import services as plans
from sixclear.tracking import services
from sixclear.tracking.models import PeriodKind
from tests.factories import TargetFactory

TODAY = timezone.localdate()


def unit_task_figures(unit):
    return overview(unit).tasks


def unit_target_figures(unit):
    return overview(unit).targets


def days(n):
    return TODAY + datetime.timedelta(days=n)


def draft(world, unit=None, **fields):
    unit = unit or world.hoa_hoi
    in_hoa_hoi = unit.path.startswith(world.hoa_hoi.path)
    manager = world.hh_manager if in_hoa_hoi else world.anb_manager
    owner = world.hh_officer if in_hoa_hoi else world.anb_officer
    values = {
        "title": "Khảo sát mặt bằng cụm công nghiệp", "description": "Theo kế hoạch.",
        "owner": owner, "lead_unit": unit, "start_date": TODAY, "deadline": days(20),
        "expected_result": "Báo cáo khảo sát", "authority_body": "Ban Thường vụ",
    }
    values.update(fields)
    return services.create_task(actor=manager, unit=unit, **values)


def issue(world, task):
    manager = world.hh_manager if task.unit == world.hoa_hoi else world.anb_manager
    return services.issue_task(actor=manager, task=task, expected_version=task.version)


def test_each_write_is_counted_in_its_own_transaction(world):
    task = draft(world)
    assert unit_task_figures(world.hoa_hoi).drafts == 1

    issue(world, task)
    figures = unit_task_figures(world.hoa_hoi)
    assert (figures.drafts, figures.open, figures.on_track) == (0, 1, 1)

    report = services.report_progress(actor=world.hh_officer, task=task, percent=100,
                                      narrative="Xong.", obstacles="Thiếu kinh phí")
    figures = unit_task_figures(world.hoa_hoi)
    assert (figures.obstacles, figures.at_risk) == (1, 1)

    services.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=True)
    figures = unit_task_figures(world.hoa_hoi)
    assert (figures.open, figures.done, figures.done_on_time, figures.obstacles) == (0, 1, 1, 0)
    assert figures.on_time_rate == Decimal("100.0")
    assert rollups.verify() == []


def test_statuses_kept_by_writes_are_those_the_scan_computes(world):
    late = issue(world, draft(world, start_date=days(-30), deadline=days(-2)))
    services.report_progress(actor=world.hh_officer, task=late, percent=30, narrative="Chậm.",
                             report_date=days(-1))
    lagging = issue(world, draft(world, start_date=days(-30), deadline=days(3)))
    services.report_progress(actor=world.hh_officer, task=lagging, percent=10, narrative="…")
    blocked = issue(world, draft(world))
    services.report_progress(actor=world.hh_officer, task=blocked, percent=10, narrative="…",
                             obstacles="Chưa có vốn")
    services.add_step(actor=world.hh_manager, task=blocked, title="Khảo sát", due_date=days(1))
    issue(world, draft(world, start_date=days(-3)))
    run = run_scan(TODAY)
    assert run.tasks_changed == 0


def test_a_cancelled_task_leaves_the_open_count(world):
    task = issue(world, draft(world))
    services.cancel_task(actor=world.hh_leader, task=task, expected_version=task.version,
                         reason="Trùng với nhiệm vụ khác")
    figures = unit_task_figures(world.hoa_hoi)
    assert (figures.open, figures.cancelled) == (0, 1)
    assert rollups.verify() == []


def test_the_scan_recounts_the_units_whose_statuses_changed(world):
    task = issue(world, draft(world, deadline=days(2)))
    assert unit_task_figures(world.hoa_hoi).late == 0
    with time_machine.travel(days(5)):
        run_scan(days(5))
    assert unit_task_figures(world.hoa_hoi).late == 1
    assert unit_task_figures(world.gia_lai).late == 1
    assert unit_task_figures(world.ha_noi).late == 0
    assert task.pk  # the late task is Hòa Hội's only task
    assert rollups.verify() == []


def test_figures_add_up_over_the_subtree_and_side_by_side(world):
    issue(world, draft(world))
    issue(world, draft(world))
    issue(world, draft(world, unit=world.an_nhon_bac))
    draft(world, unit=world.economy_office)
    assert unit_task_figures(world.gia_lai).open == 3
    assert unit_task_figures(world.country).drafts == 1
    rows = {row.unit.name: row.tasks for row in overview(fresh(world.gia_lai)).league}
    assert rows["Hòa Hội"].open == 2
    assert rows["Hòa Hội"].drafts == 1  # its department's draft counts in its subtree
    assert rows["An Nhơn Bắc"].open == 1


def test_moving_a_commune_moves_its_figures(world):
    issue(world, draft(world))
    move_unit(actor=_admin(), unit=world.hoa_hoi, new_parent=world.ha_noi)
    assert unit_task_figures(fresh(world.gia_lai)).open == 0
    assert unit_task_figures(fresh(world.ha_noi)).open == 1


def fresh(unit):
    # Tree fields (path, child count) change under a stored instance when the tree changes.
    return type(unit).objects.get(pk=unit.pk)


def _admin():
    from tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_an_approved_measurement_updates_the_target_figures(world):
    target = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="HH-01", name="Giá trị sản xuất",
        kind="annual_growth", baseline_value=Decimal(100), baseline_year=2025,
        annual_rate=Decimal("21.7"), target_year=2030, group="Kinh tế",
        responsible_person=world.hh_officer,
    )
    assert (unit_target_figures(world.gia_lai).targets,
            unit_target_figures(world.gia_lai).no_data) == (1, 1)
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal(90), period_kind=PeriodKind.YEAR)
    assert unit_target_figures(world.gia_lai).no_data == 1  # not approved yet
    services.review_measurement(actor=world.hh_manager, measurement=value,
                                expected_version=value.version, approve=True)
    figures = unit_target_figures(world.gia_lai)
    assert (figures.no_data, figures.off_track) == (0, 1)
    assert rollups.verify() == []


def test_verify_finds_a_wrong_row_and_rebuild_repairs_it(world):
    issue(world, draft(world))
    TargetFactory(unit=world.hoa_hoi)  # written without the services: not counted yet
    UnitTaskRollup.objects.filter(unit=world.hoa_hoi).update(open=7)
    differences = rollups.verify()
    assert {difference[0] for difference in differences} == {"tasks", "targets"}
    with pytest.raises(CommandError, match="differ"):
        call_command("rollups", verify=True)
    call_command("rollups")
    assert rollups.verify() == []
    assert unit_task_figures(world.hoa_hoi).open == 1


def test_the_trend_counts_due_and_done_by_month(world):
    task = issue(world, draft(world, deadline=TODAY))
    report = services.report_progress(actor=world.hh_officer, task=task, percent=100,
                                      narrative="Xong.")
    services.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=True)
    this_month = trend(world.gia_lai)[-1]
    assert (this_month.month, this_month.due, this_month.done, this_month.done_on_time) == (
        TODAY.replace(day=1), 1, 1, 1)
    assert len(trend(world.gia_lai)) == 12
