"""A long report stays quick and complete: the PDF and DOCX list the rows that matter and say
how many they leave out, the XLSX lists every one, and gathering the content costs the same
number of queries whatever the number of tasks and communes."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sixclear.monitoring.engine import run_scan
from sixclear.reports.sections import report_sections
from sixclear.reports.selectors import report_content
from sixclear.reports.writers import report_docx, report_pdf, report_xlsx
from sixclear.tracking import services as tracking
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory, make_unit
from tests.reports.conftest import QUARTER, TODAY, days
from tests.reports.test_formats import docx_text


def words(text):
    return " ".join(text.split())


def pdf_words(data):
    from pypdf import PdfReader

    return words(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages))


def sheet_rows(data, title):
    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(data))[title].iter_rows(values_only=True))


def content_of(unit, language="en"):
    with translation.override(language):
        return report_content(unit, QUARTER, today=TODAY, language=language,
                              number_text="7/BC-GL")


@pytest.fixture
def more_late(world, quarter):
    """Two more late tasks in Hòa Hội, later than "Giải phóng mặt bằng" (5 days late)."""
    for title, late_by in (("Nạo vét kênh mương", 3), ("Sửa chữa nhà văn hóa", 1)):
        TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, title=title,
                    state=TaskState.ISSUED, start_date=days(-90), deadline=days(-late_by))
    run_scan(TODAY)


def test_the_pdf_lists_the_rows_that_matter_and_says_what_it_leaves_out(
        world, more_late, settings):
    settings.REPORTS_DOCUMENT_ROWS = 1
    content = content_of(world.gia_lai)
    late = next(s for s in report_sections(content) if s.key == "late")
    assert [row["title"] for row in late.listed] == ["Giải phóng mặt bằng"]  # the latest
    assert (late.in_all, late.left_out, late.capped) == (3, 2, False)
    note = ("Listed here: 1 of 3, those late the longest; 2 are left out for length. "
            "The XLSX version of this report lists all of them.")
    with translation.override("en"):
        pdf, docx, xlsx = report_pdf(content), report_docx(content), report_xlsx(content)
    assert note in pdf_words(pdf)
    assert note in words(docx_text(docx)[0])
    titles = [row[0] for row in sheet_rows(xlsx, "Late tasks")[1:]]
    assert titles == ["Giải phóng mặt bằng", "Nạo vét kênh mương", "Sửa chữa nhà văn hóa"]


def test_a_shortened_sub_unit_table_keeps_those_with_most_late_tasks(world, more_late,
                                                                     settings):
    settings.REPORTS_DOCUMENT_ROWS = 1
    content = content_of(world.gia_lai)
    sub_units = next(s for s in report_sections(content) if s.key == "sub_units")
    assert [row["unit"] for row in sub_units.listed] == ["Hòa Hội"]  # 3 late, An Nhơn Bắc 0
    assert len(sub_units.rows) == 2
    with translation.override("en"):
        text = pdf_words(report_pdf(content))
    assert "Tasks of the 1 sub-units with the most late tasks" in text
    assert "those with the most late tasks; 1 are left out for length" in text


def test_the_note_is_in_the_readers_language(world, more_late, settings):
    settings.REPORTS_DOCUMENT_ROWS = 1
    content = content_of(world.gia_lai, "vi")
    with translation.override("vi"):
        text = pdf_words(report_pdf(content))
    assert ("Bảng trên liệt kê 1 trên tổng số 3, là các nhiệm vụ trễ hạn lâu nhất; 2 dòng "
            "còn lại được lược bớt cho gọn. Bản XLSX của báo cáo này liệt kê đầy đủ.") in text


def test_when_the_content_is_capped_the_xlsx_and_the_pdf_say_so(world, more_late, settings):
    settings.REPORTS_DOCUMENT_ROWS, settings.REPORTS_ROW_LIMIT = 1, 2
    content = content_of(world.gia_lai)
    assert len(content.tasks_late) == 2 and content.totals["late"] == 3
    with translation.override("en"):
        pdf, xlsx = report_pdf(content), report_xlsx(content)
    assert ("2 are left out for length. The XLSX version of this report lists the first 2."
            in pdf_words(pdf))
    rows = sheet_rows(xlsx, "Late tasks")
    assert [row[0] for row in rows[1:]] == ["Giải phóng mặt bằng", "Nạo vét kênh mương",
                                            "The first 2 of 3 are listed."]


def test_a_short_report_leaves_nothing_out(world, more_late):
    content = content_of(world.gia_lai)
    assert all(section.left_out == 0 for section in report_sections(content))
    with translation.override("en"):
        text = pdf_words(report_pdf(content))
    assert "left out" not in text and "Tasks of each sub-unit: done, open, late" in text


def add_work(world, communes, tasks_each):
    """Communes under Gia Lai, each with done, late, at-risk (with an obstacle) and open
    tasks, then a scan."""
    for n in range(communes):
        commune = make_unit(f"Xã thêm {n}", world.gia_lai)
        for m in range(tasks_each):
            TaskFactory(unit=commune, owner=world.hh_officer, state=TaskState.DONE,
                        completed_on=datetime.date(2026, 10, 5), percent_complete=100,
                        start_date=days(-90), deadline=days(-30))
            TaskFactory(unit=commune, owner=world.anb_officer, state=TaskState.ISSUED,
                        start_date=days(-90), deadline=days(-m - 1))
            risky = TaskFactory(unit=commune, owner=world.anb_officer, state=TaskState.ISSUED,
                                start_date=days(-90), deadline=days(20))
            tracking.report_progress(actor=world.anb_officer, task=risky, percent=10,
                                     narrative="Chậm.", report_date=days(-1),
                                     obstacles="Thiếu vốn")
    run_scan(TODAY)


def count_queries(unit):
    with CaptureQueriesContext(connection) as queries:
        content = content_of(unit)
    return len(queries), content


def test_the_content_costs_the_same_queries_for_more_tasks_and_communes(world, quarter):
    before, small = count_queries(world.gia_lai)
    add_work(world, communes=6, tasks_each=4)
    after, large = count_queries(world.gia_lai)
    assert len(large.sub_units) == len(small.sub_units) + 6
    assert large.totals["late"] > small.totals["late"] + 20
    assert large.totals["obstacles"] > small.totals["obstacles"] + 20
    assert after == before
