"""The task page: six clears at a glance, steps, history, reports with htmx and without."""

from django.urls import reverse

from sixclear.tracking import services
from sixclear.tracking.models import ProgressReport, ReviewStatus, TaskState
from tests.factories import TaskFactory
from tests.web.conftest import days, pdf

HTMX = {"HTTP_HX_REQUEST": "true"}


def report_url(task):
    return reverse("tracking:report_progress", args=[task.pk])


def test_the_six_clears_at_a_glance(client, world):
    task = TaskFactory(unit=world.hoa_hoi, owner=None, expected_result="")
    client.force_login(world.hh_manager)
    page = client.get(reverse("tracking:task", args=[task.pk])).content.decode()
    assert "2 clears are missing." in page
    assert "clear person: nobody owns the task" in page
    assert "clear result: the expected product is not stated" in page


def test_officer_reports_without_javascript(client, world, late_task):
    client.force_login(world.hh_officer)
    response = client.post(report_url(late_task), {
        "percent": 40, "narrative": "Đã khảo sát", "obstacles": "Thiếu mặt bằng",
        "files": [pdf("a.pdf"), pdf("b.pdf")],
    })
    assert response.status_code == 302
    assert response.url == reverse("tracking:task", args=[late_task.pk])
    report = ProgressReport.objects.get(task=late_task)
    assert report.status == ReviewStatus.SUBMITTED and report.has_obstacles
    assert sorted(report.evidence.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]
    page = client.get(response.url).content.decode()
    assert "Your report was sent for approval." in page
    assert reverse("tracking:evidence", args=[report.evidence.first().pk]) in page


def test_officer_reports_with_htmx_and_gets_only_the_section_back(client, world, late_task):
    client.force_login(world.hh_officer)
    response = client.post(report_url(late_task), {
        "percent": 40, "narrative": "Đã khảo sát mặt bằng", "files": [pdf()],
    }, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<section id="reports"')
    assert "<html" not in page
    assert "Your report was sent for approval." in page
    assert "Đã khảo sát mặt bằng" in page  # the new report is listed
    assert 'name="narrative"' in page and "Đã khảo sát mặt bằng</textarea>" not in page
    assert ProgressReport.objects.filter(task=late_task).count() == 1


def test_a_rejected_upload_returns_the_form_filled_in(client, world, late_task):
    client.force_login(world.hh_officer)
    for extra in ({}, HTMX):
        upload = pdf("virus.exe")
        response = client.post(report_url(late_task), {
            "percent": 55, "narrative": "Đã làm xong phần móng", "obstacles": "Mưa kéo dài",
            "files": [upload],
        }, **extra)
        assert response.status_code == 200
        page = response.content.decode()
        assert "is not an accepted file type" in page
        assert 'id="id_files_error"' in page
        assert 'value="55"' in page
        assert "Đã làm xong phần móng</textarea>" in page
        assert "Mưa kéo dài</textarea>" in page
    assert not ProgressReport.objects.exists()


def test_a_bad_percent_is_shown_beside_its_field(client, world, late_task):
    client.force_login(world.hh_officer)
    response = client.post(report_url(late_task), {"percent": 140, "narrative": "x"}, **HTMX)
    assert "percent" in response.context["report_form"].errors
    assert 'id="id_percent_error"' in response.content.decode()


def test_the_form_is_offered_only_to_who_may_report(client, world, late_task):
    url = reverse("tracking:task", args=[late_task.pk])
    client.force_login(world.hh_officer)
    assert 'id="id_narrative"' in client.get(url).content.decode()
    client.force_login(world.hh_viewer)
    page = client.get(url).content.decode()
    assert 'id="id_narrative"' not in page
    assert "Mark as done" not in page and "Add a step" not in page and "Edit" not in page


def test_no_report_form_on_a_draft(client, world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:task", args=[draft.pk])).content.decode()
    assert 'id="id_narrative"' not in page


def test_manager_adds_a_step_and_the_owner_marks_it_done(client, world, late_task):
    late_task.deadline = days(30)
    late_task.save()
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:step_add", args=[late_task.pk]),
                           {"title": "Lập hồ sơ", "due_date": days(10).isoformat()})
    assert response.status_code == 302
    step = late_task.steps.get()
    client.force_login(world.hh_officer)
    client.post(reverse("tracking:step_done", args=[step.pk]),
                {"version": step.version, "done": "on"})
    step.refresh_from_db()
    assert step.done and step.done_on
    client.post(reverse("tracking:step_done", args=[step.pk]), {"version": step.version})
    step.refresh_from_db()
    assert not step.done


def test_a_step_due_after_the_deadline_is_refused_beside_its_field(client, world, late_task):
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:step_add", args=[late_task.pk]),
                           {"title": "Quá hạn", "due_date": days(30).isoformat()})
    assert response.status_code == 200
    assert "due_date" in response.context["step_form"].errors
    assert 'value="Quá hạn"' in response.content.decode()


def test_a_stale_step_click_says_so(client, world, late_task):
    step = services.add_step(actor=world.hh_manager, task=late_task, title="Bước 1")
    client.force_login(world.hh_officer)
    response = client.post(reverse("tracking:step_done", args=[step.pk]),
                           {"version": step.version + 5, "done": "on"}, follow=True)
    assert "changed by someone else" in response.content.decode()


def test_the_history_names_who_changed_what(client, world):
    task = services.create_task(actor=world.hh_manager, unit=world.hoa_hoi, title="Việc A")
    services.update_task(actor=world.hh_manager, task=task, expected_version=task.version,
                         deadline=days(9), owner=world.hh_officer)
    client.force_login(world.hh_manager)
    page = client.get(reverse("tracking:task", args=[task.pk]))
    entries = page.context["history"]
    assert [str(name) for name in entries[0].changed] == ["deadline", "owner"]
    assert entries[0].record.history_user == world.hh_manager
    assert "created the task" in page.content.decode()


def test_a_reviewer_can_approve_from_the_task_page(client, world, submitted_report):
    task = submitted_report.task
    client.force_login(world.hh_manager)
    page = client.get(reverse("tracking:task", args=[task.pk])).content.decode()
    assert f'name="report-{submitted_report.pk}-decision" value="approve"' in page
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:task", args=[task.pk])).content.decode()
    assert "decision" not in page


def test_a_late_badge_on_an_issued_task(client, world, late_task):
    client.force_login(world.hh_officer)
    page = client.get(reverse("tracking:task", args=[late_task.pk])).content.decode()
    assert 'badge--late">Late<' in page
    assert late_task.state == TaskState.ISSUED
