"""Time the procedures' on-time figures at national scale, from their rollups.

    python -m bench.procedures [--database-url URL] [--communes 3300] [--repeat 5]

In its own database (dropped and rebuilt: its name must contain "bench") it builds a country
of 34 provinces and N communes, five procedures shared from the country, and the monthly
rollup rows a year of about a million cases leaves (every commune, month, procedure and step
position: ~1 M rows); then it times the performance page's figures for the country, a
province and a commune, and the recount a hand-over makes in a commune of 300 cases.
"""

import argparse
import datetime
import random
import statistics
import time

from bench import database_name, server_url, setup_django

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/sixclear_procedures_bench"
YEAR = 2026


def log(message):
    print(message, flush=True)


def recreate(url):
    import psycopg

    name = database_name(url)
    if "bench" not in name:
        raise SystemExit("the database name must contain 'bench'")
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def build(communes):
    from django.contrib.auth import get_user_model

    from sixclear.orgs.models import Role, Unit, UnitKind
    from sixclear.procedures import services
    from sixclear.procedures.models import StepMonthRollup

    admin = get_user_model().objects.create(username="bench", is_superuser=True)
    country = Unit.objects.add_root({"code": "VN", "name": "Việt Nam",
                                     "kind": UnitKind.COUNTRY})
    provinces = [Unit.objects.add_child(Unit.objects.get(pk=country.pk), {
        "code": f"P{p:02d}", "name": f"Tỉnh {p}", "kind": UnitKind.PROVINCE})
        for p in range(34)]
    leaves = []
    for number in range(communes):
        province = Unit.objects.get(pk=provinces[number % 34].pk)
        leaves.append(Unit.objects.add_child(province, {
            "code": f"P{number % 34:02d}-C{number:04d}", "name": f"Xã {number}",
            "kind": UnitKind.COMMUNE}))
    log(f"units: {Unit.objects.count()}")
    steps = [{"name": f"Bước {n}", "role": Role.OFFICER, "days": 2 + n} for n in range(4)]
    procedures = [services.create_procedure(
        actor=admin, unit=country, code=f"QT-{n}", name=f"Quy trình {n}", shared_below=True,
        effective_from=datetime.date(YEAR - 1, 1, 1), steps=steps) for n in range(5)]
    rng = random.Random(18)
    rows = []
    for unit in leaves:
        for procedure in procedures:
            for month in range(1, 13):
                cases = rng.randint(0, 5)
                for position in range(5):
                    done = cases if position == 0 else cases + rng.randint(0, 1)
                    on_time = sum(rng.random() < 0.85 for _ in range(done))
                    rows.append(StepMonthRollup(
                        unit=unit, procedure=procedure, position=position,
                        month=datetime.date(YEAR, month, 1), done=done, on_time=on_time,
                        working_days=done * (2 + position)))
        if len(rows) > 50_000:
            StepMonthRollup.objects.bulk_create(rows, batch_size=10_000)
            rows = []
    StepMonthRollup.objects.bulk_create(rows, batch_size=10_000)
    log(f"rollup rows: {StepMonthRollup.objects.count()}")
    return country, provinces[0], leaves[0], procedures[0], admin


def commune_cases(commune, procedure, admin, count=300):
    """A commune's year of cases, all handed over through their steps, for the recount."""
    from sixclear.procedures.models import Case, CaseState, CaseStep, StepState

    version = procedure.versions.get()
    steps = list(version.steps.order_by("position"))
    cases = Case.objects.bulk_create([
        Case(unit=commune, procedure_version=version, reference=f"HS-{n}", subject="Hồ sơ",
             opened_on=datetime.date(YEAR, 1 + n % 11, 1 + n % 27),
             due_date=datetime.date(YEAR, 1 + n % 11, 1 + n % 27) + datetime.timedelta(20),
             closed_on=datetime.date(YEAR, 1 + n % 11, 1 + n % 27) + datetime.timedelta(18),
             state=CaseState.CLOSED) for n in range(count)])
    CaseStep.objects.bulk_create([
        CaseStep(case=case, step=step, position=step.position, state=StepState.DONE,
                 due_date=case.opened_on + datetime.timedelta(5 * step.position),
                 done_on=case.opened_on + datetime.timedelta(4 * step.position),
                 on_time=True, working_days=3) for case in cases for step in steps])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--communes", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    recreate(options.database_url)
    setup_django(options.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    country, province, commune, procedure, admin = build(options.communes)
    log(f"built in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE procedures_stepmonthrollup")
        cursor.execute("ANALYZE orgs_unit")

    from sixclear.procedures import rollups, selectors

    for label, unit in (("country", country), ("province", province), ("commune", commune)):
        median, worst = timed(lambda unit=unit: selectors.performance(unit, YEAR),
                              options.repeat)
        log(f"performance({label}, {YEAR}): median {median * 1000:.0f} ms, "
            f"worst {worst * 1000:.0f} ms")
    commune_cases(commune, procedure, admin)

    def recount():
        with transaction.atomic():
            rollups.recount(commune.pk, [datetime.date(YEAR, 3, 1)])

    median, worst = timed(recount, options.repeat)
    log(f"recount of a commune's month (300 cases a year): median {median * 1000:.1f} ms, "
        f"worst {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
