"""The test world of issue 12 ("one write path"): Hòa Hội's own plan, Việt Hưng's rows that a
Hòa Hội manager must never reach, and helpers that compare two refusals.

A reference to a row of another commune must be answered exactly like a reference to a row
that does not exist: same status, same body once the reference text is replaced, nothing
written, and nothing of the foreign row (name, code, number, title, full name) in the answer.
"""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from sixclear.changes.models import ChangeRequest
from sixclear.dashboards.models import UnitTaskRollup
from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.models import TargetHealth, TaskHealth
from sixclear.orgs.models import Membership, Role, Unit
from sixclear.plans.models import (
    Program,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    Target,
    TrajectoryPoint,
)
from sixclear.plans.services import store_trajectory
from sixclear.tracking.models import Measurement, ProgressReport, Task, TaskState, TaskStep
from tests.api.conftest import token_client
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory, TaskFactory, person

TODAY = timezone.localdate()
MISSING_ID = 999_999
MISSING_CODE = "KHONG-CO-99"
MISSING_USER = "khong.ai.ca"


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def fresh_cache():
    """API throttle counters and page caches live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# --- the two communes ------------------------------------------------------------------------


class Foreign:
    """Việt Hưng's rows (a ward of Hà Nội) and people whose only role is there or in Hà Nội.
    Every name, number and title here is one a Hòa Hội manager must never read."""

    def __init__(self, world):
        self.unit = world.viet_hung
        self.officer = person(world.viet_hung, Role.OFFICER, username="vh.officer",
                              first_name="Trần Thị", last_name="Kín Đáo")
        self.leader = person(world.ha_noi, Role.LEADER, username="hn.leader",
                             first_name="Lê Văn", last_name="Bảo Mật")
        self.resolution = ResolutionFactory(unit=world.viet_hung, number="88-NQ/VH",
                                            title="Nghị quyết nội bộ Việt Hưng XQ-RES")
        self.task_group = ResolutionItem.objects.create(
            resolution=self.resolution, kind=ResolutionItemKind.TASK_GROUP, position=1,
            title="Nhóm giải pháp nội bộ XQ-GROUP")
        self.program = ProgramFactory(unit=world.viet_hung, resolution=self.resolution,
                                      number="77-CTr/VH", title="Chương trình nội bộ XQ-PROG")
        self.target = TargetFactory(unit=world.viet_hung, code="VH-XQ-TGT",
                                    name="Chỉ tiêu nội bộ XQ-TGT-NAME",
                                    resolution=self.resolution,
                                    responsible_person=self.officer)
        self.task = TaskFactory(unit=world.viet_hung, title="Nhiệm vụ nội bộ XQ-TASK",
                                code="VH-XQ-NV", owner=self.officer, state=TaskState.ISSUED)


class Home:
    """Hòa Hội's own plan: a resolution with a task group, a program, a growth target, a draft
    task and an issued task whose approving person is the commune's leader."""

    def __init__(self, world):
        self.unit = world.hoa_hoi
        self.resolution = ResolutionFactory(unit=world.hoa_hoi, number="01-NQ/ĐU")
        self.task_group = ResolutionItem.objects.create(
            resolution=self.resolution, kind=ResolutionItemKind.TASK_GROUP, position=1,
            title="Nhóm nhiệm vụ phát triển kinh tế")
        self.program = ProgramFactory(unit=world.hoa_hoi, resolution=self.resolution,
                                      number="02-CTr/ĐU")
        self.target = TargetFactory(unit=world.hoa_hoi, code="KT-01", resolution=self.resolution,
                                    responsible_person=world.hh_officer)
        store_trajectory(self.target)
        self.draft = TaskFactory(unit=world.hoa_hoi, code="NV-NHAP", title="Nhiệm vụ nháp",
                                 owner=world.hh_officer)
        self.issued = TaskFactory(unit=world.hoa_hoi, code="NV-01", title="Nhiệm vụ đã giao",
                                  owner=world.hh_officer, authority=world.hh_leader,
                                  state=TaskState.ISSUED, start_date=days(-30),
                                  deadline=days(30))
        settle()


def settle():
    """Statuses and rollups as the scan and `sixclear rollups` compute them, for rows the
    factories wrote without the services."""
    run_scan(TODAY)
    call_command("rollups", stdout=io.StringIO())


@pytest.fixture
def foreign(world):
    return Foreign(world)


@pytest.fixture
def home(world):
    return Home(world)


# --- what a reference may reveal -------------------------------------------------------------


def secrets_of(item):
    """The texts that name `item`: what no answer to a Hòa Hội manager may contain."""
    if isinstance(item, list | tuple):
        return [text for one in item for text in secrets_of(one)]
    if isinstance(item, Unit):
        return [item.name, item.code]
    if isinstance(item, Resolution | Program):
        return [item.number, item.title]
    if isinstance(item, ResolutionItem):
        return [item.title, item.resolution.number, item.resolution.title]
    if isinstance(item, Target):
        return [item.code, item.name]
    if isinstance(item, Task):
        return [item.title] + ([item.code] if item.code else [])
    # a person
    return [item.get_full_name(), item.first_name, item.last_name, item.username]


def _refs_pattern(refs):
    refs = sorted({str(ref) for ref in refs}, key=len, reverse=True)
    alternatives = "|".join(re.escape(ref) for ref in refs)
    return re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])")


PAGE_NOISE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r"[A-Za-z0-9]{32,}"), "<TOKEN>"),  # csrf tokens and nonces differ per request
]


def normalized(text, refs):
    """`text` with every reference in `refs` replaced by <REF> and per-request noise removed,
    the same for both answers so that incidental equal numbers cancel out."""
    text = _refs_pattern(refs).sub("<REF>", text)
    for pattern, replacement in PAGE_NOISE:
        text = pattern.sub(replacement, text)
    return text


def body_text(answer):
    """The text of an HTTP response, or of an import's outcome / a service's error."""
    if hasattr(answer, "content"):
        return answer.content.decode()
    return str(answer)


def assert_answered_alike(foreign_answer, missing_answer, *, foreign_ref, missing_ref,
                          secrets):
    """The foreign reference is answered exactly like a missing one and names nothing of it."""
    if hasattr(foreign_answer, "status_code"):
        assert foreign_answer.status_code == missing_answer.status_code, (
            f"foreign {foreign_answer.status_code} vs missing {missing_answer.status_code}: "
            f"{body_text(foreign_answer)[:800]}")
    refs = [foreign_ref, missing_ref]
    foreign_text = normalized(body_text(foreign_answer), refs)
    missing_text = normalized(body_text(missing_answer), refs)
    leaked = [secret for secret in secrets if secret and secret in foreign_text]
    assert not leaked, f"the answer names {leaked}: {foreign_text[:1500]}"
    assert foreign_text == missing_text, (
        f"\nforeign: {_excerpt(foreign_text, missing_text)}"
        f"\nmissing: {_excerpt(missing_text, foreign_text)}")


def _excerpt(text, other):
    """The part of `text` where it starts to differ from `other`."""
    start = next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b),
                 min(len(text), len(other)))
    return text[max(0, start - 200):start + 600]


# --- nothing written -------------------------------------------------------------------------

COUNTED = [Task, Task.coordinating_units.through, Task.targets.through, TaskStep,
           ProgressReport, Measurement, Target, Target.programs.through, TrajectoryPoint,
           Program, Resolution, ChangeRequest, Membership]


def counts():
    return {model._meta.label: model.objects.count() for model in COUNTED}


def snapshot(instance):
    """Every field of a row as stored, links included, to prove an edit left it alone."""
    fresh = type(instance).objects.get(pk=instance.pk)
    values = model_to_dict(fresh)
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = sorted(getattr(item, "pk", item) for item in value)
    values["version"] = fresh.version
    return values


# --- doors -----------------------------------------------------------------------------------


def api(user):
    """An API client with a personal token of `user` that returns 500s instead of raising."""
    client = token_client(user)
    client.raise_request_exception = False
    return client


def browser(client, user):
    client.force_login(user)
    client.raise_request_exception = False
    return client


def task_form_data(task, **changes):
    """The web task form as the edit page fills it for `task`, with `changes` applied."""
    data = {
        "title": task.title, "code": task.code, "description": task.description,
        "owner": task.owner_id, "lead_unit": task.lead_unit_id,
        "coordinating_units": [u.pk for u in task.coordinating_units.all()] if task.pk else [],
        "start_date": task.start_date.isoformat() if task.start_date else "",
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "priority": task.priority, "expected_result": task.expected_result,
        "authority": task.authority_id, "authority_body": task.authority_body,
        "resolution": task.resolution_id, "program": task.program_id,
        "task_group": task.task_group_id,
        "targets": [t.pk for t in task.targets.all()] if task.pk else [],
        "version": task.version,
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def verify_rollups():
    """`sixclear rollups --verify`: raises CommandError when a stored row differs."""
    call_command("rollups", verify=True, stdout=io.StringIO())


def task_status(task):
    return TaskHealth.objects.filter(task=task).values_list("status", flat=True).first()


def target_status(target):
    return TargetHealth.objects.filter(target=target).values_list("status", flat=True).first()


def late_count(unit):
    return UnitTaskRollup.objects.filter(unit=unit).values_list("late", flat=True).first() or 0


def expected_in(target, year):
    return TrajectoryPoint.objects.get(target=target, year=year).expected_value

