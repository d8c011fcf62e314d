"""The obstacle and meeting pages in Vietnamese, English and Arabic, read in a real browser with
the checks of `test_languages`: no string of another language, numbers in the page's marks,
user data isolated on Arabic pages."""

import datetime

import pytest
from django.utils import timezone

from sixclear.meetings import services
from sixclear.meetings.models import MeetingKind
from sixclear.tracking import services as tracking
from sixclear.tracking.models import TaskState
from tests.browser.test_languages import (
    TEXT_NODES,
    isolation_problems,
    language_problems,
    number_problems,
    read_catalogues,
    sign_in,
    user_data,
)
from tests.factories import TaskFactory

# The live server needs committed rows; these pages need none that migrations create, so no
# serialized rollback (which collides with content types recreated after another test's flush).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


@pytest.fixture
def meeting_world(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       title="Giải phóng mặt bằng cụm công nghiệp", code="NV-01",
                       start_date=TODAY - datetime.timedelta(days=60),
                       deadline=TODAY - datetime.timedelta(days=20))
    tracking.report_progress(actor=world.hh_officer, task=task, percent=30,
                             narrative="Đã kiểm đếm 12 hộ.",
                             obstacles="Chưa có đơn giá bồi thường đất nông nghiệp")
    obstacle = task.obstacle_records.get()
    meeting = services.schedule_meeting(
        actor=world.hh_leader, unit=world.hoa_hoi, kind=MeetingKind.MONTHLY,
        title="Giao ban tháng 11", held_on=TODAY, attendees=[world.hh_manager])
    for action in ("open", "start"):
        meeting = getattr(services, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    return {
        "register": f"/units/{world.hoa_hoi.pk}/obstacles/?include_sub_units=on",
        "obstacle": f"/obstacles/{obstacle.pk}/",
        "meetings": f"/units/{world.hoa_hoi.pk}/meetings/",
        "meeting": f"/meetings/{meeting.pk}/",
    }


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_obstacle_and_meeting_pages_speak_the_pages_language(language, meeting_world,
                                                            new_page, screenshot):
    page = new_page()
    sign_in(page, "hh.manager", language)
    catalogue, data = read_catalogues(), user_data()
    problems = {}
    for name, path in meeting_world.items():
        response = page.goto(path)
        assert response.status == 200, (name, response.status)
        nodes = page.evaluate(TEXT_NODES)
        found = [*language_problems(nodes, language, catalogue, data),
                 *number_problems(nodes, language, data)]
        if language == "ar":
            found += isolation_problems(nodes, data)
        if found:
            problems[name] = found
        screenshot(page, f"{language}-meetings-{name}")
    assert problems == {}
