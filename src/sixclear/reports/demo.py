"""The demo's report schedules: Gia Lai at each quarter's end, Hòa Hội on the 20th of each
month. Idempotent: a second build changes nothing."""

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit

from .models import ReportSchedule

SCHEDULES = [
    # (unit code, manager's user name, period, day of the month, format)
    ("GL", "gl.manager", "quarter", 0, "pdf"),
    ("GL-HH", "hh.manager", "month", 20, "docx"),
]


def add_demo(today):
    users = get_user_model().objects.in_bulk(
        [username for _code, username, *_rest in SCHEDULES], field_name="username")
    units = Unit.objects.in_bulk([code for code, *_rest in SCHEDULES], field_name="code")
    for code, username, kind, day, format in SCHEDULES:
        if code not in units or username not in users:
            continue
        ReportSchedule.objects.get_or_create(
            unit=units[code], period_kind=kind, format=format, language="vi",
            defaults={"day_of_month": day, "created_by": users[username]},
        )
