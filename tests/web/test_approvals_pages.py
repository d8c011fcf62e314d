"""The approvals inbox shows the oldest few at a time; the header counts them all."""

import re

from django.urls import reverse

from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from sixclear.tracking.selectors import REVIEW_PAGE
from tests.factories import TaskFactory


def test_the_inbox_pages_through_what_waits_and_the_header_counts_it_all(client, world):
    for number in range(REVIEW_PAGE + 1):
        task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                           title=f"Nhiệm vụ {number}")
        services.report_progress(actor=world.hh_officer, task=task, percent=10,
                                 narrative="Đã khảo sát.")
    client.force_login(world.hh_manager)
    first = client.get(reverse("tracking:approvals"))
    assert len(first.context["reports"]) == REVIEW_PAGE
    page = first.content.decode()
    assert re.search(rf'class="count">{REVIEW_PAGE + 1}<', page)
    link = re.search(r'href="\?reports_after=(\d+)"', page)
    assert link
    second = client.get(reverse("tracking:approvals"), {"reports_after": link.group(1)})
    assert len(second.context["reports"]) == 1
    assert second.context["reports"][0] not in first.context["reports"]


def test_a_page_mark_of_someone_elses_report_is_ignored(client, world):
    client.force_login(world.vh_manager)
    response = client.get(reverse("tracking:approvals"), {"reports_after": "999999"})
    assert response.status_code == 200
