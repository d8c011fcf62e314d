"""Time a report in each format: `manage.py report_timing GL --period quarter 2026 4`.

Gathers the content and renders it as the job does, without storing anything, and prints the
median of `--runs` runs per language and format. Read-only: safe on a benchmark database.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sixclear.orgs.models import Unit

from ...periods import Period
from ...selectors import report_content
from ...writers import REPORT_WRITERS


class Command(BaseCommand):
    help = "Time a unit's report in PDF, DOCX and XLSX (read-only)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code")
        parser.add_argument("--period", nargs=3, default=["quarter", "2026", "4"],
                            metavar=("KIND", "YEAR", "NUMBER"))
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--languages", nargs="+", default=["vi", "ar"])
        parser.add_argument("--formats", nargs="+", default=list(REPORT_WRITERS))

    def handle(self, *args, unit_code, period, runs, languages, formats, **options):
        unit = Unit.objects.get(code=unit_code)
        period = Period(period[0], int(period[1]), int(period[2]))
        for language in languages:
            for format in formats:
                content_times, totals = [], []
                for _run in range(runs):
                    with translation.override(language):
                        start = time.perf_counter()
                        with CaptureQueriesContext(connection) as queries:
                            content = report_content(unit, period, language=language,
                                                     number_text="1/BC")
                        gathered = time.perf_counter()
                        data = REPORT_WRITERS[format](content)
                        done = time.perf_counter()
                    content_times.append(gathered - start)
                    totals.append(done - start)
                self.stdout.write(
                    f"{unit.name} {period.kind} {period.year}/{period.number} {language} "
                    f"{format}: {statistics.median(totals):.2f} s (content "
                    f"{statistics.median(content_times):.2f} s, {len(queries)} queries), "
                    f"{len(data) // 1024} KiB")
