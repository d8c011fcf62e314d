"""Rounds taken to their end through the services, for the tests of what a closed round gives:
the proposals for emulation titles, the minutes and the decision on grades."""

from sixclear.evaluation import services
from sixclear.evaluation.models import Level
from sixclear.orgs.models import Role, UnitKind
from tests.factories import make_unit, person

# Việt Hưng's departments and the general points (of 30) each gives itself: with nothing due
# in the year every computed criterion gives its points, so each totals 70 + these.
DEPARTMENTS = [
    ("Văn phòng HĐND và UBND", "30"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "28"),
    ("Phòng Văn hóa - Xã hội", "15"),
    ("Phòng Tư pháp", "10"),
    ("Trạm Y tế", "5"),
]


def viet_hung_departments(world):
    """Việt Hưng with five departments, a manager in each, its administrator and leader."""
    world.vh_admin = person(world.viet_hung, Role.ADMIN, username="vh.admin")
    world.vh_leader = person(world.viet_hung, Role.LEADER, username="vh.leader")
    world.vh_officer = person(world.viet_hung, Role.OFFICER, username="vh.officer")
    world.departments, world.department_managers = [], []
    for number, (name, _points) in enumerate(DEPARTMENTS, start=1):
        unit = make_unit(name, world.viet_hung, UnitKind.DEPARTMENT, code=f"HN-VH-P{number}")
        world.departments.append(unit)
        world.department_managers.append(
            person(unit, Role.MANAGER, username=f"vh.p{number}.manager"))
    return world


def open_departments(world, year=2026):
    return services.open_round(actor=world.vh_admin, unit=world.viet_hung, year=year,
                               level=Level.DEPARTMENT)


def assess_and_decide(world, round_, points=None, adjustments=None, vetoes=None, leader=None):
    """Every department hands over its self-assessment and the leader decides it, with the
    adjustments ({name: {code: (points, reason)}}) and disqualifiers ({name: {code: reason}})
    given."""
    points = points or dict(DEPARTMENTS)
    for unit, manager in zip(world.departments, world.department_managers, strict=True):
        subject = round_.subjects.get(unit=unit)
        services.save_self_assessment(actor=manager, subject=subject,
                                      expected_version=subject.version,
                                      comment=f"{unit.name} tự đánh giá", proposed_grade="good",
                                      scores={"TC": (points[unit.name], "")}, submit=True)
        subject.refresh_from_db()
        services.review_subject(actor=leader or world.vh_leader, subject=subject,
                                expected_version=subject.version, decide=True,
                                adjustments=(adjustments or {}).get(unit.name),
                                vetoes=(vetoes or {}).get(unit.name))


def close(world, round_, leader=None):
    round_.refresh_from_db()
    return services.close_round(actor=leader or world.vh_leader, round=round_,
                                expected_version=round_.version)


def closed_departments(world):
    """The 2026 round of Việt Hưng's departments, closed: the first excellent (the cap allows
    one of the five graded good or better), the others good."""
    round_ = open_departments(world)
    assess_and_decide(world, round_)
    return close(world, round_)
