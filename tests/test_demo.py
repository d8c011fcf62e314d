"""The demo dataset: what it shows, that it obeys the product's rules, and that it rebuilds."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sixclear.monitoring.models import TargetHealth
from sixclear.orgs.models import Membership, Unit, UnitKind
from sixclear.plans.models import (
    Program,
    ProgramKind,
    Resolution,
    ResolutionItem,
    Target,
    TargetKind,
    TrajectoryPoint,
)
from sixclear.tracking.models import (
    Measurement,
    ProgressReport,
    ReviewStatus,
    Task,
    TaskState,
    TaskStep,
)
from sixclear.tracking.selectors import reports_awaiting_review, visible_tasks

pytestmark = pytest.mark.django_db

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTED_MODELS = [
    Unit, Membership, get_user_model(), Resolution, ResolutionItem, Program, Target,
    TrajectoryPoint, Task, TaskStep, ProgressReport, Measurement,
]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Build the demo once for the module, in a transaction rolled back at its end.

    Each test runs in its own savepoint inside it, so tests stay independent but share one build.
    """
    hashing = override_settings(PASSWORD_HASHERS=FAST_HASHING)
    with django_db_blocker.unblock(), hashing, transaction.atomic():
        output = StringIO()
        call_command("demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def test_command_builds_and_prints_the_demo_accounts(demo_output):
    assert "Demo data built" in demo_output
    for username in ("admin", "vh.officer", "anb.leader", "gl.leader", "hn.manager"):
        assert username in demo_output
    assert "sixclear-demo" in demo_output


def test_a_second_run_changes_nothing(demo_output):
    before = counts()
    output = StringIO()
    call_command("demo", stdout=output)
    assert counts() == before
    assert "Demo data already present" in output.getvalue()
    assert "vh.officer" in output.getvalue()


def test_command_refuses_production_without_the_flag(demo_output, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("demo", stdout=StringIO())


def children(code):
    return Unit.objects.get_children(Unit.objects.get(code=code))


def test_unit_tree_has_provinces_communes_departments_and_party_cells(demo_output):
    assert {unit.name for unit in children("VN")} == {"Gia Lai", "Hà Nội"}
    assert {unit.name for unit in children("GL")} == {"An Nhơn Bắc", "Hòa Hội"}
    assert [unit.name for unit in children("HN")] == ["Việt Hưng"]
    assert Unit.objects.get(code="GL-HH").kind == UnitKind.COMMUNE
    assert Unit.objects.get(code="HN-VH").kind == UnitKind.WARD
    for code in ("GL-ANB", "GL-HH", "HN-VH"):
        kinds = [child.kind for child in children(code)]
        assert 1 <= kinds.count(UnitKind.DEPARTMENT) <= 2
        assert kinds.count(UnitKind.PARTY_CELL) == 1


def test_leaders_from_the_reports_hold_their_titles(demo_output):
    titles = dict(
        Membership.objects.filter(role="leader").values_list("user__first_name", "title")
    )
    assert titles["Nguyễn Thị Kim Quy"] == "Bí thư Đảng ủy phường An Nhơn Bắc"
    assert titles["Tô Hữu Trung"] == "Bí thư Đảng ủy xã Hòa Hội"
    assert titles["Dương Hoài Nam"] == "Bí thư Đảng ủy, Chủ tịch HĐND phường Việt Hưng"
    assert titles["Hồ Quốc Dũng"] == "Bí thư Tỉnh ủy Gia Lai"
    assert titles["Phạm Anh Tuấn"].endswith("Chủ tịch UBND tỉnh Gia Lai")


def test_every_commune_has_every_role_and_one_shared_password(demo_output):
    for prefix, code in (("anb", "GL-ANB"), ("hh", "GL-HH"), ("vh", "HN-VH")):
        for role in ("viewer", "officer", "manager", "leader", "admin"):
            person = user(f"{prefix}.{role}")
            assert person.memberships.get().unit.code == code
            assert person.email == f"{prefix}.{role}@example.org"
            assert person.check_password("sixclear-demo")
    assert user("admin").is_superuser


def test_viet_hung_resolution_has_its_viewpoints_breakthroughs_targets_and_task_groups(
    demo_output,
):
    resolution = Resolution.objects.get(unit__code="HN-VH")
    items = resolution.items
    assert items.filter(kind="viewpoint").count() == 5
    assert items.filter(kind="breakthrough").count() == 3
    assert items.filter(kind="task_group").count() == 6
    assert resolution.targets.count() == 16


def test_viet_hung_has_four_action_programs_and_program_one_sets_18_10_7_targets(demo_output):
    programs = Program.objects.filter(unit__code="HN-VH", kind=ProgramKind.ACTION_PROGRAM)
    assert programs.count() == 4
    first = programs.get(number="01-CTr/ĐU")
    by_area = {group: first.targets.filter(group=group).count()
               for group in first.targets.values_list("group", flat=True).distinct()}
    assert sorted(by_area.values()) == [7, 10, 18]


def test_one_target_serves_the_resolution_and_two_programs(demo_output):
    target = Target.objects.get(unit__code="HN-VH", code="VH-CT1-A02")
    assert target.resolution.unit.code == "HN-VH"
    assert target.programs.count() == 2
    assert Target.objects.filter(name=target.name).count() == 1


def test_hoa_hoi_targets_carry_the_figures_from_the_report(demo_output):
    targets = Target.objects.filter(unit__code="GL-HH")
    rates = set(targets.filter(kind=TargetKind.ANNUAL_GROWTH).values_list("annual_rate", flat=True))
    assert rates == {Decimal("21.7"), Decimal("27.8"), Decimal("11.3"), Decimal("3.5")}
    production = targets.get(annual_rate=Decimal("21.7"))
    assert (production.baseline_year, production.target_year) == (2025, 2030)
    exports = targets.get(kind=TargetKind.CUMULATIVE, unit_of_measure="triệu USD")
    assert (exports.baseline_value, exports.target_value) == (0, 33)
    projects = targets.get(kind=TargetKind.COUNT)
    assert (projects.baseline_value, projects.target_value) == (0, 10)


def test_an_nhon_bac_aims_at_11_to_12_percent_growth(demo_output):
    growth = Target.objects.get(unit__code="GL-ANB", kind=TargetKind.GROWTH_RANGE)
    assert (growth.annual_rate, growth.annual_rate_high) == (11, 12)
    assert Program.objects.filter(unit__code="GL-ANB", kind=ProgramKind.ACTION_PROGRAM).exists()


def test_tasks_show_every_situation_monitoring_deals_with(demo_output):
    today = timezone.localdate()
    issued = Task.objects.filter(state=TaskState.ISSUED)
    assert 40 <= Task.objects.count() <= 60
    assert issued.filter(deadline__lt=today).exists()
    assert issued.filter(deadline__gte=today, deadline__lte=today + timedelta(days=7)).exists()
    assert Task.objects.filter(
        state=TaskState.DONE, reports__status=ReviewStatus.APPROVED, reports__percent=100
    ).exists()
    assert ProgressReport.objects.filter(has_obstacles=True).exists()
    assert ProgressReport.objects.filter(status=ReviewStatus.SUBMITTED).exists()
    assert TaskStep.objects.filter(done=True).exists()
    assert TaskStep.objects.filter(done=False).exists()


def test_every_issued_task_is_six_clear_and_drafts_show_the_gate(demo_output):
    for task in Task.objects.exclude(state=TaskState.DRAFT):
        assert task.missing_clears() == [], task.code
    drafts = Task.objects.filter(state=TaskState.DRAFT)
    assert drafts.exists()
    assert all(task.missing_clears() for task in drafts)


def test_every_task_has_a_code_and_a_source(demo_output):
    assert not Task.objects.filter(code="").exists()
    assert not Task.objects.filter(program__isnull=True).exists()


def test_a_decision_and_a_meeting_conclusion_carry_tasks(demo_output):
    for kind in (ProgramKind.DECISION, ProgramKind.CONCLUSION):
        assert Task.objects.filter(program__kind=kind).exists()


def test_the_approvals_inbox_of_a_manager_has_content(demo_output):
    assert reports_awaiting_review(user("vh.manager")).exists()


def test_measurements_are_reviewed_by_someone_else_and_some_are_behind(demo_output):
    approved = Measurement.objects.filter(status=ReviewStatus.APPROVED)
    assert approved.count() > Measurement.objects.filter(status=ReviewStatus.SUBMITTED).count() > 0
    assert set(Measurement.objects.values_list("year", flat=True)) == {2025, 2026}
    assert Measurement.objects.filter(period_kind="quarter", year=2026).exists()
    for measurement in approved:
        assert measurement.reviewed_by_id != measurement.reported_by_id
    behind = [
        m for m in Measurement.objects.filter(year=2026, period_kind="year")
        if m.value < m.target.trajectory.get(year=2026).expected_value
    ]
    assert len(behind) >= 2


def test_officer_of_viet_hung_cannot_see_hoa_hoi_tasks(demo_output):
    seen = visible_tasks(user("vh.officer"))
    assert seen.filter(unit__code="HN-VH").exists()
    assert not seen.filter(unit__code="GL-HH").exists()


def test_gia_lai_leader_sees_its_communes_but_not_viet_hung(demo_output):
    seen = visible_tasks(user("gl.leader"))
    assert seen.filter(unit__code="GL-ANB").exists()
    assert seen.filter(unit__code="GL-HH").exists()
    assert not seen.filter(unit__code="HN-VH").exists()


def test_an_nhon_bac_online_procedures_are_judged_on_their_path_to_80_percent(demo_output):
    """ANB-NQ-06, over 80 % by 2030 from 45 %: 58 % in Q2 2026 is on its path, not 27.5 %
    short of 80 %; thresholds met from the baseline are to keep."""
    online = Target.objects.get(code="ANB-NQ-06")
    assert online.kind == TargetKind.THRESHOLD
    assert TargetHealth.objects.get(target=online).status == "on_track"
    assert Target.objects.get(code="VH-CT1-C05").kind == TargetKind.THRESHOLD_KEEP
