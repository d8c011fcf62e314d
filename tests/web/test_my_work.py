"""My work: a person's issued tasks by urgency, what waits for their approval, their targets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory
from tests.web.conftest import days

URL = reverse("tracking:my_work")


def issued(world, **fields):
    values = {"unit": world.hoa_hoi, "owner": world.hh_officer, "state": TaskState.ISSUED,
              "start_date": days(-60)}
    return TaskFactory(**(values | fields))


def test_tasks_are_grouped_by_urgency(client, world):
    late = issued(world, title="Việc trễ hạn", deadline=days(-1))
    soon = issued(world, title="Việc sắp đến hạn", deadline=days(7))
    later = issued(world, title="Việc còn xa", deadline=days(8))
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, title="Bản nháp")
    issued(world, title="Việc đã xong", deadline=days(-5), state=TaskState.DONE)
    issued(world, title="Việc của người khác", owner=world.hh_manager, deadline=days(-1))
    client.force_login(world.hh_officer)
    work = client.get(URL).context["work"]
    assert work.late == [late]
    assert work.due_soon == [soon]
    assert work.later == [later]


def test_each_task_shows_the_clears_it_is_missing(client, world):
    issued(world, deadline=days(3), expected_result="")
    client.force_login(world.hh_officer)
    page = client.get(URL).content.decode()
    assert "clear result: the expected product is not stated" in page


def test_a_late_task_says_how_late_and_its_obstacle(client, world):
    task = issued(world, deadline=days(-3))
    services.report_progress(actor=world.hh_officer, task=task, percent=10, narrative="x",
                             obstacles="Thiếu kinh phí")
    client.force_login(world.hh_officer)
    page = client.get(URL).content.decode()
    assert "late by 3 days" in page
    assert "Thiếu kinh phí" in page


def test_reports_and_measurements_waiting_for_my_approval(client, world, submitted_report,
                                                          target):
    services.record_measurement(actor=world.hh_officer, target=target, year=2025, value=100)
    client.force_login(world.hh_manager)
    work = client.get(URL).context["work"]
    assert work.reports_to_review == [submitted_report]
    assert [m.target for m in work.measurements_to_review] == [target]
    client.force_login(world.hh_officer)  # nobody approves their own
    assert client.get(URL).context["work"].review_count == 0


def test_my_targets(client, world, target):
    client.force_login(world.hh_officer)
    page = client.get(URL)
    assert page.context["work"].targets == [target]
    assert target.name in page.content.decode()


def test_an_empty_state_says_what_will_appear(client, world):
    client.force_login(world.outsider)
    page = client.get(URL).content.decode()
    assert "Nothing is waiting for you." in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["hh_officer", "hh_manager", "hh_leader", "province_leader"])
def test_my_work_queries_do_not_grow_with_the_number_of_tasks(
    client, world, django_assert_max_num_queries, who
):
    target = TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)

    def add_tasks(n):
        for i in range(n):
            task = issued(world, deadline=days(i % 20 - 5), expected_result="" if i % 3 else "x")
            services.report_progress(actor=world.hh_officer, task=task, percent=5,
                                     narrative="x", obstacles="y" if i % 2 else "")
        TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)

    add_tasks(3)
    services.record_measurement(actor=world.hh_officer, target=target, year=2025, value=1)
    client.force_login(getattr(world, who))
    few = count_queries(client, URL)
    add_tasks(27)
    with django_assert_max_num_queries(12):
        client.get(URL)
    assert count_queries(client, URL) == few
