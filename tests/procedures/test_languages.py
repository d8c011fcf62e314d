"""The procedure pages speak Vietnamese, Arabic (right to left) and English."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sixclear.procedures import services
from sixclear.procedures.models import Case

from .helpers import open_case, petition_procedure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def case(world):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        procedure = petition_procedure(world)
        case = open_case(world, procedure, D(2026, 3, 9))
        services.suspend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                              reason="Chờ bổ sung")
        return case


@pytest.mark.parametrize(("language", "words"), [
    ("vi", ["Tạm dừng", "Các bước", "Vai trò thực hiện", "Tiếp tục tính thời hạn"]),
    ("ar", ["معلَّق", "الخطوات", "الدور المنفِّذ", "استئناف المهلة"]),
    ("en", ["Suspended", "Steps", "Role that does it", "Restart the clock"]),
])
def test_case_page_in_each_language(client, world, case, language, words):
    client.force_login(world.hh_officer)
    page = client.get(reverse("procedures:case", args=[case.pk]),
                      HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        html = page.content.decode()
    for word in words:
        assert word in html
    assert f'lang="{language}"' in html
    if language == "ar":
        assert 'dir="rtl"' in html
        # The case's Vietnamese text is isolated from the Arabic sentence around it.
        assert f"<bdi>{case.subject}</bdi>" in html


def test_service_errors_follow_the_language(world, case):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.extend_case(actor=world.hh_manager, case=Case.objects.get(pk=case.pk),
                             expected_version=case.version, reason="", days=0)
    assert "Hãy nêu lý do cần gia hạn." in error.value.message_dict["reason"]


def test_performance_page_in_arabic_uses_arabic_number_marks(client, world):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        procedure = petition_procedure(world)
        for reference, day in (("A", D(2026, 3, 10)), ("B", D(2026, 3, 12)),
                               ("C", D(2026, 3, 10))):
            case = open_case(world, procedure, D(2026, 3, 9), reference=reference)
            services.hand_over(actor=world.hh_officer, case=case,
                               expected_version=case.version, to=world.hh_officer, on=day)
        client.force_login(world.hh_manager)
        page = client.get(reverse("procedures:performance", args=[world.hoa_hoi.pk]),
                          HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "الخطوات المسلَّمة في الموعد" in page
    assert "66,7 %" in page
