"""Time a province's quarterly report on the bench data set: its content, then each format.

    python -m bench.reports [--database-url URL] [--unit CODE] [--period 2026-Q3]
                            [--language vi] [--runs N] [--profile pdf]

The content is gathered once (`reports.selectors.report_content`, as the job does) and the
same content is written as PDF, DOCX and XLSX. For each step it prints the seconds (the median
of `--runs`), the SQL queries, the rows written (the document formats list the rows that
matter; the XLSX lists all) and the PDF's pages, then the three formats together against the
goal (under 5 s). By default the unit is the province with the most communes, as
`bench.dashboards` picks it. Read-only: nothing is stored.
"""

import argparse
import cProfile
import io
import pstats
import re
import statistics
import time

from bench import DEFAULT_DATABASE_URL, TODAY, setup_django

GOAL_SECONDS = 5.0


def log(message=""):
    print(message, flush=True)


def parse_period(text):
    """"2026-Q3", "2026-M07", "2026-H2" or "2026" as a report period."""
    from sixclear.reports.periods import Period

    match = re.fullmatch(r"(\d{4})(?:-([QMH])(\d{1,2}))?", text.strip().upper())
    if not match:
        raise argparse.ArgumentTypeError("write a period as 2026-Q3, 2026-M07, 2026-H2 or 2026")
    year, kind, number = match.groups()
    if kind is None:
        return Period("year", int(year), 0)
    return Period({"Q": "quarter", "M": "month", "H": "half"}[kind], int(year), int(number))


def largest_province():
    """The province with the most communes and wards (ties: the first by path)."""
    from sixclear.orgs.models import Unit

    return Unit.objects.filter(depth=2).order_by("-numchild", "path").first()


def measure(step, runs, profile=None):
    """(median seconds, median CPU seconds of this process, queries and result of the last
    run) of `step()`. On a shared machine the CPU seconds vary much less than the wall time;
    they leave out the time PostgreSQL works on the queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu, result, queries = [], [], None, 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = profile.runcall(step) if profile is not None else step()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries = len(captured.captured_queries)
    return statistics.median(times), statistics.median(cpu), queries, result


def pdf_pages(data):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def xlsx_rows(data):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return sum(1 for sheet in book.worksheets for _row in sheet.iter_rows(values_only=True))


def document_rows(content):
    """Table rows of the document formats (PDF, DOCX), and of the content in all."""
    from sixclear.reports.sections import report_sections

    sections = report_sections(content)
    shown = sum(len(section.listed) for section in sections)
    return shown, sum(len(section.rows) for section in sections)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--unit", help="the unit's code (default: the largest province)")
    parser.add_argument("--period", default="2026-Q3", help="2026-Q3 (default), 2026-M07, …")
    parser.add_argument("--language", default="vi", help="vi (default), en or ar")
    parser.add_argument("--runs", type=int, default=1, help="runs of each step (median)")
    parser.add_argument("--profile", choices=["content", "pdf", "docx", "xlsx"],
                        action="append", help="print where this step's time goes (cProfile)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    setup_django(args.database_url)
    run(args)


def run(args):
    from django.utils import translation

    from sixclear.orgs.models import Unit
    from sixclear.reports.selectors import report_content
    from sixclear.reports.writers import REPORT_WRITERS

    period = parse_period(args.period)
    unit = Unit.objects.get(code=args.unit) if args.unit else largest_province()
    profiles = {step: cProfile.Profile() for step in args.profile or []}
    with translation.override(args.language):
        seconds, cpu, queries, content = measure(
            lambda: report_content(unit, period, today=TODAY, language=args.language,
                                   number_text="1/BC"), args.runs, profiles.get("content"))
        shown, everything = document_rows(content)
        log(f"{unit.name} ({unit.code}, {unit.numchild} sub-units), {period.label()}, "
            f"{args.language}, as of {TODAY}, median of {args.runs} run(s):")
        log()
        log("| step | seconds | CPU s | SQL queries | pages | rows | KiB |")
        log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        log(f"| content | {seconds:.2f} | {cpu:.2f} | {queries} | | {everything} | |")
        total, total_cpu = seconds, cpu
        for format, writer in REPORT_WRITERS.items():
            seconds, cpu, queries, data = measure(lambda w=writer: w(content), args.runs,
                                                  profiles.get(format))
            total, total_cpu = total + seconds, total_cpu + cpu
            pages = pdf_pages(data) if format == "pdf" else ""
            rows = xlsx_rows(data) if format == "xlsx" else shown
            log(f"| {format.upper()} | {seconds:.2f} | {cpu:.2f} | {queries} | {pages} | {rows} "
                f"| {len(data) // 1024} |")
    met = "met" if total < GOAL_SECONDS else "NOT met"
    log()
    log(f"Content once, then the three formats: {total:.2f} s, {total_cpu:.2f} s of CPU here "
        f"(goal under {GOAL_SECONDS:.0f} s: {met})")
    from bench.results import record

    record("report", "Province quarterly report, content + PDF + DOCX + XLSX "
           f"< {GOAL_SECONDS:.0f} s",
           f"{total:.2f} s ({total_cpu:.2f} s CPU)", total < GOAL_SECONDS, order=40)
    for step, profile in profiles.items():
        log()
        log(f"Where the time of {step} goes (cumulative, top 30):")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        log(out.getvalue())


if __name__ == "__main__":
    main()
