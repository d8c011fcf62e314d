"""Shared pieces of the scale-out tests: the machine's Redis (a database number and key prefix
of their own), skipped cleanly where it cannot be reached."""

import contextlib
import uuid

import pytest
import redis
from django.db import connections

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    prefix = f"sixclear-test-{uuid.uuid4().hex[:8]}"
    yield REDIS_TEST_URL, prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


# --- a replica's database alias -------------------------------------------------------------

REPLICA = "replica_test"


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """The alias `replica_test`, known to Django before a test declares it
    (`django_db(databases=["default", REPLICA])`): by default a second connection to the test
    database; `point_replica` changes it for one test. Never flushed (a mirror of default)."""
    connections.settings[REPLICA] = _replica_settings()
    yield REPLICA
    _close_replica()
    del connections.settings[REPLICA]


def _replica_settings(**changes):
    base = connections["default"].settings_dict
    return {**base, "OPTIONS": dict(base.get("OPTIONS", {})),
            "TEST": {**base.get("TEST", {}), "MIRROR": "default"}, **changes}


def _close_replica():
    with contextlib.suppress(Exception):
        connections[REPLICA].close()
    with contextlib.suppress(AttributeError):
        del connections[REPLICA]


@pytest.fixture
def point_replica(replica_alias, settings):
    """Use the alias as the one replica, with its settings changed as asked."""
    def point(**changes):
        _close_replica()
        connections.settings[REPLICA] = _replica_settings(**changes)
        settings.DATABASE_REPLICAS = [REPLICA]
        return connections[REPLICA]

    yield point
    _close_replica()
    connections.settings[REPLICA] = _replica_settings()


def unreachable(vendor):
    """Connection settings under which a database cannot be reached."""
    if vendor == "sqlite":
        return {"NAME": "/nonexistent-directory/replica.sqlite3"}
    return {"HOST": "127.0.0.1", "PORT": 9, "OPTIONS": {"connect_timeout": 2}}
