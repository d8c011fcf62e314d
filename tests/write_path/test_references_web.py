"""References through the web pages: the task form, the progress, step, measurement and change
forms refuse another commune's rows exactly as rows that do not exist, and write nothing."""

import pytest
from django.urls import reverse

from sixclear.tracking.models import Task
from tests.write_path.conftest import (
    MISSING_ID,
    assert_answered_alike,
    browser,
    counts,
    days,
    secrets_of,
    snapshot,
    task_form_data,
)

# form field -> (attribute of the Foreign fixture, whether the field takes a list)
TASK_FORM_REFERENCES = {
    "lead_unit": ("unit", False),
    "coordinating_units": ("unit", True),
    "owner": ("officer", False),
    "authority": ("leader", False),
    "resolution": ("resolution", False),
    "program": ("program", False),
    "task_group": ("task_group", False),
    "targets": ("target", True),
}


def refused_alike_on_the_page(send, item, *, edited=None, status=200):
    many = isinstance(item, list)
    foreign_ref = [i.pk for i in item] if many else item.pk
    before, row_before = counts(), edited and snapshot(edited)
    foreign_answer = send(foreign_ref)
    assert foreign_answer.status_code == status, foreign_answer.content.decode()[:1500]
    assert counts() == before
    if edited is not None:
        assert snapshot(edited) == row_before
    missing_answer = send([MISSING_ID] if many else MISSING_ID)
    assert_answered_alike(foreign_answer, missing_answer,
                          foreign_ref=foreign_ref[0] if many else foreign_ref,
                          missing_ref=MISSING_ID, secrets=secrets_of(item))
    return foreign_answer


@pytest.mark.parametrize("field", TASK_FORM_REFERENCES)
def test_manager_cannot_point_a_new_task_at_another_communes_rows_through_the_web_form(
        client, world, home, foreign, field):
    browser(client, world.hh_manager)
    attribute, many = TASK_FORM_REFERENCES[field]
    item = getattr(foreign, attribute)
    url = reverse("tracking:task_create", args=[world.hoa_hoi.pk])
    template = Task(unit=world.hoa_hoi, title="Nhiệm vụ mới", description="Làm rõ",
                    owner=world.hh_officer, lead_unit=world.hoa_hoi, deadline=days(60),
                    expected_result="Báo cáo", authority_body="Ban Thường vụ")

    def send(ref):
        data = task_form_data(template, **{field: ref}, save="1")
        data.pop("version")
        return client.post(url, data)

    page = refused_alike_on_the_page(send, [item] if many else item)
    assert page.context["form"].errors


@pytest.mark.parametrize("field", TASK_FORM_REFERENCES)
def test_manager_cannot_point_a_draft_task_at_another_communes_rows_through_the_edit_form(
        client, world, home, foreign, field):
    browser(client, world.hh_manager)
    attribute, many = TASK_FORM_REFERENCES[field]
    item = getattr(foreign, attribute)
    task = home.draft
    url = reverse("tracking:task_edit", args=[task.pk])

    def send(ref):
        return client.post(url, task_form_data(Task.objects.get(pk=task.pk), **{field: ref}))

    page = refused_alike_on_the_page(send, [item] if many else item, edited=task)
    assert page.context["form"].errors



# page -> (URL name, the Foreign attribute in the URL, what the form posts)
PAGES_ABOUT_ONE_ROW = {
    "new_task_in_unit": ("tracking:task_create", "unit", {"title": "Nhiệm vụ", "save": "1"}),
    "edit_task": ("tracking:task_edit", "task", {"title": "Tên khác", "version": 1}),
    "progress_report": ("tracking:report_progress", "task",
                        {"percent": 10, "narrative": "Đã làm."}),
    "step": ("tracking:step_add", "task", {"title": "Khảo sát"}),
    "measurement": ("plans:record_measurement", "target", {"year": 2026, "value": "120",
                                                          "period_kind": "year"}),
    "task_change_request": ("changes:request_task_change", "task",
                            {"change-kind": "deadline", "change-deadline": "2027-06-30",
                             "change-reason": "Chờ vốn"}),
    "target_change_request": ("changes:request_target_change", "target",
                              {"rebaseline-annual_rate": "11", "rebaseline-reason": "Điều chỉnh"}),
}


@pytest.mark.parametrize("page", PAGES_ABOUT_ONE_ROW)
def test_manager_cannot_write_on_another_communes_row_through_its_page(
        client, world, home, foreign, page):
    browser(client, world.hh_manager)
    url_name, attribute, post = PAGES_ABOUT_ONE_ROW[page]
    item = getattr(foreign, attribute)

    def send(ref):
        return client.post(reverse(url_name, args=[ref]), post)

    refused_alike_on_the_page(send, item, status=404)


def test_manager_cannot_ask_to_hand_a_task_to_a_person_of_another_commune_on_the_task_page(
        client, world, home, foreign):
    browser(client, world.hh_manager)
    url = reverse("changes:request_task_change", args=[home.issued.pk])

    def send(ref):
        return client.post(url, {"change-kind": "owner", "change-owner": ref,
                                 "change-reason": "Chuyển người phụ trách"})

    refused_alike_on_the_page(send, foreign.officer, edited=home.issued)


def test_the_task_form_accepts_the_communes_own_rows(client, world, home):
    """The control of the matrix above: the same form with Hòa Hội's own rows is saved."""
    browser(client, world.hh_manager)
    template = Task(unit=world.hoa_hoi, title="Nhiệm vụ mới", description="Làm rõ",
                    owner=world.hh_officer, lead_unit=world.economy_office, deadline=days(60),
                    expected_result="Báo cáo", authority=world.hh_leader,
                    resolution=home.resolution, program=home.program,
                    task_group=home.task_group, authority_body="Ban Thường vụ")
    data = task_form_data(template, coordinating_units=[world.an_nhon_bac.pk],
                          targets=[home.target.pk], save="1")
    data.pop("version")
    response = client.post(reverse("tracking:task_create", args=[world.hoa_hoi.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    task = Task.objects.get(title="Nhiệm vụ mới")
    assert task.task_group == home.task_group and list(task.targets.all()) == [home.target]
