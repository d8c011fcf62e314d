"""Reads that tolerate a few seconds of lag go to a replica inside `replica_reads()`; writes,
reads in a transaction and sign-in stay on the primary; a replica out of reach is skipped.

A "replica" here is a second connection to the test database (the real streaming replica is in
test_real_replica.py): what matters is which connection each query takes."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sixclear import replicas
from sixclear.orgs.models import Unit
from sixclear.plans import services as plans
from sixclear.plans.models import TargetKind
from sixclear.portal import services as portal
from sixclear.replicas import ReplicaRouter, reading_from, replica_reads
from tests.scaleout.conftest import REPLICA, unreachable

ALIAS = REPLICA
ON_BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(autouse=True)
def _fresh():
    replicas.reset()
    caches["portal"].clear()
    yield
    replicas.reset()
    caches["portal"].clear()


@pytest.fixture
def replica(point_replica):
    return point_replica()


def published_target(world):
    target = plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code="HH-02", name="Thu hút 10 dự án",
        kind=TargetKind.COUNT, baseline_value=Decimal(0), baseline_year=2025,
        target_value=Decimal(10), target_year=2030, unit_of_measure="dự án")
    portal.set_publishing_default(actor=world.hh_manager, unit=world.hoa_hoi, publish=True,
                                  expected_version=0)
    return target


def test_without_a_replica_the_context_changes_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0), replica_reads() as alias:
        assert alias == "default" and reading_from() == "default"
    assert ReplicaRouter().db_for_read(Unit) == "default"


@ON_BOTH
def test_reads_go_to_the_replica_writes_and_sign_in_to_the_primary(replica, world):
    with replica_reads() as alias:
        assert alias == ALIAS
        with CaptureQueriesContext(replica) as on_replica, \
                CaptureQueriesContext(connections["default"]) as on_primary:
            assert Unit.objects.filter(name="Hòa Hội").exists()
            get_user_model().objects.filter(username="hh.manager").exists()
            Unit.objects.filter(pk=world.hoa_hoi.pk).update(name="Hòa Hội (mới)")
    assert len(on_replica.captured_queries) == 1
    assert len(on_primary.captured_queries) == 2  # the person and the write
    assert ReplicaRouter().db_for_read(Unit) == "default"  # outside: the primary again


@ON_BOTH
def test_inside_a_transaction_reads_stay_on_the_primary(replica, world):
    with transaction.atomic(), replica_reads() as alias:
        assert alias == "default"
    with replica_reads():
        with transaction.atomic():  # a service writing then reading what it wrote
            assert ReplicaRouter().db_for_read(Unit) == "default"
        assert ReplicaRouter().db_for_read(Unit) == ALIAS


@ON_BOTH
def test_a_replica_out_of_reach_sends_reads_to_the_primary(point_replica, settings, world,
                                                           client):
    published_target(world)
    settings.SIXCLEAR_REPLICA_LAG_SECONDS = 0
    point_replica(**unreachable(connections["default"].vendor))
    with replica_reads() as alias:
        assert alias == "default"
    assert ALIAS in replicas._resting_until  # not tried again for a while
    with replica_reads() as alias:
        assert alias == "default"
    page = client.get(reverse("portal:unit", args=[world.hoa_hoi.pk]))
    assert page.status_code == 200 and "Thu hút 10 dự án" in page.content.decode()


@ON_BOTH
def test_lag_tolerant_pages_read_from_the_replica(replica, world, client, settings):
    """The portal and its open data, another unit's dashboard and a report's content read
    from the replica; the reader's own unit's dashboard from the primary."""
    published_target(world)
    settings.SIXCLEAR_REPLICA_LAG_SECONDS = 0
    pages = {
        "portal": reverse("portal:unit", args=[world.hoa_hoi.pk]),
        "open data": reverse("portal:download", args=["targets", "csv"]),
    }
    for name, url in pages.items():
        with CaptureQueriesContext(replica) as on_replica:
            assert client.get(url).status_code == 200, name
        assert on_replica.captured_queries, name
    client.force_login(world.province_leader)  # Gia Lai: Hòa Hội is another unit
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("dashboards:unit", args=[world.hoa_hoi.pk])).status_code == 200
    assert on_replica.captured_queries
    client.force_login(world.hh_manager)  # Hòa Hội's own dashboard shows its own writes
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("dashboards:unit", args=[world.hoa_hoi.pk])).status_code == 200
    assert not on_replica.captured_queries


@ON_BOTH
def test_a_report_reads_its_content_from_the_replica(replica, world,
                                                     django_capture_on_commit_callbacks):
    from sixclear.reports import services as reports

    with CaptureQueriesContext(replica) as on_replica:
        report = reports.request_report(actor=world.province_leader, unit=world.gia_lai,
                                        period_kind="quarter", year=2026, period_number=4,
                                        format="xlsx", language="en")
        report.refresh_from_db()
    assert report.status == "done", report.error
    assert on_replica.captured_queries


@ON_BOTH
def test_just_after_a_publishing_decision_the_portal_reads_the_primary(replica, world, client):
    published_target(world)  # bumps the page cache: the replica may not have it yet
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(reverse("portal:unit", args=[world.hoa_hoi.pk]))
    assert "Thu hút 10 dự án" in page.content.decode()
    assert not on_replica.captured_queries


# --- the lag guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lag", "limit", "out"), [
    (0.0, 10, False), (10.0, 10, False), (10.5, 10, True), (None, 10, True), (3.0, 0, True)])
def test_a_replica_further_behind_than_the_limit_is_out(lag, limit, out):
    assert replicas.too_far_behind(lag, limit) is out


@ON_BOTH
def test_a_lagging_replica_is_skipped_checked_once_in_a_while_and_logged_once(
        replica, settings, monkeypatch, caplog):
    lags, asked = [30.0], []

    def lag(alias):
        asked.append(alias)
        return lags[0]

    monkeypatch.setattr(replicas, "replay_lag", lag)
    settings.SIXCLEAR_REPLICA_MAX_LAG_SECONDS = 10
    settings.SIXCLEAR_REPLICA_CHECK_SECONDS = 60
    with caplog.at_level("WARNING", logger="sixclear.replicas"):
        for _n in range(3):
            with replica_reads() as alias:
                assert alias == "default"
        assert asked == [ALIAS]  # the check holds for SIXCLEAR_REPLICA_CHECK_SECONDS
        settings.SIXCLEAR_REPLICA_CHECK_SECONDS = 0
        replicas._checked[ALIAS] = (0.0, False)  # as if those seconds had passed
        with replica_reads() as alias:
            assert alias == "default"
        lags[0] = 0.0
        for _n in range(2):
            with replica_reads() as alias:
                assert alias == ALIAS
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 2, said
    assert said[0].startswith(f"replica {ALIAS} out: replay lag 30.0 s, limit 10 s")
    assert said[1].startswith(f"replica {ALIAS} back: replay lag 0.0 s")


@ON_BOTH
def test_an_unknown_lag_keeps_reads_on_the_primary(replica, monkeypatch):
    monkeypatch.setattr(replicas, "replay_lag", lambda alias: None)
    with replica_reads() as alias:
        assert alias == "default"


@ON_BOTH
def test_a_replica_out_of_reach_is_logged_once(point_replica, settings, caplog):
    point_replica(**unreachable(connections["default"].vendor))
    settings.SIXCLEAR_REPLICA_RETRY_SECONDS = 0
    with caplog.at_level("WARNING", logger="sixclear.replicas"):
        for _n in range(3):
            with replica_reads() as alias:
                assert alias == "default"
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and "out of reach" in said[0], said


@ON_BOTH
def test_a_server_not_in_recovery_has_no_lag(replica):
    """The stand-in replica is the test database itself: a primary, never behind."""
    assert replicas.replay_lag(ALIAS) == 0.0
