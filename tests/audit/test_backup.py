"""Backup and restore: the archive restores into an empty database with the same rows, an
intact audit chain and rollups that match a fresh count."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from sixclear.audit import chain
from sixclear.audit.backup import BackupError, backup, restore, row_counts
from sixclear.tracking import services
from tests.factories import TaskFactory, World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence" / "1").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "1" / "report.pdf").write_bytes(b"%PDF-1.7 evidence")
    world = World()
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    task = services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    services.report_progress(actor=world.hh_officer, task=task, percent=40, narrative="Đang làm")
    call_command("rollups")  # the factory's task was saved without the services' upkeep
    return world


def sixclear(*args, database_url, data_dir):
    env = {**os.environ, "DATABASE_URL": database_url, "SIXCLEAR_DATA_DIR": str(data_dir),
           "DJANGO_SETTINGS_MODULE": "sixclear.settings"}
    return subprocess.run([sys.executable, "-m", "sixclear.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def restored_counts_match(archive, result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every table has the row count of the manifest" in result.stdout
    assert "Audit trail intact" in result.stdout and "Rollups match" in result.stdout
    manifest = json.loads((archive / "manifest.json").read_text())
    assert manifest["row_counts"]["tracking_task"] == 1
    assert manifest["row_counts"]["audit_auditentry"] == manifest["audit_head"]["seq"] > 0
    return manifest


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup")
def test_sqlite_backup_restores_into_a_new_file(data, tmp_path):
    archive = tmp_path / "archive"
    manifest = backup(archive)
    assert manifest["row_counts"] == row_counts()
    assert manifest["audit_head"]["seq"] == chain.head()[0]
    assert manifest["media"]["files"] == 1

    restored = tmp_path / "restored"
    url = f"sqlite:///{restored / 'sixclear.sqlite3'}"
    result = sixclear("restore", str(archive), database_url=url, data_dir=restored)
    restored_counts_match(archive, result)
    assert (restored / "media" / "evidence" / "1" / "report.pdf").read_bytes().startswith(b"%PDF")

    again = sixclear("restore", str(archive), database_url=url, data_dir=restored)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
def test_postgresql_backup_restores_into_a_new_database(data, tmp_path):
    archive = tmp_path / "archive"
    manifest = backup(archive)
    assert manifest["row_counts"] == row_counts()
    name = f"sixclear_restore_{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    base = (f"postgresql://{settings_dict['USER']}"
            f"{':' + settings_dict['PASSWORD'] if settings_dict.get('PASSWORD') else ''}"
            f"@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        result = sixclear("restore", str(archive), database_url=f"{base}/{name}",
                          data_dir=tmp_path / "restored")
        restored_counts_match(archive, result)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_refuses_a_non_empty_database_and_an_unknown_directory(data, tmp_path):
    archive = tmp_path / "archive"
    backup(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore(archive)
    with pytest.raises(BackupError, match="not a Sixclear backup"):
        restore(tmp_path / "media")
    with pytest.raises(BackupError, match="not empty"):
        backup(archive)
