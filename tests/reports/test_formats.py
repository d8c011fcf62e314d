"""One content, three formats: the figures of a province's and a commune's quarter, read back
from the DOCX, XLSX and PDF files."""

import datetime
from io import BytesIO

import pytest
from django.utils import translation

from sixclear.reports.periods import Period
from sixclear.reports.selectors import decision_appendix, report_content
from sixclear.reports.writers import (
    appendix_docx,
    appendix_pdf,
    report_docx,
    report_pdf,
    report_xlsx,
)
from tests.reports.conftest import QUARTER, TODAY, pdf_to_png


def docx_text(data):
    from docx import Document

    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts), document


def pdf_text(data):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def content_in(language, unit, period=QUARTER):
    with translation.override(language):
        return report_content(unit, period, today=TODAY, language=language,
                              number_text="7/BC-GL")


def test_the_province_report_counts_its_communes_work(world, quarter):
    content = content_in("en", world.gia_lai)
    counts = content.task_counts
    assert (counts["total"], counts["done_in_period"], counts["late"], counts["at_risk"]) == (
        4, 1, 1, 1)
    assert [row["title"] for row in content.tasks_late] == ["Giải phóng mặt bằng"]
    assert content.tasks_late[0]["days_late"] == 5
    assert content.tasks_late[0]["owner"] == "hh.officer"
    assert [row["obstacle"] for row in content.obstacles] == [
        "Thiếu vốn đối ứng; đề nghị tỉnh hỗ trợ"]
    by_unit = {row["unit"]: row for row in content.sub_units}
    assert by_unit["Hòa Hội"]["late"] == 1 and by_unit["Hòa Hội"]["done"] == 1
    assert by_unit["An Nhơn Bắc"]["at_risk"] == 1 and by_unit["An Nhơn Bắc"]["open"] == 2
    assert by_unit["Hòa Hội"]["targets"] == 1 and by_unit["Hòa Hội"]["off_track"] == 1
    assert [t["code"] for t in content.targets] == ["GL-01"]  # its own targets in detail
    assert content.signer_name == "Hồ Quốc Dũng"


def test_the_commune_report_shows_targets_against_their_path(world, quarter):
    content = content_in("en", world.hoa_hoi)
    (target,) = content.targets
    assert target["baseline"] == 100 and target["actual"] == 115
    assert target["expected"] == pytest.approx(121.7)
    assert target["gap"] == pytest.approx(-6.7)
    assert target["status"] == "off_track"
    assert target["required_rate"] == pytest.approx(23.44, abs=0.01)
    assert content.sub_units[0]["unit"] == "Phòng Kinh tế"


def test_a_period_without_completions_counts_none(world, quarter):
    content = content_in("en", world.gia_lai, Period("quarter", 2026, 1))
    assert content.task_counts["done_in_period"] == 0 and content.tasks_done == []


def test_the_report_runs_a_fixed_number_of_queries(world, quarter, django_assert_max_num_queries):
    from tests.factories import TaskFactory, make_unit

    for n in range(15):
        commune = make_unit(f"Xã {n}", world.gia_lai)
        TaskFactory(unit=commune, state="issued", deadline=datetime.date(2026, 11, 1))
    with django_assert_max_num_queries(20):
        content = content_in("en", world.gia_lai)
    assert len(content.sub_units) == 17


@pytest.fixture
def peoples_committee(world):
    """Gia Lai's and Hòa Hội's reports issued by their people's committees (Decree 30)."""
    from sixclear.reports.models import ReportSigner

    for unit, person in ((world.gia_lai, world.province_leader), (world.hoa_hoi,
                                                                 world.hh_leader)):
        ReportSigner.objects.create(unit=unit, issuing_body="people", signer=person,
                                    signer_title="Bí thư Tỉnh ủy Gia Lai")


def test_docx_in_vietnamese_follows_the_decree(world, quarter, peoples_committee):
    with translation.override("vi"):
        data = report_docx(content_in("vi", world.gia_lai))
    text, document = docx_text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập – Tự do – Hạnh phúc" in text  # en dashes
    assert "ỦY BAN NHÂN DÂN TỈNH GIA LAI" in text  # the issuing body
    assert "Số: 7/BC-GL" in text
    assert "Gia Lai, ngày 23 tháng 11 năm 2026" in text
    assert "BÁO CÁO" in text and "Quý IV năm 2026" in text
    assert "Nơi nhận:" in text and "TM. ỦY BAN NHÂN DÂN" in text and "Hồ Quốc Dũng" in text
    assert "BÍ THƯ TỈNH ỦY GIA LAI" in text and "(Đã ký)" not in text  # unsigned
    assert "Giải phóng mặt bằng" in text and "Thiếu vốn đối ứng" in text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13


def test_docx_in_arabic_is_right_to_left(world, quarter, peoples_committee):
    with translation.override("ar"):
        data = report_docx(content_in("ar", world.hoa_hoi))
    text, document = docx_text(data)
    assert "جمهورية فيتنام الاشتراكية" in text
    assert document.paragraphs[0]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None


def test_xlsx_has_a_sheet_per_section_and_numbers_as_numbers(world, quarter):
    from openpyxl import load_workbook

    with translation.override("en"):
        data = report_xlsx(content_in("en", world.gia_lai))
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Summary figures", "Targets", "Tasks done within the period",
                               "Late tasks", "Tasks at risk", "Obstacles and proposals",
                               "Sub-units side by side"]
    summary = {row[0]: row[1] for row in book["Summary figures"].iter_rows(values_only=True)
               if row[0]}
    assert summary["Tasks late"] == 1 and isinstance(summary["Tasks late"], int)
    assert summary["Unit"] == "Gia Lai"
    targets = list(book["Targets"].iter_rows(values_only=True))
    assert targets[0][:4] == ("Code", "Target", "Unit of measure", "Baseline")
    assert targets[1][0] == "GL-01" and targets[1][7] == 3 and isinstance(targets[1][7], int)
    late = list(book["Late tasks"].iter_rows(values_only=True))
    assert late[1][0] == "Giải phóng mặt bằng"
    assert late[1][3] == datetime.datetime(2026, 11, 18)  # a date cell, not text
    sub_units = {row[0]: row for row in book["Sub-units side by side"].iter_rows(values_only=True)}
    assert sub_units["Hòa Hội"][4] == 1


def test_xlsx_in_arabic_reads_right_to_left(world, quarter):
    from openpyxl import load_workbook

    with translation.override("ar"):
        data = report_xlsx(content_in("ar", world.hoa_hoi))
    book = load_workbook(BytesIO(data))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_pdf_is_shaped_with_fonts_embedded(world, quarter, language, peoples_committee):
    from pypdf import PdfReader

    with translation.override(language):
        data = report_pdf(content_in(language, world.gia_lai))
    text = pdf_text(data)
    assert "Giải phóng mặt bằng" in text and "Hồ Quốc Dũng" in text
    expected = {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM",
                "ar": "جمهورية فيتنام الاشتراكية"}[language]
    assert expected in text
    fonts = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Serif" in name for name in fonts)
    if language == "ar":
        assert any("Noto-Naskh-Arabic" in name for name in fonts)
    assert b"<svg" not in data and "/JavaScript" not in data.decode("latin-1")
    png = pdf_to_png(data, f"report-gia-lai-{language}")
    assert png.stat().st_size > 5000


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_decision_appendix_lists_the_six_clears(world, quarter, language):
    with translation.override(language):
        appendix = decision_appendix(world.hh_manager, quarter["decision"])
        docx_data, pdf_data = appendix_docx(appendix), appendix_pdf(appendix)
    assert [row["work"] for row in appendix.rows] == ["Lập quy hoạch cụm công nghiệp",
                                                     "Giải phóng mặt bằng"]
    late = appendix.rows[1]
    assert (late["person"], late["lead_unit"], late["coordinating_units"], late["authority"]) == (
        "hh.officer", "Hòa Hội", "Phòng Kinh tế", "Ban Thường vụ Đảng ủy")
    text, document = docx_text(docx_data)
    assert "15-QĐ/ĐU" in text and "Giải phóng mặt bằng" in text and "Phòng Kinh tế" in text
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    pdf = pdf_text(pdf_data)
    assert "Giải phóng mặt bằng" in pdf and "Ban Thường vụ Đảng ủy" in pdf
    if language == "vi":
        assert "PHỤ LỤC" in text and "PHỤ LỤC" in pdf
    pdf_to_png(pdf_data, f"appendix-{language}")
