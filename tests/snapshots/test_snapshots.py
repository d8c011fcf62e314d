import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sixclear.meetings import services as obstacles
from sixclear.monitoring.engine import run_scan
from sixclear.periods import Period
from sixclear.snapshots import canonical, selectors, services
from sixclear.snapshots.models import Snapshot
from sixclear.snapshots.periods_text import parse_period, period_text
from tests.factories import make_unit

from .conftest import AFTER_Q3, IN_Q3, IN_Q4, Q3, add_tasks, at, change_in_q4

pytestmark = pytest.mark.django_db


def test_canonical_text_does_not_depend_on_key_order_or_decimal_form():
    one = {"b": [1, {"y": Decimal("12.50"), "x": "Hòa Hội"}], "a": datetime.date(2026, 9, 30)}
    two = {"a": datetime.date(2026, 9, 30), "b": [1, {"x": "Hòa Hội", "y": Decimal("12.5")}]}
    assert canonical.dumps(one) == canonical.dumps(two) == \
        '{"a":"2026-09-30","b":[1,{"x":"Hòa Hội","y":"12.5"}]}'
    assert canonical.sha256(canonical.dumps(one)) == canonical.sha256(canonical.dumps(two))
    with pytest.raises(TypeError):
        canonical.dumps({"value": object()})


def test_a_snapshot_freezes_targets_tasks_and_obstacles(world, q3, no_seal_key):
    with at(AFTER_Q3):
        result = services.take_snapshots(Q3)
    assert result.created == Snapshot.objects.count() > 0
    snapshot = Snapshot.objects.get(unit=world.hoa_hoi, period_kind="quarter", year=2026,
                                    period_number=3)
    data = json.loads(snapshot.content)
    assert data["period"] == {"kind": "quarter", "year": 2026, "number": 3,
                              "start": "2026-07-01", "end": "2026-09-30"}
    [target] = data["targets"]
    assert target["code"] == "CT-01" and target["actual"] == "110"
    assert target["expected"] is not None and target["status"] == "off_track"
    assert target["forecast"] in ("likely", "possible", "unlikely", "unknown")
    tasks = {row["code"]: row for row in data["tasks"]}
    assert set(tasks) == {"NV-01", "NV-02"}  # An Nhơn Bắc's task is in its own snapshot
    assert tasks["NV-01"]["status"] == "late" and tasks["NV-02"]["reported_percent"] == 20
    obstacle = q3["stuck"].obstacle_records.get()
    assert data["obstacles"] == [{
        "id": obstacle.pk, "state": "open", "task": q3["stuck"].pk, "target": None,
        "code": "NV-02", "title": "Xây dựng chợ", "text": "Thiếu vốn đối ứng", "help_asked": "",
        "reported_in": {"id": world.hoa_hoi.pk, "name": "Hòa Hội"},
        "must_act": {"id": world.hoa_hoi.pk, "name": "Hòa Hội"},
        "reported_on": "2026-09-20", "days_open": 10, "escalations": 0}]
    assert data["schema"] == 2
    assert data["figures"]["tasks"]["late"] == 1
    assert snapshot.sha256 == canonical.sha256(snapshot.content)
    assert snapshot.seal is None  # no key configured: kept unsealed


def test_obstacles_are_frozen_as_they_stood_at_the_periods_end(world, q3, no_seal_key):
    """Taken late, in the fourth quarter: the obstacle resolved in October is still open in
    Q3's snapshot, waiting at Hòa Hội as it was on 30 September; one routed to the economy
    office before the end is in both units' snapshots, once in the commune's review; one
    resolved in September and one raised in October are not there."""
    with at(IN_Q3):
        routed = obstacles.raise_obstacle(actor=world.hh_officer, target=q3["target"],
                                          description="Chưa có số liệu thống kê")
        obstacles.route_obstacle(actor=world.hh_manager, obstacle=routed, expected_version=1,
                                 must_act=world.economy_office)
        done = obstacles.raise_obstacle(actor=world.hh_officer, task=q3["late"],
                                        description="Thiếu mặt bằng")
        obstacles.answer_obstacle(actor=world.hh_manager, obstacle=done, expected_version=1,
                                  answer="Đã bàn giao", resolve=True)
    with at(datetime.date(2026, 10, 5)):
        obstacles.raise_obstacle(actor=world.hh_officer, task=q3["late"],
                                 description="Mưa bão")
        obstacles.escalate_obstacle(actor=world.hh_manager,
                                    obstacle=routed, expected_version=2)
    change_in_q4(world, q3)  # the first obstacle is resolved in November
    with at(IN_Q4):
        services.take_snapshots(Q3)
    data = json.loads(Snapshot.objects.get(unit=world.hoa_hoi, period_number=3).content)
    rows = {row["text"]: row for row in data["obstacles"]}
    assert set(rows) == {"Thiếu vốn đối ứng", "Chưa có số liệu thống kê"}
    assert rows["Thiếu vốn đối ứng"]["state"] == "open"
    assert rows["Thiếu vốn đối ứng"]["must_act"]["name"] == "Hòa Hội"
    assert rows["Chưa có số liệu thống kê"]["state"] == "assigned"
    assert rows["Chưa có số liệu thống kê"]["must_act"] == {"id": world.economy_office.pk,
                                                          "name": "Phòng Kinh tế"}
    assert rows["Chưa có số liệu thống kê"]["target"] == q3["target"].pk
    assert rows["Chưa có số liệu thống kê"]["code"] == "CT-01"
    assert rows["Chưa có số liệu thống kê"]["escalations"] == 0
    office = json.loads(Snapshot.objects.get(unit=world.economy_office).content)
    assert [row["text"] for row in office["obstacles"]] == ["Chưa có số liệu thống kê"]
    review = selectors.frozen_review(world.hoa_hoi, Q3, today=IN_Q4)
    assert sorted(row["text"] for row in review.obstacles) == [
        "Chưa có số liệu thống kê", "Thiếu vốn đối ứng"]


def test_taking_a_period_again_changes_nothing(world, q3, no_seal_key):
    with at(AFTER_Q3):
        first = services.take_snapshots(Q3)
        hashes = dict(Snapshot.objects.values_list("unit_id", "sha256"))
        again = services.take_snapshots(Q3)
        call_command("snapshots", "take", "--period", "2026-Q3", "--unit", world.hoa_hoi.code)
    assert again.created == 0 and again.existing == first.created
    assert dict(Snapshot.objects.values_list("unit_id", "sha256")) == hashes
    snapshot = Snapshot.objects.get(unit=world.hoa_hoi)
    with pytest.raises(ValidationError):
        snapshot.save()


def test_the_hash_is_stable_when_the_same_state_is_frozen_again(world, q3, no_seal_key):
    with at(AFTER_Q3):
        services.take_snapshots(Q3, unit=world.hoa_hoi)
        before = Snapshot.objects.get(unit=world.hoa_hoi).sha256
        Snapshot.objects.all().delete()
        services.take_snapshots(Q3, unit=world.hoa_hoi)
    assert Snapshot.objects.get(unit=world.hoa_hoi).sha256 == before


def test_only_an_ended_period_is_frozen(world, q3, no_seal_key):
    with at(IN_Q3), pytest.raises(ValidationError):
        services.take_snapshots(Q3)
    assert not Snapshot.objects.exists()


def _queries_to_take(unit):
    Snapshot.objects.all().delete()
    with at(AFTER_Q3), CaptureQueriesContext(connection) as queries:
        result = services.take_snapshots(Q3, unit=unit)
    assert result.created
    return len(queries)


def test_taking_snapshots_is_set_based(world, q3, seal_key):
    """The number of statements does not grow with the tasks and targets frozen."""
    few = _queries_to_take(world.hoa_hoi)
    with at(IN_Q3):
        add_tasks(world.hoa_hoi, world.hh_officer, 30)
        tasks = add_tasks(world.economy_office, world.hh_officer, 30, prefix="Y")
        for index, task in enumerate(tasks[:10]):  # obstacles in the register, half escalated
            obstacle = obstacles.raise_obstacle(actor=world.hh_officer, task=task,
                                                description=f"Vướng {task.code}")
            if index % 2:
                obstacles.escalate_obstacle(actor=world.hh_manager, obstacle=obstacle,
                                            expected_version=obstacle.version)
        run_scan(IN_Q3)
    many = _queries_to_take(world.hoa_hoi)
    assert many == few
    data = json.loads(Snapshot.objects.get(unit=world.hoa_hoi).content)
    assert len(data["tasks"]) == 32
    # Its own obstacle, and the five of the office escalated to it.
    assert len(data["obstacles"]) == 6
    office = json.loads(Snapshot.objects.get(unit=world.economy_office).content)
    assert len(office["obstacles"]) == 10


def test_the_seal_verifies_and_any_change_breaks_it(world, q3, seal_key):
    with at(AFTER_Q3):
        result = services.take_snapshots(Q3)
    assert result.sealed
    snapshot = Snapshot.objects.select_related("seal").get(unit=world.hoa_hoi)
    check = selectors.check_snapshot(snapshot)
    assert check.valid and check.signer_name == "Sixclear review seal"
    # The content changed behind the application's back: the hash no longer matches.
    Snapshot.objects.filter(pk=snapshot.pk).update(
        content=snapshot.content.replace("Thiếu vốn", "Đủ vốn"))
    snapshot.refresh_from_db()
    assert not selectors.check_snapshot(snapshot).valid
    # Content and hash changed together: the signed manifest no longer lists it.
    Snapshot.objects.filter(pk=snapshot.pk).update(sha256=canonical.sha256(snapshot.content))
    snapshot.refresh_from_db()
    check = selectors.check_snapshot(snapshot)
    assert check.hash_matches and not check.in_manifest and not check.valid
    # A manifest rewritten to match is no longer what was signed.
    seal = snapshot.seal
    manifest = json.loads(seal.manifest)
    manifest["snapshots"] = [[u, snapshot.sha256 if u == snapshot.unit_id else d]
                             for u, d in manifest["snapshots"]]
    text = canonical.dumps(manifest)
    type(seal).objects.filter(pk=seal.pk).update(manifest=text, sha256=canonical.sha256(text))
    snapshot = Snapshot.objects.select_related("seal").get(pk=snapshot.pk)
    check = selectors.check_snapshot(snapshot)
    assert check.in_manifest and not check.signature_valid and not check.valid


def test_unsealed_snapshots_are_sealed_later(world, q3, no_seal_key, settings, _session_pki):
    with at(AFTER_Q3):
        services.take_snapshots(Q3)
    assert not Snapshot.objects.filter(seal__isnull=False).exists()
    settings.REPORTS_PKI_DIR = _session_pki
    settings.REPORTS_SIGNERS_FILE = _session_pki / "signers.json"
    from sixclear.reports import pki

    if "sixclear-seal" not in pki.read_signers():
        pki.issue_signer("sixclear-seal", "Sixclear review seal")
    call_command("snapshots", "seal", "--period", "2026-Q3")
    snapshot = Snapshot.objects.select_related("seal").get(unit=world.hoa_hoi)
    assert selectors.check_snapshot(snapshot).valid


def test_the_nightly_job_freezes_the_periods_just_ended_under_a_resolution(world, q3,
                                                                            no_seal_key):
    with at(AFTER_Q3):
        results = services.take_ended_periods(AFTER_Q3)
    periods = {result.period for result in results}
    assert periods == {Period("month", 2026, 9), Q3}
    # Units under Hòa Hội's adopted resolution: Hòa Hội and its office, not An Nhơn Bắc.
    assert set(Snapshot.objects.filter(period_kind="quarter").values_list(
        "unit__name", flat=True)) == {"Hòa Hội", "Phòng Kinh tế"}


def test_a_resolution_chooses_which_reviews_it_freezes(world, q3, no_seal_key):
    services.set_review_kinds(actor=world.hh_manager, resolution=q3["resolution"],
                              kinds=["quarter", "year"])
    with at(AFTER_Q3):
        services.take_ended_periods(AFTER_Q3)
    assert set(Snapshot.objects.values_list("period_kind", flat=True)) == {"quarter"}
    with pytest.raises(ValidationError):
        services.set_review_kinds(actor=world.hh_manager, resolution=q3["resolution"],
                                  kinds=["weekly"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_review_kinds(actor=world.hh_officer, resolution=q3["resolution"],
                                  kinds=["year"])


def test_mid_term_and_final_reviews_follow_the_term(world, q3, no_seal_key):
    day = datetime.date(2028, 1, 3)
    assert Period("midterm", 2025, 2030) in services.ended_periods(day)
    assert Period("final", 2025, 2030) in services.ended_periods(datetime.date(2031, 1, 2))


@pytest.mark.parametrize("text, period", [
    ("2026-Q3", Period("quarter", 2026, 3)), ("2026-11", Period("month", 2026, 11)),
    ("2026", Period("year", 2026, 0)), ("2026-H1", Period("half", 2026, 1)),
    ("2025-2030-mid", Period("midterm", 2025, 2030)),
    ("2025-2030-final", Period("final", 2025, 2030)),
])
def test_periods_as_typed(text, period):
    assert parse_period(text) == period
    assert parse_period(period_text(period)) == period


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "Q3", "2030-2025-mid", ""])
def test_periods_that_do_not_exist(text):
    assert parse_period(text) is None


def test_the_command_names_a_bad_period_or_unit(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("snapshots", "take", "--period", "2026-Q9")
    with pytest.raises(CommandError):
        call_command("snapshots", "take", "--period", "2026-Q3", "--unit", "NOPE")


def test_many_units_are_frozen_quickly(world, no_seal_key, capsys):
    """A quick synthetic set: 200 communes with 5 tasks each."""
    import time

    with at(IN_Q3):
        for n in range(200):
            unit = make_unit(f"Xã {n}", world.gia_lai, code=f"XA{n:04d}")
            add_tasks(unit, world.hh_officer, 5, prefix=f"Z{n}-")
        run_scan(IN_Q3)
    started = time.perf_counter()
    with at(AFTER_Q3):
        result = services.take_snapshots(Q3)
    seconds = time.perf_counter() - started
    assert result.created == Snapshot.objects.count() >= 200
    with capsys.disabled():
        print(f"\n{result.created} units, 1000 tasks frozen in {seconds:.2f} s")


def test_the_periodic_job_runs_the_take(world, q3, seal_key):
    from sixclear.snapshots.tasks import take_period_snapshots

    with at(AFTER_Q3):
        take_period_snapshots.call_local()
        take_period_snapshots.call_local()  # a second night changes nothing
    assert Snapshot.objects.filter(period_kind="quarter").count() == 2  # Hòa Hội, its office
    assert not Snapshot.objects.filter(seal__isnull=True).exists()
