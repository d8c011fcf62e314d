"""The register, obstacle and meeting pages, and what people are told, in Vietnamese and
Arabic."""

import pytest
from django.urls import reverse
from django.utils import translation

from sixclear.accounts.models import UserPreference
from sixclear.meetings import services
from sixclear.meetings.models import MeetingKind, MeetingState, ObstacleState
from sixclear.monitoring import notifications
from sixclear.monitoring.models import Notification
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db

WORDS = {
    "vi": {"register": "Sổ theo dõi khó khăn, vướng mắc của", "figures":
           "Khó khăn, vướng mắc chưa giải quyết theo cấp và thời gian",
           "obstacle": "Từ báo cáo đến khi giải quyết xong", "meeting": "Chương trình họp",
           "appendix": "Phụ lục: tiến độ thường xuyên", "state": "Mới nêu"},
    "ar": {"register": "سجل عوائق", "figures": "العوائق المفتوحة حسب المستوى والمدة",
           "obstacle": "من الإبلاغ إلى الإغلاق", "meeting": "جدول الأعمال",
           "appendix": "ملحق: التقدّم الاعتيادي", "state": "مفتوح"},
}
ENGLISH = ["Obstacle register of", "Open obstacles by level and age", "From report to closure",
           "Appendix: routine progress", "Median days to resolve"]


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_pages_speak_the_persons_language(client, world, reported, language):
    meeting = services.schedule_meeting(actor=world.hh_leader, unit=world.hoa_hoi,
                                        kind=MeetingKind.MONTHLY, title="Giao ban tháng 11",
                                        held_on=TODAY)
    UserPreference.objects.update_or_create(user=world.hh_manager,
                                            defaults={"language": language})
    client.force_login(world.hh_manager)
    session = client.session
    session["_language"] = language
    session.save()
    words = WORDS[language]
    pages = [
        client.get(reverse("meetings:register", args=[world.hoa_hoi.pk]),
                   HTTP_ACCEPT_LANGUAGE=language).content.decode(),
        client.get(reverse("meetings:obstacle", args=[reported.pk]),
                   HTTP_ACCEPT_LANGUAGE=language).content.decode(),
        client.get(reverse("meetings:meeting", args=[meeting.pk]),
                   HTTP_ACCEPT_LANGUAGE=language).content.decode(),
    ]
    assert words["register"] in pages[0] and words["figures"] in pages[0]
    assert words["state"] in pages[0]
    assert words["obstacle"] in pages[1]
    assert words["meeting"] in pages[2] and words["appendix"] in pages[2]
    for page in pages:
        assert not [english for english in ENGLISH if english in page]
    if language == "ar":
        assert 'dir="rtl"' in pages[0] and "<bdi>Chưa có đơn giá" in pages[0]


@pytest.mark.parametrize(("language", "words"), [
    ("vi", "Có khó khăn, vướng mắc chờ đơn vị của bạn trả lời: “Chưa có đơn giá"),
    ("ar", "عائق بانتظار رد وحدتك: «Chưa có đơn giá"),
    ("en", "An obstacle waits for your unit's answer: “Chưa có đơn giá"),
])
def test_the_notification_is_worded_in_the_readers_language(world, reported, language, words):
    note = Notification.objects.filter(recipient=world.hh_manager).get()
    with translation.override(language):
        assert notifications.describe(note).startswith(words)


def test_states_and_kinds_are_translated():
    with translation.override("vi"):
        assert str(ObstacleState.ESCALATED.label) == "Đã chuyển cấp trên"
        assert str(MeetingState.IN_PROGRESS.label) == "Đang họp"
        assert str(MeetingKind.MONTHLY.label) == "Giao ban tháng"
    with translation.override("ar"):
        assert str(MeetingKind.WORKING.label) == "جلسة عمل مع وحدة"
