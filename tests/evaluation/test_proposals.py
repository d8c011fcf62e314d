"""Proposals for emulation titles from a closed round of collectives: drawn up by the title
rules (data) when the round closes, added and withdrawn with a reason by a manager of the
deciding unit, kept in the history, exported as XLSX; seen only by the deciding unit's
managers and above."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sixclear.evaluation import services, titles
from sixclear.evaluation.models import (
    Level,
    ProposalOrigin,
    Subject,
    TitleProposal,
)
from sixclear.orgs.models import Role
from sixclear.versioning import StaleEdit
from tests.evaluation.helpers import (
    assess_and_decide,
    close,
    closed_departments,
    open_departments,
    viet_hung_departments,
)
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(world):
    return viet_hung_departments(world)


def proposed(round_):
    return sorted((p.subject.name, p.title) for p in round_.title_proposals.filter(
        withdrawn=False).select_related("subject"))


def test_closing_the_round_draws_up_the_proposals_by_the_rules(departments):
    round_ = closed_departments(departments)
    grades = dict(round_.subjects.values_list("name", "final_grade"))
    assert grades["Văn phòng HĐND và UBND"] == "excellent"
    assert grades["Phòng Kinh tế, Hạ tầng và Đô thị"] == "good"  # capped
    assert proposed(round_) == sorted([
        ("Văn phòng HĐND và UBND", "TTLDXS"), ("Văn phòng HĐND và UBND", "GK-UBND"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", "TTLDTT"), ("Phòng Văn hóa - Xã hội", "TTLDTT"),
        ("Phòng Tư pháp", "TTLDTT"), ("Trạm Y tế", "TTLDTT")])
    first = round_.title_proposals.get(title="TTLDXS")
    assert first.origin == ProposalOrigin.RULE and first.title_name == \
        "Tập thể lao động xuất sắc"
    assert "cần đối chiếu văn bản gốc" in first.citation
    assert services.draw_up_proposals(actor=departments.vh_manager, round=round_) == 0


def test_two_excellent_years_in_a_row_propose_the_provincial_certificate(departments):
    last_year = open_departments(departments, 2025)
    assess_and_decide(departments, last_year)
    close(departments, last_year)
    round_ = closed_departments(departments)
    titles_of_first = {p.title for p in round_.title_proposals.filter(
        subject__name="Văn phòng HĐND và UBND")}
    # Of the "merit" group only the first rule met: the certificate, not the commendation.
    assert titles_of_first == {"TTLDXS", "BK-UBND"}


def test_the_rules_are_pure_data_a_set_may_replace(departments):
    rules = [{"code": "TOP", "title": {"vi": "Dẫn đầu phong trào"}, "levels": ["department"],
              "grades": ["excellent", "good"], "years": 1, "max_rank": 2, "group": "top",
              "citation": "Quy chế thi đua của phường", "verified": False}]
    graded = [titles.Graded("a", "excellent", 1), titles.Graded("b", "good", 2),
              titles.Graded("c", "good", 3)]
    assert [key for key, _rule in titles.qualifying(rules, graded, {}, 2026)] == ["a", "b"]
    assert titles.rules_for("department", {"titles": rules}) == rules
    assert [r["code"] for r in titles.rules_for("cadre", {})] == ["LDTT", "CSTDCS"]
    assert {r["code"] for r in titles.rules_for("party_cell", {})} == {"BK-DANG", "GK-DANG"}


def test_a_manager_adds_and_withdraws_with_a_reason_kept_in_the_history(departments):
    round_ = closed_departments(departments)
    second = round_.subjects.get(name="Phòng Kinh tế, Hạ tầng và Đô thị")
    last = round_.subjects.get(name="Trạm Y tế")
    manager = departments.vh_manager
    with pytest.raises(ValidationError) as refused:
        services.add_proposal(actor=manager, round=round_, subject=second, title="GK-UBND",
                              reason="")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.add_proposal(actor=manager, round=round_, subject=second, title="NOPE",
                              reason="x")
    with pytest.raises(PermissionDenied):
        services.add_proposal(actor=departments.vh_officer, round=round_, subject=second,
                              title="GK-UBND", reason="Dẫn đầu chuyển đổi số")
    added = services.add_proposal(actor=manager, round=round_, subject=second,
                                  title="GK-UBND", reason="Dẫn đầu chuyển đổi số của phường")
    assert added.origin == ProposalOrigin.MANUAL
    with pytest.raises(ValidationError):  # already proposed
        services.add_proposal(actor=manager, round=round_, subject=second, title="GK-UBND",
                              reason="lại")
    advanced = round_.title_proposals.get(subject=last, title="TTLDTT")
    with pytest.raises(ValidationError):
        services.withdraw_proposal(actor=manager, proposal=advanced,
                                   expected_version=advanced.version, reason=" ")
    services.withdraw_proposal(actor=manager, proposal=advanced,
                               expected_version=advanced.version,
                               reason="Có cán bộ bị kỷ luật trong năm")
    other = round_.title_proposals.get(subject=second, title="TTLDTT")
    with pytest.raises(StaleEdit):
        services.withdraw_proposal(actor=manager, proposal=other,
                                   expected_version=other.version + 1, reason="x")
    assert ("Trạm Y tế", "TTLDTT") not in proposed(round_)
    again = services.add_proposal(actor=manager, round=round_, subject=last, title="TTLDTT",
                                  reason="Quyết định kỷ luật đã được hủy")
    assert again.pk == advanced.pk and not again.withdrawn
    history = list(TitleProposal.history.filter(id=advanced.pk).order_by("history_date"))
    assert [(h.withdrawn, h.withdrawn_reason or h.reason) for h in history] == [
        (False, ""), (True, "Có cán bộ bị kỷ luật trong năm"),
        (False, "Quyết định kỷ luật đã được hủy")]
    assert {h.history_user for h in history[1:]} == {manager}


def test_an_open_round_proposes_nothing(departments):
    round_ = open_departments(departments)
    subject = round_.subjects.first()
    with pytest.raises(ValidationError):
        services.add_proposal(actor=departments.vh_manager, round=round_, subject=subject,
                              title="TTLDTT", reason="x")
    cadres = services.open_round(actor=departments.vh_admin, unit=departments.viet_hung,
                                 year=2026, level=Level.CADRE)
    assert [r["code"] for r in services.title_rules(cadres)] == ["LDTT", "CSTDCS"]
    with pytest.raises(ValidationError):
        services.add_proposal(actor=departments.vh_manager, round=cadres,
                              subject=cadres.subjects.first(), title="LDTT", reason="x")


def test_the_proposals_page_and_its_export(client, departments):
    round_ = closed_departments(departments)
    url = reverse("evaluation:proposals", args=[round_.pk])
    client.force_login(departments.vh_manager)
    page = client.get(url).content.decode()
    assert "Tập thể lao động xuất sắc" in page or "Excellent labour collective" in page
    assert "as reported, to be checked" in page
    last = round_.subjects.get(name="Trạm Y tế")
    advanced = round_.title_proposals.get(subject=last)
    response = client.post(url, {"action": "withdraw", "proposal": advanced.pk,
                                 "version": advanced.version, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "withdraw", "proposal": advanced.pk,
                                 "version": advanced.version, "reason": "Chưa đủ hồ sơ"})
    assert response.status_code == 302
    response = client.post(url, {"action": "withdraw", "proposal": advanced.pk,
                                 "version": advanced.version, "reason": "Lần nữa"})
    assert response.status_code == 400  # withdrawn already
    response = client.post(url, {"action": "add", "subject": last.pk, "title": "GK-UBND",
                                 "reason": "Thành tích phòng chống dịch"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Chưa đủ hồ sơ" in page and "Thành tích phòng chống dịch" in page
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("evaluation:proposals_export", args=[round_.pk])).content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 7  # six by the rules (one withdrawn), one added
    withdrawn = next(row for row in rows if row[1] == "Trạm Y tế" and row[9])
    assert withdrawn[9] == "Chưa đủ hồ sơ" and withdrawn[8] == "Withdrawn"
    first = next(row for row in rows if row[4] == "Excellent labour collective")
    assert (first[0], first[1], first[2]) == (1, "Văn phòng HĐND và UBND", 100.0)


@pytest.mark.parametrize(("who", "status"), [
    ("vh_manager", 200), ("ha_noi_leader", 200), ("vh_leader", 200),
    ("vh_officer", 404), ("department_manager", 404), ("hh_manager", 404),
    ("province_leader", 404), ("anonymous", 302),
])
def test_who_sees_the_proposals(client, departments, who, status):
    round_ = closed_departments(departments)
    departments.ha_noi_leader = person(departments.ha_noi, Role.LEADER, username="hn.leader")
    departments.department_manager = departments.department_managers[0]
    for name in ("proposals", "proposals_export"):
        url = reverse(f"evaluation:{name}", args=[round_.pk])
        if who != "anonymous":
            client.force_login(getattr(departments, who))
        assert client.get(url).status_code == status
    if status == 404:
        response = client.post(reverse("evaluation:proposals", args=[round_.pk]),
                               {"action": "draw_up"})
        assert response.status_code == 404


def test_a_round_of_people_has_a_proposals_page_for_the_deciding_unit(client, departments):
    cadres = services.open_round(actor=departments.vh_admin, unit=departments.viet_hung,
                                 year=2026, level=Level.CADRE)
    client.force_login(departments.vh_leader)
    assert client.get(reverse("evaluation:proposals", args=[cadres.pk])).status_code == 200
    client.force_login(departments.vh_officer)  # graded in it, not deciding
    assert client.get(reverse("evaluation:proposals", args=[cadres.pk])).status_code == 404


def test_the_proposals_page_does_not_grow_with_the_proposals(client, departments):
    round_ = closed_departments(departments)
    url = reverse("evaluation:proposals", args=[round_.pk])
    client.force_login(departments.vh_manager)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for subject in Subject.objects.filter(round=round_):
        for title in ("GK-UBND", "BK-UBND"):
            if not round_.title_proposals.filter(subject=subject, title=title).exists():
                services.add_proposal(actor=departments.vh_manager, round=round_,
                                      subject=subject, title=title, reason="Thêm")
    assert round_.title_proposals.count() == 15
    assert count() == before
