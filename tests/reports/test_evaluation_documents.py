"""The minutes of an evaluation round's review and the decision on its grades: written from the
round's records in the deciding unit's format (people's committee for Việt Hưng's departments,
party committee for Hòa Hội's party cells), downloadable unsigned once they exist, signed by the
designated signer only, the signed copies listed with their verification; read by the deciding
unit's managers and above and by the round's subjects, 404 for anyone else. On the real clock
(the round is of 2026, a year that has begun): the demo keys are issued today, and a clock
moved back before them would sign with a certificate not yet valid."""

import pytest
from django.urls import reverse

from sixclear.evaluation import services as evaluation
from sixclear.evaluation.models import Level
from sixclear.orgs.models import Role, UnitKind
from sixclear.reports import pki
from sixclear.reports import services as reports
from sixclear.reports.evaluation_documents import decision_content, minutes_content
from sixclear.reports.issued import render_docx, render_pdf, sign_issued
from sixclear.reports.models import SignedDocument
from tests.evaluation.helpers import (
    assess_and_decide,
    close,
    open_departments,
    viet_hung_departments,
)
from tests.factories import make_unit, person
from tests.reports.conftest import pdf_to_png
from tests.reports.test_issued import docx_text, pdf_text

pytestmark = pytest.mark.django_db

ADJUSTED = {"Phòng Văn hóa - Xã hội": {"TC": ("20", "Tổ chức tốt lễ hội truyền thống của phường")}}
VETOED = {"Trạm Y tế": {"disciplined": "Quyết định kỷ luật số 05/QĐ-UBND ngày 10/6/2026"}}


@pytest.fixture
def decided(world):
    """Việt Hưng's departments, every one decided (an adjustment with its reason, a
    disqualifier), one reply; the round still open. Its chair signs for the people's
    committee."""
    viet_hung_departments(world)
    world.vh_leader.first_name, world.vh_leader.last_name = "Nguyễn Văn", "Bình"
    world.vh_leader.save()
    world.round = open_departments(world)
    assess_and_decide(world, world.round, adjustments=ADJUSTED, vetoes=VETOED)
    reply = world.round.subjects.get(name="Phòng Tư pháp")
    evaluation.reply_to_decision(actor=world.department_managers[3], subject=reply,
                                 expected_version=reply.version,
                                 text="Đề nghị xem xét lại điểm tiêu chí chung")
    reports.designate_signer(actor=world.vh_manager, unit=world.viet_hung,
                             issuing_body="people", signer=world.vh_leader,
                             signer_title="Chủ tịch Ủy ban nhân dân phường")
    return world


@pytest.fixture
def closed(decided):
    close(decided, decided.round)
    decided.round.refresh_from_db()
    return decided


@pytest.fixture
def vh_pki(demo_pki, world):
    if "vh.leader" not in pki.read_signers():
        pki.issue_signer("vh.leader", "Nguyễn Văn Bình")
    return demo_pki


def test_the_minutes_record_the_review_in_the_state_format(decided):
    text = docx_text(render_docx(minutes_content(decided.round, "vi")))
    assert "BIÊN BẢN" in text and "…/BB-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT HƯNG" in text.upper()
    assert "Nguyễn Văn Bình" in text  # who reviewed and decided
    assert "Tổ chức tốt lễ hội truyền thống của phường" in text
    assert "Phòng Văn hóa - Xã hội, tiêu chí TC" in text
    assert "tự chấm 15 điểm, 20 điểm do Nguyễn Văn Bình quyết định" in text
    assert "rather than" not in text and "thay vì “Hoàn thành xuất sắc nhiệm vụ”" in text  # a cap
    assert "Quyết định kỷ luật số 05/QĐ-UBND" in text and "cần đối chiếu văn bản gốc" in text
    assert "Đề nghị xem xét lại điểm tiêu chí chung" in text
    assert "tạm tính" in text  # the round is still open: the grades are provisional
    # Under each appendix's caption, the line tying it to the minutes (Decree 30/2020).
    assert text.count("(Kèm theo Biên bản số …/BB-UBND ngày ") == 2
    assert "của Ủy ban nhân dân phường Việt Hưng)" in text
    for name in ("Văn phòng HĐND và UBND", "Trạm Y tế"):
        assert name in text
    data = render_pdf(minutes_content(decided.round, "vi"))
    pdf = pdf_text(data)
    assert "BIÊN BẢN" in pdf and "Tổ chức tốt lễ hội" in pdf
    assert pdf_to_png(data, "evaluation-minutes-vi").exists()  # for a person to look at


def test_the_decision_appends_the_grades_and_the_proposals(closed):
    text = docx_text(render_docx(decision_content(closed.round, "vi")))
    assert "QUYẾT ĐỊNH" in text and "…/QĐ-UBND" in text
    assert "Nghị định 335/2025/NĐ-CP" in text  # its basis
    assert "Phụ lục I" in text and "Phụ lục II" in text
    # The disqualified one leaves four graded good or better: 20 % of them allows no
    # "excellent", so the two above 90 points are capped to "good".
    assert "Hoàn thành tốt nhiệm vụ" in text and "Tập thể lao động tiên tiến" in text
    assert "Trạm Y tế 75 Hoàn thành nhiệm vụ 5" in text
    assert "Điều 3" in text
    tied = "(Kèm theo Quyết định số …/QĐ-UBND ngày "
    assert text.count(tied) == 2 and "của Ủy ban nhân dân phường Việt Hưng)" in text
    assert text.index("Điều 3") < text.index(tied)  # under the appendices, after the body
    english = docx_text(render_docx(decision_content(closed.round, "en")))
    assert "DECISION" in english and "Advanced labour collective" in english
    assert "(Attached to Decision No. …/QĐ-UBND of " in english
    assert render_pdf(decision_content(closed.round, "ar")).startswith(b"%PDF")
    data = render_pdf(decision_content(closed.round, "vi"))
    assert pdf_text(data).count(tied) == 2
    assert pdf_to_png(data, "evaluation-decision-vi").exists()
    assert pdf_to_png(data, "evaluation-decision-vi-appendix-2", page=3).exists()


def test_party_cells_get_the_party_format(world):
    admin = person(world.hoa_hoi, Role.ADMIN, username="hh.admin")
    cells = [make_unit(name, world.hoa_hoi, UnitKind.PARTY_CELL)
             for name in ("Chi bộ thôn 1", "Chi bộ thôn 2")]
    round_ = evaluation.open_round(actor=admin, unit=world.hoa_hoi, year=2026,
                                   level=Level.PARTY_CELL)
    for cell in cells:
        secretary = person(cell, Role.MANAGER)
        subject = round_.subjects.get(unit=cell)
        evaluation.save_self_assessment(actor=secretary, subject=subject,
                                        expected_version=subject.version,
                                        scores={"TC": ("28", "")}, submit=True)
        subject.refresh_from_db()
        evaluation.review_subject(actor=world.hh_leader, subject=subject,
                                  expected_version=subject.version, decide=True)
    round_.refresh_from_db()
    evaluation.close_round(actor=world.hh_leader, round=round_,
                           expected_version=round_.version)
    text = docx_text(render_docx(decision_content(round_, "vi")))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "…-QĐ/ĐU" in text
    tied = "(kèm theo Quyết định số …-QĐ/ĐU, ngày "  # Hướng dẫn 36-HD/VPTW
    assert text.count(tied) == 2  # the grades, and the (empty) proposals
    assert pdf_text(render_pdf(decision_content(round_, "vi"))).count(tied) == 2
    assert "Chi bộ thôn 1" in text and "Quy định 366-QĐ/TW" in text


def test_what_exists_when(client, world):
    viet_hung_departments(world)
    round_ = open_departments(world)
    client.force_login(world.vh_manager)

    def status(kind, format="pdf"):
        return client.get(reverse("reports:evaluation_document",
                                  args=[round_.pk, kind, format])).status_code

    assert (status("minutes"), status("decision")) == (404, 404)
    page = client.get(reverse("reports:evaluation_documents", args=[round_.pk]))
    assert page.status_code == 200
    assert "once every subject of the round is decided" in page.content.decode()
    assess_and_decide(world, round_)
    assert (status("minutes"), status("decision")) == (200, 404)
    close(world, round_)
    assert (status("minutes", "docx"), status("decision", "docx")) == (200, 200)
    response = client.get(reverse("reports:evaluation_document",
                                  args=[round_.pk, "decision", "docx"]) + "?lang=vi")
    assert response["Content-Disposition"].endswith('-vi.docx"')


@pytest.mark.usefixtures("media")
def test_only_the_designated_signer_signs_and_the_copies_are_listed_and_verified(
        client, closed, vh_pki):
    url = reverse("reports:evaluation_documents", args=[closed.round.pk])
    sign = reverse("reports:evaluation_sign", args=[closed.round.pk])
    client.force_login(closed.vh_manager)
    assert "Sign the decision" not in client.get(url).content.decode()
    assert client.post(sign, {"kind": "decision", "language": "vi"}).status_code == 403
    client.force_login(closed.vh_leader)
    assert "Sign the decision" in client.get(url).content.decode()
    assert client.post(sign, {"kind": "decision", "language": "vi"}).status_code == 302
    assert client.post(sign, {"kind": "decision", "language": "vi"}).status_code == 302
    assert client.post(sign, {"kind": "minutes", "language": "vi"}).status_code == 302
    first, second = SignedDocument.objects.filter(kind="evaluation_decision").order_by("pk")
    assert second.supersedes == first and first.subject == f"evaluation.round:{closed.round.pk}"
    page = client.get(url).content.decode()
    assert f"signed-{first.pk}" in page and "superseded" in page
    verified = client.get(reverse("reports:evaluation_verify",
                                  args=[closed.round.pk, second.pk])).content.decode()
    assert "Valid: every signature is intact" in verified and "Nguyễn Văn Bình" in verified
    # A department's manager (a subject) downloads the signed decision here, not through the
    # unit's signed documents, which the deciding unit's managers and above read.
    subject_manager = closed.department_managers[0]
    signed = reverse("reports:evaluation_signed", args=[closed.round.pk, second.pk])
    verify = reverse("reports:evaluation_verify", args=[closed.round.pk, second.pk])
    for who, here, there in ((subject_manager, 200, 404), (closed.vh_officer, 404, 404),
                             (closed.vh_manager, 200, 200), (closed.hh_manager, 404, 404),
                             (closed.province_leader, 404, 404)):
        client.force_login(who)
        assert client.get(signed).status_code == here
        assert client.get(verify).status_code == here
        assert client.get(reverse("reports:signed_file", args=[second.pk])).status_code == there
    client.logout()
    assert client.get(signed).status_code == 302 and client.get(verify).status_code == 302
    other = reverse("reports:evaluation_signed", args=[closed.round.pk + 1000, second.pk])
    client.force_login(closed.vh_manager)
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(("who", "status"), [
    ("vh_manager", 200), ("vh_leader", 200), ("ha_noi_leader", 200),
    ("department_manager", 200), ("vh_officer", 404), ("hh_manager", 404),
    ("province_leader", 404), ("anonymous", 302),
])
def test_who_reads_the_documents(client, closed, who, status):
    closed.ha_noi_leader = person(closed.ha_noi, Role.LEADER, username="hn.leader")
    closed.department_manager = closed.department_managers[2]
    if who != "anonymous":
        client.force_login(getattr(closed, who))
    pk = closed.round.pk
    for url in (reverse("reports:evaluation_documents", args=[pk]),
                reverse("reports:evaluation_document", args=[pk, "decision", "pdf"]),
                reverse("reports:evaluation_document", args=[pk, "minutes", "docx"])):
        assert client.get(url).status_code == status
    if who != "anonymous" and status == 404:
        response = client.post(reverse("reports:evaluation_sign", args=[pk]),
                               {"kind": "decision"})
        assert response.status_code == 404


def test_a_person_reads_the_documents_of_their_own_round_only(client, world):
    admin = person(world.hoa_hoi, Role.ADMIN, username="hh.admin")
    cadres = evaluation.open_round(actor=admin, unit=world.hoa_hoi, year=2026,
                                   level=Level.CADRE)
    url = reverse("reports:evaluation_documents", args=[cadres.pk])
    client.force_login(world.hh_officer)
    assert client.get(url).status_code == 200
    client.force_login(world.anb_officer)
    assert client.get(url).status_code == 404


def test_the_documents_page_costs_the_same_whatever_the_signed_copies(
        client, closed, vh_pki, media, django_assert_max_num_queries):
    url = reverse("reports:evaluation_documents", args=[closed.round.pk])
    client.force_login(closed.vh_leader)
    client.get(url)
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    for _ in range(3):
        sign_issued(actor=closed.vh_leader, content=decision_content(closed.round, "vi"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
