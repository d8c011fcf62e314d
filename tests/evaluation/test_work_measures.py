"""Cases handled on time and obstacles answered and resolved in time, as evidence of the
annual evaluation, on small worlds worked out by hand: a unit counts its subtree, what happened
after the evidence date has not happened yet, and the records open to their cases and
obstacles."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sixclear.evaluation import measures
from sixclear.evaluation.templatetags.evaluation import facts, record_url
from sixclear.meetings.models import Obstacle, ObstaclePolicy, ObstacleState
from sixclear.procedures import rollups
from sixclear.procedures.models import Case, CaseState, CaseStep, StepState
from sixclear.procedures.selectors import performance
from tests.factories import TaskFactory
from tests.procedures.helpers import petition_procedure

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 12, 20)
day = datetime.date


def refs(world):
    return [measures.SubjectRef(key="gl", unit_path=world.gia_lai.path),
            measures.SubjectRef(key="hh", unit_path=world.hoa_hoi.path),
            measures.SubjectRef(key="anb", unit_path=world.an_nhon_bac.path)]


def compute(key, world, params=None, as_of=AS_OF):
    figures = measures.get(key).compute(refs(world), 2026, as_of, params or {})
    return {k: (f.numerator, f.denominator) for k, f in figures.items()}, figures


# --- Cases -----------------------------------------------------------------------------------

def case(world, version, unit, reference, due, closed=None, state=CaseState.CLOSED):
    return Case.objects.create(
        unit=unit, procedure_version=version, reference=reference, subject="Đơn kiến nghị",
        opened_on=due - datetime.timedelta(days=10), due_date=due, closed_on=closed,
        state=state)


@pytest.fixture
def cases(world):
    """Hòa Hội (its economy office in its subtree):
      H1 due 10 Mar, closed 9 Mar       on time
      H2 due 10 Apr, closed 15 Apr      late
      E1 (economy office) due 1 Jun, closed 1 Jun    on time
      H3 open, due 1 Nov                late: past its due date at the evidence date
      H4 closed 22 Dec (after the date), due 15 Dec   late: still open at the date
    not counted: H5 open due 30 Dec (not due yet), H6 withdrawn, H7 suspended due 1 Jul,
      H8 closed in 2025.
    An Nhơn Bắc: A1 due 5 May closed 5 May, on time.
    So Hòa Hội 2 of 5, An Nhơn Bắc 1 of 1, Gia Lai (both) 3 of 6."""
    version = petition_procedure(world).versions.get()
    world.h1 = case(world, version, world.hoa_hoi, "H1", day(2026, 3, 10), day(2026, 3, 9))
    case(world, version, world.hoa_hoi, "H2", day(2026, 4, 10), day(2026, 4, 15))
    case(world, version, world.economy_office, "E1", day(2026, 6, 1), day(2026, 6, 1))
    case(world, version, world.hoa_hoi, "H3", day(2026, 11, 1), state=CaseState.OPEN)
    case(world, version, world.hoa_hoi, "H4", day(2026, 12, 15), day(2026, 12, 22))
    case(world, version, world.hoa_hoi, "H5", day(2026, 12, 30), state=CaseState.OPEN)
    case(world, version, world.hoa_hoi, "H6", day(2026, 2, 1), day(2026, 1, 20),
         state=CaseState.WITHDRAWN)
    case(world, version, world.hoa_hoi, "H7", day(2026, 7, 1), state=CaseState.SUSPENDED)
    case(world, version, world.hoa_hoi, "H8", day(2025, 12, 1), day(2025, 12, 1))
    case(world, version, world.an_nhon_bac, "A1", day(2026, 5, 5), day(2026, 5, 5))
    return world


def test_cases_on_time_counts_the_subtree_and_what_ran_late(cases):
    counts, figures = compute("cases_on_time", cases)
    assert counts == {"gl": (3, 6), "hh": (2, 5), "anb": (1, 1)}
    labels = [r["label"].split()[0] for r in figures["hh"].records]
    assert labels == ["H1", "H2", "E1", "H3", "H4"]  # by due date
    h4 = figures["hh"].records[-1]
    assert h4["ok"] is False and h4["facts"] == {"due_date": "2026-12-15", "closed_on": ""}


def test_closed_cases_count_as_the_rollups_do(cases):
    """Over the whole year, the measure's closed cases are what the monthly rollups count
    (H4, closed on 22 December, now counts as closed late)."""
    rollups.rebuild()
    rate = performance(cases.hoa_hoi, 2026).cases
    _counts, figures = compute("cases_on_time", cases, as_of=day(2026, 12, 31))
    closed = [r for r in figures["hh"].records if r["facts"]["closed_on"]]
    assert (sum(r["ok"] for r in closed), len(closed)) == (rate.on_time, rate.done) == (2, 4)


def test_a_case_record_opens_the_case(cases):
    _counts, figures = compute("cases_on_time", cases)
    record = figures["hh"].records[0]
    assert record_url(record) == reverse("procedures:case", args=[cases.h1.pk])
    assert [value for _label, value in facts(record)] == ["2026-03-10", "2026-03-09"]


# --- Case steps ------------------------------------------------------------------------------

def step(version, unit, reference, position, due, done=None, state=None,
         case_state=CaseState.OPEN):
    """A case with one step at `position` (the others waiting), as the services leave them."""
    case = Case.objects.get_or_create(
        unit=unit, reference=reference, defaults={
            "procedure_version": version, "subject": "Đơn kiến nghị", "state": case_state,
            "opened_on": due - datetime.timedelta(days=10), "due_date": due})[0]
    state = state or (StepState.DONE if done else StepState.ACTIVE)
    return CaseStep.objects.create(
        case=case, step=version.steps.get(position=position), position=position, state=state,
        due_date=due, done_on=done, on_time=None if done is None else done <= due)


@pytest.fixture
def steps(world):
    """Hòa Hội (its economy office in its subtree):
      S1 step 1 due 3 Mar, handed over 3 Mar     on time
      S1 step 2 due 10 Mar, handed over 12 Mar   late
      S1 step 3 waiting                          no clock yet
      E1 step 1 (economy office) due 1 Jun, handed over 29 May   on time
      S3 step 1 in hand, due 1 Nov               late: past its due date at the evidence date
      S4 step 1 handed over 22 Dec (after the date), due 15 Dec   late: in hand at the date
    not counted: S5 in hand due 30 Dec (not due yet), S6 in hand in a suspended case due
      1 Jul, S7 handed over in 2025, S8 in hand in a withdrawn case due 1 Feb.
    An Nhơn Bắc: A1 step 1 due 5 May, handed over 5 May, on time.
    So Hòa Hội 2 of 5, An Nhơn Bắc 1 of 1, Gia Lai (both) 3 of 6."""
    version = petition_procedure(world).versions.get()
    hh = world.hoa_hoi
    world.s1 = step(version, hh, "S1", 1, day(2026, 3, 3), day(2026, 3, 3))
    step(version, hh, "S1", 2, day(2026, 3, 10), day(2026, 3, 12))
    step(version, hh, "S1", 3, day(2026, 3, 12), state=StepState.WAITING)
    step(version, world.economy_office, "E1", 1, day(2026, 6, 1), day(2026, 5, 29))
    step(version, hh, "S3", 1, day(2026, 11, 1))
    step(version, hh, "S4", 1, day(2026, 12, 15), day(2026, 12, 22))
    step(version, hh, "S5", 1, day(2026, 12, 30))
    step(version, hh, "S6", 1, day(2026, 7, 1), case_state=CaseState.SUSPENDED)
    step(version, hh, "S7", 1, day(2025, 12, 1), day(2025, 12, 1))
    step(version, hh, "S8", 1, day(2026, 2, 1), case_state=CaseState.WITHDRAWN)
    step(version, world.an_nhon_bac, "A1", 1, day(2026, 5, 5), day(2026, 5, 5))
    return world


def test_steps_on_time_counts_the_subtree_and_what_ran_late(steps):
    counts, figures = compute("steps_on_time", steps)
    assert counts == {"gl": (3, 6), "hh": (2, 5), "anb": (1, 1)}
    labels = [r["label"] for r in figures["hh"].records]
    assert labels == ["S1 · 1. Tiếp nhận đơn", "S1 · 2. Xác minh, đề xuất",
                      "E1 · 1. Tiếp nhận đơn", "S3 · 1. Tiếp nhận đơn", "S4 · 1. Tiếp nhận đơn"]
    late = figures["hh"].records[1]
    assert late["ok"] is False
    assert late["facts"] == {"due_date": "2026-03-10", "done_on": "2026-03-12"}
    assert figures["hh"].records[-1]["facts"] == {"due_date": "2026-12-15", "done_on": ""}


def test_steps_handed_over_count_as_the_rollups_do(steps):
    """Over the whole year, the measure's steps handed over are what the monthly rollups count
    (S4's step, handed over on 22 December, now counts as handed over late)."""
    rollups.rebuild()
    rate = performance(steps.hoa_hoi, 2026).steps
    _counts, figures = compute("steps_on_time", steps, as_of=day(2026, 12, 31))
    handed = [r for r in figures["hh"].records if r["facts"]["done_on"]]
    assert (sum(r["ok"] for r in handed), len(handed)) == (rate.on_time, rate.done) == (2, 4)


def test_a_step_record_opens_its_case_and_reads_its_facts(steps):
    _counts, figures = compute("steps_on_time", steps)
    record = figures["hh"].records[0]
    assert record_url(record) == reverse("procedures:case", args=[steps.s1.case_id])
    assert facts(record) == [("due date", "2026-03-03"), ("handed over on", "2026-03-03")]


# --- Obstacles -------------------------------------------------------------------------------

def at(value):
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(10)))


def obstacle(world, unit, text, reported, answered=None, resolved=None, must_act=None):
    state = (ObstacleState.RESOLVED if resolved else ObstacleState.ANSWERED if answered
             else ObstacleState.OPEN)
    return Obstacle.objects.create(
        unit=unit, task=TaskFactory(unit=unit), description=text, reported_by=world.hh_officer,
        reported_at=at(reported), answered_at=at(answered) if answered else None,
        resolved_at=at(resolved) if resolved else None, must_act=must_act, state=state,
        waiting_since=reported)


@pytest.fixture
def obstacles(world):
    """Hòa Hội answers within 5 days (its policy); the default is 7 days elsewhere.
      O1 Hòa Hội, reported 1 Mar, answered 4 Mar, resolved 20 Mar   in time; 19 days
      O2 Hòa Hội, reported 1 Apr, answered 10 Apr, resolved 15 Jun  late (9 > 5); 75 days
      O3 Hòa Hội, reported 1 May, resolved 3 May without an answer  in time; 2 days
      O4 economy office, reported 1 Oct, never answered              late; open 80 days
      O5 Hòa Hội, reported 18 Dec, not answered                      not due either way
      O6 An Nhơn Bắc, routed to Gia Lai, reported 1 Feb, answered 6 Feb (7 days: in time),
         resolved 25 Dec (after the date)                            open 322 days
      O7 Hòa Hội, reported in 2025                                   not counted
    Answered in time: Hòa Hội 2 of 4 (O1, O3 | O2, O4); An Nhơn Bắc 1 of 1; Gia Lai 3 of 5.
    Resolved within 30 days: Hòa Hội 2 of 4 (O1, O3 | O2, O4: open 80 days);
      An Nhơn Bắc 0 of 1; Gia Lai 2 of 5. Median days to resolve over Hòa Hội's three resolved:
      19."""
    ObstaclePolicy.objects.create(unit=world.hoa_hoi, answer_within_days=5)
    world.o1 = obstacle(world, world.hoa_hoi, "O1", day(2026, 3, 1), day(2026, 3, 4),
                        day(2026, 3, 20))
    obstacle(world, world.hoa_hoi, "O2", day(2026, 4, 1), day(2026, 4, 10), day(2026, 6, 15))
    obstacle(world, world.hoa_hoi, "O3", day(2026, 5, 1), None, day(2026, 5, 3))
    obstacle(world, world.economy_office, "O4", day(2026, 10, 1))
    obstacle(world, world.hoa_hoi, "O5", day(2026, 12, 18))
    obstacle(world, world.an_nhon_bac, "O6", day(2026, 2, 1), day(2026, 2, 6),
             day(2026, 12, 25), must_act=world.gia_lai)
    obstacle(world, world.hoa_hoi, "O7", day(2025, 11, 1), day(2025, 11, 2), day(2025, 11, 3))
    return world


def test_obstacles_answered_within_the_answering_units_days(obstacles):
    counts, figures = compute("obstacles_answered_in_time", obstacles)
    assert counts == {"gl": (3, 5), "hh": (2, 4), "anb": (1, 1)}
    o2 = next(r for r in figures["hh"].records if r["label"] == "O2")
    assert o2["facts"] == {"reported_on": "2026-04-01", "answer_due": "2026-04-06",
                           "answered_on": "2026-04-10"}


def test_obstacles_resolved_within_the_days_set(obstacles):
    counts, figures = compute("obstacles_resolved_in_time", obstacles)
    assert counts == {"gl": (2, 5), "hh": (2, 4), "anb": (0, 1)}
    resolved = sorted(int(r["facts"]["days_to_resolve"]) for r in figures["hh"].records
                      if r["facts"]["days_to_resolve"])
    assert resolved == [2, 19, 75]
    # Within 20 days instead: O1 (19) and O3 (2) of the same four.
    counts, _figures = compute("obstacles_resolved_in_time", obstacles, {"within_days": 20})
    assert counts["hh"] == (2, 4)
    # Within 10 days: only O3; O1 (19 days) is no longer in time.
    counts, _figures = compute("obstacles_resolved_in_time", obstacles, {"within_days": 10})
    assert counts["hh"] == (1, 4)


def test_an_obstacle_record_opens_the_obstacle(obstacles):
    _counts, figures = compute("obstacles_answered_in_time", obstacles)
    record = next(r for r in figures["hh"].records if r["label"] == "O1")
    assert record_url(record) == reverse("meetings:obstacle", args=[obstacles.o1.pk])


def test_the_measures_read_a_fixed_number_of_queries(cases, obstacles,
                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        compute("cases_on_time", cases)
    with django_assert_max_num_queries(2):
        compute("obstacles_answered_in_time", obstacles)


# --- From a derived criteria set to the subject's page ---------------------------------------

def test_a_derived_set_grades_communes_on_their_cases_and_links_them(evidence, client):
    """The province's administrator turns KQ4 of the shipped set into "cases handled on time"
    (the shipped sets stay as they are): Hòa Hội's line counts its one case closed late, 0 of 1,
    and the subject page opens the case."""
    from sixclear.evaluation import services
    from sixclear.evaluation.models import CriteriaSet, Level, Line

    version = petition_procedure(evidence).versions.get()
    late = case(evidence, version, evidence.hoa_hoi, "ĐT-9", day(2026, 9, 1), day(2026, 9, 3))
    shipped = CriteriaSet.objects.get(unit=None, year=2026, level=Level.PARTY_COMMITTEE)
    mine = services.derive_criteria_set(actor=evidence.province_admin, source=shipped,
                                        unit=evidence.gia_lai)
    kq4 = mine.criteria.get(code="KQ4")
    mine.refresh_from_db()
    services.update_criterion(
        actor=evidence.province_admin, criterion=kq4, expected_version=mine.version,
        title="Hồ sơ giải quyết đúng hạn", points="5", method="measure",
        measure="cases_on_time")
    mine.refresh_from_db()
    services.publish_criteria_set(actor=evidence.province_admin, criteria_set=mine,
                                  expected_version=mine.version)
    round_ = services.open_round(actor=evidence.province_admin, unit=evidence.gia_lai,
                                 year=2026, level=Level.PARTY_COMMITTEE)
    subject = round_.subjects.get(unit=evidence.hoa_hoi)
    line = Line.objects.get(subject=subject, criterion__code="KQ4")
    assert (line.numerator, line.denominator) == (0, 1)
    assert Line.objects.get(subject=round_.subjects.get(unit=evidence.an_nhon_bac),
                            criterion__code="KQ4").denominator == 0
    client.force_login(evidence.hh_manager)
    page = client.get(reverse("evaluation:subject", args=[subject.pk])).content.decode()
    assert reverse("procedures:case", args=[late.pk]) in page
