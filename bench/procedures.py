"""Time the procedures' on-time figures and the yearly evaluation at national scale.

    python -m bench.procedures [--database-url URL] [--communes 3300] [--repeat 5]
                               [--cases-per-commune 30]

In its own database (dropped and rebuilt: its name must contain "bench") it builds a country
of 34 provinces and N communes, five procedures shared from the country, and the monthly
rollup rows a year of about a million cases leaves (every commune, month, procedure and step
position: ~1 M rows); then it times the performance page's figures for the country, a
province and a commune, and the recount a hand-over makes in a commune of 300 cases.

Then the yearly evaluation (ISO 9001, clause 9) compiled for every unit at once, as the end of
a year compiles them: the procedures' figures (`procedures.selectors.yearly_evaluations`) and
the whole content of every unit's report (`reports.procedure_evaluation.evaluation_contents`:
those figures, citizens' satisfaction through the evaluation measure, the management reviews
and the report's text and tables in Vietnamese), not the rendering of a DOCX or PDF per unit.
Besides the rollups, the rows the evaluation reads one by one: case rows in every commune (a
sample of the year's million, `--cases-per-commune`, with their steps: one step in five handed
over late, one case in ten with a step still in hand past its due date), two nonconformities
per commune and an internal audit per province.
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


def evaluation_rows(leaves, procedures, admin, per_commune):
    """What the yearly evaluation reads row by row: cases and their steps in every commune,
    nonconformities, internal audits and their checklists (bulk, not through the services: only
    the reads are timed)."""
    from sixclear.orgs.models import Unit
    from sixclear.procedures.models import (
        AuditCheck,
        AuditState,
        Case,
        CaseState,
        CaseStep,
        CheckResult,
        InternalAudit,
        Nonconformity,
        Severity,
        StepState,
    )

    versions = [(procedure.versions.get(), list(procedure.versions.get().steps.all()))
                for procedure in procedures]
    rng = random.Random(9001)
    for start in range(0, len(leaves), 200):
        chunk = leaves[start:start + 200]
        cases = []
        for unit in chunk:
            for n in range(per_commune):
                version, _steps = versions[n % len(versions)]
                opened = datetime.date(YEAR, 1 + n % 10, 1 + rng.randrange(27))
                open_case = n % 10 == 0
                cases.append(Case(
                    unit=unit, procedure_version=version, reference=f"HS-{unit.pk}-{n}",
                    subject="Hồ sơ", opened_on=opened,
                    due_date=opened + datetime.timedelta(30),
                    closed_on=None if open_case else opened + datetime.timedelta(25),
                    state=CaseState.OPEN if open_case else CaseState.CLOSED))
        Case.objects.bulk_create(cases, batch_size=5000)
        steps = []
        for case in cases:
            _version, version_steps = versions[int(case.reference.rsplit("-", 1)[1])
                                               % len(versions)]
            for step in version_steps:
                due = case.opened_on + datetime.timedelta(7 * step.position)
                in_hand = case.state == CaseState.OPEN and step.position == len(version_steps)
                late = in_hand or rng.random() < 0.2
                steps.append(CaseStep(
                    case=case, step=step, position=step.position,
                    state=StepState.ACTIVE if in_hand else StepState.DONE, due_date=due,
                    started_on=due - datetime.timedelta(5),
                    done_on=None if in_hand else due + datetime.timedelta(3 if late else -1),
                    on_time=None if in_hand else not late, working_days=None if in_hand else 4))
        CaseStep.objects.bulk_create(steps, batch_size=10_000)
    Nonconformity.objects.bulk_create([
        Nonconformity(unit=unit, description="Hồ sơ quá hạn", raised_by=admin,
                      raised_on=datetime.date(YEAR, 1 + n * 5, 10),
                      severity=Severity.MAJOR if n else Severity.MINOR)
        for unit in leaves for n in range(2)], batch_size=10_000)
    audits = InternalAudit.objects.bulk_create([
        InternalAudit(unit=province, year=YEAR, title="Đánh giá nội bộ", auditor=admin,
                      planned_on=datetime.date(YEAR, 9, 15), state=AuditState.REPORTED,
                      conclusion="Hệ thống được duy trì")
        for province in Unit.objects.filter(depth=2)])
    AuditCheck.objects.bulk_create([
        AuditCheck(audit=audit, position=n, clause="8.5.1", criterion="Đúng hạn",
                   result=[CheckResult.CONFORMS, CheckResult.OBSERVATION,
                           CheckResult.NONCONFORMS][n % 3])
        for audit in audits for n in range(1, 4)])
    log(f"cases: {Case.objects.count()}, steps: {CaseStep.objects.count()}, "
        f"nonconformities: {Nonconformity.objects.count()}, audits: {len(audits)}")


def time_yearly_evaluation(repeat):
    """Compile every unit's yearly evaluation: the figures, then the reports' whole content."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import TODAY
    from sixclear.orgs.models import Unit
    from sixclear.procedures.selectors import yearly_evaluations
    from sixclear.reports.procedure_evaluation import evaluation_contents

    units = list(Unit.objects.order_by("path"))
    for label, compile_all in (
            ("figures", lambda: yearly_evaluations(units, YEAR, TODAY)),
            ("report contents", lambda: evaluation_contents(units, YEAR, language="vi",
                                                            today=TODAY))):
        with CaptureQueriesContext(connection) as queries:
            found = compile_all()
        median, worst = timed(compile_all, repeat)
        log(f"yearly evaluation of all {len(units):,} units, {label}: median {median:.1f} s, "
            f"worst {worst:.1f} s, {len(queries)} queries")
    country = found[units[0].pk]
    log(f"  the country's report: {len(country.paragraphs)} paragraphs, "
        f"{len(country.tables[1].rows)} late steps named")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--communes", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases-per-commune", type=int, default=30)
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
    from sixclear.procedures.models import Procedure

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

    from sixclear.orgs.models import Unit

    start = time.perf_counter()
    evaluation_rows(list(Unit.objects.filter(depth=3).order_by("path")),
                    list(Procedure.objects.order_by("code")), admin,
                    options.cases_per_commune)
    log(f"evaluation rows built in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        for table in ("procedures_case", "procedures_casestep", "procedures_nonconformity"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    time_yearly_evaluation(options.repeat)


if __name__ == "__main__":
    main()
