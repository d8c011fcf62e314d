"""Writes the demo dataset through the same services that real use goes through.

Every object is looked up by its stable key (unit code, username, resolution or program number
per unit, target or task code per unit, measurement period) before it is created, so a second
build adds nothing and fails nothing. A task's steps and reports are written only when the task
itself is created, since they are part of its story.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sixclear.orgs.models import Unit, UnitKind
from sixclear.orgs.services import create_unit, grant_role
from sixclear.plans.areas import ensure_standard_areas
from sixclear.plans.models import (
    Area,
    Program,
    Resolution,
    ResolutionItemKind,
    ResolutionStatus,
    Target,
)
from sixclear.plans.services import (
    add_program_section,
    add_resolution_item,
    create_program,
    create_resolution,
    create_target,
    update_resolution,
)
from sixclear.tracking.models import Measurement, PeriodKind, Task
from sixclear.tracking.services import (
    add_step,
    arrange_program,
    cancel_task,
    complete_step,
    create_task,
    issue_task,
    record_measurement,
    report_progress,
    review_measurement,
    review_progress_report,
)

from . import dataset

DECIMAL_FIELDS = ("baseline_value", "target_value", "annual_rate", "annual_rate_high")


# What other apps add to the demo (published results, report schedules, ...): each is a function
# taking the demo's day, idempotent like the rest of the build.
# Those that create tasks come before the portal, which publishes the ward's tasks; the
# evaluation comes last, as it freezes the evidence of everything before it.
DEMO_EXTENSIONS = [
    "sixclear.procedures.demo.add_demo",
    "sixclear.meetings.demo.add_demo",
    "sixclear.portal.demo.add_demo",
    "sixclear.reports.demo.add_demo",
    "sixclear.snapshots.demo.add_demo",
    "sixclear.evaluation.demo.add_demo",
    # What follows a closed evaluation round: its league on the portal, its decision signed.
    "sixclear.portal.demo.publish_leagues",
    "sixclear.reports.demo.sign_evaluation_decision",
]


def build_demo(today=None):
    """Create whatever part of the demo is missing; return (username, role, unit name) rows."""
    today = today or timezone.localdate()
    # One Argon2 hash (~0.2 s) shared by every demo account rather than one per account: the
    # password is the same and published, so separate salts would protect nothing.
    password_hash = make_password(dataset.DEMO_PASSWORD)
    with transaction.atomic():
        admin = ensure_superuser(password_hash)
        for code, parent_code, name, kind in dataset.UNITS:
            ensure_unit(admin, code, parent_code, name, kind)
        people = {row[0]: ensure_person(admin, password_hash, *row) for row in dataset.PEOPLE}
        ensure_areas()
        for commune in dataset.COMMUNES:
            CommuneBuild(commune, people, today).run()
        for extension in DEMO_EXTENSIONS:
            import_string(extension)(today)
    return demo_accounts()


def ensure_areas():
    """The areas the demo adds to the shared list, as an administrator would."""
    ensure_standard_areas()
    for order, (code, name, name_en, name_ar) in enumerate(dataset.EXTRA_AREAS, 1):
        Area.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "name_ar": name_ar, "order": 200 + order})


def demo_is_present():
    """True when the last task of the dataset exists, i.e. a build has completed before."""
    last_commune = dataset.COMMUNES[-1]
    return Task.objects.filter(
        unit__code=last_commune["unit"], code=last_commune["tasks"][-1]["code"]
    ).exists()


def demo_accounts():
    names = {unit.code: unit_label(unit) for unit in Unit.objects.all()}
    rows = [(dataset.SUPERUSER["username"], "superuser", "—")]
    rows += [(username, role, names[code]) for username, _, code, role, _ in dataset.PEOPLE]
    return rows


def unit_label(unit):
    # Department names repeat in every commune, so name the commune too.
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.PARTY_CELL):
        return f"{unit.name}, {Unit.objects.get_parent(unit).name}"
    return unit.name


def ensure_superuser(password_hash):
    spec = dataset.SUPERUSER
    user, _created = get_user_model().objects.get_or_create(
        username=spec["username"],
        defaults={"first_name": spec["name"], "email": spec["email"], "password": password_hash,
                  "is_staff": True, "is_superuser": True},
    )
    return user


def ensure_unit(admin, code, parent_code, name, kind):
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        parent = Unit.objects.get(code=parent_code) if parent_code else None
        unit = create_unit(actor=admin, parent=parent, code=code, name=name, kind=kind)
    return unit


def ensure_person(admin, password_hash, username, name, unit_code, role, title):
    email = f"{username}@example.org"
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "email": email, "password": password_hash}
    )
    unit = Unit.objects.get(code=unit_code)
    grant_role(actor=admin, user=user, unit=unit, role=role, title=title)
    return user


class CommuneBuild:
    """Writes one commune's resolution, programs, targets, tasks and measurements.

    The commune's manager acts, as in real use; the owner reports and a different person
    (the approving person or the manager) reviews.
    """

    def __init__(self, data, people, today):
        self.data = data
        self.people = people
        self.today = today
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.unit = self.units[data["unit"]]
        self.manager = people[data["manager"]]
        self.leader = people[data["leader"]]

    def run(self):
        self.resolution = self.ensure_resolution()
        self.ensure_resolution_items()
        self.adopt_resolution()
        self.programs = {
            spec["number"]: self.ensure_program(spec) for spec in self.data["programs"]
        }
        self.targets = {spec["code"]: self.ensure_target(spec) for spec in self.data["targets"]}
        self.task_groups = {
            item.position: item
            for item in self.resolution.items.filter(kind=ResolutionItemKind.TASK_GROUP)
        }
        for spec in self.data["tasks"]:
            self.ensure_task(spec)
        for row in self.data["measurements"]:
            self.ensure_measurement(*row)
        for number, sections in self.data.get("program_sections", {}).items():
            self.ensure_sections(self.programs[number], sections)

    def day(self, offset_or_date):
        """A fixed date stays; a whole number is that many days from the build day."""
        if offset_or_date is None or isinstance(offset_or_date, date):
            return offset_or_date
        return self.today + timedelta(days=offset_or_date)

    def person(self, username):
        return self.people[username] if username else None

    # Resolution, programs, targets -----------------------------------------------------------

    def ensure_resolution(self):
        """Written as a draft first: its items are added before it is adopted, which fixes
        them (`adopt_resolution`)."""
        spec = {key: value for key, value in self.data["resolution"].items()
                if key != "adopted_on"}
        found = Resolution.objects.filter(unit=self.unit, number=spec["number"]).first()
        return found or create_resolution(actor=self.manager, unit=self.unit, **spec)

    def adopt_resolution(self):
        adopted_on = self.data["resolution"].get("adopted_on")
        if adopted_on and self.resolution.status == ResolutionStatus.DRAFT:
            self.resolution = update_resolution(
                actor=self.manager, resolution=self.resolution,
                expected_version=self.resolution.version, status=ResolutionStatus.ADOPTED,
                adopted_on=adopted_on)

    def ensure_sections(self, program, sections):
        """A program's sections (A, B, C …), each holding the targets whose code starts with
        its prefix and the tasks it names; only when the program has none yet."""
        if program.sections.exists():
            return
        targets, tasks = {}, {}
        for code, title, prefix, task_codes in sections:
            section = add_program_section(actor=self.manager, program=program, code=code,
                                          title=title)
            for target in program.targets.filter(code__startswith=prefix):
                targets[target] = section
            for task in Task.objects.filter(unit=self.unit, program=program,
                                            code__in=task_codes):
                tasks[task] = section
        program.refresh_from_db()
        arrange_program(actor=self.manager, program=program, expected_version=program.version,
                        targets=targets, tasks=tasks)

    def ensure_resolution_items(self):
        for kind, entries in self.data["resolution_items"].items():
            present = self.resolution.items.filter(kind=kind).count()
            # Items are appended in order, so the ones present are the first of the list.
            for title, text in entries[present:]:
                add_resolution_item(
                    actor=self.manager, resolution=self.resolution, kind=kind, title=title,
                    text=text,
                )

    def ensure_program(self, spec):
        found = Program.objects.filter(unit=self.unit, number=spec["number"]).first()
        if found:
            return found
        fields = dict(spec)
        for name in ("period_start", "period_end", "issued_on"):
            fields[name] = self.day(fields[name])
        return create_program(
            actor=self.manager, unit=self.unit, resolution=self.resolution, **fields
        )

    def ensure_target(self, spec):
        found = Target.objects.filter(unit=self.unit, code=spec["code"]).first()
        if found:
            return found
        fields = {**dataset.TARGET_YEARS, **spec}
        in_resolution = fields.pop("in_resolution", False)
        programs = [self.programs[number] for number in fields.pop("programs", ())]
        responsible = self.people[fields.pop("responsible", self.data["responsible"])]
        for name in DECIMAL_FIELDS:
            if fields.get(name) is not None:
                fields[name] = Decimal(fields[name])
        return create_target(
            actor=self.manager,
            unit=self.unit,
            programs=programs,
            resolution=self.resolution if in_resolution else None,
            responsible_person=responsible,
            responsible_unit=self.units[dataset.OFFICE_OF[responsible.username]],
            **fields,
        )

    # Tasks -----------------------------------------------------------------------------------

    def ensure_task(self, spec):
        if Task.objects.filter(unit=self.unit, code=spec["code"]).exists():
            return
        task = create_task(actor=self.manager, unit=self.unit, **self.task_fields(spec))
        if spec.get("draft"):
            return  # left with gaps in the six clears, to show the gate before issuing
        task = issue_task(actor=self.manager, task=task, expected_version=task.version)
        if spec.get("cancel"):
            cancel_task(actor=self.leader, task=task, expected_version=task.version,
                        reason=spec["cancel"])
            return
        for title, due, done in spec.get("steps", ()):
            self.add_task_step(task, title, due, done)
        for report in spec.get("reports", ()):
            self.add_report(task, report)

    def task_fields(self, spec):
        program = spec.get("program")
        return {
            "code": spec["code"],
            "title": spec["title"],
            "description": spec["description"],
            "owner": self.person(spec.get("owner")),
            "lead_unit": self.units[spec["lead"]],
            "coordinating_units": [self.units[code] for code in spec.get("coordinating", ())],
            "start_date": self.day(spec["start"]),
            "deadline": self.day(spec.get("deadline")),
            "expected_result": spec.get("result", ""),
            "authority": self.person(spec.get("authority")),
            "authority_body": spec.get("authority_body", ""),
            "resolution": self.resolution,
            "program": self.programs[program] if program else None,
            "task_group": self.task_groups.get(spec.get("group")),
            "targets": [self.targets[code] for code in spec.get("targets", ())],
            "priority": spec.get("priority", "normal"),
            "parent": (Task.objects.get(unit=self.unit, code=spec["parent"])
                       if spec.get("parent") else None),
        }

    def add_task_step(self, task, title, due, done):
        step = add_step(actor=self.manager, task=task, title=title, due_date=self.day(due))
        if done:
            complete_step(actor=task.owner, step=step, expected_version=step.version)

    def add_report(self, task, spec):
        # The service refuses reports dated after the real today, which a --today in the
        # future would otherwise produce.
        report_date = min(self.day(spec["day"]), timezone.localdate())
        report = report_progress(
            actor=task.owner, task=task, percent=spec["percent"], narrative=spec["narrative"],
            obstacles=spec.get("obstacles", ""), report_date=report_date,
        )
        if spec["outcome"] == "submit":
            return  # left waiting in the approvals inbox
        review_progress_report(
            actor=self.reviewer_of(task), report=report, expected_version=report.version,
            approve=spec["outcome"] == "approve", comment=spec.get("comment", ""),
        )

    def reviewer_of(self, task):
        """The approving person when named, else the manager; never the reporting owner."""
        if task.authority_id and task.authority_id != task.owner_id:
            return task.authority
        return self.manager

    # Measurements ----------------------------------------------------------------------------

    def ensure_measurement(self, code, year, quarter, value, approved):
        target = self.targets[code]
        period = (
            {"period_kind": PeriodKind.QUARTER, "period_number": quarter}
            if quarter
            else {"period_kind": PeriodKind.YEAR, "period_number": 0}
        )
        if Measurement.objects.filter(target=target, year=year, **period).exists():
            return
        # A value is reported only for a period that has begun (the service's rule): built
        # early in a year, the demo leaves that year's later quarters for their time.
        first_month = 3 * (quarter - 1) + 1 if quarter else 1
        if date(year, first_month, 1) > timezone.localdate():
            return
        reporter = target.responsible_person
        measurement = record_measurement(
            actor=reporter, target=target, year=year, value=Decimal(value),
            source=self.data["source"], **period,
        )
        if approved:
            # Approval needs someone other than the reporter.
            reviewer = self.leader if reporter == self.manager else self.manager
            review_measurement(
                actor=reviewer, measurement=measurement,
                expected_version=measurement.version, approve=True,
            )
