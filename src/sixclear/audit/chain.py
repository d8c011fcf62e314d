"""Appending to the audit chain and walking it.

Every historical record (simple-history) gets one `AuditEntry` in the transaction that wrote
it. Appends hold the chain's lock (an advisory transaction lock on PostgreSQL; SQLite's write
lock, taken at the start of every transaction here) so two writers never fork the chain.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction

from .models import AuditEntry, AuditFieldSet, AuditVerification

GENESIS = "0" * 64


def _plain(value: Any, model_field: models.Field | None = None) -> Any:
    """A value as the same JSON whether it was just saved or read back from either database."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, decimal.Decimal):
        places = getattr(model_field, "decimal_places", None)
        if places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    name = getattr(value, "name", None)  # a file field's file
    return str(name if name is not None else value)


def row_digest(record: models.Model, names: Sequence[str] | None = None) -> str:
    """SHA-256 of a historical row's fields in canonical JSON (sorted keys, no spaces): the
    columns `names` (a column since dropped reads as null), or every column it has."""
    fields = {f.attname: f for f in record._meta.concrete_fields}
    if names is None:
        names = list(fields)
    row = {name: _plain(getattr(record, name, None), fields.get(name)) for name in names}
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def field_set_key(label: str, names: Sequence[str]) -> str:
    return hashlib.sha256(f"{label}\x1f{','.join(names)}".encode()).hexdigest()[:16]


def _columns(model: type[models.Model]) -> tuple[str, list[str]]:
    names = [f.attname for f in model._meta.concrete_fields]
    return field_set_key(model._meta.label, names), names


_field_sets: dict[type[models.Model], tuple[str, list[str]]] = {}


def _field_set(record: models.Model) -> tuple[str, list[str]]:
    """The key and the columns a row of this table is digested with (stored by
    `record_field_sets` after every migrate)."""
    model = type(record)
    if model not in _field_sets:
        _field_sets[model] = _columns(model)
    return _field_sets[model]


def record_field_sets(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Store the columns every model has now (after each migrate): the entries written from
    now on are digested with them, whatever columns later migrations add."""
    if AuditFieldSet._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before the audit trail
    known = set(AuditFieldSet.objects.using(using).values_list("key", flat=True))
    new = []
    for model in apps.get_models():
        key, names = _columns(model)
        if key not in known:
            new.append(AuditFieldSet(key=key, model_label=model._meta.label,
                                     names=",".join(names)))
    AuditFieldSet.objects.using(using).bulk_create(new, ignore_conflicts=True)


def _content(seq: int, model_label: str, object_id: str, history_id: int, history_type: str,
             user_id: int | None, at: datetime.datetime, digest: str) -> str:
    # Unit separators: no field can hold one (labels, ids, a type letter, hex, a time).
    return (f"{seq}\x1f{model_label}\x1f{object_id}\x1f{history_id}\x1f{history_type}\x1f"
            f"{'' if user_id is None else user_id}\x1f{_instant(at)}\x1f{digest}")


def _instant(at: datetime.datetime | str) -> str:
    """UTC to the microsecond, always with all six digits (PostgreSQL's to_char gives the same,
    so a walk need not parse 200,000 times)."""
    if isinstance(at, str):
        return at
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


# Any fixed number: the key of the PostgreSQL advisory lock that serialises appends.
CHAIN_LOCK = 0x5C_A0D1


def _lock_chain(using: str) -> tuple[int, str]:
    """Take the chain's lock until the transaction ends and read its last entry.

    PostgreSQL: an advisory transaction lock (not a row updated on every append: a row
    updated thousands of times in one transaction makes each next lookup slower). SQLite: every
    transaction here begins IMMEDIATE, so it already holds the database's write lock."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    return _last(using)


def _last(using: str) -> tuple[int, str]:
    last = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


class _Held:
    """The chain's end as this transaction left it, while it holds the lock.

    Registered as an on-commit callback that does nothing: Django drops it when the
    transaction ends or the savepoint it was registered in rolls back, so finding it among the
    connection's callbacks proves the lock is still held."""

    __slots__ = ("seq", "hash")

    def __init__(self, seq: int, hash_: str):
        self.seq, self.hash = seq, hash_

    def __call__(self) -> None:
        pass


def _held(using: str) -> _Held | None:
    connection = connections[using]
    held = getattr(connection, "_audit_chain_held", None)
    if held is not None and connection.in_atomic_block and any(
            callback is held for _, callback, _ in connection.run_on_commit):
        return held
    return None


# Logs kept beside the historical records, whose rows are only ever added: each row is chained
# as it is written (`entry_for_log_row`), so a row changed or deleted afterwards is named by
# `verify_history` like a historical record. django-fsm-log's transitions (a case's and its
# steps' states, a nonconformity's stages): the model, not the app, is named here.
LOG_MODELS = ("django_fsm_log.StateLog",)


def _describe_log_row(record: models.Model) -> tuple[str, str, str, int | None,
                                                     datetime.datetime]:
    """(model label, "app.model:id" of the record whose transition it logs, "+", who made
    the transition, when) of a transition log row."""
    from django.contrib.contenttypes.models import ContentType

    logged = ContentType.objects.get_for_id(record.content_type_id)  # type: ignore[attr-defined]
    return (record._meta.label, f"{logged.app_label}.{logged.model}:{record.object_id}",  # type: ignore[attr-defined]
            "+", record.by_id, record.timestamp)  # type: ignore[attr-defined]


def _describe(record: models.Model) -> tuple[str, str, str, int | None, datetime.datetime]:
    """(model label, object id, change, user, time) of a historical record; a link row of a
    many-to-many field's history (simple-history's m2m_fields) is named by its own table and
    takes the rest from the historical record it belongs to; a transition log row, see
    `LOG_MODELS`."""
    if record._meta.label in LOG_MODELS:
        return _describe_log_row(record)
    parent = record if hasattr(record, "history_type") else record.history  # type: ignore[attr-defined]
    tracked = parent.instance_type  # type: ignore[attr-defined]
    label = tracked._meta.label if parent is record else record._meta.label
    return (label, str(getattr(parent, tracked._meta.pk.attname)),
            parent.history_type,  # type: ignore[attr-defined]
            getattr(parent, "history_user_id", None), parent.history_date)  # type: ignore[attr-defined]


def history_model(label: str) -> type[models.Model]:
    """The table an entry's `model_label` names: a tracked model's historical table, or the
    history of a many-to-many field (a historical table itself)."""
    model = apps.get_model(label)
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else model


def _entries(records: Sequence[models.Model], seq: int, prev: str) -> list[AuditEntry]:
    entries = []
    for record in records:
        seq += 1
        label, object_id, history_type, user_id, at = _describe(record)
        key, names = _field_set(record)
        entry = AuditEntry(
            seq=seq, model_label=label, object_id=object_id, history_id=record.pk,
            history_type=history_type, user_id=user_id, at=at,
            digest=row_digest(record, names), prev_hash=prev, fields=key)
        entry.hash = prev = entry_hash(prev, _content(
            seq, entry.model_label, entry.object_id, entry.history_id, entry.history_type,
            entry.user_id, entry.at, entry.digest))
        entries.append(entry)
    return entries


def _insert_after(entry: AuditEntry, using: str, last_seq: int) -> bool:
    """Insert one entry if the chain still ends at `last_seq` (one statement, no lookup)."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (seq, model_label, object_id, history_id, history_type, "  # noqa: S608
            "user_id, at, digest, prev_hash, hash, fields) "
            "SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s "
            f"WHERE (SELECT MAX(seq) FROM {table}) = %s",
            [entry.seq, entry.model_label, entry.object_id, entry.history_id, entry.history_type,
             entry.user_id, connection.ops.adapt_datetimefield_value(entry.at), entry.digest,
             entry.prev_hash, entry.hash, entry.fields, last_seq])
        return cursor.rowcount == 1


def append(records: Sequence[models.Model], using: str | None = None) -> list[AuditEntry]:
    """Chain one entry per historical record, in order, under the chain's lock.

    The first append of a transaction takes the lock and reads the chain's end; the next ones
    of the same transaction remember it and insert in one statement that checks it."""
    if not records:
        return []
    using = using or router.db_for_write(AuditEntry) or DEFAULT_DB_ALIAS
    # No savepoint: an append that fails fails the write it records.
    with transaction.atomic(using=using, savepoint=False):
        held = _held(using)
        entries: list[AuditEntry] = []
        if held is not None and len(records) == 1:
            entries = _entries(records, held.seq, held.hash)
            if not _insert_after(entries[0], using, held.seq):
                entries = []  # a savepoint of this transaction took entries back: read again
        if not entries:
            seq, prev = _last(using) if held is not None else _lock_chain(using)
            entries = _entries(records, seq, prev)
            AuditEntry.objects.using(using).bulk_create(entries, batch_size=2000)
        if held is None:
            held = _Held(0, GENESIS)
            connections[using]._audit_chain_held = held  # type: ignore[attr-defined]
            transaction.on_commit(held, using=using)
        held.seq, held.hash = entries[-1].seq, entries[-1].hash
    return entries


def entry_for_historical_record(sender: Any, history_instance: models.Model,
                                using: str | None = None, **kwargs: Any) -> None:
    """simple-history's `post_create_historical_record` receiver."""
    append([history_instance], using=using)


def entries_for_link_history(sender: Any, created_rows: Sequence[models.Model],
                             **kwargs: Any) -> None:
    """simple-history's `post_create_historical_m2m_records` receiver: each link row of a
    many-to-many field's history (a task's targets, a target's programs) is chained as well,
    just before the historical record it belongs to."""
    append(list(created_rows))


def entry_for_log_row(sender: Any, instance: models.Model, created: bool = False,
                      raw: bool = False, using: str | None = None, **kwargs: Any) -> None:
    """`post_save` receiver of the `LOG_MODELS`: a row added is chained in the transaction that
    wrote it (a transition and its log row are written by the same service). A row saved again
    gets no entry: its first entry's digest no longer matches, which is what tampering is."""
    if created and not raw:
        append([instance], using=using)


@dataclass
class Verdict:
    ok: bool
    entries: int
    head_seq: int = 0
    head_hash: str = ""
    kind: str = ""  # altered | removed | inserted
    seq: int | None = None
    model_label: str = ""
    object_id: str = ""
    detail: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str:
        if self.ok:
            return ""
        where = f" ({self.model_label} {self.object_id})" if self.model_label else ""
        return f"entry {self.seq} {self.kind}{where}: {self.detail}"


FIELDS = ("seq", "model_label", "object_id", "history_id", "history_type", "user_id", "at",
          "digest", "prev_hash", "hash")


def verify(using: str = DEFAULT_DB_ALIAS, chunk: int = 10000) -> Verdict:
    """Walk the chain in order; stop at the first entry altered (its hash is not that of its
    content), removed (a gap in the sequence, or the chain shorter than a past verification
    found it) or inserted (the entries around it chain to each other without it)."""
    started = time.monotonic()
    expected_seq, prev, count = 1, GENESIS, 0
    last: tuple = ()
    verdict = None
    for row, after in _with_next(_walk(using, chunk)):
        seq, label, object_id, history_id, kind, user_id, at, digest, prev_hash, hash_ = row
        count += 1
        if seq != expected_seq:
            verdict = Verdict(False, count, kind="removed", seq=expected_seq,
                              detail=f"missing before entry {seq} ({label} {object_id})")
            break
        computed = entry_hash(prev_hash, _content(seq, label, object_id, history_id, kind,
                                                  user_id, at, digest))
        if prev_hash != prev or computed != hash_:
            # What points at this row tells an entry changed from one put in: the next entry
            # (or the head) still chains to a changed entry, but skips an inserted one.
            points_next = after[8] if after else None
            inserted = points_next == prev and points_next not in (hash_, computed)
            verdict = Verdict(
                False, count, kind="inserted" if inserted else "altered", seq=seq,
                model_label=label, object_id=object_id,
                detail="the entries around it chain to each other without it" if inserted
                else "its hash does not match its content or the entry before it")
            break
        expected_seq, prev, last = seq + 1, hash_, row
    if verdict is None:
        verdict = Verdict(True, count, last[0] if last else 0, prev)
        verdict = _check_anchor(verdict, using)
    verdict.seconds = time.monotonic() - started
    return verdict


def _walk(using: str, chunk: int) -> Iterable[tuple]:
    """The entries in order, on PostgreSQL as text straight from a server-side cursor."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        rows = AuditEntry.objects.using(using).order_by("seq").values_list(*FIELDS)
        yield from rows.iterator(chunk_size=chunk)
        return
    columns = ", ".join(
        "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')" if name == "at"
        else connection.ops.quote_name(name) for name in FIELDS)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with transaction.atomic(using=using), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY seq")  # noqa: S608
        while batch := cursor.fetchmany(chunk):
            yield from batch


def _with_next(rows: Iterable[tuple]) -> Iterable[tuple[tuple, tuple | None]]:
    previous = None
    for row in rows:
        if previous is not None:
            yield previous, row
        previous = row
    if previous is not None:
        yield previous, None


def _check_anchor(verdict: Verdict, using: str) -> Verdict:
    """An entry once verified keeps its hash: a chain rewritten from some point on (hashes
    recomputed) is caught at the head the last good verification recorded."""
    anchor = (AuditVerification.objects.using(using).filter(ok=True, head_seq__gt=0)
              .order_by("-at", "-pk").first())
    if anchor is None:
        return verdict
    entry = AuditEntry.objects.using(using).filter(seq=anchor.head_seq).first()
    if entry is None:
        return Verdict(False, verdict.entries, verdict.head_seq, verdict.head_hash,
                       kind="removed", seq=verdict.head_seq + 1,
                       detail=f"the chain ends at entry {verdict.head_seq}; its verification of "
                              f"{anchor.at:%Y-%m-%d %H:%M} reached entry {anchor.head_seq}")
    if entry.hash != anchor.head_hash:
        return Verdict(False, verdict.entries, verdict.head_seq, verdict.head_hash,
                       kind="altered", seq=anchor.head_seq,
                       model_label=entry.model_label, object_id=entry.object_id,
                       detail="the chain was rewritten since its verification of "
                              f"{anchor.at:%Y-%m-%d %H:%M}")
    return verdict


def verify_history(using: str = DEFAULT_DB_ALIAS, chunk: int = 2000) -> Verdict:
    """Compare each entry's digest with its historical row as it is now: a history row
    changed or deleted behind the application's back is named."""
    started = time.monotonic()
    count = 0
    labels = AuditEntry.objects.using(using).values_list("model_label", flat=True).distinct()
    field_sets = {key: names.split(",") for key, names in
                  AuditFieldSet.objects.using(using).values_list("key", "names")}
    for label in sorted(set(labels)):
        history = history_model(label)
        entries = AuditEntry.objects.using(using).filter(model_label=label).order_by("seq")
        batch: list[tuple[int, int, str, str, str]] = []
        for item in entries.values_list("seq", "history_id", "object_id", "digest",
                                        "fields").iterator(chunk_size=chunk):
            batch.append(item)
            if len(batch) == chunk:
                found = _compare(history, batch, label, using, field_sets)
                if found:
                    found.seconds = time.monotonic() - started
                    return found
                count += len(batch)
                batch = []
        found = _compare(history, batch, label, using, field_sets)
        if found:
            found.seconds = time.monotonic() - started
            return found
        count += len(batch)
    return Verdict(True, count, seconds=time.monotonic() - started)


def _compare(history: type[models.Model], batch: Iterable[tuple[int, int, str, str, str]],
             label: str, using: str, field_sets: dict[str, list[str]]) -> Verdict | None:
    batch = list(batch)
    rows = history._default_manager.using(using).in_bulk([b[1] for b in batch])
    for seq, history_id, object_id, digest, fields in batch:
        row = rows.get(history_id)
        if row is None:
            return Verdict(False, 0, kind="removed", seq=seq, model_label=label,
                           object_id=object_id, detail=f"history record {history_id} is gone")
        if fields and fields not in field_sets:
            return Verdict(False, 0, kind="altered", seq=seq, model_label=label,
                           object_id=object_id, detail=f"its column set {fields} is gone")
        if row_digest(row, field_sets[fields] if fields else None) != digest:
            return Verdict(False, 0, kind="altered", seq=seq, model_label=label,
                           object_id=object_id,
                           detail=f"history record {history_id} differs from its digest")
    return None


def record_verification(using: str = DEFAULT_DB_ALIAS, history: bool = False) -> AuditVerification:
    """Verify the chain (and, with `history`, the historical rows) and keep the result."""
    verdict = verify(using)
    if verdict.ok and history:
        deep = verify_history(using)
        if not deep.ok:
            deep.entries, deep.head_seq, deep.head_hash = (
                verdict.entries, verdict.head_seq, verdict.head_hash)
            deep.seconds += verdict.seconds
            verdict = deep
    return AuditVerification.objects.using(using).create(
        ok=verdict.ok, entries=verdict.entries, head_seq=verdict.head_seq,
        head_hash=verdict.head_hash, problem=verdict.problem, seconds=verdict.seconds)


def head(using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    """The last entry's sequence number and hash (what a backup's manifest records)."""
    last = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)
