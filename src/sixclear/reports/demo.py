"""The demo's report schedules (Gia Lai at each quarter's end, Hòa Hội on the 20th of each
month) and who signs each unit's reports: the party secretary, for the party committee (Hòa
Hội's is Tô Hữu Trung); in Gia Lai the deputy secretary may sign for the secretary.
The decision on grades of the evaluation's closed round (Việt Hưng's offices, 2025) is signed
by the ward's secretary as soon as they have a signing key: after the evaluation's part of the
demo when `sixclear pki demo` has run before, else by `sixclear pki demo` itself
(`sign_evaluation_decision`). Idempotent: a second build changes nothing."""

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit

from . import pki
from .evaluation_documents import decision_content, subject_key
from .issued import DocumentKind, issued_for, sign_issued
from .models import IssuingBody, ReportSchedule, ReportSigner

SCHEDULES = [
    # (unit code, manager's user name, period, day of the month, format)
    ("GL", "gl.manager", "quarter", 0, "pdf"),
    ("GL-HH", "hh.manager", "month", 20, "docx"),
]


SIGNERS = [
    # (unit code, signer, title, deputy, deputy's title)
    ("GL", "gl.leader", "Bí thư", "gl.chairman", "Phó Bí thư"),
    ("GL-HH", "hh.leader", "Bí thư", None, ""),
    ("GL-ANB", "anb.leader", "Bí thư", None, ""),
    ("HN-VH", "vh.leader", "Bí thư", None, ""),
]


def add_signers():
    names = {name for row in SIGNERS for name in (row[1], row[3]) if name}
    users = get_user_model().objects.in_bulk(list(names), field_name="username")
    units = Unit.objects.in_bulk([row[0] for row in SIGNERS], field_name="code")
    for code, signer, title, deputy, deputy_title in SIGNERS:
        if code not in units or signer not in users:
            continue
        ReportSigner.objects.get_or_create(unit=units[code], defaults={
            "issuing_body": IssuingBody.PARTY, "signer": users[signer], "signer_title": title,
            "deputy": users.get(deputy) if deputy else None,
            "deputy_title": deputy_title if deputy in users else ""})


def add_demo(today):
    add_signers()
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


def sign_evaluation_decision(today=None):
    """The designated signer signs the Vietnamese decision on grades of the demo's closed
    round, once: not while they have no key, nor when a signed copy exists. Returns the signed
    document, or None."""
    from sixclear.evaluation.demo import closed_round

    round_ = closed_round()
    designated = ReportSigner.objects.filter(unit=round_.unit).select_related(
        "signer").first() if round_ is not None else None
    if designated is None or designated.signer.username not in pki.read_signers():
        return None
    if issued_for(subject_key(round_), DocumentKind.EVALUATION_DECISION).filter(
            language="vi").exists():
        return None
    return sign_issued(actor=designated.signer, content=decision_content(round_, "vi"))
