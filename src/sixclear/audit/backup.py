"""`sixclear backup` and `sixclear restore`: the database, the media files and a manifest.

An archive is a directory:

    manifest.json      time, version and commit, database engine, row count of every table,
                       the audit chain's last entry, the media files' count and size
    database.dump      PostgreSQL: pg_dump's custom format (pg_restore reads it)
    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API
    media/             the uploaded files (evidence, signed documents, report files); not
                       when they are in S3-compatible storage, which keeps its own versions

Restoring goes into an empty database (refused otherwise unless `force`), then compares the
row counts with the manifest; the command then verifies the audit chain and the rollups.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from . import chain
from .models import AuditEntry

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"No backup for a {vendor} database.")
    return vendor


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password travels in the environment."""
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> tuple[dict[str, int], tuple[int, str]]:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                  for table in sorted(tables)}
        last = database.execute(f"SELECT seq, hash FROM {AuditEntry._meta.db_table} "  # noqa: S608
                                "ORDER BY seq DESC LIMIT 1").fetchone()
    finally:
        database.close()
    return counts, (tuple(last) if last else (0, chain.GENESIS))  # type: ignore[return-value]


def _commit() -> str:
    """The source's commit when it runs from a checkout, else empty."""
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        result = subprocess.run([git, "rev-parse", "HEAD"], cwd=Path(__file__).parent,  # noqa: S603
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _version() -> str:
    try:
        return importlib.metadata.version("sixclear")
    except importlib.metadata.PackageNotFoundError:
        return ""


def backup(destination: Path, using: str = DEFAULT_DB_ALIAS,
           media_root: Path | None = None) -> dict[str, Any]:
    """Write an archive into `destination` (a new or empty directory); return its manifest."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty.")
    destination.mkdir(parents=True, exist_ok=True)
    engine = _engine(using)
    connection = connections[using]
    started = datetime.datetime.now(datetime.UTC)
    if engine == "postgresql":
        # One snapshot for the counts, the chain head and pg_dump: the manifest describes
        # exactly the dump, however busy the database is meanwhile.
        args, env = _pg_args(connection.settings_dict)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(using)
            head_seq, head_hash = chain.head(using)
            subprocess.run(  # noqa: S603
                [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", "--file", str(destination / "database.dump"),
                 connection.settings_dict["NAME"]],
                env=env, check=True)
    else:
        connection.ensure_connection()
        copy = destination / "database.sqlite3"
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        # Counted in the copy, which the backup API made consistent.
        counts, (head_seq, head_hash) = _sqlite_counts(copy)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    files, size = 0, 0
    if media_on_disk() and media_root.exists():  # else in the bucket (docs/operations.md)
        shutil.copytree(media_root, destination / "media")
        for path in (destination / "media").rglob("*"):
            if path.is_file():
                files += 1
                size += path.stat().st_size
    manifest = {
        "format": 1,
        "created": started.isoformat(),
        "version": _version(),
        "commit": _commit(),
        "engine": engine,
        "row_counts": counts,
        "audit_head": {"seq": head_seq, "hash": head_hash},
        "media": {"files": files, "bytes": size} if media_on_disk()
        else {"files": 0, "bytes": 0, "object_storage": True},
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def media_on_disk() -> bool:
    """Whether uploads are files under MEDIA_ROOT (copied into the archive) rather than objects
    in S3-compatible storage, which keeps them (versioned, replicated) on its own."""
    return isinstance(default_storage, FileSystemStorage)


def read_manifest(archive: Path) -> dict[str, Any]:
    path = Path(archive) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{archive} holds no {MANIFEST}: not a Sixclear backup.")
    return json.loads(path.read_text())


def is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(archive: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False,
            media_root: Path | None = None) -> list[str]:
    """Restore an archive into the database and the media directory.

    Refuses a database that has tables unless `force` (which replaces what it holds). Returns
    the tables whose row count differs from the manifest's (empty when all are equal)."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    engine = _engine(using)
    if manifest["engine"] != engine:
        raise BackupError(f"This archive holds a {manifest['engine']} database, "
                          f"not {engine}.")
    if not force and not is_empty(using):
        raise BackupError("The database is not empty; restore into an empty one, or give "
                          "--force to replace what it holds.")
    connection = connections[using]
    if engine == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        connection.close()
        subprocess.run(  # noqa: S603
            [_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", *(["--clean", "--if-exists"] if force else []),
             "--dbname", connection.settings_dict["NAME"], str(archive / "database.dump")],
            env=env, check=True)
    else:
        source = sqlite3.connect(f"file:{archive / 'database.sqlite3'}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    if (archive / "media").is_dir():
        shutil.copytree(archive / "media", Path(media_root or settings.MEDIA_ROOT),
                        dirs_exist_ok=True)
    counts = row_counts(using)
    return [f"{table}: {count} in the archive, {counts.get(table)} restored"
            for table, count in sorted(manifest["row_counts"].items())
            if counts.get(table) != count]
