"""Nonconformities through their stages; each corrective action a six-clears task."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sixclear.procedures import services
from sixclear.procedures.models import NonconformityState, Severity
from sixclear.tracking.models import TaskState

from .helpers import open_case, petition_procedure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def item(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 2))
    return services.raise_nonconformity(
        actor=world.hh_officer, unit=world.hoa_hoi, case=case, clause="8.5.1",
        description="Đơn của công dân quá hạn xác minh 4 ngày")


def test_stages_from_draft_to_closed(world, item):
    assert item.procedure is not None and item.state == NonconformityState.DRAFT
    with pytest.raises(ValidationError):  # no action may be proposed before the analysis
        services.add_corrective_action(
            actor=world.hh_manager, nonconformity=item, title="Bổ sung cán bộ",
            owner=world.hh_officer, deadline=D(2026, 4, 30), expected_result="Quyết định")
    item.refresh_from_db()
    services.analyse_nonconformity(actor=world.hh_officer, nonconformity=item,
                                   expected_version=item.version, severity=Severity.MINOR,
                                   root_cause="Thiếu cán bộ tiếp dân trong tháng cao điểm")
    with pytest.raises(ValidationError):  # a plan without actions is not submitted
        services.submit_plan(actor=world.hh_officer, nonconformity=item,
                             expected_version=item.version)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_corrective_action(
            actor=world.hh_officer, nonconformity=item, title="x", owner=world.hh_officer,
            deadline=D(2026, 4, 30), expected_result="x")
    action = services.add_corrective_action(
        actor=world.hh_manager, nonconformity=item, title="Phân công thêm cán bộ xác minh",
        owner=world.hh_officer, deadline=D(2026, 4, 30),
        expected_result="Quyết định phân công được ký")
    assert action.task.state == TaskState.DRAFT and action.task.unit == world.hoa_hoi
    item.refresh_from_db()
    services.submit_plan(actor=world.hh_officer, nonconformity=item,
                         expected_version=item.version)
    with pytest.raises(PermissionDenied):
        services.review_plan(actor=world.hh_officer, nonconformity=item,
                             expected_version=item.version, approve=True)
    services.review_plan(actor=world.hh_manager, nonconformity=item,
                         expected_version=item.version, approve=True)
    action.task.refresh_from_db()
    assert item.state == NonconformityState.IN_PROGRESS
    assert action.task.state == TaskState.ISSUED and not action.task.missing_clears()
    with pytest.raises(ValidationError):  # its action is not done yet
        services.close_nonconformity(actor=world.hh_manager, nonconformity=item,
                                     expected_version=item.version,
                                     effectiveness="Không còn đơn quá hạn trong quý II")
    item.refresh_from_db()
    action.task.state = TaskState.DONE
    action.task.save()
    services.close_nonconformity(actor=world.hh_manager, nonconformity=item,
                                 expected_version=item.version,
                                 effectiveness="Không còn đơn quá hạn trong quý II")
    assert item.state == NonconformityState.CLOSED and item.closed_on == D(2026, 3, 20)


def test_a_returned_plan_goes_back_to_analysis(world, item):
    services.analyse_nonconformity(actor=world.hh_officer, nonconformity=item,
                                   expected_version=item.version, severity=Severity.MAJOR,
                                   root_cause="Quy trình chưa quy định bước kiểm tra")
    services.add_corrective_action(
        actor=world.hh_manager, nonconformity=item, title="Sửa quy trình",
        owner=world.hh_officer, deadline=D(2026, 4, 30), expected_result="Phiên bản mới")
    item.refresh_from_db()
    services.submit_plan(actor=world.hh_officer, nonconformity=item,
                         expected_version=item.version)
    services.review_plan(actor=world.hh_manager, nonconformity=item,
                         expected_version=item.version, approve=False, comment="Thiếu hạn")
    assert item.state == NonconformityState.ANALYSED


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_viewer", 200), ("hh_officer", 200), ("province_leader", 200),
    ("anb_manager", 404), ("vh_manager", 404), (None, 302)])
def test_pages_access(client, world, item, who, expected):
    if who:
        client.force_login(getattr(world, who))
    for url in (reverse("procedures:nonconformities", args=[world.hoa_hoi.pk]),
                reverse("procedures:nonconformity", args=[item.pk])):
        assert client.get(url).status_code == expected


@pytest.mark.parametrize(("who", "expected"), [
    ("hh_viewer", 403), ("anb_manager", 404), (None, 302)])
def test_actions_refused(client, world, item, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("procedures:nonconformity_action", args=[item.pk, "analyse"]),
                           {"root_cause": "x", "severity": "minor", "version": item.version})
    assert response.status_code == expected
    item.refresh_from_db()
    assert item.state == NonconformityState.DRAFT
    raised = client.post(reverse("procedures:nonconformities", args=[world.hoa_hoi.pk]),
                         {"description": "x"})
    assert raised.status_code == expected


def test_officer_raises_one_from_a_case_page(client, world, item):
    client.force_login(world.hh_officer)
    case = item.case
    page = client.get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert f"?case={case.pk}" in page
    response = client.post(reverse("procedures:nonconformities", args=[world.hoa_hoi.pk]),
                           {"description": "Thiếu biên bản xác minh", "case": case.pk})
    assert response.status_code == 302
    assert case.nonconformities.count() == 2


def test_yearly_evaluation_compiles_the_year(client, world, item):
    services.analyse_nonconformity(actor=world.hh_officer, nonconformity=item,
                                   expected_version=item.version, severity=Severity.MAJOR,
                                   root_cause="Thiếu người")
    services.add_corrective_action(
        actor=world.hh_manager, nonconformity=item, title="Bổ sung người",
        owner=world.hh_officer, deadline=D(2026, 4, 30), expected_result="Quyết định")
    case = item.case
    for _step in range(3):
        case.refresh_from_db()
        services.hand_over(actor=world.hh_manager, case=case, expected_version=case.version,
                           to=world.hh_manager, on=D(2026, 3, 19))
    from sixclear.procedures import selectors

    found = selectors.yearly_evaluation(world.gia_lai, 2026)
    assert found.nonconformities == {"analysed": 1} and found.by_severity == {"major": 1}
    assert found.actions.get("draft") == 1
    procedure, cases, _steps = found.by_procedure[0]
    assert (cases.done, cases.on_time) == (1, 0)  # received 2 March, due 12 March
    assert found.risks.open_nonconformities == found.risks.open_major == 1
    client.force_login(world.province_leader)
    response = client.get(reverse("procedures:evaluation", args=[world.gia_lai.pk]),
                          {"year": 2026})
    assert response.status_code == 200 and procedure.code in response.content.decode()
    # The document is issued by the reports app: the old link leads there.
    document = client.get(reverse("procedures:evaluation", args=[world.gia_lai.pk]),
                          {"year": 2026, "format": "docx"})
    assert document.status_code == 302
    assert document["Location"] == reverse("reports:procedure_evaluation_file",
                                           args=[world.gia_lai.pk, 2026, "docx"])
    client.force_login(world.anb_manager)
    assert client.get(reverse("procedures:evaluation",
                              args=[world.hoa_hoi.pk])).status_code == 404
