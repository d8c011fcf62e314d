"""Internal audits: a plan with its checklist, results entered by the auditor, findings that
become nonconformities, and the report once every item is checked."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sixclear.procedures import services
from sixclear.procedures.models import AuditState, CheckResult, InternalAudit

from .helpers import petition_procedure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def audit(world):
    procedure = petition_procedure(world)
    return services.plan_audit(
        actor=world.hh_manager, unit=world.hoa_hoi, year=2026, title="Đánh giá nội bộ 2026",
        auditor=world.hh_officer, planned_on=D(2026, 3, 25), checks=[
            {"clause": "8.5.1", "procedure": procedure, "criterion": "Đơn được xác minh đúng hạn"},
            {"clause": "7.5.3", "procedure": None, "criterion": "Hồ sơ được lưu đủ"}])


def test_the_auditor_checks_reports_and_raises_findings(world, audit):
    first, second = audit.checks.order_by("position")
    with pytest.raises(ValidationError):  # not every item is checked yet
        services.report_audit(actor=world.hh_officer, audit=audit,
                              expected_version=audit.version, conclusion="Đạt")
    with pytest.raises(PermissionDenied):
        services.record_check(actor=world.hh_viewer, check=first, result=CheckResult.CONFORMS)
    with pytest.raises(ValidationError) as error:
        services.record_check(actor=world.hh_officer, check=first,
                              result=CheckResult.NONCONFORMS, note="")
    assert "note" in error.value.message_dict
    services.record_check(actor=world.hh_officer, check=first, result=CheckResult.NONCONFORMS,
                          note="2 đơn quá hạn xác minh")
    services.record_check(actor=world.hh_officer, check=second, result=CheckResult.CONFORMS)
    first.refresh_from_db()
    assert first.nonconformity.clause == "8.5.1"
    assert first.nonconformity.procedure == first.procedure
    audit.refresh_from_db()
    services.report_audit(actor=world.hh_officer, audit=audit, expected_version=audit.version,
                          conclusion="Hệ thống được duy trì; 1 điểm không phù hợp")
    assert audit.state == AuditState.REPORTED
    with pytest.raises(ValidationError):  # a reported audit's results stay as reported
        services.record_check(actor=world.hh_officer, check=second,
                              result=CheckResult.OBSERVATION, note="x")


def test_a_plan_is_checked(world):
    with pytest.raises(ValidationError) as error:
        services.plan_audit(actor=world.hh_manager, unit=world.hoa_hoi, year=2026, title="",
                            auditor=world.anb_officer, planned_on=D(2026, 3, 25), checks=[])
    assert {"title", "auditor", "checks"} <= set(error.value.message_dict)


def test_pages(client, world, audit):
    check = audit.checks.first()
    client.force_login(world.hh_officer)
    page = client.get(reverse("procedures:audit", args=[audit.pk]))
    assert page.status_code == 200 and "Đơn được xác minh đúng hạn" in page.content.decode()
    response = client.post(reverse("procedures:audit_check", args=[audit.pk, check.pk]), {
        f"check-{check.pk}-result": "conforms", f"check-{check.pk}-note": ""})
    assert response.status_code == 302
    client.force_login(world.anb_manager)
    assert client.get(reverse("procedures:audit", args=[audit.pk])).status_code == 404
    client.force_login(world.hh_viewer)
    assert client.post(reverse("procedures:audit_check", args=[audit.pk, check.pk]), {
        f"check-{check.pk}-result": "conforms"}).status_code == 403
    assert client.get(reverse("procedures:audit_new", args=[world.hoa_hoi.pk])).status_code \
        == 403
    client.logout()
    assert client.get(reverse("procedures:audit", args=[audit.pk])).status_code == 302


def test_manager_plans_through_the_page(client, world):
    petition_procedure(world)
    client.force_login(world.hh_manager)
    url = reverse("procedures:audit_new", args=[world.hoa_hoi.pk])
    data = {"title": "Đánh giá quý I", "auditor": world.hh_officer.pk,
            "planned_on": "2026-03-30",
            "checklist": "8.5.1 | QT-01 | Đơn đúng hạn\n\n7.5 | | Lưu hồ sơ\nChỉ một tiêu chí"}
    assert client.post(url, data).status_code == 302
    audit = InternalAudit.objects.get()
    assert [(c.clause, c.procedure_id is not None, c.criterion) for c in audit.checks.all()] == [
        ("8.5.1", True, "Đơn đúng hạn"), ("7.5", False, "Lưu hồ sơ"),
        ("", False, "Chỉ một tiêu chí")]
    bad = client.post(url, {**data, "checklist": "1 | QT-99 | x"})
    assert bad.status_code == 400 and "checklist" in bad.context["form"].errors


def test_management_review_proposed_written_and_approved(client, world, audit):
    from sixclear.procedures.models import ManagementReview, ReviewState

    client.force_login(world.hh_manager)
    evaluation = reverse("procedures:evaluation", args=[world.hoa_hoi.pk])
    assert "management-review" in client.get(evaluation, {"year": 2026}).content.decode()
    response = client.post(reverse("procedures:review_propose", args=[world.hoa_hoi.pk]),
                           {"year": 2026})
    review = ManagementReview.objects.get()
    assert response.status_code == 302 and "Nonconformities raised: 0" in review.inputs
    url = reverse("procedures:review", args=[review.pk])
    refused = services.approve_review
    with pytest.raises(PermissionDenied):
        refused(actor=world.hh_manager, review=review, expected_version=review.version)
    with pytest.raises(ValidationError) as error:
        refused(actor=world.hh_leader, review=review, expected_version=review.version)
    assert {"held_on", "decisions"} == set(error.value.message_dict)
    saved = client.post(url, {"held_on": "2026-03-18", "decisions": "Bổ sung cán bộ tiếp dân",
                              "version": review.version, "action": "save"})
    assert saved.status_code == 302
    client.force_login(world.hh_leader)
    review.refresh_from_db()
    approved = client.post(url, {"version": review.version, "action": "approve"})
    review.refresh_from_db()
    assert approved.status_code == 302 and review.state == ReviewState.APPROVED
    assert review.approved_by == world.hh_leader
    client.force_login(world.anb_manager)
    assert client.get(url).status_code == 404
    assert client.post(reverse("procedures:review_propose", args=[world.hoa_hoi.pk]),
                       {"year": 2026}).status_code == 404
    client.force_login(world.hh_viewer)
    assert client.get(url).status_code == 200
    assert client.post(reverse("procedures:review_propose", args=[world.hoa_hoi.pk]),
                       {"year": 2026}).status_code == 403


def test_stale_edits_answer_409_and_keep_what_was_typed(client, world, audit):
    """The review, the audit's report and a nonconformity's analysis save through one path:
    a page saved by someone else meanwhile answers 409 and shows the input again."""
    review = services.propose_review(actor=world.hh_manager, unit=world.hoa_hoi, year=2026)
    item = services.raise_nonconformity(actor=world.hh_officer, unit=world.hoa_hoi,
                                        description="Thiếu sổ theo dõi")
    for check in audit.checks.all():
        services.record_check(actor=world.hh_officer, check=check, result=CheckResult.CONFORMS)
    audit.refresh_from_db()
    client.force_login(world.hh_manager)
    posts = [
        (reverse("procedures:review", args=[review.pk]),
         {"held_on": "2026-03-18", "decisions": "Quyết định muộn", "action": "save",
          "version": review.version - 1}, "Quyết định muộn"),
        (reverse("procedures:audit_report", args=[audit.pk]),
         {"conclusion": "Kết luận muộn", "version": audit.version - 1}, "Kết luận muộn"),
        (reverse("procedures:nonconformity_action", args=[item.pk, "analyse"]),
         {"root_cause": "Nguyên nhân muộn", "severity": "minor", "version": item.version - 1},
         "Nguyên nhân muộn"),
    ]
    for url, data, typed in posts:
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert typed in response.content.decode()
    review.refresh_from_db(), audit.refresh_from_db(), item.refresh_from_db()
    assert (review.decisions, audit.conclusion, item.root_cause) == ("", "", "")
