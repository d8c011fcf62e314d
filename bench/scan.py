"""Time the monitoring scan (sixclear.monitoring.engine.run_scan) on the bench data set.

    python -m bench.scan [--database-url URL] [--repeat N] [--set NAME=VALUE]
                         [--no-explain] [--full-plan]

Each repetition clears the computed statuses, then scans three times:
  1. cold: no status exists yet, every task and target status is written;
  2. the same day again: nothing changed, nothing is written (the daily re-run cost);
  3. a week later: deadlines pass and windows open, so statuses shift.
It prints the table of runs, the statements that took the time, the status counts, and an
EXPLAIN (ANALYZE, BUFFERS) summary of the heaviest statement (run again and rolled back).
"""

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from datetime import datetime, timedelta

from bench import DEFAULT_DATABASE_URL, TODAY, database_name, setup_django

RUNS = [("cold (no statuses yet)", 0), ("same day again", 0), ("a week later", 7)]


def log(message=""):
    print(message, flush=True)


class ServerClock:
    """CPU seconds used by this connection's PostgreSQL backend, when the server is local.

    On a shared machine the wall time depends on the neighbours; the backend's own CPU time
    much less, so both are shown.
    """

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.path = f"/proc/{cursor.fetchone()[0]}/stat"
        self.available = os.path.exists(self.path)

    def seconds(self):
        if not self.available:
            return None
        try:
            with open(self.path) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            self.available = False
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StatementTimer:
    """Django execute wrapper: remembers every statement of a scan with its duration."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - start, sql, params))


VERBS = {"INSERT INTO": "upsert", "DELETE FROM": "delete", "UPDATE": "update"}


def describe_statement(sql):
    """A short name for a scan statement: what it does to which table."""
    text = " ".join(sql.split())
    match = re.search(r'(INSERT INTO|DELETE FROM|UPDATE) "?(\w+)"?', text)
    if match:
        return f"{VERBS[match.group(1)]} {match.group(2)}"
    return text[:60]


def check_data(url):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.tracking_task')")
        present = cursor.fetchone()[0] is not None
        if present:
            cursor.execute("SELECT count(*) FROM tracking_task")
            tasks = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM plans_target")
            targets = cursor.fetchone()[0]
    if not present or not tasks:
        raise SystemExit(f"No bench data in {database_name(url)}: "
                         "run `python -m bench.generate --scale national` first.")
    return tasks, targets


def warn_about_neighbours():
    """Timings mean little when others use the machine or this database at the same time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND state <> 'idle'")
        busy = cursor.fetchone()[0]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    log(f"  machine: {os.cpu_count()} cores, load average {load}")
    from sixclear.monitoring import engine

    with open(engine.__file__, "rb") as source:
        digest = hashlib.sha256(source.read()).hexdigest()[:12]
    changed = datetime.fromtimestamp(os.path.getmtime(engine.__file__)).astimezone()
    log(f"  engine: {engine.__name__} sha256 {digest}, file changed {changed:%Y-%m-%d %H:%M %z}")
    if busy:
        log(f"  WARNING: {busy} other session(s) are busy in this database; "
            "their work will slow the scan and may make it wait.")


def apply_settings(settings):
    from django.db import connection

    with connection.cursor() as cursor:
        for setting in settings:
            name, _, value = setting.partition("=")
            if not re.fullmatch(r"[a-z_.]+", name.strip()):
                raise SystemExit(f"Not a setting name: {name!r}")
            cursor.execute("SELECT set_config(%s, %s, false)", [name.strip(), value.strip()])
            log(f"  session setting {name.strip()} = {value.strip()}")


def reset_statuses():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_taskhealth, monitoring_targethealth")


def status_changes(day):
    """How many statuses changed on `day` (changed_on moves only when the status does)."""
    from sixclear.monitoring.models import TargetHealth, TaskHealth

    return (TaskHealth.objects.filter(changed_on=day).count(),
            TargetHealth.objects.filter(changed_on=day).count())


def status_counts():
    from django.db.models import Count, Q

    from sixclear.monitoring.models import TargetHealth, TaskHealth

    tasks = dict(TaskHealth.objects.values_list("status").annotate(n=Count("*")).order_by())
    stale = TaskHealth.objects.aggregate(n=Count("pk", filter=Q(stale=True)))["n"]
    targets = dict(TargetHealth.objects.values_list("status").annotate(n=Count("*")).order_by())
    return tasks, stale, targets


def scan_once(day, clock):
    from django.db import connection

    from sixclear.monitoring.engine import run_scan

    timer = StatementTimer()
    tasks_before, targets_before = status_changes(day)
    cpu_start = clock.seconds()
    start = time.perf_counter()
    with connection.execute_wrapper(timer):
        run = run_scan(today=day)
    seconds = time.perf_counter() - start
    cpu = None if cpu_start is None else clock.seconds() - cpu_start
    tasks_after, targets_after = status_changes(day)
    tasks_changed, targets_changed = tasks_after - tasks_before, targets_after - targets_before
    return {
        "seconds": seconds, "cpu": cpu, "tasks_written": run.tasks_changed,
        "targets_written": run.targets_changed, "task_status_changed": tasks_changed,
        "target_status_changed": targets_changed, "statements": timer.statements,
    }


def print_runs(results):
    log(f"{'rep':>3}  {'run':<24} {'as of':<10} {'seconds':>8} {'db cpu s':>8} "
        f"{'tasks written':>14} {'task status chg':>16} {'targets written':>16} "
        f"{'target status chg':>18}")
    for rep, label, day, r in results:
        cpu = "-" if r["cpu"] is None else f"{r['cpu']:.2f}"
        log(f"{rep:>3}  {label:<24} {day.isoformat():<10} {r['seconds']:>8.2f} {cpu:>8} "
            f"{r['tasks_written']:>14,} {r['task_status_changed']:>16,} "
            f"{r['targets_written']:>16,} {r['target_status_changed']:>18,}")
    repeats = {rep for rep, *_ in results}
    if len(repeats) > 1:
        log("\nMedian over the repetitions:")
        for label, _offset in RUNS:
            times = [r["seconds"] for _rep, lab, _day, r in results if lab == label]
            log(f"     {label:<24} {statistics.median(times):>8.2f} s  "
                f"(min {min(times):.2f}, max {max(times):.2f})")


def print_statements(results):
    """Where the time of the last repetition went: statements over 50 ms, by kind."""
    last = max(rep for rep, *_ in results)
    log("\nStatements over 50 ms, by kind (last repetition):")
    for _rep, label, _day, r in (row for row in results if row[0] == last):
        kinds = {}
        for seconds, sql, _params in r["statements"]:
            if seconds >= 0.05:
                kinds.setdefault(describe_statement(sql), []).append(seconds)
        for kind, times in kinds.items():
            log(f"     {label:<24} {kind:<32} x{len(times):<3} {sum(times):>8.2f} s "
                f"(largest {max(times):.2f} s)")
        rest = r["seconds"] - sum(seconds for seconds, _sql, _params in r["statements"])
        # COMMIT is not a statement here, and it runs the deferred foreign-key checks of
        # every status row written.
        log(f"     {label:<24} {'the rest: commit, Python':<32} {'':<4} {rest:>8.2f} s")


def print_counts(title, tasks_total):
    tasks, stale, targets = status_counts()
    log(f"\n{title}")
    width = max(len(s) for s in [*tasks, *targets, "stale (issued)"])
    for status, n in sorted(tasks.items(), key=lambda item: -item[1]):
        log(f"     task    {status:<{width}} {n:>10,}  {100 * n / tasks_total:5.1f} %")
    log(f"     task    {'stale (issued)':<{width}} {stale:>10,}")
    total = sum(targets.values()) or 1
    for status, n in sorted(targets.items(), key=lambda item: -item[1]):
        log(f"     target  {status:<{width}} {n:>10,}  {100 * n / total:5.1f} %")


def _nodes(plan, depth=0):
    """Every node of a JSON plan with its own (exclusive) time in ms."""
    children = plan.get("Plans", [])
    loops = plan.get("Actual Loops", 1) or 1
    total = plan.get("Actual Total Time", 0.0) * loops
    inner = sum(c.get("Actual Total Time", 0.0) * (c.get("Actual Loops", 1) or 1)
                for c in children)
    yield depth, plan, max(0.0, total - inner), total
    for child in children:
        yield from _nodes(child, depth + 1)


def _label(node):
    parts = [node["Node Type"]]
    if node.get("Relation Name"):
        parts.append(f"on {node['Relation Name']}")
    if node.get("Index Name"):
        parts.append(f"using {node['Index Name']}")
    if node.get("Parent Relationship") in ("SubPlan", "InitPlan"):
        parts.append(f"[{node.get('Subplan Name', node['Parent Relationship'])}]")
    return " ".join(parts)


def explain_heaviest(results, full):
    """EXPLAIN (ANALYZE, BUFFERS) the slowest statement of the last run, then roll it back."""
    from django.db import connection, transaction

    from sixclear.monitoring.engine import SCAN_LOCK_KEY

    label, statements = results[-1][1], results[-1][3]["statements"]
    seconds, sql, params = max(statements, key=lambda s: s[0])
    log(f"\nEXPLAIN (ANALYZE, BUFFERS) of the heaviest statement of '{label}' "
        f"({describe_statement(sql)}, {seconds:.2f} s in the run; rolled back):")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The scan's own lock: a scan started meanwhile elsewhere waits instead of deadlocking.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            document = cursor.fetchone()[0]
            if full:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                text = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    if isinstance(document, str):
        document = json.loads(document)
    top = document[0]
    plan = top["Plan"]
    log(f"     execution {top['Execution Time'] / 1000:.2f} s, planning "
        f"{top['Planning Time']:.0f} ms; shared buffers hit {plan.get('Shared Hit Blocks', 0):,}"
        f", read {plan.get('Shared Read Blocks', 0):,}")
    if "JIT" in top:
        jit = top["JIT"]
        log(f"     JIT: {jit['Functions']} functions, "
            f"{jit['Timing']['Total'] / 1000:.2f} s compiling "
            "(counted in the first node that runs)")
    log("     plan nodes by own time, alike nodes summed (s own, nodes, loops, rows):")
    groups = {}
    for _depth, node, own, _total in _nodes(plan):
        entry = groups.setdefault(_label(node).split(" [")[0], [0.0, 0, 0, 0])
        entry[0] += own / 1000
        entry[1] += 1
        entry[2] += node.get("Actual Loops", 1)
        entry[3] += node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    for name, (own, count, loops, rows) in sorted(groups.items(), key=lambda i: -i[1][0])[:8]:
        log(f"     {own:>8.2f} s  x{count:<3} {loops:>10,} loops {rows:>12,} rows  {name}")
    if full:
        log("\n" + text)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.scan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--repeat", type=int, default=1,
                        help="how many times to repeat the three runs (default 1)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for the scan's session, to try a what-if "
                             "(e.g. --set jit=off); repeatable")
    parser.add_argument("--no-explain", action="store_true",
                        help="skip the EXPLAIN ANALYZE of the heaviest statement")
    parser.add_argument("--full-plan", action="store_true", help="also print the whole plan")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    setup_django(args.database_url)
    tasks_total, targets_total = check_data(args.database_url)
    log(f"== Monitoring scan on {database_name(args.database_url)}: {tasks_total:,} tasks, "
        f"{targets_total:,} targets, as of {TODAY}")
    apply_settings(args.set)
    warn_about_neighbours()
    clock = ServerClock()
    results = []
    for rep in range(1, args.repeat + 1):
        reset_statuses()
        for label, offset in RUNS:
            day = TODAY + timedelta(days=offset)
            result = scan_once(day, clock)
            results.append((rep, label, day, result))
            log(f"  … rep {rep}: {label}: {result['seconds']:.2f} s")
            if rep == 1 and offset == 0 and label == RUNS[0][0]:
                print_counts(f"Statuses as of {day}:", tasks_total)
        if rep == 1:
            print_counts(f"Statuses as of {day}:", tasks_total)
    log("")
    print_runs(results)
    print_statements(results)
    if not args.no_explain:
        explain_heaviest(results, args.full_plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
