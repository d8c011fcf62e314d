"""The number of queries of every main page, for every role at a commune and a province, does
not grow with the data: each page is counted on a small data set, then again after many more
tasks, reports, targets, values, sub-units, resolutions, programs, procedures and their
cases, report requests and notifications were added.

What a page costs in time is measured by the benchmark (`bench.pages`); what does not depend on
the machine, the number of statements, is held here.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sixclear.monitoring.models import Notification, NotificationKind
from sixclear.orgs.models import Role, UnitKind
from sixclear.portal import services as portal
from sixclear.portal.pagecache import portal_cache
from sixclear.procedures import services as procedures
from sixclear.reports.models import Report
from sixclear.reports.periods import PeriodKind
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import (
    ProgramFactory,
    ResolutionFactory,
    TargetFactory,
    TaskFactory,
    make_unit,
    person,
)
from tests.procedures.helpers import PETITION_STEPS

ROLES = [Role.VIEWER, Role.OFFICER, Role.MANAGER, Role.LEADER, Role.ADMIN]
LEVELS = ["commune", "province"]
# Resolutions are adopted: the portal shows no draft.
ADOPTED_ON = datetime.date(2025, 9, 5)
TODAY = timezone.localdate()


def _days(n):
    return TODAY + datetime.timedelta(days=n)


class Scene:
    """At Hòa Hội (a commune) and Gia Lai (its province): one person of each role, and of
    each kind of row a few, so that every list on every page has rows from the start."""

    def __init__(self, world):
        self.world = world
        self.units = {"commune": world.hoa_hoi, "province": world.gia_lai}
        self.people = {(level, role): person(unit, role, username=f"{level}.{role}")
                       for level, unit in self.units.items() for role in ROLES}
        self.rows = 0
        self.main = {}
        for level, unit in self.units.items():
            manager = self.people[level, Role.MANAGER]
            resolution = ResolutionFactory(unit=unit, status="adopted", adopted_on=ADOPTED_ON)
            program = ProgramFactory(unit=unit, resolution=resolution)
            target = TargetFactory(unit=unit, resolution=resolution,
                                   responsible_person=self.people[level, Role.OFFICER])
            target.programs.add(program)
            task = self._task(level, unit, resolution=resolution, program=program)
            task.targets.add(target)
            portal.set_publishing_default(actor=manager, unit=unit, publish=True,
                                          expected_version=0)
            self.main[level] = {"resolution": resolution, "program": program,
                                "target": target, "task": task}
        self.grow(2)

    def _task(self, level, unit, **fields):
        self.rows += 1
        officer = self.people[level, Role.OFFICER]
        return TaskFactory(
            unit=unit, owner=officer, authority=self.people[level, Role.LEADER],
            state=TaskState.ISSUED, start_date=_days(-60),
            deadline=_days(-5 if self.rows % 2 else 20), title=f"Nhiệm vụ {self.rows}", **fields)

    def grow(self, n):
        """Add n rows of each kind at both levels, around the rows the pages show."""
        for level, unit in self.units.items():
            main = self.main[level]
            officer = self.people[level, Role.OFFICER]
            manager = self.people[level, Role.MANAGER]
            for _ in range(n):
                self.rows += 1
                sub = make_unit(f"Đơn vị {self.rows}", unit, UnitKind.DEPARTMENT)
                for owner_unit in (unit, sub):
                    task = self._task(level, owner_unit, resolution=main["resolution"],
                                      program=main["program"])
                    task.targets.add(main["target"])
                    self._task(level, owner_unit, parent=main["task"])
                    services.report_progress(actor=officer, task=task, percent=30,
                                             narrative="Đang triển khai.",
                                             obstacles="Thiếu kinh phí")
                services.report_progress(actor=officer, task=main["task"], percent=10 + self.rows,
                                         narrative=f"Báo cáo {self.rows}.")
                target = TargetFactory(unit=unit, resolution=main["resolution"],
                                       responsible_person=officer)
                target.programs.add(main["program"])
                services.record_measurement(actor=officer, target=target, year=2025,
                                            value=Decimal(110))
                other = ResolutionFactory(unit=unit, status="adopted", adopted_on=ADOPTED_ON)
                ProgramFactory(unit=unit, resolution=other)
                procedure = procedures.create_procedure(
                    actor=manager, unit=unit, code=f"QT-{self.rows}",
                    name="Giải quyết đơn thư kiến nghị", effective_from=_days(-90),
                    steps=PETITION_STEPS, owner=officer, objectives=[target])
                procedures.open_case(
                    actor=officer, unit=unit, procedure=procedure, reference=f"ĐT-{self.rows}",
                    subject="Kiến nghị sửa đường thôn 3", applicant="Nguyễn Văn A",
                    opened_on=_days(-10))
                Report.objects.create(
                    unit=unit, period_kind=PeriodKind.YEAR, year=2025, period_number=0,
                    format="pdf", language="vi", created_by=manager, parameters={})
                for (_level, _role), user in self.people.items():
                    Notification.objects.create(
                        recipient=user, kind=NotificationKind.LATE, task=main["task"],
                        dedupe_key=f"scene-{self.rows}-{user.pk}")

    def urls(self, level):
        unit, main = self.units[level], self.main[level]
        return {
            "home": reverse("home"),
            "my work": reverse("tracking:my_work"),
            "approvals": reverse("tracking:approvals"),
            "notifications": reverse("monitoring:notifications"),
            "unit": reverse("orgs:unit", args=[unit.pk]),
            "task": reverse("tracking:task", args=[main["task"].pk]),
            "target": reverse("plans:target", args=[main["target"].pk]),
            "resolution": reverse("plans:resolution", args=[main["resolution"].pk]),
            "program": reverse("plans:program", args=[main["program"].pk]),
            "dashboard": reverse("dashboards:unit", args=[unit.pk]),
            "reports list": reverse("reports:unit_reports", args=[unit.pk]),
            "procedures": reverse("procedures:register", args=[unit.pk]),
            "evaluation": reverse("evaluation:unit", args=[unit.pk]),
            "portal home": reverse("portal:index"),
            "portal unit": reverse("portal:unit", args=[unit.pk]),
            "portal resolution": reverse("portal:resolution", args=[main["resolution"].pk]),
            "portal target": reverse("portal:target", args=[main["target"].pk]),
            "portal task": reverse("portal:task", args=[main["task"].pk]),
        }


def count_queries(client, urls):
    """{page: queries} of one request each, after a first request (sessions, caches warm);
    the portal's page cache and the dashboards' kept figures are emptied first, so their
    pages are counted as they are built. Home sends a signed-in person to their work (302)."""
    counts = {}
    for page, url in urls.items():
        assert client.get(url).status_code in (200, 302), page
        portal_cache().clear()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), (page, response.status_code)
        counts[page] = len(queries.captured_queries)
    return counts


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_makes_more_queries_with_more_rows(client, world, level, role):
    scene = Scene(world)
    client.force_login(scene.people[level, role])
    urls = scene.urls(level)
    few = count_queries(client, urls)
    scene.grow(6)
    many = count_queries(client, urls)
    grown = {page: (few[page], many[page]) for page in urls if many[page] > few[page]}
    assert not grown, f"queries (few rows, many rows) of the pages that grew: {grown}"
