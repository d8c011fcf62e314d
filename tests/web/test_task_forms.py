"""Managers create, edit and issue tasks; the six-clears gate and stale edits are explained."""

from django.urls import reverse

from sixclear.orgs.models import Role
from sixclear.tracking import services
from sixclear.tracking.models import Task, TaskState
from tests.factories import TaskFactory, person
from tests.web.conftest import days


def complete(world, **changes):
    data = {
        "title": "Lập quy hoạch cụm công nghiệp", "description": "Theo chương trình 01",
        "owner": world.hh_officer.pk, "lead_unit": world.hoa_hoi.pk,
        "deadline": days(60).isoformat(), "expected_result": "Quy hoạch được duyệt",
        "authority_body": "Ban Thường vụ", "priority": "normal",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def create_url(world):
    return reverse("tracking:task_create", args=[world.hoa_hoi.pk])


def test_manager_saves_a_draft_with_gaps(client, world):
    client.force_login(world.hh_manager)
    response = client.post(create_url(world), complete(world, owner=None, save="1"))
    task = Task.objects.get()
    assert response.url == reverse("tracking:task", args=[task.pk])
    assert task.state == TaskState.DRAFT and task.missing_clears() == ["person"]


def test_manager_creates_and_issues_a_six_clear_task(client, world):
    client.force_login(world.hh_manager)
    client.post(create_url(world), complete(world, issue="1"))
    task = Task.objects.get()
    assert task.state == TaskState.ISSUED and task.owner == world.hh_officer


def test_issuing_with_gaps_keeps_the_draft_and_shows_each_gap_beside_its_field(client, world):
    client.force_login(world.hh_manager)
    response = client.post(create_url(world), complete(
        world, owner=None, expected_result=None, authority_body=None, issue="1"))
    task = Task.objects.get()
    assert task.state == TaskState.DRAFT
    form = response.context["form"]
    assert set(form.errors) == {"owner", "expected_result", "authority"}
    page = response.content.decode()
    assert 'id="id_owner_error"' in page and "clear person: nobody owns the task" in page
    assert "cannot be issued yet" in page
    # The form now edits the saved draft, with its current version.
    assert f'action="{reverse("tracking:task_edit", args=[task.pk])}"' in page
    assert f'name="version" value="{task.version}"' in page


def test_issue_button_on_the_task_page_shows_the_gaps_beside_the_fields(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=None, deadline=None)
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:task_issue", args=[draft.pk]),
                           {"version": draft.version})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"owner", "deadline"}
    draft.refresh_from_db()
    assert draft.state == TaskState.DRAFT


def test_issue_button_issues_a_six_clear_draft(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:task_issue", args=[draft.pk]),
                           {"version": draft.version}, follow=True)
    draft.refresh_from_db()
    assert draft.state == TaskState.ISSUED
    assert "The task was issued." in response.content.decode()


def test_the_edit_form_shows_each_missing_clear_beside_its_field(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=None, lead_unit=None)
    client.force_login(world.hh_manager)
    page = client.get(reverse("tracking:task_edit", args=[draft.pk])).content.decode()
    assert '<p class="note" id="id_owner_note">clear person: nobody owns the task</p>' in page
    assert 'id="id_lead_unit_note"' in page
    assert 'aria-describedby="id_owner_note"' in page


def test_a_service_error_lands_beside_its_field(client, world):
    client.force_login(world.hh_manager)
    response = client.post(create_url(world), complete(
        world, start_date=days(10).isoformat(), deadline=days(5).isoformat(), save="1"))
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert not Task.objects.exists()


def test_an_owner_without_a_role_is_not_offered(client, world):
    client.force_login(world.hh_manager)
    form = client.get(create_url(world)).context["form"]
    owners = set(form.fields["owner"].queryset)
    assert world.hh_officer in owners and world.province_leader in owners
    assert world.hh_viewer not in owners and world.anb_officer not in owners
    response = client.post(create_url(world), complete(world, owner=world.anb_officer.pk))
    assert "owner" in response.context["form"].errors


def test_manager_edits_a_task(client, world, late_task):
    client.force_login(world.hh_manager)
    data = complete(world, title="Tên mới", deadline=late_task.deadline.isoformat(),
                    lead_unit=late_task.lead_unit_id, expected_result=late_task.expected_result,
                    authority_body=late_task.authority_body, version=late_task.version,
                    save="1")
    response = client.post(reverse("tracking:task_edit", args=[late_task.pk]), data)
    assert response.status_code == 302
    late_task.refresh_from_db()
    assert late_task.title == "Tên mới"


def test_a_manager_is_pointed_to_a_change_request_for_an_issued_deadline(
        client, world, late_task):
    client.force_login(world.hh_manager)
    data = complete(world, deadline=days(20).isoformat(), version=late_task.version, save="1")
    response = client.post(reverse("tracking:task_edit", args=[late_task.pk]), data)
    assert response.status_code == 200
    assert "change request" in response.content.decode()
    assert "deadline" in response.context["form"].errors
    late_task.refresh_from_db()
    assert late_task.deadline != days(20)


def test_a_stale_edit_says_so_and_keeps_the_input(client, world, late_task):
    url = reverse("tracking:task_edit", args=[late_task.pk])
    seen_version = late_task.version
    services.update_task(actor=world.hh_leader, task=late_task, expected_version=seen_version,
                         deadline=days(45))
    client.force_login(world.hh_manager)
    data = complete(world, title="Tên tôi nhập", version=seen_version, save="1")
    response = client.post(url, data)
    assert response.status_code == 409  # a conflict, as on every other edit page
    page = response.content.decode()
    assert "changed by someone else" in page
    assert 'value="Tên tôi nhập"' in page
    form = response.context["form"]
    assert set(form.conflicts) == {"deadline"}  # only what the other person changed
    assert "Saved meanwhile by someone else:" in page
    assert form.conflicts["deadline"] in page  # the other person's deadline, shown
    late_task.refresh_from_db()
    assert late_task.title != "Tên tôi nhập"
    assert f'name="version" value="{late_task.version}"' in page
    # Saving again, now knowingly and keeping the clears the authority fixed, goes through.
    data.update(version=late_task.version, deadline=late_task.deadline.isoformat(),
                lead_unit=late_task.lead_unit_id, expected_result=late_task.expected_result,
                authority_body=late_task.authority_body)
    assert client.post(url, data).status_code == 302
    late_task.refresh_from_db()
    assert late_task.title == "Tên tôi nhập"


def test_an_issued_task_cannot_be_edited_into_a_gap(client, world, late_task):
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:task_edit", args=[late_task.pk]),
                           complete(world, owner=None, version=late_task.version, save="1"))
    assert "owner" in response.context["form"].errors
    late_task.refresh_from_db()
    assert late_task.owner == world.hh_officer


def test_officers_are_not_offered_task_editing(client, world, late_task):
    client.force_login(world.hh_officer)
    unit_page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("tracking:task_create", args=[world.hoa_hoi.pk]) not in unit_page
    task_page = client.get(reverse("tracking:task", args=[late_task.pk])).content.decode()
    assert reverse("tracking:task_edit", args=[late_task.pk]) not in task_page
    assert client.post(create_url(world), complete(world)).status_code == 403
    assert not Task.objects.exclude(pk=late_task.pk).exists()


def economy_officer(world):
    return person(world.economy_office, Role.OFFICER, username="kt.officer")


def test_owner_list_offers_only_officers_reaching_the_lead_unit(client, world):
    """A department's officer may own its tasks but not the commune's: the list follows the
    lead unit, and the form refuses with the service's words when it was not followed."""
    officer = economy_officer(world)
    client.force_login(world.hh_manager)
    owners = client.get(create_url(world)).context["form"].fields["owner"].queryset
    assert officer not in owners and world.hh_officer in owners
    options = client.get(reverse("tracking:task_owner_choices", args=[world.hoa_hoi.pk]),
                         {"lead_unit": world.economy_office.pk, "owner": officer.pk})
    page = options.content.decode()
    assert f'<option value="{officer.pk}" selected>' in page
    assert f'value="{world.hh_officer.pk}"' in page
    response = client.post(create_url(world), complete(world, owner=officer.pk, save="1"))
    assert not Task.objects.exists()
    assert "has no officer role in Hòa Hội" in " ".join(response.context["form"].errors["owner"])
    client.post(create_url(world), complete(world, owner=officer.pk,
                                            lead_unit=world.economy_office.pk, save="1"))
    assert Task.objects.get().owner == officer


def test_unit_choices_name_the_parent(client, world):
    client.force_login(world.hh_manager)
    page = client.get(create_url(world)).content.decode()
    # Each name isolated (an option holds no <bdi>) for Arabic pages.
    assert "\u2068Phòng Kinh tế\u2069 — \u2068Hòa Hội\u2069" in page
    assert "\u2068Hòa Hội\u2069 — \u2068Gia Lai\u2069" in page


def test_a_task_without_description_is_said_to_lack_its_description_not_its_title(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, description="")
    client.force_login(world.hh_manager)
    page = client.get(reverse("tracking:task", args=[draft.pk])).content.decode()
    assert "clear work: the work is not described (no description)" in page
    assert "title or the description" not in page


def test_the_owner_list_answers_only_managers_of_the_unit(client, world):
    url = reverse("tracking:task_owner_choices", args=[world.hoa_hoi.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(world.vh_manager)
    assert client.get(url).status_code == 404  # another commune: not there
    client.force_login(world.hh_viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.province_leader)
    assert client.get(url).status_code == 200  # the unit above
