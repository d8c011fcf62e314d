"""The yearly evaluation of a unit's procedures (ISO 9001:2015, clause 9) issued as a report:
its content from what is recorded, DOCX and PDF in the unit's format, signed only by the
unit's designated signer, its signed copies listed and verified; who may see what."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sixclear.monitoring.models import TargetHealth, TargetStatus
from sixclear.portal.models import Address, Rating
from sixclear.procedures import services as procedures
from sixclear.procedures.models import CheckResult, Severity
from sixclear.reports import services
from sixclear.reports.models import DocumentKind, SignedDocument
from sixclear.reports.procedure_evaluation import (
    evaluation_content,
    evaluation_contents,
    subject_of,
)
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory
from tests.procedures.helpers import PETITION_STEPS, open_case

from .conftest import pdf_to_png
from .test_issued import docx_text, pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026


@pytest.fixture(autouse=True)
def _november_2026(request):
    if "demo_pki" in request.fixturenames:  # a key issued today is not valid in the past
        yield
        return
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def year(world):
    """Hòa Hội's 2026, worked out by hand:
    - QT-01 serves CL-01, behind its path. Case ĐT-001, received Monday 2 March: step 1 (one
      day) handed over 3 March, on time; step 2 (five days, due 10 March) handed over 20
      March, late; step 3 (due 24 March) still in hand: 2 steps handed over, 1 on time; 2
      steps late, one of them in hand (a risk still open).
    - An internal audit reported: one item conforms, one does not (a nonconformity).
    - A nonconformity from the case, analysed as major: 2 raised, both open, 1 major.
    - Citizens rated a published task 5 and 2: 1 of 2 satisfied.
    - The management review proposed; the people's committee's chair signs."""
    objective = TargetFactory(unit=world.hoa_hoi, code="CL-01", name="Hồ sơ đúng hạn")
    TargetHealth.objects.create(target=objective, status=TargetStatus.BEHIND,
                                changed_on=D(2026, 10, 1))
    procedure = procedures.create_procedure(
        actor=world.hh_manager, unit=world.hoa_hoi, code="QT-01",
        name="Giải quyết đơn kiến nghị", effective_from=D(2026, 1, 1), steps=PETITION_STEPS,
        objectives=[objective])
    case = open_case(world, procedure, D(2026, 3, 2))
    for day, to in ((D(2026, 3, 3), world.hh_officer), (D(2026, 3, 20), world.hh_manager)):
        case.refresh_from_db()
        procedures.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                             to=to, on=day)
    audit = procedures.plan_audit(
        actor=world.hh_manager, unit=world.hoa_hoi, year=YEAR, title="Đánh giá nội bộ 2026",
        auditor=world.hh_officer, planned_on=D(2026, 9, 15), checks=[
            {"clause": "8.5.1", "procedure": procedure, "criterion": "Đơn đúng hạn"},
            {"clause": "7.5.3", "procedure": None, "criterion": "Hồ sơ lưu đủ"}])
    first, second = audit.checks.order_by("position")
    procedures.record_check(actor=world.hh_officer, check=first,
                            result=CheckResult.NONCONFORMS, note="Đơn xác minh quá hạn")
    procedures.record_check(actor=world.hh_officer, check=second, result=CheckResult.CONFORMS)
    audit.refresh_from_db()
    procedures.report_audit(actor=world.hh_officer, audit=audit, expected_version=audit.version,
                            conclusion="Hệ thống được duy trì")
    item = procedures.raise_nonconformity(actor=world.hh_officer, unit=world.hoa_hoi,
                                          case=case, description="Xác minh quá hạn")
    procedures.analyse_nonconformity(actor=world.hh_officer, nonconformity=item,
                                     expected_version=item.version, root_cause="Thiếu người",
                                     severity=Severity.MAJOR)
    task = TaskFactory(unit=world.hoa_hoi, state=TaskState.ISSUED)
    when = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
    for n, score in enumerate((5, 2)):
        address = Address.objects.create(email=f"dan{n}@example.org", confirmed_at=when)
        Rating.objects.create(address=address, task=task, score=score, confirmed_at=when)
    procedures.propose_review(actor=world.hh_manager, unit=world.hoa_hoi, year=YEAR)
    world.hh_leader.first_name = "Tô Hữu Trung"
    world.hh_leader.save()
    services.designate_signer(actor=world.hh_manager, unit=world.hoa_hoi,
                              issuing_body="people", signer=world.hh_leader,
                              signer_title="Chủ tịch")
    return case


def text_of(content):
    return " ".join(content.paragraphs)


def test_the_content_answers_clause_9_from_what_is_recorded(world, year):
    content = evaluation_content(world.hoa_hoi, YEAR, language="en")
    assert (content.kind, content.subject) == (DocumentKind.PROCEDURE_EVALUATION,
                                               f"procedures.evaluation:{world.hoa_hoi.pk}/2026")
    text = text_of(content)
    assert "0 cases were closed" in text and "2 steps were handed over, 1 of them" in text
    assert "2 steps were handed over after their due date, or are still in hand" in text
    assert "Of the 2 ratings citizens gave" in text and "1 were 4 or 5 out of 5" in text
    assert ("Đánh giá nội bộ 2026 (Hòa Hội" in text
            and "1 items conform, 0 observations, 1 do not conform" in text)
    assert "2 nonconformities were raised in the year (1 major, 0 minor)" in text
    assert ("1 steps in hand past their due date; 2 nonconformities open (1 major)" in text
            and "CL-01 Hồ sơ đúng hạn" in text)
    assert "The management review of the year (Draft)" in text
    performance, late = content.tables
    assert performance.rows[0][0] == "QT-01 Giải quyết đơn kiến nghị"
    assert performance.rows[0][3:] == ["2", "50 %", "CL-01 (Behind)"]
    assert [row[2] for row in late.rows] == ["QT-01 · 2. Xác minh, đề xuất",
                                             "QT-01 · 3. Ký văn bản trả lời"]
    assert late.rows[0][0] == "ĐT-001 Kiến nghị sửa đường thôn 3"
    assert late.rows[1][4] == "still in hand"


def test_a_unit_without_records_says_so(world, year):
    text = text_of(evaluation_content(world.an_nhon_bac, YEAR, language="en"))
    assert "No case was closed and no step handed over" in text
    assert "Citizens' satisfaction was not measured in the year" in text
    assert "No internal audit was planned" in text
    assert "The management review of the year is not recorded yet" in text


def test_many_units_compile_in_the_queries_of_one(world, year, django_assert_max_num_queries):
    units = [world.gia_lai, world.hoa_hoi, world.an_nhon_bac, world.economy_office,
             world.ha_noi, world.viet_hung]
    with django_assert_max_num_queries(14):
        every = evaluation_contents(units, YEAR, language="en")
    for unit in units:
        alone = evaluation_content(unit, YEAR, language="en")
        assert every[unit.pk].paragraphs == alone.paragraphs
        assert [t.rows for t in every[unit.pk].tables] == [t.rows for t in alone.tables]
    province = text_of(every[world.gia_lai.pk])  # its subtree holds Hòa Hội's year
    assert "2 steps were handed over after their due date" in province
    assert "No step ran late" in text_of(every[world.viet_hung.pk])


def test_downloads_in_the_units_format_and_the_readers_language(client, world, year):
    client.force_login(world.hh_viewer)
    url = lambda fmt: reverse("reports:procedure_evaluation_file",  # noqa: E731
                              args=[world.hoa_hoi.pk, YEAR, fmt])
    docx = client.get(url("docx"), HTTP_ACCEPT_LANGUAGE="vi")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(docx.content)
    assert "BÁO CÁO" in text and "/BC-UBND" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" in text
    assert "ĐT-001" in text and "Ký văn bản trả lời" in text
    pdf = client.get(url("pdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "ĐT-001" in text and "still in hand" in text and "TÔ HỮU TRUNG" in text.upper()
    for page in (1, 2, 3):  # for a person to look at: the body, then its two appendices
        pdf_to_png(pdf.content, f"procedure-evaluation-en-{page}", page=page)
    assert client.get(url("xlsx")).status_code == 404
    arabic = client.get(url("docx"), HTTP_ACCEPT_LANGUAGE="ar")
    assert "ĐT-001" in docx_text(arabic.content)


@pytest.mark.usefixtures("media")
def test_the_designated_signer_signs_and_the_copies_are_listed_and_verified(
        client, world, year, demo_pki):
    page = reverse("reports:procedure_evaluation", args=[world.hoa_hoi.pk, YEAR])
    sign = reverse("reports:procedure_evaluation_sign", args=[world.hoa_hoi.pk, YEAR])
    client.force_login(world.hh_manager)
    shown = client.get(page).content.decode()
    assert "ĐT-001" in shown and 'id="sign-evaluation"' not in shown
    assert "To be signed by Tô Hữu Trung" in shown
    assert client.post(sign).status_code == 403
    client.force_login(world.hh_leader)
    assert 'id="sign-evaluation"' in client.get(page).content.decode()
    assert client.post(sign).status_code == 302
    assert client.post(sign).status_code == 302  # signed again: supersedes
    second, first = SignedDocument.objects.filter(subject=subject_of(world.hoa_hoi, YEAR))
    assert second.supersedes == first and second.kind == DocumentKind.PROCEDURE_EVALUATION
    assert (second.signer, second.signer_title, second.unit) == (
        world.hh_leader, "Chủ tịch", world.hoa_hoi)
    client.force_login(world.hh_viewer)
    shown = client.get(page).content.decode()
    assert reverse("reports:signed_file", args=[second.pk]) in shown
    assert reverse("reports:signed_file", args=[first.pk]) in shown
    verify = client.get(reverse("reports:procedure_evaluation_verify",
                                args=[world.hoa_hoi.pk, YEAR, second.pk]))
    assert verify.status_code == 200 and verify.context["result"].valid
    assert verify.context["stored"] == second
    download = client.get(reverse("reports:signed_file", args=[second.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.anb_manager)
    assert client.get(reverse("reports:procedure_evaluation_verify",
                              args=[world.hoa_hoi.pk, YEAR, second.pk])).status_code == 404
    assert client.get(reverse("reports:procedure_evaluation_verify",
                              args=[world.an_nhon_bac.pk, YEAR, second.pk])).status_code == 404


def test_a_signer_without_a_key_is_told(client, world, year, settings, tmp_path):
    settings.REPORTS_SIGNERS_FILE = tmp_path / "none.json"
    client.force_login(world.hh_leader)
    response = client.post(reverse("reports:procedure_evaluation_sign",
                                   args=[world.hoa_hoi.pk, YEAR]))
    assert response.status_code == 400 and "No signing key" in response.content.decode()


PAGES = {
    "page": lambda unit: reverse("reports:procedure_evaluation", args=[unit.pk, YEAR]),
    "docx": lambda unit: reverse("reports:procedure_evaluation_file",
                                 args=[unit.pk, YEAR, "docx"]),
}


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_viewer", 200), ("hh_manager", 200), ("province_leader", 200),  # own unit, superior
    ("anb_manager", 404), ("vh_manager", 404), (None, 302),  # sibling, other province, nobody
])
@pytest.mark.parametrize("page", PAGES)
def test_who_sees_the_report(client, world, year, who, expected, page):
    if who:
        client.force_login(getattr(world, who))
    assert client.get(PAGES[page](world.hoa_hoi)).status_code == expected


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_viewer", 403), ("hh_officer", 403), ("province_leader", 403), ("anb_manager", 404),
    ("vh_manager", 404), (None, 302)])
def test_only_the_designated_signer_may_sign(client, world, year, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("reports:procedure_evaluation_sign",
                                   args=[world.hoa_hoi.pk, YEAR]))
    assert response.status_code == expected
    assert not SignedDocument.objects.exists()


def test_a_year_to_come_or_a_get_to_sign_is_refused(client, world, year):
    client.force_login(world.hh_leader)
    assert client.get(reverse("reports:procedure_evaluation",
                              args=[world.hoa_hoi.pk, 2027])).status_code == 404
    assert client.get(reverse("reports:procedure_evaluation_sign",
                              args=[world.hoa_hoi.pk, YEAR])).status_code == 405


def test_the_page_reads_a_fixed_number_of_queries(client, world, year,
                                                  django_assert_max_num_queries):
    client.force_login(world.province_leader)
    for number in range(5):
        case = open_case(world, year.procedure_version.procedure, D(2026, 4, 1),
                         reference=f"ĐT-1{number}")
        procedures.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                             to=world.hh_officer, on=D(2026, 4, 10))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reports:procedure_evaluation",
                                      args=[world.gia_lai.pk, YEAR]))
    assert response.status_code == 200 and "ĐT-14" in response.content.decode()
