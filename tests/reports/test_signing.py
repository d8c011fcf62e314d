"""PAdES signatures: a leader signs a generated report; anyone may verify a signed PDF, and
a changed byte or content added after signing is reported, clearly."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sixclear.reports import pki, services, signing
from sixclear.reports.models import SignedDocument
from tests.reports.conftest import pdf_to_png


@pytest.fixture
def pdf_report(world, quarter, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor=world.province_leader, unit=world.gia_lai,
                                         period_kind="quarter", year=2026, period_number=4,
                                         format="pdf", language="vi")
    report.refresh_from_db()
    assert report.status == "done", report.error
    return report


@pytest.fixture
def signed(world, pdf_report, demo_pki):
    return services.sign_report(actor=world.province_leader, report=pdf_report)


def read(document):
    with document.file.open("rb") as stream:
        return stream.read()


def appended_revision(data):
    """Add a line of text to page 1 in an incremental update, as a forger would."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT 100 100 Td (X) Tj ET"))
    contents = page["/Contents"]
    items = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*items, extra])
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_leader_signs_and_the_signature_verifies(world, signed):
    import hashlib

    from pypdf import PdfReader

    data = read(signed)
    assert signed.sha256 == hashlib.sha256(data).hexdigest()
    assert (signed.signer_name, signed.signer_title) == ("Hồ Quốc Dũng", "Bí thư Tỉnh ủy Gia Lai")
    result = signing.verify_pdf(data)
    assert result.valid
    (signature,) = result.signatures
    assert signature.signer == "Hồ Quốc Dũng" and signature.trusted and signature.intact
    assert signature.issuer == pki.DEMO_CA_NAME
    last_page = PdfReader(BytesIO(data)).pages[-1].extract_text()
    # The visible box in Vietnamese, drawn with the embedded Noto font.
    text = PdfReader(BytesIO(data)).pages[-1]
    assert "Hồ Quốc Dũng" in last_page or "Hồ Quốc Dũng" in text.extract_text()
    fields = PdfReader(BytesIO(data)).get_fields()
    assert signing.SIGNATURE_FIELD in fields
    pdf_to_png(data, "signed-report-vi")


def test_a_changed_byte_is_detected(signed):
    data = bytearray(read(signed))
    position = data.find(b"stream", 2000) + 40
    data[position] ^= 0x01
    (signature,) = signing.verify_pdf(bytes(data)).signatures
    assert not signature.intact
    assert not signing.verify_pdf(bytes(data)).valid


def test_content_appended_after_signing_is_detected(signed):
    result = signing.verify_pdf(appended_revision(read(signed)))
    (signature,) = result.signatures
    assert signature.intact  # the signed revision itself is untouched
    assert not signature.unchanged and not result.valid


def test_bytes_appended_after_the_end_are_detected(signed):
    (signature,) = signing.verify_pdf(read(signed) + b"\n% hidden note\n").signatures
    assert not signature.unchanged


def test_a_root_that_is_not_trusted_is_reported(signed, settings):
    settings.REPORTS_TRUST_DEMO_CA = False  # as in production
    (signature,) = signing.verify_pdf(read(signed)).signatures
    assert signature.intact and not signature.trusted


def test_a_pdf_without_signature_says_so(pdf_report):
    with pdf_report.file.open("rb") as stream:
        result = signing.verify_pdf(stream.read())
    assert result.error == "This PDF carries no digital signature." and not result.valid


def test_a_new_signature_supersedes_the_old_which_stays(world, signed, pdf_report):
    again = services.sign_report(actor=world.province_leader, report=pdf_report)
    assert again.supersedes == signed and again.sha256 != signed.sha256
    signed.refresh_from_db()
    assert signed.superseded_by == again and read(signed)[:5] == b"%PDF-"
    with pytest.raises(ValidationError):
        signed.save()  # never rewritten


def test_only_a_leader_signs(world, pdf_report, demo_pki):
    with pytest.raises(PermissionDenied):
        services.sign_report(actor=world.hh_manager, report=pdf_report)


def test_a_leader_without_a_key_is_told(world, pdf_report, demo_pki, settings, tmp_path):
    settings.REPORTS_SIGNERS_FILE = tmp_path / "none.json"
    with pytest.raises(ValidationError, match="No signing key is configured for gl.leader"):
        services.sign_report(actor=world.province_leader, report=pdf_report)


def test_only_a_generated_pdf_is_signed(world, quarter, demo_pki, media,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor=world.province_leader, unit=world.gia_lai,
                                         period_kind="year", year=2026, format="xlsx",
                                         language="en")
    with pytest.raises(ValidationError, match="Only a generated PDF report can be signed."):
        services.sign_report(actor=world.province_leader, report=report)


def test_the_sign_page_signs_and_lists_the_signature(client, world, pdf_report, demo_pki):
    client.force_login(world.province_leader)
    page = client.get(reverse("reports:report", args=[pdf_report.pk])).content.decode()
    assert "Sign this report" in page
    response = client.post(reverse("reports:sign", args=[pdf_report.pk]))
    assert response.status_code == 302
    document = SignedDocument.objects.get()
    page = client.get(reverse("reports:report", args=[pdf_report.pk])).content.decode()
    assert reverse("reports:signed_file", args=[document.pk]) in page
    client.force_login(world.hh_manager)  # a manager of a commune below: not the province's
    assert client.post(reverse("reports:sign", args=[pdf_report.pk])).status_code == 404


def test_a_manager_is_not_offered_signing(client, world, pdf_report):
    client.force_login(world.hh_manager)
    report = pdf_report
    report.unit = world.hoa_hoi
    report.save()
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Sign this report" not in page
    assert client.post(reverse("reports:sign", args=[report.pk])).status_code == 403


def upload(data, name="signed.pdf"):
    return {"document": SimpleUploadedFile(name, data, "application/pdf")}


def test_the_verify_page_in_plain_words(client, world, signed):
    client.force_login(world.hh_officer)
    page = client.post(reverse("reports:verify"), upload(read(signed))).content.decode()
    assert "Valid: every signature is intact" in page and "Signed by Hồ Quốc Dũng" in page
    assert "The certificate chains to a trusted root" in page
    assert "stored here" not in page  # the officer may not see Gia Lai's documents
    tampered = appended_revision(read(signed))
    page = client.post(reverse("reports:verify"), upload(tampered)).content.decode()
    assert "Content was added or changed after signing." in page and "Not valid" in page
    data = bytearray(read(signed))
    data[data.find(b"stream", 2000) + 40] ^= 1
    page = client.post(reverse("reports:verify"), upload(bytes(data))).content.decode()
    assert "bytes were changed after signing; the signature no longer matches" in page


def test_the_verify_page_knows_a_stored_document(client, world, signed):
    client.force_login(world.province_leader)
    page = client.post(reverse("reports:verify"), upload(read(signed))).content.decode()
    assert "stored here" in page


def test_the_verify_page_refuses_what_is_not_a_pdf(client, world):
    client.force_login(world.hh_officer)
    response = client.post(reverse("reports:verify"), upload(b"hello", "note.pdf"))
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()


def test_anonymous_verification_goes_to_sign_in(client):
    response = client.get(reverse("reports:verify"))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]


def test_pki_demo_gives_every_leader_a_key(world, settings, tmp_path):
    settings.REPORTS_PKI_DIR = tmp_path
    settings.REPORTS_SIGNERS_FILE = tmp_path / "signers.json"
    call_command("pki", "demo")
    signers = pki.read_signers()
    # Every leader, and the seal of the periodic snapshots (the office's key).
    assert set(signers) == {"gl.leader", "hh.leader", settings.SNAPSHOTS_SEAL_SIGNER}
    assert (tmp_path / "demo-ca.pem").exists()
    assert (tmp_path / "signers" / "gl.leader.p12").stat().st_mode & 0o077 == 0
    call_command("pki", "demo")  # idempotent: keys are kept
    assert pki.read_signers() == signers


def test_pki_demo_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("pki", "demo")
