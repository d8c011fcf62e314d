"""How long 50,000 task rows take to check and apply (not part of the suite; run it by name):

    .venv/bin/python -m pytest -p no:cacheprovider -q -s tests/exchange/bench_import.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sixclear_exchange \
        .venv/bin/python -m pytest -p no:cacheprovider -q -s tests/exchange/bench_import.py

BENCH_ROWS changes the number of rows (default 50,000).
"""

import datetime
import io
import os
import time

from django.db import connection
from openpyxl import Workbook

from sixclear.exchange import exporting
from sixclear.exchange.importing import import_rows
from sixclear.exchange.models import ImportKind
from sixclear.tracking.models import Task

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))


def big_workbook(world, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tasks")
    sheet.append(exporting.headers(ImportKind.TASKS))
    start = datetime.date(2026, 1, 1)
    for i in range(rows):
        sheet.append([
            f"BENCH-{i:06d}", f"Nhiệm vụ số {i} về chuyển đổi số cấp xã", f"Mô tả {i}",
            world.hh_officer.username, world.economy_office.code,
            world.an_nhon_bac.code if i % 3 == 0 else None,
            start + datetime.timedelta(days=i % 300),
            start + datetime.timedelta(days=300 + i % 400),
            f"Báo cáo {i}", None, "Ban Thường vụ Đảng ủy", "Normal", None, None, None,
        ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_fifty_thousand_task_rows(world, settings):
    settings.SIXCLEAR_IMPORT_MAX_ROWS = max(ROWS, settings.SIXCLEAR_IMPORT_MAX_ROWS)
    data = big_workbook(world, ROWS)
    marks = {}

    def progress(phase, done, total):
        marks.setdefault(phase, time.perf_counter())

    began = time.perf_counter()
    outcome = import_rows(kind=ImportKind.TASKS, unit=world.hoa_hoi, actor=world.hh_manager,
                          data=data, file_format="xlsx", progress=progress)
    created = time.perf_counter()
    assert outcome.error_count == 0, outcome.errors[:5]
    assert Task.objects.filter(unit=world.hoa_hoi).count() == ROWS
    again = import_rows(kind=ImportKind.TASKS, unit=world.hoa_hoi, actor=world.hh_manager,
                        data=data, file_format="xlsx")
    unchanged = time.perf_counter()
    assert again.summary["unchanged"] == ROWS
    applying = marks.get("applying", created)
    print(f"\n{connection.vendor}: {ROWS} task rows, file {len(data) / 1e6:.1f} MB; "
          f"read and check {applying - began:.1f} s, apply (create) {created - applying:.1f} s, "
          f"total {created - began:.1f} s; re-import of the same file (no change) "
          f"{unchanged - created:.1f} s")
