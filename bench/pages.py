"""Time the main pages for every role at national, province and commune level.

    python -m bench.pages [--database-url URL] [--requests N] [--budget S] [--timeout S]
                          [--level L] [--role R] [--page P]

Signs in (Django's test client, in this process: server time with middleware and templates,
no network) as a viewer, an officer, a manager, a leader and an administrator of the country,
of the province with the most communes and of its first commune (`bench.personas`), and
requests each main page: home, My work, approvals, notifications, the person's unit, a task,
a target, the resolution and a program of that unit, its dashboard, its reports list, its
procedures and its evaluation, and the public portal. It prints the median and 95th
percentile of each with its number of SQL queries against the goal (p95 < 100 ms), and the
header's approvals badge on its own.

A page is requested N times, or fewer when its samples use up the budget (a slow page is
still measured, with fewer samples: the n column). A statement that runs longer than the
timeout is cancelled and the page shown as timed out.
"""

import argparse
import statistics
import time

from bench import DEFAULT_DATABASE_URL, TODAY, setup_django
from bench.personas import LEVELS, ROLES, ensure_personas, personas, pick_units

GOAL_P95_MS = 100


def log(message=""):
    print(message, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def page_urls(unit):
    """(page, url) for the main pages as seen from `unit`."""
    from django.urls import reverse

    from sixclear.plans.models import Program, Resolution, Target
    from sixclear.tracking.models import Task, TaskState

    task = Task.objects.filter(unit=unit, state=TaskState.ISSUED).order_by("pk").first()
    target = Target.objects.filter(unit=unit).order_by("pk").first()
    resolution = Resolution.objects.filter(unit=unit).order_by("pk").first()
    program = Program.objects.filter(unit=unit).order_by("pk").first()
    pages = [
        ("home", reverse("home")),
        ("my work", reverse("tracking:my_work")),
        ("approvals", reverse("tracking:approvals")),
        ("notifications", reverse("monitoring:notifications")),
        ("unit", reverse("orgs:unit", args=[unit.pk])),
        ("task", task and reverse("tracking:task", args=[task.pk])),
        ("target", target and reverse("plans:target", args=[target.pk])),
        ("resolution", resolution and reverse("plans:resolution", args=[resolution.pk])),
        ("program", program and reverse("plans:program", args=[program.pk])),
        ("dashboard", reverse("dashboards:unit", args=[unit.pk])),
        ("reports list", reverse("reports:unit_reports", args=[unit.pk])),
        ("procedures", reverse("procedures:register", args=[unit.pk])),
        ("evaluation", reverse("evaluation:unit", args=[unit.pk])),
        ("portal home", reverse("portal:index")),
    ]
    return [(name, url) for name, url in pages if url]


class TimedOut(Exception):
    pass


def request(client, url):
    from django.db import OperationalError, connection

    start = time.perf_counter()
    try:
        response = client.get(url)
    except OperationalError as error:
        if "statement timeout" not in str(error):
            raise
        connection.close()  # a fresh session for the next request (its settings reapplied)
        raise TimedOut from error
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), (url, response.status_code)
    return elapsed


def time_page(client, url, requests, budget):
    """[ms per request], the queries of one request; None, None when a statement timed out."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    try:
        spent = request(client, url) / 1000  # warms the session, the roles, the templates
        times = []
        while len(times) < requests and (spent < budget or not times):
            times.append(request(client, url))
            spent += times[-1] / 1000
        reset_queries()  # a request empties the log as it starts: count from zero
        with CaptureQueriesContext(connection) as queries:
            request(client, url)
    except TimedOut:
        return None, None
    return times, len(queries.captured_queries)


def badge_function():
    """The count the header shows: read from the rollups, or (before they held it) counted."""
    from sixclear.dashboards import rollups

    if hasattr(rollups, "count_awaiting_decision"):
        return "dashboards.rollups.count_awaiting_decision", rollups.count_awaiting_decision
    from sixclear.changes.selectors import count_awaiting_decision

    return "changes.selectors.count_awaiting_decision", count_awaiting_decision


def time_badge(user, requests):
    """The header's count of what waits for the person, on its own: [ms], its value."""
    _name, count_awaiting_decision = badge_function()

    times, value = [], None
    for _ in range(requests):
        user.__dict__.pop("_sixclear_paths", None)  # as on a new request: roles not cached
        start = time.perf_counter()
        value = count_awaiting_decision(user)
        times.append((time.perf_counter() - start) * 1000)
    return times, value


def set_timeout(seconds):
    from django.db import connection
    from django.db.backends.signals import connection_created

    def apply(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection_created.connect(apply, weak=False)
    connection.close()


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=20, help="requests per page (20)")
    parser.add_argument("--budget", type=float, default=5.0,
                        help="seconds of samples per page before stopping early (5)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="cancel a statement after this many seconds (60)")
    parser.add_argument("--level", choices=LEVELS, action="append")
    parser.add_argument("--role", choices=ROLES, action="append")
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    setup_django(args.database_url)
    run(args)


def run(args):
    import logging

    import time_machine
    from django.test import Client

    set_timeout(args.timeout)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # timeouts: one line each
    with time_machine.travel(TODAY):
        units = pick_units()
        added = ensure_personas(units)
        if added:
            log(f"Added {added} bench persona(s) for roles missing in the benchmark's units")
        people = [row for row in personas(units)
                  if (not args.level or row[0] in args.level)
                  and (not args.role or row[1] in args.role)]
        urls = {unit.pk: page_urls(unit) for _level, unit in units}
        rows, badges = [], []
        for level, role, unit, user in people:
            client = Client()
            client.force_login(user)
            for page, url in urls[unit.pk]:
                if args.page and page not in args.page:
                    continue
                times, queries = time_page(client, url, args.requests, args.budget)
                rows.append((level, role, page, times, queries))
                log(f"  {level:8} {role:8} {page:14} " + (
                    f"p95 {percentile(times, 0.95):8.1f} ms, {queries} queries"
                    if times else f"timed out after {args.timeout:.0f} s"))
            try:
                times, value = time_badge(user, min(args.requests, 10))
            except Exception as error:  # a statement timeout: one line, and carry on
                from django.db import connection

                connection.close()
                badges.append((level, role, unit, None, str(error).splitlines()[0]))
            else:
                badges.append((level, role, unit, times, value))
    report(rows, badges, args)


def report(rows, badges, args):
    log()
    log(f"Pages (goal: p95 < {GOAL_P95_MS} ms for every page and role; "
        f"up to {args.requests} requests per page)")
    log()
    log("| level | role | page | n | median ms | p95 ms | queries | goal p95 ms | met |")
    log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    met = 0
    for level, role, page, times, queries in rows:
        if times is None:
            log(f"| {level} | {role} | {page} | 0 | > {args.timeout * 1000:.0f} | "
                f"> {args.timeout * 1000:.0f} | — | < {GOAL_P95_MS} | not met |")
            continue
        p95 = percentile(times, 0.95)
        ok = p95 < GOAL_P95_MS
        met += ok
        log(f"| {level} | {role} | {page} | {len(times)} | {statistics.median(times):.1f} "
            f"| {p95:.1f} | {queries} | < {GOAL_P95_MS} | {'met' if ok else 'not met'} |")
    log()
    log(f"Met: {met} of {len(rows)} pages.")
    record_pages(rows, met)
    log()
    log(f"Header approvals badge (`{badge_function()[0]}`) on its own:")
    log()
    log("| level | role | unit | median ms | p95 ms | count |")
    log("| --- | --- | --- | ---: | ---: | ---: |")
    for level, role, unit, times, value in badges:
        if times is None:
            log(f"| {level} | {role} | {unit.name} | — | — | {value} |")
        else:
            log(f"| {level} | {role} | {unit.name} | {statistics.median(times):.1f} "
                f"| {percentile(times, 0.95):.1f} | {value:,} |")


if __name__ == "__main__":
    main()


def record_pages(rows, met):
    """Goal 1: every main page of every role and level under the p95 goal; the worst named."""
    from bench.results import record

    timed = [(percentile(times, 0.95), level, role, page)
             for level, role, page, times, _ in rows if times]
    worst = sorted(timed, reverse=True)[:3]
    record("pages", f"Every main page, role and level: p95 < {GOAL_P95_MS} ms",
           f"{met} of {len(rows)} pages", met == len(rows), order=10,
           detail="worst: " + "; ".join(f"{page} ({level} {role}) {p95:.0f} ms"
                                        for p95, level, role, page in worst))

