"""A report is a real document of its issuer: the person the unit designates signs it, the
printed block and the stamp name the same person, "(Đã ký)" only on a signed copy; the
party's or the state's format by the issuing body; landscape pages for wide tables; the words
of a Vietnamese report, drafted from the data and frozen once signed; one verdict on verify."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from sixclear.reports import services, signing
from sixclear.reports.models import ReportNarrative, ReportSigner
from sixclear.reports.selectors import designated_signer, signature_block
from sixclear.versioning import StaleEdit
from tests.reports.conftest import pdf_to_png


def pdf_text(data, page=None):
    from pypdf import PdfReader

    pages = PdfReader(BytesIO(data)).pages
    chosen = pages if page is None else [pages[page]]
    # Words as a reader reads them: a heading may wrap inside its column.
    return " ".join(" ".join(p.extract_text() for p in chosen).split())


@pytest.fixture
def commune(world):
    """Hòa Hội's party secretary Tô Hữu Trung, designated by the commune's manager."""
    world.hh_leader.first_name = "Tô Hữu Trung"
    world.hh_leader.save()
    world.hh_manager.first_name = "Lê Quang Vinh"
    world.hh_manager.save()
    return services.designate_signer(
        actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="party",
        signer=world.hh_leader, signer_title="Bí thư")


def generate(world, unit, actor, django_capture_on_commit_callbacks, format="pdf",
             language="vi"):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor=actor, unit=unit, period_kind="quarter",
                                         year=2026, period_number=4, format=format,
                                         language=language)
    report.refresh_from_db()
    assert report.status == "done", report.error
    return report


def read(field):
    with field.open("rb") as stream:
        return stream.read()


@pytest.fixture
def commune_pdf(world, quarter, commune, media, django_capture_on_commit_callbacks):
    return generate(world, world.hoa_hoi, world.hh_manager, django_capture_on_commit_callbacks)


# --- who signs -------------------------------------------------------------------------------

def test_the_province_leader_may_not_sign_the_communes_report(world, commune_pdf, demo_pki):
    with pytest.raises(PermissionDenied, match="Tô Hữu Trung"):
        services.sign_report(actor=world.province_leader, report=commune_pdf)


def test_a_signed_commune_report_names_one_person_in_block_stamp_and_signature(
        world, commune_pdf, demo_pki):
    unsigned = read(commune_pdf.file)
    assert "(Đã ký)" not in pdf_text(unsigned)  # not on an unsigned copy
    document = services.sign_report(actor=world.hh_leader, report=commune_pdf)
    data = read(document.file)
    png = pdf_to_png(data, "signed-commune-report-vi")
    assert png.exists() and png.stat().st_size > 1000
    pdf_to_png(data, "signed-commune-report-vi-last", page=len(_pages(data)))
    last = pdf_text(data, -1)
    assert "T/M ĐẢNG ỦY" in last and "BÍ THƯ" in last and "Tô Hữu Trung" in last
    assert "Hồ Quốc Dũng" not in pdf_text(data)
    (signature,) = signing.verify_pdf(data).signatures
    assert signature.signer == "Tô Hữu Trung" == document.signer_name
    assert signature.verdict == "valid"
    # The stamp ("(Đã ký)", the signer, the time) sits in the printed block's space: on the
    # page of the block, below the title and above the printed name.
    rect, page_index = _widget(data)
    assert page_index == len(_pages(data)) - 1
    name_y, title_y = _baseline(data, page_index, "Tô Hữu Trung"), _baseline(
        data, page_index, "BÍ THƯ")
    assert name_y < rect[1] < rect[3] < title_y


def _pages(data):
    from pypdf import PdfReader

    return PdfReader(BytesIO(data)).pages


def _widget(data):
    for index, page in enumerate(_pages(data)):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig" or annotation.get("/T") == signing.SIGNATURE_FIELD:
                return [float(v) for v in annotation["/Rect"]], index
    raise AssertionError("no signature widget")


def _baseline(data, page_index, needle):
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(tm[5] * cm[3] + cm[5])

    _pages(data)[page_index].extract_text(visitor_text=visit)
    assert found, needle
    return found[-1]


def test_only_the_designated_deputy_signs_for_the_head(world, quarter, commune, media,
                                                       demo_pki,
                                                       django_capture_on_commit_callbacks):
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="party",
                              signer=world.hh_leader, signer_title="Bí thư",
                              deputy=world.hh_manager, deputy_title="Phó Bí thư",
                              version=commune.version)
    report = generate(world, world.hoa_hoi, world.hh_manager, django_capture_on_commit_callbacks)
    narrative = report.narrative
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_narrative(actor=world.hh_manager, report=report, version=narrative.version,
                                results="Đạt.", shortcomings="Chậm.", next_tasks="Làm tiếp.",
                                capacity="deputy")
    report.refresh_from_db()
    text = pdf_text(read(report.file), -1)
    assert "K/T BÍ THƯ" in text and "PHÓ BÍ THƯ" in text and "Lê Quang Vinh" in text
    with pytest.raises(PermissionDenied):  # the head is not the one this copy names
        services.sign_report(actor=world.hh_leader, report=report)


def test_designation_is_version_checked_and_kept_in_history(world, commune):
    with pytest.raises(StaleEdit):
        services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                                  issuing_body="people", signer=world.hh_leader,
                                  signer_title="Chủ tịch", version=commune.version + 5)
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi, issuing_body="people",
                              signer=world.hh_leader, signer_title="Chủ tịch",
                              version=commune.version)
    history = ReportSigner.history.filter(unit=world.hoa_hoi).order_by("history_date")
    assert [h.signer_title for h in history] == ["Bí thư", "Chủ tịch"]
    assert history.last().history_user == world.hh_manager


def test_only_a_manager_designates_and_only_people_of_the_unit(world, commune):
    with pytest.raises(PermissionDenied):
        services.designate_signer(actor=world.hh_officer, unit=world.hoa_hoi,
                                  issuing_body="party", signer=world.hh_leader,
                                  signer_title="Bí thư", version=commune.version)
    with pytest.raises(ValidationError) as refused:
        services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                                  issuing_body="party", signer=world.anb_officer,
                                  signer_title="", version=commune.version)
    assert set(refused.value.message_dict) == {"signer", "signer_title"}


def test_a_unit_without_leader_or_designation_prints_no_name(world):
    block = signature_block(designated_signer(world.economy_office))
    assert block.name == "" and block.user_id is None and len(block.lines) == 1


def test_without_a_designation_the_units_first_leader_signs(world):
    designation = designated_signer(world.hoa_hoi)
    assert designation.pk is None and designation.signer == world.hh_leader
    block = signature_block(designation)
    assert block.user_id == world.hh_leader.pk and block.name


# --- the issuer's format ---------------------------------------------------------------------

def test_a_party_committees_report_follows_the_partys_format(commune_pdf):
    first = pdf_text(read(commune_pdf.file), 0)
    for words in ("ĐẢNG BỘ TỈNH GIA LAI", "ĐẢNG ỦY XÃ HÒA HỘI", "ĐẢNG CỘNG SẢN VIỆT NAM",
                  f"Số {commune_pdf.pk}-BC/ĐU", "Hòa Hội, ngày"):
        assert words in first, words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in first


def test_a_peoples_committees_report_follows_decree_30(world, quarter, commune, media,
                                                       django_capture_on_commit_callbacks):
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                              issuing_body="people", signer=world.hh_leader,
                              signer_title="Chủ tịch", version=commune.version)
    report = generate(world, world.hoa_hoi, world.hh_manager, django_capture_on_commit_callbacks)
    data = read(report.file)
    first, last = pdf_text(data, 0), pdf_text(data, -1)
    for words in ("ỦY BAN NHÂN DÂN XÃ HÒA HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "Độc lập – Tự do – Hạnh phúc", f"Số: {report.pk}/BC-UBND", "Hòa Hội, ngày"):
        assert words in first, words
    assert "ĐẢNG CỘNG SẢN" not in first and "TM. ỦY BAN NHÂN DÂN" in last
    pdf_to_png(data, "peoples-committee-report-vi")


def test_wide_tables_go_on_landscape_pages(commune_pdf, world, quarter,
                                           django_capture_on_commit_callbacks):
    pages = _pages(read(commune_pdf.file))
    shapes = [float(p.mediabox.width) > float(p.mediabox.height) for p in pages]
    assert shapes[0] is False and True in shapes and shapes[-1] is False
    landscape = next(p for p in pages if float(p.mediabox.width) > float(p.mediabox.height))
    assert "Chỉ tiêu" in landscape.extract_text()  # the targets table, on its own wide page
    docx = generate(world, world.hoa_hoi, world.hh_manager, django_capture_on_commit_callbacks,
                    format="docx")
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document(BytesIO(read(docx.file)))
    orientations = [section.orientation for section in document.sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả đạt được" in text and "(Đã ký)" not in text
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ĐẢNG ỦY XÃ HÒA HỘI" in cells and "T/M ĐẢNG ỦY" in cells and "Tô Hữu Trung" in cells


# --- the words of the report -----------------------------------------------------------------

def test_the_draft_is_written_from_the_data(commune_pdf, quarter):
    narrative = commune_pdf.narrative
    assert "Lập quy hoạch cụm công nghiệp" in narrative.results
    assert "Giải phóng mặt bằng" in narrative.shortcomings
    assert "Giải phóng mặt bằng" in narrative.next_tasks
    text = pdf_text(read(commune_pdf.file))
    for title in ("Kết quả đạt được", "Hạn chế, yếu kém và nguyên nhân",
                  "Nhiệm vụ trọng tâm kỳ tới"):
        assert title in text


def test_the_manager_edits_the_words_and_the_file_follows(world, commune_pdf,
                                                          django_capture_on_commit_callbacks):
    narrative = commune_pdf.narrative
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_narrative(actor=world.hh_manager, report=commune_pdf,
                                version=narrative.version, results="Thu ngân sách vượt dự toán.",
                                shortcomings="Giải ngân chậm.", next_tasks="Đẩy nhanh giải ngân.")
    commune_pdf.refresh_from_db()
    assert "Thu ngân sách vượt dự toán." in pdf_text(read(commune_pdf.file))
    with pytest.raises(StaleEdit):
        services.edit_narrative(actor=world.hh_manager, report=commune_pdf,
                                version=narrative.version, results="x", shortcomings="",
                                next_tasks="")
    with pytest.raises(PermissionDenied):
        services.edit_narrative(actor=world.hh_officer, report=commune_pdf,
                                version=narrative.version + 1, results="x", shortcomings="",
                                next_tasks="")


def test_once_signed_the_words_are_frozen(world, commune_pdf, demo_pki):
    services.sign_report(actor=world.hh_leader, report=commune_pdf)
    narrative = ReportNarrative.objects.get(report=commune_pdf)
    with pytest.raises(ValidationError, match="signed and can no longer be changed"):
        services.edit_narrative(actor=world.hh_manager, report=commune_pdf,
                                version=narrative.version, results="Khác.", shortcomings="",
                                next_tasks="")
    narrative.refresh_from_db()
    assert narrative.results != "Khác." and narrative.history.count() == 1


# --- one verdict -----------------------------------------------------------------------------

VERDICTS = {
    "modified": "Modified: the document's bytes were changed after signing",
    "added": "Content was added or changed after signing.",
    "intact": "Intact: nothing was added or changed after signing.",
}


@pytest.fixture
def signed_commune(world, commune_pdf, demo_pki):
    return read(services.sign_report(actor=world.hh_leader, report=commune_pdf).file)


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75, 0.9])
def test_a_one_byte_tampered_copy_gives_one_verdict(client, world, signed_commune, where):
    data = bytearray(signed_commune)
    position = int(len(data) * where)
    data[position] ^= 0x01
    result = signing.verify_pdf(bytes(data))
    assert not result.valid
    for signature in result.signatures:
        assert signature.verdict == "modified" and not signature.unchanged
    client.force_login(world.hh_officer)
    page = client.post(reverse("reports:verify"), {"document": SimpleUploadedFile(
        "signed.pdf", bytes(data), "application/pdf")}).content.decode()
    said = [key for key, words in VERDICTS.items() if words in page]
    assert len(said) <= 1 and "intact" not in said
    # A flipped hex digit of the signature value ("F" to "G") makes the file unreadable: the
    # page then shows the reader's error, HTML-escaped like any text.
    assert "Not valid" in page or (result.error and escape(result.error) in page)


def test_the_untouched_copy_is_valid_and_the_demo_ca_trusted(client, world, signed_commune):
    client.force_login(world.hh_officer)
    page = client.post(reverse("reports:verify"), {"document": SimpleUploadedFile(
        "signed.pdf", signed_commune, "application/pdf")}).content.decode()
    assert [key for key, words in VERDICTS.items() if words in page] == ["intact"]
    assert "The certificate chains to a trusted root" in page


def test_the_demo_ca_is_trusted_by_default_outside_production():
    from django.conf import settings

    assert not settings.PRODUCTION and settings.REPORTS_TRUST_DEMO_CA


# --- pages: own, sibling, superior, anonymous --------------------------------------------------

def signer_post(world, version):
    return {"issuing_body": "party", "signer": world.hh_leader.pk, "signer_title": "Bí thư",
            "deputy": "", "deputy_title": "", "version": version}


@pytest.mark.parametrize(("who", "status"), [
    ("hh_manager", 302), ("province_leader", 302), ("hh_viewer", 403), ("anb_manager", 404),
])
def test_designating_a_signer_by_page(client, world, commune, who, status):
    client.force_login(getattr(world, who))
    response = client.post(reverse("reports:designate_signer", args=[world.hoa_hoi.pk]),
                           signer_post(world, commune.version))
    assert response.status_code == status


def test_designating_anonymously_goes_to_sign_in(client, world):
    response = client.post(reverse("reports:designate_signer", args=[world.hoa_hoi.pk]), {})
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]


def test_the_unit_page_shows_the_signer_form_to_managers_only(client, world, commune):
    client.force_login(world.hh_manager)
    page = client.get(reverse("reports:unit_reports", args=[world.hoa_hoi.pk])).content.decode()
    assert "Tô Hữu Trung" in page and reverse("reports:designate_signer",
                                               args=[world.hoa_hoi.pk]) in page
    client.force_login(world.hh_viewer)
    page = client.get(reverse("reports:unit_reports", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("reports:designate_signer", args=[world.hoa_hoi.pk]) not in page


def test_a_stale_designation_by_page_says_so(client, world, commune):
    client.force_login(world.hh_manager)
    response = client.post(reverse("reports:designate_signer", args=[world.hoa_hoi.pk]),
                           signer_post(world, commune.version + 3))
    assert response.status_code == 400 and "changed by someone else" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("hh_manager", 302), ("province_leader", 302), ("hh_viewer", 403), ("anb_manager", 404),
])
def test_editing_the_words_by_page(client, world, commune_pdf, who, status,
                                   django_capture_on_commit_callbacks):
    client.force_login(getattr(world, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:narrative", args=[commune_pdf.pk]), {
            "results": "Đạt.", "shortcomings": "", "next_tasks": "", "capacity": "principal",
            "version": commune_pdf.narrative.version})
    assert response.status_code == status


def test_editing_the_words_anonymously_goes_to_sign_in(client, commune_pdf):
    response = client.post(reverse("reports:narrative", args=[commune_pdf.pk]), {})
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]


def test_the_report_page_offers_signing_only_to_the_designated_signer(client, world,
                                                                      commune_pdf, demo_pki):
    client.force_login(world.province_leader)
    page = client.get(reverse("reports:report", args=[commune_pdf.pk])).content.decode()
    assert "Sign this report" not in page and "Tô Hữu Trung" in page
    assert client.post(reverse("reports:sign", args=[commune_pdf.pk])).status_code == 403
    client.force_login(world.hh_leader)
    page = client.get(reverse("reports:report", args=[commune_pdf.pk])).content.decode()
    assert "Sign this report" in page
    assert client.post(reverse("reports:sign", args=[commune_pdf.pk])).status_code == 302
    client.force_login(world.hh_manager)
    page = client.get(reverse("reports:report", args=[commune_pdf.pk])).content.decode()
    assert reverse("reports:narrative", args=[commune_pdf.pk]) not in page  # frozen
