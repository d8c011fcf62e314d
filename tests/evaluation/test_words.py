"""Words other apps use too ("Open", "Closed", "Owner", "Department or office") read with
evaluation's meaning on evaluation pages: Django merges every catalogue, so without a context
the same English word would show whichever app's translation comes first."""

import pytest
from django.urls import reverse
from django.utils import translation

from sixclear.evaluation.models import RoundStatus
from tests.evaluation.helpers import closed_departments, open_departments, viet_hung_departments

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(world):
    return viet_hung_departments(world)


def page(client, user, name, pk=None, language="vi"):
    client.force_login(user)
    with translation.override(language):
        session = client.session
        session["_language"] = language
        session.save()
    client.cookies["django_language"] = language
    url = reverse(name, args=[pk] if pk else [])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_an_open_round_of_departments_reads_as_evaluation_means_it(client, departments):
    round_ = open_departments(departments)
    html = page(client, departments.vh_admin, "evaluation:round", round_.pk)
    assert "Đang mở" in html  # the round is open, not a task "in progress"
    assert "Đang thực hiện" not in html
    assert "Phòng, ban chuyên môn" in html  # the level, not the unit kind's "Phòng ban, cơ quan"
    assert "Phòng ban, cơ quan" not in html
    assert "Tình trạng" in html  # the subjects' state column
    html = page(client, departments.vh_admin, "evaluation:unit", departments.viet_hung.pk)
    assert "Đang mở" in html and "Đang thực hiện" not in html


def test_a_closed_round_has_ended(client, departments):
    round_ = closed_departments(departments)
    assert round_.status == RoundStatus.CLOSED
    html = page(client, departments.vh_admin, "evaluation:round", round_.pk)
    assert "Đã kết thúc" in html
    assert "Đã giải quyết xong" not in html  # a procedure's case, not a round
    subject = round_.subjects.first()
    html = page(client, departments.vh_admin, "evaluation:subject", subject.pk)
    assert "Đã quyết định" in html and "Đã có quyết định" not in html


def test_the_criteria_sets_name_their_owning_unit(client, departments):
    html = page(client, departments.vh_admin, "evaluation:criteria_sets")
    assert "Đơn vị ban hành" in html and "Người phụ trách" not in html
    assert "Phòng, ban chuyên môn" in html


def test_arabic_reads_the_round_as_open(client, departments):
    round_ = open_departments(departments)
    html = page(client, departments.vh_admin, "evaluation:round", round_.pk, language="ar")
    assert "مفتوحة" in html and "قيد التنفيذ" not in html
