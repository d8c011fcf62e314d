"""A report of a past period reads its snapshot: what happened later never changes it."""

from io import BytesIO

import pytest
from django.utils import translation

from sixclear.reports.selectors import report_content
from sixclear.reports.services import build_report, request_report
from sixclear.snapshots import services
from sixclear.snapshots.models import Snapshot

from .conftest import AFTER_Q3, IN_Q4, Q3, at, change_in_q4

pytestmark = pytest.mark.django_db


def q3_content(unit):
    with translation.override("en"):
        return report_content(unit, Q3, today=IN_Q4, language="en")


def test_a_q3_report_made_in_q4_shows_q3_as_frozen(world, q3, no_seal_key):
    with at(AFTER_Q3):
        services.take_snapshots(Q3)
    change_in_q4(world, q3)

    frozen = q3_content(world.hoa_hoi)
    assert [row["title"] for row in frozen.tasks_late] == ["Giải phóng mặt bằng"]
    assert frozen.tasks_late[0]["days_late"] == 20  # to the quarter's end, 30 September
    assert [row["obstacle"] for row in frozen.obstacles] == ["Thiếu vốn đối ứng"]
    [target] = frozen.targets
    assert target["actual"] == 110 and target["status"] == "off_track"
    assert target["status_label"] == "Off track"
    assert frozen.task_counts["late"] == 1 and frozen.task_counts["done_in_period"] == 0
    assert frozen.target_counts["off_track"] == 1

    # The province's report adds up its communes' snapshots, each under its branch.
    province = q3_content(world.gia_lai)
    branches = {row["unit"]: row for row in province.sub_units}
    assert branches["Hòa Hội"]["late"] == 1 and branches["Hòa Hội"]["off_track"] == 1
    assert branches["An Nhơn Bắc"]["open"] == 1
    assert province.task_counts["total"] == 3

    # Without the snapshot the same report would show today's state.
    Snapshot.objects.all().delete()
    today = q3_content(world.hoa_hoi)
    assert today.tasks_late == [] and today.obstacles == []
    assert today.targets[0]["actual"] == 200


def test_the_report_file_made_in_q4_holds_q3(world, q3, no_seal_key, settings, tmp_path):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    with at(AFTER_Q3):
        services.take_snapshots(Q3)
    change_in_q4(world, q3)
    with at(IN_Q4):
        report = request_report(actor=world.hh_manager, unit=world.hoa_hoi,
                                period_kind="quarter", year=2026, period_number=3,
                                format="xlsx", language="vi")
        build_report(report.pk, today=IN_Q4)
    report.refresh_from_db()
    assert report.status == "done", report.error
    book = load_workbook(BytesIO(report.file.read()))
    cells = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value is not None}
    assert "Giải phóng mặt bằng" in cells and "Thiếu vốn đối ứng" in cells
    assert 110 in {cell.value for sheet in book for row in sheet.iter_rows() for cell in row}
