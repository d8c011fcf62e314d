"""Time the dashboards on the bench data set, against the best single query on base tables.

    python -m bench.dashboards [--database-url URL] [--requests N] [--seconds S]
                               [--only dashboards|writes|pages]

In one run it:
  1. rebuilds the rollups from the base tables (as after a bulk load) and verifies them;
  2. requests the national, a province and a commune dashboard N times each (Django's test
     client, in this process: server time with middleware and templates, no network) and
     reports the median and 95th percentile with the number of SQL queries: as served (the
     figures kept between requests while nothing under the unit changes), then as built
     (kept figures emptied before each request, as after a write under the unit);
  3. runs the same figures as one SQL statement over the base tables (the floor the rollups
     must beat) and reports the ratio;
  4. writes progress reports through the service, with status and rollup upkeep: first one at
     a time in this process, reporting per write its statements (count and ms), its Python ms
     and its COMMIT ms; then from W processes (--writers) for S seconds, reporting writes per
     second against the goal (then removes them all);
  5. times the main pages for every role at every level (`bench.pages`);
  6. times the largest province's quarterly report: its content, then PDF, DOCX and XLSX
     (`bench.reports`).

--only runs one part: `dashboards` (1-3), `writes` (4), `pages` (5) or `reports` (6).
"""

import argparse
import multiprocessing
import os
import statistics
import time

from bench import DEFAULT_DATABASE_URL, TODAY, setup_django

WRITES_GOAL = 300  # progress-report writes per second (issue 19)


def log(message=""):
    print(message, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def analyze():
    """Vacuum and fresh planner statistics for the tables the scan and the rebuild just
    rewrote, as autovacuum would before long (a freshly rebuilt month table read 5× slower)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("monitoring_taskhealth", "monitoring_targethealth",
                      "dashboards_unittaskrollup", "dashboards_unittargetrollup",
                      "dashboards_unitmonthrollup"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def pick_units():
    """The country, the largest province and a commune of it, with a person who sees each."""
    from django.db.models import Count

    from sixclear.orgs.models import Membership, Unit

    country = Unit.objects.get(depth=1)
    province = (Unit.objects.filter(depth=2).annotate(n=Count("memberships"))
                .order_by("-numchild", "pk").first())
    commune = Unit.objects.filter(depth=3, path__startswith=province.path).order_by("path").first()
    people = {}
    for unit in (country, province, commune):
        membership = Membership.objects.filter(unit=unit).order_by("-role", "pk").first()
        people[unit.pk] = membership.user
    return [("national", country), ("province", province), ("commune", commune)], people


def time_dashboard(client, unit, requests, built=False):
    """Server time of `requests` requests, as the page is served (its figures kept between
    requests while nothing under the unit changed, `dashboards.kept`) or, with `built`, as it
    is built when they were not (the cache emptied before each request)."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("dashboards:unit", args=[unit.pk])
    client.get(url)  # warm: the session, the person's roles, the templates
    times = []
    for _ in range(requests):
        if built:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    reset_queries()
    if built:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return times, len(queries.captured_queries), sql_ms


# The figures of the dashboard (tasks by status and state, targets by status, per sub-unit,
# which add up to the unit's own) computed straight from the base tables in one statement.
FLOOR_SQL = """
WITH tasks AS (
  SELECT substr(u.path, 1, %(width)s) AS branch,
    count(*) FILTER (WHERE t.state = 'draft') AS drafts,
    count(*) FILTER (WHERE t.state = 'issued') AS open,
    count(*) FILTER (WHERE t.state = 'done') AS done,
    count(*) FILTER (WHERE t.state = 'done' AND t.completed_on <= t.deadline) AS done_on_time,
    count(*) FILTER (WHERE t.state = 'cancelled') AS cancelled,
    count(*) FILTER (WHERE t.state = 'issued' AND h.status = 'not_started') AS not_started,
    count(*) FILTER (WHERE t.state = 'issued' AND h.status = 'on_track') AS on_track,
    count(*) FILTER (WHERE t.state = 'issued' AND h.status = 'at_risk') AS at_risk,
    count(*) FILTER (WHERE t.state = 'issued' AND h.status = 'late') AS late,
    count(*) FILTER (WHERE t.state = 'issued' AND h.stale) AS stale,
    count(*) FILTER (WHERE t.state = 'issued' AND h.has_open_obstacle) AS obstacles
  FROM tracking_task t JOIN orgs_unit u ON u.id = t.unit_id
  LEFT JOIN monitoring_taskhealth h ON h.task_id = t.id
  WHERE u.path LIKE %(prefix)s GROUP BY 1
), targets AS (
  SELECT substr(u.path, 1, %(width)s) AS branch, g."group",
    count(*) AS targets,
    count(*) FILTER (WHERE h.status = 'on_track') AS on_track,
    count(*) FILTER (WHERE h.status = 'behind') AS behind,
    count(*) FILTER (WHERE h.status = 'off_track') AS off_track,
    count(*) FILTER (WHERE h.status IS NULL OR h.status = 'no_data') AS no_data
  FROM plans_target g JOIN orgs_unit u ON u.id = g.unit_id
  LEFT JOIN monitoring_targethealth h ON h.target_id = g.id
  WHERE u.path LIKE %(prefix)s GROUP BY 1, 2
)
SELECT 'tasks', branch, NULL, open, late FROM tasks
UNION ALL SELECT 'targets', branch, "group", targets, off_track FROM targets
"""


def time_floor(unit, repeat):
    from django.db import connection

    params = {"width": len(unit.path) + unit.steplen, "prefix": unit.path + "%"}
    times = []
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute(FLOOR_SQL, params)
            cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return times


def write_reports(url, task_ids, seconds, results):
    """One writer process: report progress on its tasks, one transaction each, for `seconds`."""
    setup_django(url)
    from django.db import connection

    from sixclear.tracking.models import Task
    from sixclear.tracking.services import report_progress

    tasks = list(Task.objects.filter(pk__in=task_ids).select_related("owner", "unit"))
    written, started, index = [], time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        task = tasks[index % len(tasks)]
        index += 1
        report = report_progress(actor=task.owner, task=task, percent=50,
                                 narrative="Bench: đã triển khai một phần.", report_date=TODAY)
        written.append(report.pk)
    elapsed = time.perf_counter() - started
    connection.close()
    results.put((len(written), elapsed, written))


def time_writes(url, seconds, processes):
    from sixclear.tracking.models import Task, TaskState

    per_process = 400
    ids = list(Task.objects.filter(state=TaskState.ISSUED, deadline__gt=TODAY)
               .order_by("?").values_list("pk", flat=True)[: per_process * processes])
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=write_reports, args=(
        url, ids[n::processes], seconds, results)) for n in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    count = sum(outcome[0] for outcome in outcomes)
    elapsed = max(outcome[1] for outcome in outcomes)
    written = [pk for outcome in outcomes for pk in outcome[2]]
    return count, elapsed, written, ids


def time_one_write(task_ids, count=40):
    """Write `count` reports one at a time in this process and split each write's time into
    its statements (as the driver answers them), its COMMIT and the rest (Python): medians.
    Returns ({"statements", "sql_ms", "commit_ms", "python_ms", "total_ms"}, written ids)."""
    from django.db import connection

    from sixclear.tracking.models import Task
    from sixclear.tracking.services import report_progress

    tasks = list(Task.objects.filter(pk__in=task_ids[:count]).select_related("owner", "unit"))
    statements, commits, samples, written = [], [], [], []

    def timed_statement(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start) * 1000)

    connection.ensure_connection()
    commit = connection._commit

    def timed_commit():
        start = time.perf_counter()
        try:
            return commit()
        finally:
            commits.append((time.perf_counter() - start) * 1000)

    connection._commit = timed_commit
    try:
        with connection.execute_wrapper(timed_statement):
            for task in tasks:
                statements.clear()
                commits.clear()
                start = time.perf_counter()
                report = report_progress(actor=task.owner, task=task, percent=40,
                                         narrative="Bench: một lần ghi.", report_date=TODAY)
                total = (time.perf_counter() - start) * 1000
                written.append(report.pk)
                samples.append({"statements": len(statements), "sql_ms": sum(statements),
                                "commit_ms": sum(commits),
                                "python_ms": total - sum(statements) - sum(commits),
                                "total_ms": total})
    finally:
        del connection._commit
    median = {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}
    return median, written


def remove_written(written, task_ids):
    """Undo the write test: its reports go, the tasks' statuses and rollups are recounted."""
    from django.db import transaction

    from sixclear import upkeep
    from sixclear.tracking.models import ProgressReport, Task

    with transaction.atomic():
        ProgressReport.objects.filter(pk__in=written).delete()
        upkeep.tasks_changed(Task.objects.filter(pk__in=task_ids))


def time_dashboards(args):
    import time_machine
    from django.test import Client

    from sixclear.dashboards.rollups import rebuild, verify

    with time_machine.travel(TODAY):
        started = time.perf_counter()
        written = rebuild()
        log(f"Rollups rebuilt in {time.perf_counter() - started:.1f} s: {written}")
        started = time.perf_counter()
        differences = verify()
        log(f"Rollups verified in {time.perf_counter() - started:.1f} s: "
            f"{len(differences)} difference(s)")
        analyze()
        units, people = pick_units()
        rows = []
        for name, unit in units:
            client = Client()
            client.force_login(people[unit.pk])
            floor = time_floor(unit, max(10, args.requests // 5))
            for built in (False, True):
                times, queries, sql_ms = time_dashboard(client, unit, args.requests, built)
                label = f"{name}{' (built)' if built else ''}"
                rows.append((label, unit.name, statistics.median(times),
                             percentile(times, 0.95), queries, sql_ms,
                             statistics.median(floor), percentile(floor, 0.95)))
    log(f"Load average while timing: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    log()
    log("| dashboard | unit | median ms | p95 ms | queries | SQL ms (one request) "
        "| floor: one SQL on base tables, median ms | floor p95 ms | floor p95 ÷ dashboard p95 |")
    log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, unit, median, p95, queries, sql_ms, floor_median, floor_p95 in rows:
        log(f"| {name} | {unit} | {median:.1f} | {p95:.1f} | {queries} | {sql_ms:.1f} "
            f"| {floor_median:.1f} | {floor_p95:.1f} | {floor_p95 / p95:.1f}× |")
    record_dashboards(rows)


def record_dashboards(rows):
    """Goal 2 of the national bench: served p95 < 50 ms at every level, and at least 5× the
    one-SQL floor for the country and a province (a commune's floor is a few ms)."""
    from bench.results import record

    built = {name.split(" ")[0]: p95 for name, _, _, p95, *_ in rows if "(built)" in name}
    for order, (name, unit, _, p95, queries, _, _, floor_p95) in enumerate(
            row for row in rows if "(built)" not in row[0]):
        record(f"dashboard-{name}", f"Dashboard p95 < 50 ms: {name} ({unit})",
               f"{p95:.1f} ms served, {built[name]:.1f} ms built; {queries} queries",
               p95 < 50, order=20 + order,
               detail="built: figures emptied before each request, as after a write")
        if name != "commune":
            record(f"floor-{name}", f"Dashboard ≥ 5× faster than one SQL on base tables: {name}",
                   f"{floor_p95 / p95:.1f}× (floor p95 {floor_p95:.0f} ms)",
                   floor_p95 / p95 >= 5, order=25 + order)


def time_write_test(args):
    from sixclear.dashboards.rollups import verify
    from sixclear.tracking.models import Task, TaskState

    log()
    # Tasks of their own for the writes one at a time: the processes' tasks are other ones.
    alone = list(Task.objects.filter(state=TaskState.ISSUED, deadline__gt=TODAY)
                 .order_by("-pk").values_list("pk", flat=True)[:40])
    one, written_alone = time_one_write(alone)
    log(f"One progress-report write (median of {len(written_alone)}, one process): "
        f"{one['total_ms']:.1f} ms = {one['statements']:.0f} statements {one['sql_ms']:.1f} ms "
        f"+ COMMIT {one['commit_ms']:.1f} ms + Python {one['python_ms']:.1f} ms "
        f"(load average {os.getloadavg()[0]:.2f})")
    count, elapsed, written, task_ids = time_writes(args.database_url, args.seconds, args.writers)
    rate = count / elapsed
    log(f"Progress-report writes with status and rollup upkeep, {args.writers} processes, "
        f"{elapsed:.1f} s: {count} writes, {rate:.0f} writes/s (goal ≥ {WRITES_GOAL}/s: "
        f"{'met' if rate >= WRITES_GOAL else 'not met'}; load average "
        f"{' '.join(f'{n:.2f}' for n in os.getloadavg())})")
    remove_written(written + written_alone, [*task_ids, *alone])
    differences = verify()
    log(f"Rollups after the write test: {len(differences)} difference(s) from a fresh count")
    from bench.results import record

    record("writes", "≥ 300 progress-report writes/s with status and rollup upkeep",
           f"{count / elapsed:.0f} writes/s ({args.writers} processes, {elapsed:.0f} s)",
           count / elapsed >= 300 and not differences, order=30,
           detail=f"rollups --verify afterwards: {len(differences)} difference(s)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--writers", type=int, default=4,
                        help="writer processes (each waits on its commits; 4 keep 2 cores busy)")
    parser.add_argument("--only", choices=["dashboards", "writes", "pages", "reports"],
                        help="run only this part (default: all of them)")
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    parts = {args.only} if args.only else {"dashboards", "writes", "pages", "reports"}
    if "dashboards" in parts:
        time_dashboards(args)
    if "writes" in parts:
        time_write_test(args)
    if "pages" in parts:
        log()
        log("Main pages for every role at national, province and commune level (bench.pages):")
        from bench import pages

        pages.run(pages.parse(["--database-url", args.database_url]))
    if "reports" in parts:
        log()
        log("The largest province's quarterly report in three formats (bench.reports):")
        from bench import reports

        reports.run(reports.parse(["--database-url", args.database_url]))


if __name__ == "__main__":
    main()
