"""Dates read the same way in a language's dates and date-times, and the strings that Django
and django-axes leave in English (or garble) in Vietnamese are ours to translate."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 7)
MOMENT = datetime.datetime(2026, 12, 6, 11, 35, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize("language, date, short_date, date_time, short_date_time", [
    ("vi", "07/12/2026", "07/12/2026", "11:35 ngày 06/12/2026", "11:35 06/12/2026"),
    ("ar", "7 ديسمبر، 2026", "07\u200f/12\u200f/2026", "6 ديسمبر، 2026، 11:35",
     "06\u200f/12\u200f/2026 11:35"),
    ("en", "Dec. 7, 2026", "12/07/2026", "Dec. 6, 2026, 11:35 a.m.", "12/06/2026 11:35 a.m."),
])
def test_dates_and_date_times_put_day_and_month_in_one_order(
        language, date, short_date, date_time, short_date_time):
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == date
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == date_time
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short_date_time


def test_a_vietnamese_sentence_with_a_date_reads_naturally():
    with translation.override("vi"):
        assert f"thời hạn {formats.date_format(DAY)}" == "thời hạn 07/12/2026"
        assert (f"Ký lúc {formats.date_format(MOMENT, 'DATETIME_FORMAT')}"
                == "Ký lúc 11:35 ngày 06/12/2026")


def test_a_limit_message_has_no_space_before_its_full_stop():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as refused:
            MaxValueValidator(100)(101)
        assert refused.value.messages == ["Giá trị này phải nhỏ hơn hoặc bằng 100."]


@pytest.mark.parametrize("language", ["vi", "ar"])
@pytest.mark.parametrize("english", [
    "Model name", "Toggle theme (current theme: auto)", "access attempts", "Sessions",
])
def test_the_admin_and_the_lockout_speak_the_language(language, english):
    with translation.override(language):
        assert translation.gettext(english) != english


@pytest.mark.django_db
def test_the_admin_in_vietnamese_names_its_columns_and_its_lockout_log_in_vietnamese(
        client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="vi"' in page
    for english in ("Model name", "Toggle theme", "Access attempts", "Access logs", ">Axes<"):
        assert english not in page, english
    assert "các lần thử đăng nhập" in page.lower() or "Các lần thử đăng nhập" in page
