"""Every computed criterion on a small world worked out by hand: targets on their path, values
reported on time, tasks reported on regularly, citizens' satisfaction; a unit counts its
subtree, a person what they own or are responsible for."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sixclear.evaluation import measures
from sixclear.monitoring.models import TargetHealth, TargetStatus, TaskHealth, TaskStatus
from sixclear.plans.models import TrajectoryPoint
from sixclear.portal.models import Address, Rating
from sixclear.tracking.models import Measurement, ReviewStatus, TaskState
from tests.factories import TargetFactory, TaskFactory

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 12, 20)


def refs(world):
    return [measures.SubjectRef(key="hh", unit_path=world.hoa_hoi.path),
            measures.SubjectRef(key="anb", unit_path=world.an_nhon_bac.path),
            measures.SubjectRef(key="officer", person_id=world.hh_officer.pk)]


def compute(key, world):
    measure = measures.get(key)
    figures = measure.compute(refs(world), 2026, AS_OF, {})
    return {k: (f.numerator, f.denominator) for k, f in figures.items()}, figures


def target(world, unit, status, of_year=2026, expected=True, **fields):
    found = TargetFactory(unit=unit, **fields)
    if expected:
        TrajectoryPoint.objects.create(target=found, year=2026, expected_value=Decimal(121))
    TargetHealth.objects.create(target=found, status=status, year=of_year,
                                actual=Decimal(125), expected=Decimal(121),
                                changed_on=AS_OF)
    return found


def test_targets_on_their_path(world):
    on = target(world, world.hoa_hoi, TargetStatus.ON_TRACK,
                responsible_person=world.hh_officer)
    target(world, world.economy_office, TargetStatus.OFF_TRACK)  # in Hòa Hội's subtree
    target(world, world.hoa_hoi, TargetStatus.ON_TRACK, of_year=2025)  # last year's status
    target(world, world.hoa_hoi, TargetStatus.ON_TRACK, expected=False)  # nothing due in 2026
    target(world, world.an_nhon_bac, TargetStatus.BEHIND)
    counts, figures = compute("targets_on_trajectory", world)
    assert counts == {"hh": (1, 3), "anb": (0, 1), "officer": (1, 1)}
    record = next(r for r in figures["hh"].records if r["pk"] == on.pk)
    assert record["facts"] == {"status": "on_track", "actual": "125.0000",
                               "expected": "121.0000"}


def test_target_values_reported_by_the_evidence_date(world):
    def value(found, status, day):
        Measurement.objects.create(
            target=found, year=2026, value=Decimal(1), status=status,
            reported_by=world.hh_officer,
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))))

    reported = target(world, world.hoa_hoi, TargetStatus.ON_TRACK)
    value(reported, ReviewStatus.APPROVED, datetime.date(2026, 7, 1))
    late = target(world, world.hoa_hoi, TargetStatus.ON_TRACK)
    value(late, ReviewStatus.SUBMITTED, datetime.date(2026, 12, 21))  # after the date
    draft = target(world, world.hoa_hoi, TargetStatus.NO_DATA)
    value(draft, ReviewStatus.RETURNED, datetime.date(2026, 6, 1))  # returned: not reported
    counts, _figures = compute("target_values_reported", world)
    assert counts["hh"] == (1, 3)


def test_a_value_is_reported_on_the_day_of_the_targets_first_submission(world):
    """The first submission is found in the database (one grouped query), not in Python: a
    target submitted in July and again after the date was reported in July; a target with
    no status from monitoring yet counts too."""
    def value(found, status, moment, quarter=0):
        Measurement.objects.create(target=found, year=2026, value=Decimal(1), status=status,
                                   period_kind="quarter" if quarter else "year",
                                   period_number=quarter, reported_by=world.hh_officer,
                                   submitted_at=timezone.make_aware(moment))

    twice = target(world, world.hoa_hoi, TargetStatus.ON_TRACK)
    value(twice, ReviewStatus.SUBMITTED, datetime.datetime(2026, 12, 22, 8))
    value(twice, ReviewStatus.APPROVED, datetime.datetime(2026, 7, 1, 9), quarter=2)
    value(twice, ReviewStatus.APPROVED, datetime.datetime(2026, 7, 3, 9), quarter=1)
    unwatched = TargetFactory(unit=world.hoa_hoi)  # no TargetHealth row
    TrajectoryPoint.objects.create(target=unwatched, year=2026, expected_value=Decimal(5))
    value(unwatched, ReviewStatus.SUBMITTED, datetime.datetime(2026, 3, 2, 9))
    counts, figures = compute("target_values_reported", world)
    assert counts["hh"] == (2, 2)
    facts = {r["pk"]: r["facts"] for r in figures["hh"].records}
    assert facts == {twice.pk: {"submitted_on": "2026-07-01"},
                     unwatched.pk: {"submitted_on": "2026-03-02"}}
    counts, figures = compute("targets_on_trajectory", world)
    record = next(r for r in figures["hh"].records if r["pk"] == unwatched.pk)
    assert record == {"kind": "target", "pk": unwatched.pk, "label": unwatched.name,
                      "ok": False, "facts": {"status": "no_data", "actual": "",
                                             "expected": ""}}


def test_tasks_reported_on_regularly(world):
    def issued(unit, stale, owner=None):
        task = TaskFactory(unit=unit, state=TaskState.ISSUED, owner=owner)
        TaskHealth.objects.create(task=task, status=TaskStatus.ON_TRACK, stale=stale,
                                  changed_on=AS_OF)
        return task

    issued(world.hoa_hoi, False, world.hh_officer)
    issued(world.hoa_hoi, True, world.hh_officer)
    issued(world.economy_office, False)
    TaskFactory(unit=world.hoa_hoi, state=TaskState.DONE)  # done: not open
    issued(world.an_nhon_bac, True)
    counts, _figures = compute("data_freshness", world)
    assert counts == {"hh": (2, 3), "anb": (0, 1), "officer": (1, 2)}


def test_an_open_task_with_no_status_yet_counts_as_reported_on(world):
    """The status is joined to its task: a task monitoring has not scanned yet is not
    stale."""
    unscanned = TaskFactory(unit=world.an_nhon_bac, state=TaskState.ISSUED)
    counts, figures = compute("data_freshness", world)
    assert counts["anb"] == (1, 1)
    assert figures["anb"].records[0]["pk"] == unscanned.pk
    assert figures["anb"].records[0]["ok"] is True


def test_citizens_satisfaction_from_confirmed_ratings_of_the_year(world):
    task = TaskFactory(unit=world.hoa_hoi, state=TaskState.ISSUED)
    result = TargetFactory(unit=world.economy_office)
    when = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
    for n, (score, confirmed) in enumerate([(5, when), (4, when), (2, when), (5, None)]):
        address = Address.objects.create(email=f"dan{n}@example.org", confirmed_at=confirmed)
        Rating.objects.create(address=address, task=task, score=score, confirmed_at=confirmed)
    old = Address.objects.create(email="cu@example.org", confirmed_at=when)
    Rating.objects.create(address=old, target=result, score=1,
                          confirmed_at=timezone.make_aware(datetime.datetime(2025, 6, 1)))
    later = Address.objects.create(email="moi@example.org", confirmed_at=when)
    Rating.objects.create(address=later, target=result, score=5, confirmed_at=when)
    counts, figures = compute("citizen_satisfaction", world)
    # Hòa Hội: 5, 4, 2 on its task and 5 on its office's target (the unconfirmed one and the
    # one of 2025 do not count): 3 satisfied of 4.
    assert counts["hh"] == (3, 4) and counts["anb"] == (0, 0)
    assert {r["kind"] for r in figures["hh"].records} == {"task", "target"}


def test_every_shipped_measure_is_registered():
    from sixclear.evaluation.defaults import default_sets

    for data in default_sets(2026):
        for row in data["criteria"]:
            assert row["method"] == "manual" or measures.get(row["measure"]) is not None
