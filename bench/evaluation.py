"""Time opening the country's yearly evaluation rounds on the bench data set.

    python -m bench.evaluation [--database-url URL] [--year 2026] [--level cadre ...]
                               [--profile LEVEL] [--explain N]

For each level with subjects at national scale (the commune party committees, the people's
committees, the departments, the individual cadres; a level with no unit of its kinds, such as
party cells, is skipped) it opens the country's round as the country's administrator
(`evaluation.services.open_round`: every subject, every computed criterion, every line stored)
in a transaction rolled back afterwards, so nothing is kept and every round starts from the
same data. Per round it prints the subjects and lines, the seconds, the SQL statements, the
time spent in SQL and in Python here (a COPY, which stores the lines on PostgreSQL, is not a
statement Django sees: its time counts as Python), the CPU time of this process and of the
PostgreSQL backend (both more stable on a shared machine), and the goal of issue 17 (a round
for all communes and 20,000 people under 60 s). Then where each round's SQL time went, by kind
of statement; `--explain N` adds an EXPLAIN (ANALYZE, BUFFERS) summary of the N slowest reads
of each round, and `--profile LEVEL` the Python profile of that round (cProfile).
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

from bench import DEFAULT_DATABASE_URL, database_name, setup_django
from bench.scan import ServerClock, StatementTimer, _label, _nodes, check_data

GOAL_SECONDS = 60.0
LEVELS = ("party_committee", "peoples_committee", "department", "party_cell", "cadre")


def log(message=""):
    print(message, flush=True)


def describe(sql):
    """A short name for a statement: its verb and main table."""
    import re

    text = " ".join(sql.split())
    for pattern, verb in ((r'^INSERT INTO "?(\w+)"?', "insert"), (r'^UPDATE "?(\w+)"?', "update"),
                          (r'^DELETE FROM "?(\w+)"?', "delete"),
                          (r'^SELECT .*? FROM "?(\w+)"?', "select")):
        match = re.search(pattern, text)
        if match:
            return f"{verb} {match.group(1)}"
    return text[:40]


def national_admin():
    from sixclear.orgs.models import Membership, Role, Unit

    country = Unit.objects.get(depth=1)
    membership = (Membership.objects.filter(unit=country, role=Role.ADMIN)
                  .select_related("user").order_by("pk").first())
    if membership is None:
        raise SystemExit("The country has no administrator in this data set.")
    return country, membership.user


def subjects_expected(country, level):
    """How many subjects the level has under the country (0: the level is skipped)."""
    from sixclear.evaluation.models import LEVEL_UNIT_KINDS, Level
    from sixclear.orgs.models import Unit

    if level == Level.CADRE:
        return None  # every active member below the country but its deciders: always there
    return Unit.objects.filter(path__startswith=country.path, depth__gt=country.depth,
                               kind__in=LEVEL_UNIT_KINDS[Level(level)], is_active=True).count()


def explain(statements, count):
    """EXPLAIN (ANALYZE, BUFFERS) the `count` slowest reads, in the round's own transaction
    (its rows are there; it is rolled back afterwards)."""
    import json

    from django.db import connection

    reads = sorted((s for s in statements if s[1].lstrip().upper().startswith("SELECT")),
                   key=lambda s: -s[0])[:count]
    for seconds, sql, params in reads:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            document = cursor.fetchone()[0]
        if isinstance(document, str):
            document = json.loads(document)
        top = document[0]
        log(f"  EXPLAIN {describe(sql)} ({seconds:.2f} s in the round): execution "
            f"{top['Execution Time'] / 1000:.2f} s, planning {top['Planning Time']:.0f} ms")
        log(f"     {' '.join(sql.split())[:300]}")
        groups = {}
        for _depth, node, own, _total in _nodes(top["Plan"]):
            entry = groups.setdefault(_label(node).split(" [")[0], [0.0, 0])
            entry[0] += own / 1000
            entry[1] += node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        for name, (own, rows) in sorted(groups.items(), key=lambda i: -i[1][0])[:5]:
            log(f"     {own:>8.2f} s own {rows:>12,} rows  {name}")


def open_one(country, actor, year, level, *, profile=None, explain_count=0):
    """Open the round in a transaction rolled back afterwards; return its figures."""
    from django.db import connection, transaction

    from sixclear.evaluation import services
    from sixclear.evaluation.models import Line, Subject

    def call():
        return services.open_round(actor=actor, unit=country, year=year, level=level)

    timer, clock = StatementTimer(), ServerClock()
    with transaction.atomic():
        cpu_before = clock.seconds()
        with connection.execute_wrapper(timer):
            started, started_cpu = time.perf_counter(), time.process_time()
            round_ = profile.runcall(call) if profile is not None else call()
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        cpu_after = clock.seconds()
        subjects = Subject.objects.filter(round=round_).count()
        lines = Line.objects.filter(subject__round=round_).count()
        if explain_count:
            explain(timer.statements, explain_count)
        transaction.set_rollback(True)
    sql = sum(duration for duration, _sql, _params in timer.statements)
    return {"level": level, "subjects": subjects, "lines": lines, "seconds": seconds, "cpu": cpu,
            "statements": timer.statements, "sql": sql,
            "db_cpu": None if cpu_before is None or cpu_after is None
            else cpu_after - cpu_before}


def print_rounds(results):
    log("| round | subjects | lines | seconds | SQL statements | in SQL s | in Python s "
        "| CPU s here | db CPU s | goal < 60 s |")
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        cpu = "" if r["db_cpu"] is None else f"{r['db_cpu']:.1f}"
        met = "met" if r["seconds"] < GOAL_SECONDS else "not met"
        log(f"| {r['level']} | {r['subjects']:,} | {r['lines']:,} | {r['seconds']:.1f} | "
            f"{len(r['statements']):,} | {r['sql']:.1f} | {r['seconds'] - r['sql']:.1f} | "
            f"{r['cpu']:.1f} | {cpu} | {met} |")
        record_round(r)


def record_round(r):
    """Issue 17's goal for `make bench`'s summary: a round of the whole country in < 60 s."""
    from bench.results import record

    record(f"evaluation-{r['level']}",
           f"Evaluation round of the country < {GOAL_SECONDS:.0f} s: {r['level']}",
           f"{r['seconds']:.1f} s for {r['subjects']:,} subjects ({r['sql']:.1f} s in SQL)",
           r["seconds"] < GOAL_SECONDS, order=70)


def print_statements(results):
    log("\nWhere the SQL time went, by kind of statement (over 0.1 s in all):")
    for r in results:
        kinds = {}
        for seconds, sql, _params in r["statements"]:
            kinds.setdefault(describe(sql), []).append(seconds)
        for kind, times in sorted(kinds.items(), key=lambda item: -sum(item[1])):
            if sum(times) >= 0.1:
                log(f"     {r['level']:<18} {kind:<40} x{len(times):<5} {sum(times):>7.2f} s "
                    f"(largest {max(times):.2f} s)")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.evaluation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--level", action="append", choices=LEVELS,
                        help="only this level (repeatable; default: every level)")
    parser.add_argument("--profile", action="append", choices=LEVELS, default=[],
                        help="print where this round's Python time goes (cProfile)")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="EXPLAIN ANALYZE the N slowest reads of each round")
    return parser.parse_args(argv)


def main(argv=None):
    import os

    args = parse_args(argv)
    setup_django(args.database_url)
    tasks, targets = check_data(args.database_url)
    country, actor = national_admin()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    log(f"== Evaluation rounds of {country.name} on {database_name(args.database_url)}: "
        f"{tasks:,} tasks, {targets:,} targets, year {args.year}, as {actor.username}")
    log(f"  machine: {os.cpu_count()} cores, load average {load}")
    results, profiles = [], {}
    for level in args.level or LEVELS:
        if subjects_expected(country, level) == 0:
            log(f"  {level}: no unit of its kinds, skipped")
            continue
        profile = cProfile.Profile() if level in args.profile else None
        result = open_one(country, actor, args.year, level, profile=profile,
                          explain_count=args.explain)
        results.append(result)
        if profile is not None:
            profiles[level] = profile
        db_cpu = "" if result["db_cpu"] is None else f", {result['db_cpu']:.1f} s of db CPU"
        log(f"  … {level}: {result['subjects']:,} subjects, {result['seconds']:.1f} s "
            f"({result['sql']:.1f} s in SQL, {result['cpu']:.1f} s of CPU here{db_cpu})")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    log(f"  load average after: {load}\n")
    print_rounds(results)
    print_statements(results)
    for level, profile in profiles.items():
        log(f"\nWhere the time of the {level} round goes (cumulative, top 40):")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        log(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
