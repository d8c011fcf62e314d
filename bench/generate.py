"""Build the synthetic national data set for the benchmark, in bulk, on PostgreSQL.

    python -m bench.generate --scale national|medium|small [--database-url URL]
                             [--fresh | --if-missing] [--jobs N] [--checked-load]

National scale: 1 country, 34 provinces, 3,300 communes and wards with 2 departments each,
20,000 users, 1,000,000 tasks, 100,000 targets with their 2026–2030 trajectories, about
2.4 million measurements, 3 million progress reports and 500,000 task steps. `medium` is about
1/10 of that (four provinces of about 80 communes each: a province's page sees about as many
rows as a large province's does nationally), `small` about 1/100, for a quick check.

The database (sixclear_bench by default) is created if missing and migrated with Django. Data
already there is never overwritten: the run stops, unless --fresh (drop and recreate the
database) or --if-missing (leave a complete data set of the same scale alone and succeed).

How: the organisation tree (treebeard paths built here exactly as treebeard would), users,
resolutions, programs and targets are built in Python and sent with COPY; the trajectories come
from `plans.trajectory.expected_path` itself. The big tables (tasks, reports, steps,
measurements) are generated inside PostgreSQL by INSERT … SELECT over generate_series, from a
seeded hash of each row's id, so a scale always gives the same data; their id ranges are
loaded by --jobs connections side by side. Every constraint and index stays in place. Foreign
keys are not checked row by row while loading (session_replication_role = replica, which
needs a superuser) but all of them are verified afterwards with one anti-join each;
--checked-load keeps the row-by-row checks instead (several times slower). The tables are
vacuumed and analysed at the end, as autovacuum would do after a real load.

The data set is drawn around a fixed "today" (bench.TODAY, 2026-11-23): deadlines from
October 2025 to December 2030, most tasks issued, about 20 % done and 2 % cancelled, 0–6
reports a task with rising percentages and about 10 % obstacles, measurements about 85 %
approved.
"""

import argparse
import os
import queue
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg

from bench import DEFAULT_DATABASE_URL, TODAY, database_name, server_url, setup_django
from bench.personas import ensure_personas

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
LOCAL_TZ = "Asia/Ho_Chi_Minh"
MARKER = "sixclear bench data set"


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    communes: int
    tasks: int
    country_targets: int
    province_targets: int
    commune_targets: int
    country_users: int
    province_users: int
    commune_users: int  # the first three at the commune, then one per department


SCALES = {
    "national": Scale("national", provinces=34, communes=3300, tasks=1_000_000,
                      country_targets=52, province_targets=222, commune_targets=28,
                      country_users=440, province_users=90, commune_users=5),
    "medium": Scale("medium", provinces=4, communes=330, tasks=100_000,
                    country_targets=10, province_targets=60, commune_targets=28,
                    country_users=60, province_users=40, commune_users=5),
    "small": Scale("small", provinces=4, communes=33, tasks=10_000,
                   country_targets=4, province_targets=20, commune_targets=28,
                   country_users=20, province_users=15, commune_users=5),
}

# Shares of the task and target populations.
COUNTRY_TASK_SHARE = 0.002
PROVINCE_TASK_SHARE = 0.051
STEP_TASK_SHARE = 1 / 6  # tasks with three steps each
DEPARTMENTS_PER_COMMUNE = 2
PROGRAMS = {1: 5, 2: 3, 3: 1}  # per unit, by depth
TASK_GROUPS_PER_RESOLUTION = 4


def log(message):
    print(message, flush=True)


class Stages:
    """Times each stage and remembers the rows it wrote, for the summary."""

    def __init__(self):
        self.rows = []
        self.started = time.perf_counter()

    def run(self, name, function, *args):
        log(f"  … {name}")
        start = time.perf_counter()
        count = function(*args)
        seconds = time.perf_counter() - start
        self.rows.append((name, seconds, count))
        log(f"  {name:<44} {seconds:8.1f} s  {count:>12,} rows")
        return count

    def total(self):
        return time.perf_counter() - self.started


# --- database -------------------------------------------------------------------------------


def connect(url, autocommit=False):
    conn = psycopg.connect(url, autocommit=autocommit)
    # Session settings only: the server is shared, so nothing is changed for other databases.
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET work_mem = '64MB'")
    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.execute(f"SET TimeZone = '{LOCAL_TZ}'")
    if not autocommit:
        conn.commit()
    return conn


def database_exists(url):
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return found is not None


def create_database(url, drop_first):
    name = database_name(url)
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        if drop_first:
            log(f"Dropping database {name}")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"Creating database {name}")
        conn.execute(f'CREATE DATABASE "{name}"')


def existing_data(url):
    """(has rows, marker comment or None) for the bench database."""
    with psycopg.connect(url) as conn:
        comment = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()[0]
        has_table = conn.execute("SELECT to_regclass('public.orgs_unit')").fetchone()[0]
        has_rows = bool(has_table) and conn.execute(
            "SELECT EXISTS (SELECT 1 FROM orgs_unit)"
        ).fetchone()[0]
    return has_rows, comment


def migrate():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return 0


# --- filling whatever the generator does not set --------------------------------------------


def _other_columns(model, given):
    """Columns of `model` the generator leaves out, with the field's own default.

    Fields added after this script was written keep it working as long as they have a default
    or are nullable; a mandatory field without one stops the run with its name.
    """
    from django.db import connection
    from django.db.models import NOT_PROVIDED
    from django.utils import timezone

    columns = {field.column for field in model._meta.concrete_fields}
    unknown = set(given) - columns
    if unknown:
        raise SystemExit(f"{model.__name__} has no column(s) {sorted(unknown)}: update bench")
    extra = []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            continue
        value = field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        if value is None and not field.null:
            raise SystemExit(
                f"bench/generate.py does not fill {model.__name__}.{field.name}: add it"
            )
        extra.append((field.column, field.get_db_prep_save(value, connection)))
    return extra


def _quoted(columns):
    return ", ".join(f'"{column}"' for column in columns)


def copy_rows(conn, model, columns, rows):
    """COPY rows (tuples in `columns` order) into the model's table; returns the count."""
    extra = _other_columns(model, columns)
    names = [*columns, *(column for column, _ in extra)]
    tail = tuple(value for _, value in extra)
    count = 0
    statement = f"COPY {model._meta.db_table} ({_quoted(names)}) FROM STDIN"
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    conn.commit()
    return count


def insert_statement(model, columns, select_sql):
    """INSERT INTO the model's table the rows of `select_sql` (its columns in `columns` order).

    Returns (sql, extra parameters); the SQL takes the select's own parameters as well.
    """
    extra = _other_columns(model, columns)
    names = [*columns, *(column for column, _ in extra)]
    marks = "".join(", %(extra_" + str(i) + ")s" for i in range(len(extra)))
    values = {f"extra_{i}": value for i, (_, value) in enumerate(extra)}
    sql = (
        f"INSERT INTO {model._meta.db_table} ({_quoted(names)}) "  # noqa: S608
        f"SELECT generated.*{marks} FROM ({select_sql}) AS generated"
    )
    return sql, values


# Seeded pseudo-random numbers from a row's key: the same key and salt give the same number,
# so a later statement can recompute what an earlier one decided (e.g. how many reports).
FUNCTIONS = """
CREATE FUNCTION pg_temp.rnd(k bigint, salt bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (hashint8extended(k, salt) & 4503599627370495)::float8 / 4503599627370496.0 $$;
CREATE FUNCTION pg_temp.pick(k bigint, salt bigint, lo bigint, n integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lo + floor(pg_temp.rnd(k, salt) * n)::bigint $$;
-- The last day a task reports on: its completion, half-way for a cancelled one, else some day
-- in the last six weeks (so that some owners are overdue with their report).
CREATE FUNCTION pg_temp.report_end(id bigint, state text, s date, completed date, today date)
  RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE state WHEN 'done' THEN completed
                    WHEN 'cancelled' THEN s + (today - s) / 2
                    ELSE today - 1 - floor(pg_temp.rnd(id, 12) * 45)::int END $$;
CREATE FUNCTION pg_temp.n_reports(id bigint, state text, s date, e date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN state = 'draft' OR e <= s THEN 0
              WHEN state = 'done' THEN 1 + floor(pg_temp.rnd(id, 6) * 6)::int
              WHEN state = 'cancelled' THEN floor(pg_temp.rnd(id, 6) * 3)::int
              ELSE floor(pg_temp.rnd(id, 6) ^ 0.85 * 7)::int END $$;
"""


class Loader:
    """Connections to the bench database: the first for the COPY stages, all of them for the
    chunks of the big INSERT … SELECT stages, which run side by side (one per core)."""

    def __init__(self, url, jobs, checked):
        self.url, self.jobs = url, jobs
        with psycopg.connect(url) as probe:
            superuser = probe.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        if not checked and not superuser:
            log("  (not a superuser: foreign keys are checked row by row while loading)")
        # Foreign-key checks are triggers, fired row by row: ~30 µs each here, some 20 million
        # of them. With session_replication_role = replica they do not fire while loading; the
        # constraints stay in place and `verify_foreign_keys` checks every one afterwards, set
        # based, in seconds. CHECK and UNIQUE constraints and all indexes are enforced as usual.
        self.unchecked = superuser and not checked
        self.connections = [self._open() for _ in range(jobs)]
        self.main = self.connections[0]

    def _open(self):
        conn = connect(self.url)
        conn.execute(FUNCTIONS)
        conn.execute("SET jit = off")  # compiling these statements costs more than it saves
        if self.unchecked:
            conn.execute("SET session_replication_role = replica")
        conn.commit()
        return conn

    def in_parallel(self, work, items):
        """Run work(conn, item) for every item, spread over the connections; sum the results."""
        pending = queue.SimpleQueue()
        for item in items:
            pending.put(item)

        def drain(conn):
            done = 0
            while True:
                try:
                    item = pending.get_nowait()
                except queue.Empty:
                    return done
                done += work(conn, item)

        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(drain, conn) for conn in self.connections]
            return sum(future.result() for future in futures)

    def in_chunks(self, model, columns, select_sql, ranges, **params):
        """Run an INSERT … SELECT over id ranges, one transaction each, side by side."""
        sql, extra = insert_statement(model, columns, select_sql)
        params = {"today": TODAY, "tz": LOCAL_TZ, **params, **extra}

        def insert(conn, bounds):
            with conn.cursor() as cur:
                cur.execute(sql, {**params, "lo": bounds[0], "hi": bounds[1]})
                count = cur.rowcount
            conn.commit()
            return count

        return self.in_parallel(insert, ranges)

    def close(self):
        for conn in self.connections:
            conn.close()


# --- the organisation tree, people and documents (Python, COPY) -----------------------------


def step_code(number):
    """Treebeard's path step for the number-th child (1-based): base 36, four characters."""
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def spread(total, parts, rng, low=0.4, high=1.6):
    """Split `total` into `parts` uneven positive shares (largest remainder)."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    shares = [max(1, int(r)) for r in raw]
    order = sorted(range(parts), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(shares) < total:
        shares[order[i % parts]] += 1
        i += 1
    while sum(shares) > total:
        j = max(range(parts), key=lambda k: shares[k])
        shares[j] -= 1
    return shares


SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
GIVEN_NAMES = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương",
               "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Phúc", "Quang",
               "Sơn", "Thảo", "Thủy", "Trang", "Tuấn", "Việt", "Yến"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Đức", "Thanh", "Hữu", "Ngọc", "Quốc"]


class Plan:
    """Ids and ranges decided in Python and shared with the SQL stages (via bench_unit)."""

    def __init__(self, scale):
        self.scale = scale
        self.rng = random.Random(20261123)
        self.units = []  # dicts, in id order
        self.build_tree()
        self.assign_people()
        self.assign_documents()
        self.assign_work()

    def build_tree(self):
        scale, rng = self.scale, self.rng
        per_province = spread(scale.communes, scale.provinces, rng)
        country = self._unit(None, 1, "VN", "Việt Nam", "country", numchild=scale.provinces)
        provinces = []
        for p, count in enumerate(per_province, start=1):
            code = f"P{p:02d}"
            provinces.append(self._unit(country, p, code, f"Tỉnh {p:02d}", "province",
                                        numchild=count))
        communes = []
        for province, count in zip(provinces, per_province, strict=True):
            for c in range(1, count + 1):
                ward = rng.random() < 0.3
                kind, label = ("ward", "Phường") if ward else ("commune", "Xã")
                code = f"{province['code']}-C{c:03d}"
                communes.append(self._unit(province, c, code, f"{label} {code}", kind,
                                           numchild=DEPARTMENTS_PER_COMMUNE))
        for commune in communes:
            names = ["Văn phòng", "Phòng Kinh tế"]
            for d in range(1, DEPARTMENTS_PER_COMMUNE + 1):
                self._unit(commune, d, f"{commune['code']}-D{d}",
                           f"{names[(d - 1) % 2]} {commune['code']}", "department", numchild=0)
        self.country, self.provinces, self.communes = country, provinces, communes

    def _unit(self, parent, position, code, name, kind, numchild):
        unit = {
            "id": len(self.units) + 1,
            "path": (parent["path"] if parent else "") + step_code(position),
            "code": code, "name": name, "kind": kind, "numchild": numchild,
            "parent": parent, "children": [],
        }
        unit["depth"] = len(unit["path"]) // STEPLEN
        if parent:
            parent["children"].append(unit)
        self.units.append(unit)
        return unit

    def assign_people(self):
        scale = self.scale
        self.users = []  # (id, unit, role, title)
        counts = {1: scale.country_users, 2: scale.province_users, 3: scale.commune_users}
        for unit in self.units:
            if unit["depth"] > 3:
                continue
            unit["user_lo"] = len(self.users) + 1
            unit["user_n"] = counts[unit["depth"]]
            unit["leader_id"] = unit["user_lo"]
            for k in range(unit["user_n"]):
                user_id = len(self.users) + 1
                where, role, title = unit, "officer", "Chuyên viên"
                if k == 0:
                    role = "admin" if unit["depth"] == 1 else "leader"
                    title = "Bí thư"
                elif k <= max(1, unit["user_n"] // 15):
                    role, title = "manager", "Phó Bí thư" if k == 1 else "Trưởng ban"
                elif unit["depth"] == 3 and k >= 3:
                    where = unit["children"][(k - 3) % len(unit["children"])]
                elif k >= unit["user_n"] * 0.9:
                    role, title = "viewer", "Cán bộ"
                self.users.append((user_id, where, role, title))

    def assign_documents(self):
        self.resolutions, self.items, self.programs = [], [], []
        for unit in self.units:
            if unit["depth"] > 3:
                continue
            resolution_id = len(self.resolutions) + 1
            unit["resolution_id"] = resolution_id
            self.resolutions.append((resolution_id, unit))
            for kind, count in (("viewpoint", 2), ("breakthrough", 3),
                                ("task_group", TASK_GROUPS_PER_RESOLUTION)):
                if kind == "task_group":
                    unit["group_lo"] = len(self.items) + 1
                for position in range(1, count + 1):
                    self.items.append((len(self.items) + 1, resolution_id, kind, position))
            unit["program_lo"] = len(self.programs) + 1
            unit["program_n"] = PROGRAMS[unit["depth"]]
            for j in range(1, unit["program_n"] + 1):
                self.programs.append((len(self.programs) + 1, unit, j))

    def assign_work(self):
        """How many tasks and targets each unit has, as contiguous id ranges."""
        scale, rng = self.scale, self.rng
        country_tasks = max(1, round(scale.tasks * COUNTRY_TASK_SHARE))
        province_tasks = spread(round(scale.tasks * PROVINCE_TASK_SHARE), scale.provinces, rng)
        commune_tasks = spread(scale.tasks - country_tasks - sum(province_tasks),
                               scale.communes, rng, 0.3, 1.7)
        counts = [country_tasks, *province_tasks, *commune_tasks]
        planned = [self.country, *self.provinces, *self.communes]
        next_task, next_target = 1, 1
        targets = {1: scale.country_targets, 2: scale.province_targets, 3: scale.commune_targets}
        for unit, count in zip(planned, counts, strict=True):
            unit["task_lo"], unit["n_tasks"] = next_task, count
            next_task += count
            unit["target_lo"], unit["target_n"] = next_target, targets[unit["depth"]]
            next_target += unit["target_n"]
        self.task_count = next_task - 1
        self.target_count = next_target - 1
        # Chunks of whole units, so that a sub-task's parent (the unit's first task) is always
        # written in the same transaction, whatever the number of connections.
        pieces = 16
        self.task_ranges, lo, size = [], 1, -(-self.task_count // pieces)
        for unit in planned:
            end = unit["task_lo"] + unit["n_tasks"] - 1
            if end - lo + 1 >= size or end == self.task_count:
                self.task_ranges.append((lo, end))
                lo = end + 1
        size = -(-self.target_count // pieces)
        self.target_ranges = [(lo, min(lo + size - 1, self.target_count))
                              for lo in range(1, self.target_count + 1, size)]


def load_units(conn, plan):
    from sixclear.orgs.models import Unit

    rows = ((u["id"], u["path"], u["depth"], u["numchild"], 1, u["code"], u["name"], u["kind"],
             True) for u in plan.units)
    return copy_rows(conn, Unit, ["id", "path", "depth", "numchild", "version", "code", "name",
                                  "kind", "is_active"], rows)


def load_users(conn, plan):
    from django.contrib.auth import get_user_model

    from sixclear.orgs.models import Membership

    joined = datetime(2025, 9, 1, 8, 0, tzinfo=ZoneInfo(LOCAL_TZ))

    def users():
        for user_id, _unit, _role, _title in plan.users:
            surname = SURNAMES[user_id % len(SURNAMES)]
            middle = MIDDLE_NAMES[(user_id // 7) % len(MIDDLE_NAMES)]
            given = GIVEN_NAMES[(user_id // 3) % len(GIVEN_NAMES)]
            # "!" marks an unusable password: bench users cannot sign in.
            yield (user_id, "!bench", None, False, f"u{user_id:05d}", given,
                   f"{surname} {middle}", f"u{user_id:05d}@bench.invalid", False, True, joined)

    count = copy_rows(conn, get_user_model(), [
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
        "email", "is_staff", "is_active", "date_joined"], users())
    memberships = ((user_id, 1, role, title, user_id, unit["id"])
                   for user_id, unit, role, title in plan.users)
    count += copy_rows(conn, Membership, ["id", "version", "role", "title", "user_id", "unit_id"],
                       memberships)
    return count


def load_documents(conn, plan):
    from sixclear.plans.models import Program, Resolution, ResolutionItem

    adopted = {1: date(2026, 1, 23), 2: date(2025, 10, 15), 3: date(2025, 8, 20)}
    resolutions = (
        (rid, 1, f"01-NQ/ĐH-{unit['code']}",
         f"Nghị quyết Đại hội Đảng bộ {unit['name']} nhiệm kỳ 2025–2030", 2025, 2030,
         adopted[unit["depth"]], "Phương hướng, mục tiêu, nhiệm vụ và giải pháp 2025–2030.", "",
         unit["id"])
        for rid, unit in plan.resolutions)
    count = copy_rows(conn, Resolution, ["id", "version", "number", "title", "term_start",
                                         "term_end", "adopted_on", "summary", "document",
                                         "unit_id"], resolutions)
    labels = {"viewpoint": "Quan điểm", "breakthrough": "Đột phá", "task_group": "Nhóm nhiệm vụ"}
    items = ((iid, 1, kind, position, f"{labels[kind]} {position}", "", rid)
             for iid, rid, kind, position in plan.items)
    count += copy_rows(conn, ResolutionItem, ["id", "version", "kind", "position", "title",
                                              "text", "resolution_id"], items)
    kinds = ["action_program", "plan", "decision", "conclusion", "plan"]
    programs = (
        (pid, 1, kinds[(j - 1) % len(kinds)], f"{j:02d}-CTr/{unit['code']}",
         f"Chương trình hành động số {j} thực hiện Nghị quyết", date(2025, 10, 1),
         date(2030, 12, 31), date(2025, 11, 10), "", unit["id"], unit["resolution_id"])
        for pid, unit, j in plan.programs)
    count += copy_rows(conn, Program, ["id", "version", "kind", "number", "title",
                                       "period_start", "period_end", "issued_on", "summary",
                                       "unit_id", "resolution_id"], programs)
    return count


def load_policies(conn, plan):
    """A few provinces with their own monitoring policy, so the scan runs several groups."""
    from sixclear.monitoring.models import MonitoringPolicy

    chosen = plan.provinces[1::9][:4]
    settings = [(3, 21, 15, 30), (5, 7, 5, 14), (10, 14, 10, 60), (4, 30, 20, 31)]
    for province, (tolerance, window, slack, period) in zip(chosen, settings, strict=False):
        MonitoringPolicy.objects.create(
            unit_id=province["id"], tolerance_percent=tolerance, at_risk_window_days=window,
            progress_slack_percent=slack, reporting_period_days=period)
    return len(chosen)


BENCH_UNIT = """CREATE UNLOGGED TABLE bench_unit (
  unit_id bigint PRIMARY KEY, depth integer, task_lo bigint, n_tasks integer,
  user_lo integer, user_n integer, leader_id integer, dept_lo bigint, dept_n integer,
  child_lo bigint, child_n integer, resolution_id bigint, program_lo bigint, program_n integer,
  group_lo bigint, group_n integer, target_lo bigint, target_n integer)"""


def load_bench_unit(loader, plan):
    """A scratch table of per-unit id ranges for the SQL stages; dropped at the end."""
    conn = loader.main
    conn.execute("DROP TABLE IF EXISTS bench_unit")
    conn.execute(BENCH_UNIT)
    count = 0
    with conn.cursor() as cur, cur.copy("COPY bench_unit FROM STDIN") as copy:
        for u in plan.units:
            if u["depth"] > 3:
                continue
            children = u["children"]
            departments = children if u["depth"] == 3 else []
            copy.write_row((
                u["id"], u["depth"], u["task_lo"], u["n_tasks"], u["user_lo"], u["user_n"],
                u["leader_id"], departments[0]["id"] if departments else None, len(departments),
                children[0]["id"], len(children), u["resolution_id"], u["program_lo"],
                u["program_n"], u["group_lo"], TASK_GROUPS_PER_RESOLUTION, u["target_lo"],
                u["target_n"]))
            count += 1
    conn.execute("ANALYZE bench_unit")
    conn.commit()
    return count


# --- targets and their trajectories (Python, COPY) ------------------------------------------

TARGET_KINDS = [  # kind, weight, names, unit of measure, area
    ("annual_growth", 25, ["Giá trị sản xuất nông nghiệp", "Tổng sản phẩm trên địa bàn (GRDP)",
                           "Thu nhập bình quân đầu người"], "tỷ đồng", "Kinh tế"),
    ("growth_range", 10, ["Thu ngân sách nhà nước trên địa bàn", "Giá trị sản xuất công nghiệp"],
     "tỷ đồng", "Kinh tế"),
    ("cumulative", 15, ["Tổng vốn đầu tư toàn xã hội 5 năm",
                        "Số km đường giao thông được cứng hóa"], "tỷ đồng", "Hạ tầng"),
    ("count", 25, ["Số trường đạt chuẩn quốc gia", "Số hộ nghèo",
                   "Số hợp tác xã hoạt động hiệu quả",
                   "Số tổ chức cơ sở đảng trong sạch, vững mạnh"], "đơn vị", "Xã hội"),
    ("threshold", 20, ["Tỷ lệ hộ nghèo", "Tỷ lệ người dân tham gia bảo hiểm y tế",
                       "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến"], "%", "Xã hội"),
    ("yes_no", 5, ["Hoàn thành chuyển đổi số cấp cơ sở", "Đạt chuẩn nông thôn mới nâng cao"],
     "", "Xây dựng Đảng"),
]


def _target(rng, kind):
    """The kind-specific fields of one target: (direction, baseline, goal, rate, rate_high)."""
    direction = "higher"
    goal = rate = rate_high = None
    if kind in ("annual_growth", "growth_range"):
        baseline = Decimal(rng.randint(2_000, 900_000))
        rate = Decimal(rng.choice(["6.5", "7.0", "7.5", "8.0", "8.5", "10.0", "11.0"]))
        if kind == "growth_range":
            rate_high = rate + Decimal(rng.choice(["0.5", "1.0", "1.5"]))
    elif kind == "cumulative":
        baseline = Decimal(0)
        goal = Decimal(rng.randint(500, 80_000))
    elif kind == "count":
        baseline = Decimal(rng.randint(10, 400))
        if rng.random() < 0.15:
            direction, goal = "lower", (baseline * Decimal("0.6")).quantize(Decimal(1))
        else:
            goal = (baseline * Decimal(rng.choice(["1.2", "1.5", "2.0"]))).quantize(Decimal(1))
    elif kind == "threshold":
        if rng.random() < 0.4:  # a rate to bring down, such as poverty
            direction, goal = "lower", Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0"]))
            baseline = goal * Decimal(rng.choice(["1.5", "2", "3"]))
        else:
            goal = Decimal(rng.choice(["80", "90", "95", "98"]))
            baseline = goal - Decimal(rng.randint(2, 15))
    else:
        baseline, goal = Decimal(0), Decimal(1)
    return direction, baseline, goal, rate, rate_high


def load_targets(conn, plan):
    from sixclear.plans.models import Target, TrajectoryPoint
    from sixclear.plans.trajectory import expected_path

    rng = random.Random(7)
    kinds = [k for k in TARGET_KINDS for _ in range(k[1])]
    targets, points, links = [], [], []
    for unit in plan.units:
        if unit["depth"] > 3:
            continue
        for j in range(unit["target_n"]):
            target_id = unit["target_lo"] + j
            kind, _weight, names, measure, area = rng.choice(kinds)
            name = rng.choice(names)
            # The same measure carries the same indicator code in every commune.
            indicator = f"{kind.upper()}-{names.index(name) + 1}"
            direction, baseline, goal, rate, rate_high = _target(rng, kind)
            departments = unit["children"] if unit["depth"] == 3 else []
            responsible = rng.choice(departments)["id"] if departments else unit["id"]
            person = unit["user_lo"] + rng.randrange(unit["user_n"])
            targets.append((
                target_id, 1, f"CT{j + 1:03d}", name, indicator, area, kind, direction,
                measure, baseline, 2025, goal, rate, rate_high, 2030, False,
                unit["resolution_id"], person, responsible, unit["id"]))
            for year, expected, high in expected_path(
                    kind=kind, baseline_value=baseline, baseline_year=2025, target_year=2030,
                    target_value=goal, annual_rate=rate, annual_rate_high=rate_high):
                points.append((year, expected, high, target_id))
            if rng.random() < 0.3:
                program = unit["program_lo"] + rng.randrange(unit["program_n"])
                links.append((target_id, program))
    count = copy_rows(conn, Target, [
        "id", "version", "code", "name", "indicator", "group", "kind", "direction",
        "unit_of_measure",
        "baseline_value", "baseline_year", "target_value", "annual_rate", "annual_rate_high",
        "target_year", "trajectory_is_custom", "resolution_id", "responsible_person_id",
        "responsible_unit_id", "unit_id"], targets)
    count += copy_rows(conn, TrajectoryPoint, ["year", "expected_value", "expected_high",
                                               "target_id"], points)
    count += copy_rows(conn, Target.programs.through, ["target_id", "program_id"], links)
    return count


# --- the big tables (SQL inside PostgreSQL) -------------------------------------------------

TOPICS = [
    "Rà soát, sửa đổi quy chế làm việc của cấp ủy",
    "Triển khai chuyển đổi số trong cơ quan đảng, chính quyền",
    "Xây dựng kế hoạch phát triển kinh tế - xã hội hằng năm",
    "Nâng cấp, cứng hóa đường giao thông nông thôn",
    "Giải quyết dứt điểm đơn thư khiếu nại, tố cáo tồn đọng",
    "Kiện toàn tổ chức bộ máy sau sắp xếp đơn vị hành chính",
    "Phát triển hợp tác xã và sản phẩm OCOP",
    "Cải cách thủ tục hành chính theo cơ chế một cửa",
    "Kiểm tra, giám sát tổ chức đảng và đảng viên",
    "Thực hiện chương trình giảm nghèo bền vững",
    "Tăng thu ngân sách nhà nước trên địa bàn",
    "Xây dựng trường học đạt chuẩn quốc gia",
]
RESULTS = ["Báo cáo kết quả thực hiện", "Quyết định được ban hành", "Công trình được nghiệm thu",
           "Kế hoạch được phê duyệt", "Đề án được thông qua"]
OBSTACLES = ["Thiếu kinh phí thực hiện", "Vướng mắc giải phóng mặt bằng",
             "Thiếu nhân lực chuyên môn", "Chờ hướng dẫn của cấp trên"]


def _array(values):
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


TASK_COLUMNS = [
    "id", "version", "code", "title", "description", "start_date", "deadline", "expected_result",
    "authority_body", "priority", "state", "percent_complete", "issued_at", "completed_on",
    "created_at", "authority_id", "lead_unit_id", "owner_id", "parent_id", "program_id",
    "resolution_id", "task_group_id", "unit_id"]

TASK_SELECT = f"""
WITH t1 AS (
  SELECT g.id, b.*,
         DATE '2025-10-01' + floor(pg_temp.rnd(g.id, 1) * 1918)::int AS deadline,
         pg_temp.rnd(g.id, 4) AS r_state, pg_temp.rnd(g.id, 5) AS r_done
  FROM bench_unit b
  CROSS JOIN LATERAL generate_series(greatest(b.task_lo, %(lo)s),
                                     least(b.task_lo + b.n_tasks - 1, %(hi)s)) AS g(id)
  WHERE b.n_tasks > 0
  OFFSET 0
), t2 AS (
  SELECT t1.*,
    DATE '2025-09-15' + floor(pg_temp.rnd(id, 2)
      * (least(%(today)s::date - 1, deadline - 14) - DATE '2025-09-15' + 1))::int AS issued_on,
    CASE WHEN r_state < 0.03 THEN 'draft' WHEN r_state < 0.05 THEN 'cancelled'
         WHEN r_done < CASE WHEN deadline < %(today)s::date THEN 0.72 ELSE 0.075 END THEN 'done'
         ELSE 'issued' END AS state
  FROM t1
  OFFSET 0
), t3 AS (
  SELECT t2.*,
    CASE WHEN pg_temp.rnd(id, 3) < 0.05 THEN NULL
         ELSE least(issued_on + floor(pg_temp.rnd(id, 31) * 10)::int, deadline) END AS start_date
  FROM t2
  OFFSET 0
), t4 AS (
  SELECT t3.*, coalesce(start_date, issued_on) AS s,
    CASE WHEN state = 'done' THEN greatest(coalesce(start_date, issued_on),
      least(%(today)s::date - 1, deadline - 20 + floor(pg_temp.rnd(id, 7) * 30)::int)) END
      AS completed_on
  FROM t3
  OFFSET 0
), t5 AS (
  SELECT t4.*, pg_temp.n_reports(id, state, s,
           pg_temp.report_end(id, state, s, completed_on, %(today)s::date)) AS n
  FROM t4
  OFFSET 0
)
SELECT id, 1, 'NV-' || lpad((id - task_lo + 1)::text, 5, '0'),
  ({_array(TOPICS)})[1 + mod(id, {len(TOPICS)})] || ' (nhiệm vụ ' || (id - task_lo + 1) || ')',
  ({_array(TOPICS)})[1 + mod(id, {len(TOPICS)})]
    || '. Cấp ủy giao chủ trì, phối hợp với các cơ quan liên quan tổ chức thực hiện, '
    || 'báo cáo tiến độ hằng tháng và kết quả khi hoàn thành.',
  start_date, deadline,
  ({_array(RESULTS)})[1 + floor(pg_temp.rnd(id, 17) * {len(RESULTS)})::int],
  CASE WHEN pg_temp.rnd(id, 18) < 0.5 THEN 'Ban Thường vụ Đảng ủy' ELSE '' END,
  CASE WHEN pg_temp.rnd(id, 19) < 0.10 THEN 'high' WHEN pg_temp.rnd(id, 19) < 0.13 THEN 'urgent'
       WHEN pg_temp.rnd(id, 19) < 0.20 THEN 'low' ELSE 'normal' END,
  state,
  CASE WHEN state = 'done' THEN 100 WHEN n = 0 THEN 0
       WHEN state = 'cancelled' THEN floor(pg_temp.rnd(id, 8) * 40)::int
       ELSE least(95, greatest(1, floor(100.0 * (%(today)s::date - s) / greatest(deadline - s, 1)
                                        * (0.55 + 0.6 * pg_temp.rnd(id, 8)))::int)) END,
  CASE WHEN state <> 'draft' THEN (issued_on + time '08:00'
       + floor(pg_temp.rnd(id, 9) * 540)::int * interval '1 minute') AT TIME ZONE %(tz)s END,
  completed_on,
  (issued_on - 3 + time '08:00') AT TIME ZONE %(tz)s,
  leader_id,
  CASE WHEN dept_n > 0 AND pg_temp.rnd(id, 11) < 0.7 THEN pg_temp.pick(id, 12, dept_lo, dept_n)
       ELSE unit_id END,
  pg_temp.pick(id, 10, user_lo, user_n),
  CASE WHEN id > task_lo AND pg_temp.rnd(id, 13) < 0.05 THEN task_lo END,
  CASE WHEN pg_temp.rnd(id, 14) < 0.4 THEN pg_temp.pick(id, 15, program_lo, program_n) END,
  CASE WHEN pg_temp.rnd(id, 14) >= 0.3 THEN resolution_id END,
  CASE WHEN pg_temp.rnd(id, 16) < 0.5 THEN pg_temp.pick(id, 16, group_lo, group_n) END,
  unit_id
FROM t5
"""  # noqa: S608

REPORT_COLUMNS = [
    "version", "status", "submitted_at", "reviewed_at", "review_comment", "report_date",
    "percent", "narrative", "obstacles", "has_obstacles", "reported_by_id", "reviewed_by_id",
    "task_id"]

REPORT_SELECT = f"""
WITH t AS (
  SELECT t.id, t.state, t.owner_id, t.unit_id, t.percent_complete, t.completed_on,
         coalesce(t.start_date, (t.issued_at AT TIME ZONE %(tz)s)::date) AS s
  FROM tracking_task t
  WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.state <> 'draft'
), u AS (
  SELECT t.*, pg_temp.report_end(id, state, s, completed_on, %(today)s::date) AS e FROM t
  OFFSET 0
), v AS (
  SELECT u.*, pg_temp.n_reports(id, state, s, e) AS n FROM u
  OFFSET 0
), r AS (
  SELECT v.id AS task_id, v.owner_id, b.leader_id, k, v.n,
    v.s + floor((v.e - v.s) * k::float8 / v.n)::int AS report_date,
    floor(v.percent_complete * k::float8 / v.n)::int AS percent,
    pg_temp.rnd(v.id * 8 + k, 50) AS r_status,
    pg_temp.rnd(v.id * 8 + k, 51) < 0.10 AS has_obstacles
  FROM v JOIN bench_unit b ON b.unit_id = v.unit_id
  CROSS JOIN LATERAL generate_series(1, v.n) AS k
  OFFSET 0
), s AS (
  SELECT r.*,
    CASE WHEN k < n THEN CASE WHEN r_status < 0.93 THEN 'approved'
                              WHEN r_status < 0.97 THEN 'returned' ELSE 'submitted' END
         ELSE CASE WHEN r_status < 0.65 THEN 'approved' WHEN r_status < 0.90 THEN 'submitted'
                   WHEN r_status < 0.95 THEN 'draft' ELSE 'returned' END END AS status
  FROM r
  OFFSET 0
)
SELECT 1, status,
  CASE WHEN status <> 'draft' THEN (report_date + time '16:30') AT TIME ZONE %(tz)s END,
  CASE WHEN status IN ('approved', 'returned')
       THEN (report_date + 1 + time '09:30') AT TIME ZONE %(tz)s END,
  CASE WHEN status = 'returned' THEN 'Đề nghị bổ sung số liệu và tài liệu minh chứng.'
       ELSE '' END,
  report_date, percent,
  'Đã thực hiện ' || percent || ' phần trăm khối lượng công việc theo kế hoạch; '
    || 'tiếp tục triển khai các bước tiếp theo.',
  CASE WHEN has_obstacles
       THEN ({_array(OBSTACLES)})
            [1 + floor(pg_temp.rnd(task_id * 8 + k, 52) * {len(OBSTACLES)})::int]
       ELSE '' END,
  has_obstacles, owner_id,
  CASE WHEN status IN ('approved', 'returned') THEN leader_id END,
  task_id
FROM s
"""  # noqa: S608

STEP_COLUMNS = ["version", "position", "title", "due_date", "done", "done_on", "task_id"]

STEP_SELECT = """
WITH t AS (
  SELECT id, state, deadline,
         coalesce(start_date, (issued_at AT TIME ZONE %(tz)s)::date,
                  (created_at AT TIME ZONE %(tz)s)::date) AS s
  FROM tracking_task
  WHERE id BETWEEN %(lo)s AND %(hi)s AND pg_temp.rnd(id, 20) < %(share)s
), k AS (
  SELECT t.*, k.position, t.s + floor((t.deadline - t.s) * k.position / 4.0)::int AS due_date
  FROM t CROSS JOIN generate_series(1, 3) AS k(position)
  OFFSET 0
), d AS (
  SELECT k.*, state = 'done' OR (due_date < %(today)s::date
              AND pg_temp.rnd(id * 4 + position, 22) < 0.8) AS done
  FROM k
  OFFSET 0
)
SELECT 1, position, 'Bước ' || position || ': '
  || (ARRAY['chuẩn bị, xây dựng kế hoạch', 'tổ chức thực hiện', 'sơ kết, đánh giá'])[position],
  due_date, done,
  CASE WHEN done THEN least(due_date - 7 + floor(pg_temp.rnd(id * 4 + position, 23) * 14)::int,
                            %(today)s::date - 1) END,
  id
FROM d
"""

COORDINATION_SELECT = """
SELECT t.id,
  CASE WHEN b.dept_n > 0 THEN pg_temp.pick(t.id, 62, b.dept_lo, b.dept_n)
       ELSE pg_temp.pick(t.id, 62, b.child_lo, b.child_n) END
FROM tracking_task t JOIN bench_unit b ON b.unit_id = t.unit_id
WHERE t.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.rnd(t.id, 60) < 0.10
"""

TASK_TARGET_SELECT = """
SELECT t.id, pg_temp.pick(t.id, 63, b.target_lo, b.target_n)
FROM tracking_task t JOIN bench_unit b ON b.unit_id = t.unit_id
WHERE t.id BETWEEN %(lo)s AND %(hi)s AND b.target_n > 0 AND pg_temp.rnd(t.id, 61) < 0.10
"""

# The periods each target has measurements for, as of 2026-11-23: the baseline year 2025 and
# its quarters and second-half months, the first three quarters and ten months of 2026, and
# for one target in three an estimate for the whole of 2026 (submitted, not yet approved).
# (index, kind, year, number, position in twelfths, reported on, most recent)
PERIODS = (
    [(0, "year", 2025, 0, 12, date(2026, 1, 20), False)]
    + [(q, "quarter", 2025, q, 3 * q, date(2025, 3 * q, 28) + timedelta(days=10), False)
       for q in range(1, 5)]
    + [(4 + m - 6, "month", 2025, m, m, date(2025, m, 28) + timedelta(days=8), False)
       for m in range(7, 13)]
    + [(10 + q, "quarter", 2026, q, 3 * q, date(2026, 3 * q, 28) + timedelta(days=10), q == 3)
       for q in range(1, 4)]
    + [(13 + m, "month", 2026, m, m, date(2026, m, 28) + timedelta(days=8), m == 10)
       for m in range(1, 11)]
    + [(24, "year", 2026, 0, 12, date(2026, 11, 15), False)]
)
NO_MEASUREMENT_SHARE = 0.02  # targets nobody has measured yet


def _periods_values():
    rows = []
    for index, kind, year, number, position, reported, recent in PERIODS:
        rows.append(f"({index}, '{kind}', {year}, {number}, {position}, "
                    f"DATE '{reported.isoformat()}', {str(recent).lower()})")
    return ",\n    ".join(rows)


MEASUREMENT_COLUMNS = [
    "version", "status", "submitted_at", "reviewed_at", "review_comment", "period_kind", "year",
    "period_number", "value", "source", "evidence", "note", "reported_by_id", "reviewed_by_id",
    "target_id"]

MEASUREMENT_SELECT = f"""
WITH periods (idx, period_kind, year, period_number, position, reported_on, recent) AS (
  VALUES
    {_periods_values()}
), t AS (
  SELECT t.id, t.kind, t.direction, t.baseline_value, t.target_value,
         p.expected_value AS this_year, b.user_lo, b.user_n, b.leader_id,
         -0.10 + 0.16 * pg_temp.rnd(t.id, 40) AS bias
  FROM plans_target t
  JOIN plans_trajectorypoint p ON p.target_id = t.id AND p.year = 2026
  JOIN bench_unit b ON b.unit_id = t.unit_id
  WHERE t.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.rnd(t.id, 42) >= {NO_MEASUREMENT_SHARE}
  OFFSET 0
), m AS (
  SELECT t.*, per.*,
    CASE WHEN t.kind = 'threshold' THEN t.target_value
         WHEN per.year = 2025 THEN t.baseline_value
         WHEN t.kind = 'yes_no' THEN t.this_year
         ELSE t.baseline_value + (t.this_year - t.baseline_value) * per.position / 12.0
    END AS expected,
    CASE WHEN per.year = 2025 THEN 0 ELSE t.bias END
      + 0.04 * (pg_temp.rnd(t.id * 32 + per.idx, 41) - 0.5) AS deviation,
    pg_temp.rnd(t.id * 32 + per.idx, 43) AS r_status,
    CASE WHEN per.recent THEN 0.6 ELSE 0.875 END AS p_approved
  FROM t CROSS JOIN periods per
  WHERE per.period_kind <> 'year' OR per.year = 2025 OR mod(t.id, 3) = 0
  OFFSET 0
), s AS (
  SELECT m.*,
    CASE WHEN period_kind = 'year' AND year = 2026 THEN 'submitted'
         WHEN r_status < p_approved THEN 'approved'
         WHEN r_status < p_approved + (1 - p_approved) * 0.6 THEN 'submitted'
         WHEN r_status < p_approved + (1 - p_approved) * 0.85 THEN 'draft'
         ELSE 'returned' END AS status
  FROM m
  OFFSET 0
)
SELECT 1, status,
  CASE WHEN status <> 'draft' THEN (reported_on + time '15:00') AT TIME ZONE %(tz)s END,
  CASE WHEN status IN ('approved', 'returned')
       THEN (reported_on + 3 + time '10:00') AT TIME ZONE %(tz)s END,
  CASE WHEN status = 'returned' THEN 'Số liệu chưa khớp với báo cáo thống kê.' ELSE '' END,
  period_kind, year, period_number,
  CASE WHEN kind = 'yes_no' THEN expected
       ELSE round(expected * (1 + CASE WHEN direction = 'lower' THEN -1 ELSE 1 END
                                  * deviation)::numeric,
                  CASE WHEN kind = 'count' THEN 0 ELSE 4 END) END,
  CASE WHEN mod(id, 2) = 0 THEN 'Thống kê cơ sở' ELSE 'Báo cáo của đơn vị' END, '', '',
  pg_temp.pick(id * 32 + idx, 44, user_lo, user_n),
  CASE WHEN status IN ('approved', 'returned') THEN leader_id END,
  id
FROM s
"""  # noqa: S608


def load_tasks(loader, plan):
    from sixclear.tracking.models import Task

    return loader.in_chunks(Task, TASK_COLUMNS, TASK_SELECT, plan.task_ranges)


def load_reports(loader, plan):
    from sixclear.tracking.models import ProgressReport

    return loader.in_chunks(ProgressReport, REPORT_COLUMNS, REPORT_SELECT, plan.task_ranges)


def load_steps(loader, plan):
    from sixclear.tracking.models import TaskStep

    return loader.in_chunks(TaskStep, STEP_COLUMNS, STEP_SELECT, plan.task_ranges,
                            share=STEP_TASK_SHARE)


def load_task_links(loader, plan):
    from sixclear.tracking.models import Task

    count = loader.in_chunks(Task.coordinating_units.through, ["task_id", "unit_id"],
                             COORDINATION_SELECT, plan.task_ranges)
    count += loader.in_chunks(Task.targets.through, ["task_id", "target_id"],
                              TASK_TARGET_SELECT, plan.task_ranges)
    return count


def load_measurements(loader, plan):
    from sixclear.tracking.models import Measurement

    return loader.in_chunks(Measurement, MEASUREMENT_COLUMNS, MEASUREMENT_SELECT,
                            plan.target_ranges)


# --- finishing ------------------------------------------------------------------------------

EXPLICIT_ID_TABLES = ["auth_user", "orgs_unit", "orgs_membership", "plans_resolution",
                      "plans_resolutionitem", "plans_program", "plans_target", "tracking_task"]
BIG_TABLES = ["orgs_unit", "auth_user", "orgs_membership", "plans_target",
              "plans_trajectorypoint", "plans_target_programs", "tracking_task",
              "tracking_task_coordinating_units", "tracking_task_targets", "tracking_taskstep",
              "tracking_progressreport", "tracking_measurement"]
LOADED_TABLES = [*BIG_TABLES, "plans_resolution", "plans_resolutionitem", "plans_program",
                 "monitoring_monitoringpolicy"]


def finish(loader, plan):
    """Move the id sequences past the ids we chose, drop the scratch table, vacuum, analyse.

    VACUUM sets hint bits and the visibility map now, as autovacuum would soon after a real
    load; otherwise the first scan would pay for it and autovacuum would run during the bench.
    """
    conn = loader.main
    for table in EXPLICIT_ID_TABLES:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                     f"(SELECT max(id) FROM {table}))")
    conn.execute("DROP TABLE bench_unit")
    conn.commit()

    def vacuum(conn, table):
        conn.autocommit = True
        conn.execute(f"VACUUM (ANALYZE) {table}")
        conn.autocommit = False
        return 1

    done = loader.in_parallel(vacuum, sorted(LOADED_TABLES, key=BIG_TABLES.__contains__))
    # A page written shortly before (asynchronous commit) or during another table's ANALYZE
    # may be left out of the visibility map; a second pass only visits those pages.
    for table in BIG_TABLES:
        vacuum(conn, table)
    return done


FOREIGN_KEYS = """
SELECT c.conname, c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)
ORDER BY c.conrelid::regclass::text, a.attname
"""


def verify_foreign_keys(loader, plan):
    """Check every foreign key of the loaded tables, one anti-join each; stop on a dangling one."""
    keys = loader.main.execute(FOREIGN_KEYS, [LOADED_TABLES]).fetchall()
    loader.main.commit()
    problems = []

    def check(conn, key):
        name, table, column, target, target_column = key
        dangling = conn.execute(
            f'SELECT count(*) FROM {table} c WHERE c."{column}" IS NOT NULL '  # noqa: S608
            f'AND NOT EXISTS (SELECT 1 FROM {target} p WHERE p."{target_column}" = c."{column}")'
        ).fetchone()[0]
        conn.commit()
        if dangling:
            problems.append(f"{table}.{column} → {target}: {dangling} rows ({name})")
        return 1

    checked = loader.in_parallel(check, keys)
    if problems:
        raise SystemExit("Dangling foreign keys:\n  " + "\n  ".join(problems))
    return checked


def row_counts(url):
    with psycopg.connect(url) as conn:
        return [(table, conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
                for table in BIG_TABLES + ["plans_resolution", "plans_program",
                                           "monitoring_monitoringpolicy"]]


def mark(url, scale, seconds):
    name = database_name(url)
    note = (f"{MARKER}: scale={scale.name}; today={TODAY.isoformat()}; "
            f"generated {datetime.now():%Y-%m-%d %H:%M} in {seconds:.0f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{note}'")


# --- command --------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--fresh", action="store_true",
                        help="drop and recreate the bench database first")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="connections loading side by side (default: one per core, up to 4)")
    parser.add_argument("--checked-load", action="store_true",
                        help="let PostgreSQL check foreign keys row by row while loading "
                             "(several times slower) instead of verifying them afterwards")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing (and succeed) when the data set of this scale exists")
    return parser.parse_args(argv)


def check_existing(args, scale):
    """Return True to go on; exit when data is already there."""
    has_rows, comment = existing_data(args.database_url)
    if not has_rows:
        return True
    name = database_name(args.database_url)
    complete = bool(comment) and comment.startswith(MARKER)
    same_scale = complete and f"scale={scale.name};" in comment
    if args.if_missing and same_scale:
        log(f"Database {name} already holds the data set ({comment}); not regenerating.")
        log("Use --fresh (make bench BENCH_FRESH=1) to build it again.")
        sys.exit(0)
    what = comment if complete else "an incomplete or foreign data set (no bench marker)"
    log(f"REFUSED: database {name} already holds data: {what}.")
    log(f"Run again with --fresh to drop and rebuild {name} "
        "(make bench BENCH_FRESH=1), or pass another --database-url.")
    sys.exit(1)


def main(argv=None):
    args = parse_args(argv)
    scale = SCALES[args.scale]
    name = database_name(args.database_url)
    if args.fresh and "bench" not in name:
        raise SystemExit(f"--fresh drops the database; refusing for {name!r} "
                         "(its name must contain 'bench').")
    log(f"== Generating the {scale.name} data set in {name} (today = {TODAY})")
    if args.fresh or not database_exists(args.database_url):
        create_database(args.database_url, drop_first=args.fresh)
    elif not check_existing(args, scale):
        return
    setup_django(args.database_url)
    stages = Stages()
    stages.run("migrate", migrate)
    check_existing(args, scale)
    plan = Plan(scale)
    loader = Loader(args.database_url, args.jobs, checked=args.checked_load)
    conn = loader.main
    stages.run("units (tree paths)", load_units, conn, plan)
    stages.run("users and memberships", load_users, conn, plan)
    stages.run("resolutions, items, programs", load_documents, conn, plan)
    stages.run("monitoring policies", load_policies, conn, plan)
    stages.run("scratch table bench_unit", load_bench_unit, loader, plan)
    stages.run("targets, trajectories, target programs", load_targets, conn, plan)
    stages.run("tasks", load_tasks, loader, plan)
    stages.run("progress reports", load_reports, loader, plan)
    stages.run("task steps", load_steps, loader, plan)
    stages.run("coordinating units, task targets", load_task_links, loader, plan)
    stages.run("measurements", load_measurements, loader, plan)
    stages.run("sequences, VACUUM ANALYZE (tables)", finish, loader, plan)
    if loader.unchecked:
        stages.run("verify every foreign key (constraints)", verify_foreign_keys, loader, plan)
    # After the sequences are set: every role at each level the page benchmark signs in as.
    stages.run("bench personas (bench.personas)", ensure_personas)
    loader.close()
    total = stages.total()
    mark(args.database_url, scale, total)
    log(f"\nGenerated the {scale.name} data set in {total:.1f} s ({args.jobs} connections):")
    for name, seconds, count in stages.rows:
        log(f"  {name:<44} {seconds:8.1f} s  {count:>12,}")
    log("Rows:")
    for table, count in row_counts(args.database_url):
        log(f"  {table:<36} {count:>12,}")


if __name__ == "__main__":
    main()
