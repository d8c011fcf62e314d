"""The yearly evaluation compiled for many units at once: each unit adds up its subtree, the
late steps are counted and the first of them named across the subtree, and the risks are those
still open on the day."""

import datetime

import pytest

from sixclear.procedures import selectors
from sixclear.procedures.models import Case, CaseState, CaseStep, StepState

from .helpers import petition_procedure

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 20)


def late_step(version, unit, number, due, done=None, case_state=CaseState.OPEN):
    case = Case.objects.create(unit=unit, procedure_version=version, reference=f"L-{number}",
                               subject="Đơn", opened_on=due, due_date=due, state=case_state)
    return CaseStep.objects.create(
        case=case, step=version.steps.get(position=1), position=1,
        state=StepState.DONE if done else StepState.ACTIVE, due_date=due, done_on=done,
        on_time=None if done is None else done <= due)


@pytest.fixture
def late(world):
    """Hòa Hội: 25 steps handed over late, due on the 1st to the 25th of March; An Nhơn Bắc: 3
    steps still in hand, due on 2, 4 and 6 January (stuck today). Not late: one handed over on
    time, one in hand not yet due, one in hand in a suspended case, one late in 2025."""
    version = petition_procedure(world).versions.get()
    for day in range(1, 26):
        late_step(version, world.hoa_hoi, day, D(2026, 3, day), D(2026, 3, day) +
                  datetime.timedelta(days=2))
    for number, day in ((101, 2), (102, 4), (103, 6)):
        late_step(version, world.an_nhon_bac, number, D(2026, 1, day))
    late_step(version, world.hoa_hoi, 201, D(2026, 5, 5), D(2026, 5, 5))
    late_step(version, world.hoa_hoi, 202, D(2026, 12, 1))
    late_step(version, world.hoa_hoi, 203, D(2026, 6, 1), case_state=CaseState.SUSPENDED)
    late_step(version, world.hoa_hoi, 204, D(2025, 6, 1), D(2025, 6, 9))
    return world


def test_late_steps_are_counted_and_the_first_named_across_the_subtree(late):
    found = selectors.yearly_evaluations(
        [late.gia_lai, late.hoa_hoi, late.an_nhon_bac, late.viet_hung], 2026, TODAY)
    province, commune, ward = (found[late.gia_lai.pk], found[late.hoa_hoi.pk],
                               found[late.an_nhon_bac.pk])
    assert (province.late_step_count, commune.late_step_count, ward.late_step_count) == (
        28, 25, 3)
    assert len(commune.late_steps) == selectors.LATE_STEPS_LISTED == 20
    assert [s.reference for s in commune.late_steps] == [f"L-{n}" for n in range(1, 21)]
    # The province names its subtree's first twenty: An Nhơn Bắc's three, due in January, first.
    assert [s.reference for s in province.late_steps[:4]] == ["L-101", "L-102", "L-103", "L-1"]
    assert len(province.late_steps) == 20 and province.late_steps[-1].reference == "L-17"
    assert province.late_steps[0].done_on is None and commune.late_steps[0].done_on
    assert (province.risks.stuck_steps, ward.risks.stuck_steps) == (3, 3)
    assert found[late.viet_hung.pk].late_steps == []


def test_one_unit_is_compiled_as_among_many(late):
    alone = selectors.yearly_evaluation(late.gia_lai, 2026, TODAY)
    many = selectors.yearly_evaluations([late.hoa_hoi, late.gia_lai], 2026, TODAY)
    assert alone.late_steps == many[late.gia_lai.pk].late_steps
    assert alone.late_step_count == many[late.gia_lai.pk].late_step_count


def test_a_fixed_number_of_queries_whatever_the_units(late, django_assert_num_queries):
    units = [late.country, late.gia_lai, late.hoa_hoi, late.an_nhon_bac, late.ha_noi,
             late.viet_hung, late.economy_office]
    with django_assert_num_queries(9):  # no rollups: no procedure nor objective to read
        selectors.yearly_evaluations(units, 2026, TODAY)
    with django_assert_num_queries(9):
        selectors.yearly_evaluations(units[:1], 2026, TODAY)
