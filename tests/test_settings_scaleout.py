"""Beyond one machine, configured from the environment: shared cache and sessions, files on
S3-compatible storage, read replicas, the job queue; nothing of it when nothing is set."""

import json
import os
import subprocess
import sys

PRINT = (
    "import json; from sixclear import settings as s; print(json.dumps({"
    "'cache': s.CACHES['default'], 'portal': s.CACHES['portal'], 'sessions': s.SESSION_ENGINE,"
    "'storage': s.STORAGES['default'], 'replicas': s.DATABASE_REPLICAS,"
    "'databases': {k: v for k, v in s.DATABASES.items() if k != 'default'},"
    "'routers': s.DATABASE_ROUTERS, 'huey': s.HUEY['huey_class']}, default=str))"
)


def configured(tmp_path, **environment):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SIXCLEAR_", "DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(SIXCLEAR_DATA_DIR=str(tmp_path), **environment)
    result = subprocess.run([sys.executable, "-c", PRINT], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_one_machine_needs_no_redis_no_bucket_and_no_replica(tmp_path):
    s = configured(tmp_path)
    assert s["cache"]["BACKEND"].endswith("LocMemCache")
    assert s["portal"]["BACKEND"].endswith("FileBasedCache")
    assert s["sessions"] == "sixclear.accounts.sessions"
    assert s["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["replicas"] == [] and s["databases"] == {}
    assert s["huey"] == "huey.SqliteHuey"


def test_a_shared_cache_holds_the_cache_the_portal_and_sessions(tmp_path):
    s = configured(tmp_path, SIXCLEAR_CACHE_URL="redis://cache.internal:6379/1",
                   REDIS_URL="redis://queue.internal:6379/0")
    assert s["cache"]["BACKEND"] == "sixclear.redis_cache.TolerantRedisCache"
    assert s["cache"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert s["portal"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert s["cache"]["KEY_PREFIX"] != s["portal"]["KEY_PREFIX"]
    assert s["sessions"] == "sixclear.accounts.cached_sessions"
    assert s["huey"] == "sixclear.outbox.queue.RedisHuey"


def test_the_job_queue_alone_leaves_the_cache_and_sessions_as_they_were(tmp_path):
    s = configured(tmp_path, REDIS_URL="redis://queue.internal:6379/0")
    assert s["cache"]["BACKEND"].endswith("LocMemCache")
    assert s["portal"]["BACKEND"] == "sixclear.redis_cache.TolerantRedisCache"
    assert s["portal"]["LOCATION"] == "redis://queue.internal:6379/0"
    assert s["sessions"] == "sixclear.accounts.sessions"


def test_a_bucket_holds_the_uploads(tmp_path):
    s = configured(tmp_path, SIXCLEAR_S3_BUCKET="sixclear-files",
                   SIXCLEAR_S3_ENDPOINT_URL="https://s3.internal:9000",
                   SIXCLEAR_S3_REGION="vn-north-1", SIXCLEAR_S3_ACCESS_KEY="key",
                   SIXCLEAR_S3_SECRET_KEY="secret")  # noqa: S106
    assert s["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s["storage"]["OPTIONS"]
    assert options["bucket_name"] == "sixclear-files"
    assert options["endpoint_url"] == "https://s3.internal:9000"
    assert options["region_name"] == "vn-north-1"
    assert options["access_key"] == "key" and options["secret_key"] == "secret"  # noqa: S105
    assert options["file_overwrite"] is False and options["default_acl"] is None


def test_replica_urls_become_database_aliases_that_tests_never_create(tmp_path):
    s = configured(tmp_path, DATABASE_URL="postgresql://app@db-primary:5432/sixclear",
                   DATABASE_REPLICA_URLS="postgresql://app@db-r1:5432/sixclear, "
                                         "postgresql://app@db-r2:5433/sixclear")
    assert s["replicas"] == ["replica1", "replica2"]
    assert s["databases"]["replica1"]["HOST"] == "db-r1"
    assert s["databases"]["replica2"]["PORT"] == 5433
    assert s["databases"]["replica1"]["TEST"] == {"MIRROR": "default"}
    assert s["databases"]["replica1"]["OPTIONS"]["connect_timeout"] == 2
    assert s["routers"] == ["sixclear.replicas.ReplicaRouter"]
