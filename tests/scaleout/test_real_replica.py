"""The portal reads from a real PostgreSQL streaming replica.

Runs when SIXCLEAR_TEST_REPLICA_URL names a standby of the test database's server
(`scripts/start-replica` starts one and prints it; `scripts/run-tests` does it all). With the
standby's replay paused, a target written on the primary is missing from the portal page, and
it appears once replay resumes: the page was read from the replica, not the primary.
"""

import os
import time
from decimal import Decimal

import dj_database_url
import psycopg
import pytest
from django.core.cache import caches
from django.db import connections
from django.urls import reverse

from sixclear import replicas
from sixclear.plans import services as plans
from sixclear.plans.models import Target, TargetKind
from sixclear.portal import services as portal
from sixclear.replicas import replica_reads
from tests.scaleout.conftest import REPLICA

REPLICA_URL = os.environ.get("SIXCLEAR_TEST_REPLICA_URL", "")
pytestmark = [pytest.mark.replica,
              pytest.mark.django_db(transaction=True, databases=["default", REPLICA])]
CATCH_UP_SECONDS = 30


class Standby:
    """The standby's server, reached directly for replay control and its position."""

    def __init__(self, url):
        self.server = psycopg.connect(url, autocommit=True, connect_timeout=5)

    def value(self, sql, *params):
        return self.server.execute(sql, params).fetchone()[0]

    def catch_up(self):
        """Wait until the standby has replayed everything the primary has written so far."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while not self.value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target):
            assert time.monotonic() < deadline, f"the standby did not reach {target}"
            time.sleep(0.05)

    def pause(self):
        self.server.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while self.value("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the standby did not pause"
            time.sleep(0.05)

    def resume(self):
        self.server.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def standby(point_replica):
    if not REPLICA_URL:
        pytest.skip("no streaming replica: scripts/start-replica, then SIXCLEAR_TEST_REPLICA_URL")
    if connections["default"].vendor != "postgresql":
        pytest.skip("streaming replicas are PostgreSQL's")
    server = Standby(REPLICA_URL)
    assert server.value("SELECT pg_is_in_recovery()"), f"{REPLICA_URL} is not a standby"
    server.catch_up()  # the test database exists there too, with its tables
    where = dj_database_url.parse(REPLICA_URL)
    point_replica(HOST=where["HOST"], PORT=where["PORT"],
                  USER=where["USER"] or connections["default"].settings_dict["USER"],
                  PASSWORD=where["PASSWORD"] or connections["default"].settings_dict["PASSWORD"],
                  OPTIONS={"connect_timeout": 5})
    replicas.reset()
    try:
        yield server
    finally:
        replicas.reset()
        server.resume()
        server.catch_up()  # the flush after the test reaches it before the next one
        server.server.close()


def target(world, code, name):
    return plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, code=code, name=name,
        kind=TargetKind.COUNT, baseline_value=Decimal(0), baseline_year=2025,
        target_value=Decimal(10), target_year=2030, unit_of_measure="dự án")


def portal_page(client, world):
    caches["portal"].clear()
    response = client.get(reverse("portal:unit", args=[world.hoa_hoi.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_portal_reads_from_the_streaming_replica(standby, world, client, settings):
    settings.SIXCLEAR_REPLICA_LAG_SECONDS = 0
    settings.SIXCLEAR_REPLICA_MAX_LAG_SECONDS = 3600  # this test reads a paused standby
    target(world, "HH-02", "Thu hút 10 dự án")
    portal.set_publishing_default(actor=world.hh_manager, unit=world.hoa_hoi, publish=True,
                                  expected_version=0)
    standby.catch_up()
    assert "Thu hút 10 dự án" in portal_page(client, world)

    standby.pause()
    target(world, "HH-03", "Trồng 5.000 cây xanh")  # on the primary only, for now
    assert Target.objects.filter(code="HH-03").exists()
    with replica_reads() as alias:
        assert alias == REPLICA and not Target.objects.filter(code="HH-03").exists()
    page = portal_page(client, world)
    assert "Thu hút 10 dự án" in page and "Trồng 5.000 cây xanh" not in page

    standby.resume()
    standby.catch_up()
    assert "Trồng 5.000 cây xanh" in portal_page(client, world)


def test_a_replica_behind_by_more_than_the_limit_is_skipped_until_it_catches_up(
        standby, world, settings, caplog):
    settings.SIXCLEAR_REPLICA_MAX_LAG_SECONDS = 1
    settings.SIXCLEAR_REPLICA_CHECK_SECONDS = 0
    standby.catch_up()
    time.sleep(1.5)  # an idle primary: the last replayed transaction ages, the data does not
    assert replicas.replay_lag(REPLICA) == 0
    with replica_reads() as alias:
        assert alias == REPLICA

    standby.pause()
    target(world, "HH-04", "Xây 3 trường học")  # received by the standby, not replayed
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while (replicas.replay_lag(REPLICA) or 0) <= 1:
        assert time.monotonic() < deadline, "the paused standby's lag did not grow"
        time.sleep(0.2)
    with caplog.at_level("WARNING", logger="sixclear.replicas"):
        with replica_reads() as alias:
            assert alias == "default"
            assert Target.objects.filter(code="HH-04").exists()  # read on the primary
        standby.resume()
        standby.catch_up()
        with replica_reads() as alias:
            assert alias == REPLICA
            assert Target.objects.filter(code="HH-04").exists()
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 2 and " out: replay lag " in said[0] and " back: " in said[1], said
