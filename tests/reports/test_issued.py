"""The issued-documents kit: a notice, decision or evaluation written in the issuer's format
(party or people's committee), as DOCX and PDF, signed only by the person its block names, a
new signature superseding the old."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.reports import services, signing
from sixclear.reports.issued import (
    DocumentKind,
    DocumentTable,
    IssuedContent,
    issued_for,
    may_sign_issued,
    render_docx,
    render_pdf,
    sign_issued,
)

ISSUED_ON = datetime.date(2026, 11, 30)


def docx_text(data):
    from docx import Document

    document = Document(BytesIO(data))
    words = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                words.extend(p.text for p in cell.paragraphs)
    return " ".join(" ".join(words).split())


def pdf_text(data):
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def notice(world, language="vi", **changes):
    values = {
        "unit": world.hoa_hoi, "kind": DocumentKind.CONCLUSION_NOTICE,
        "subject": "meetings.meeting:7", "language": language, "document_type": "Thông báo",
        "summary": "Kết luận của Thường trực Đảng ủy tại cuộc họp tháng 11 năm 2026",
        "number_code": "TB", "serial": "12",
        "paragraphs": ["## I. Tình hình", "Các nhiệm vụ cơ bản đúng tiến độ.",
                       "## II. Nhiệm vụ", "Giao các cơ quan thực hiện theo Phụ lục."],
        "tables": [DocumentTable(caption="Phụ lục: nhiệm vụ", columns=["Việc", "Người", "Hạn"],
                                 rows=[["Giải phóng mặt bằng", "Lê Văn A", "31/12/2026"]],
                                 wide=True)],
        "recipients": ["Các chi bộ"], "issued_on": ISSUED_ON,
    }
    return IssuedContent(**(values | changes))


@pytest.fixture
def party(world):
    world.hh_leader.first_name = "Tô Hữu Trung"
    world.hh_leader.save()
    return services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                                     issuing_body="party", signer=world.hh_leader,
                                     signer_title="Bí thư", deputy=world.hh_manager,
                                     deputy_title="Phó Bí thư")


def test_party_format_in_docx(world, party):
    text = docx_text(render_docx(notice(world)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "12-TB/ĐU" in text
    assert "THÔNG BÁO" in text and "Kết luận của Thường trực" in text
    assert "Giải phóng mặt bằng" in text and "Phụ lục: nhiệm vụ" in text
    assert "TÔ HỮU TRUNG" in text.upper() and "BÍ THƯ" in text
    assert "(Đã ký)" not in text  # only a signed copy says it is signed


def test_state_format_in_pdf(world, party):
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="people",
                              signer=world.hh_leader, signer_title="Chủ tịch",
                              version=party.version)
    text = pdf_text(render_pdf(notice(world)))
    assert "12/TB-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Giải phóng mặt bằng" in text


def test_arabic_renders_right_to_left(world, party):
    assert render_pdf(notice(world, language="ar")).startswith(b"%PDF")
    assert render_docx(notice(world, language="ar"))


@pytest.mark.usefixtures("media")
def test_only_the_designated_signer_signs_and_a_new_signature_supersedes(world, party, demo_pki):
    content = notice(world)
    assert not may_sign_issued(world.hh_manager, content)
    assert may_sign_issued(world.hh_leader, content)
    with pytest.raises(PermissionDenied):
        sign_issued(actor=world.hh_manager, content=content)
    first = sign_issued(actor=world.hh_leader, content=content)
    assert (first.kind, first.subject, first.language, first.report_id) == (
        "conclusion_notice", "meetings.meeting:7", "vi", None)
    with first.file.open("rb") as stream:
        result = signing.verify_pdf(stream.read())
    assert result.valid and result.signatures[0].signer == "Tô Hữu Trung"
    second = sign_issued(actor=world.hh_leader, content=content)
    assert second.supersedes == first
    assert list(issued_for("meetings.meeting:7")) == [second, first]
    assert list(issued_for("meetings.meeting:8")) == []


@pytest.mark.usefixtures("media")
def test_the_deputy_signs_only_when_the_document_says_so(world, party, demo_pki):
    from sixclear.reports import pki

    if world.hh_manager.username not in pki.read_signers():
        pki.issue_signer(world.hh_manager.username, "Lê Quang Vinh")
    with pytest.raises(PermissionDenied):
        sign_issued(actor=world.hh_manager, content=notice(world))
    document = sign_issued(actor=world.hh_manager, content=notice(world, capacity="deputy"))
    assert document.signer_title == "Phó Bí thư"


def test_a_report_kind_or_a_missing_subject_is_refused(world, party):
    with pytest.raises(ValidationError):
        sign_issued(actor=world.hh_leader, content=notice(world, kind=DocumentKind.REPORT))
    with pytest.raises(ValidationError):
        sign_issued(actor=world.hh_leader, content=notice(world, subject=""))


def appended(world, language="vi", **table):
    """A decision with one appendix that asks for the line tying it to the decision."""
    return notice(world, language=language, number_code="QĐ", document_type="Quyết định",
                  tables=[DocumentTable(caption="Phụ lục I", columns=["Việc"],
                                        rows=[["Giải phóng mặt bằng"]], **table)])


def test_a_party_appendix_is_tied_to_its_decision(world, party):
    line = "(kèm theo Quyết định số 12-QĐ/ĐU, ngày 30 tháng 11 năm 2026)"  # Hướng dẫn 36
    content = appended(world, attached=True)
    assert line in docx_text(render_docx(content))
    assert line in pdf_text(render_pdf(content))
    assert "kèm theo" not in docx_text(render_docx(appended(world)))  # only when asked
    english = docx_text(render_docx(appended(world, "en", attached=True)))
    assert "(attached to Decision No. 12-QĐ/ĐU, 30 November 2026)" in english


def test_a_state_appendix_names_its_decision_date_and_issuer(world, party):
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="people",
                              signer=world.hh_leader, signer_title="Chủ tịch",
                              version=party.version)
    line = ("(Kèm theo Quyết định số 12/QĐ-UBND ngày 30 tháng 11 năm 2026 của Ủy ban nhân dân "
            "xã Hòa Hội)")  # Decree 30/2020, Appendix I
    content = appended(world, attached=True)
    assert line in docx_text(render_docx(content))
    assert line in pdf_text(render_pdf(content))
    arabic = appended(world, "ar", attached=True)
    assert "ملحق القرار رقم" in docx_text(render_docx(arabic))
    assert "ملحق القرار رقم" in pdf_text(render_pdf(arabic))
    own = appended(world, attached=True, subcaption="(Kèm theo Tờ trình số 7/TTr-UBND)")
    assert "(Kèm theo Tờ trình số 7/TTr-UBND)" in docx_text(render_docx(own))
    assert "Kèm theo Quyết định" not in docx_text(render_docx(own))


def test_an_arabic_appendix_line_reads_right_to_left(world, party):
    from docx import Document

    document = Document(BytesIO(render_docx(appended(world, "ar", attached=True))))
    line = next(p for p in document.paragraphs if p.text.startswith("(ملحق"))
    assert line._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
