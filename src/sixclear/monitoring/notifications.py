"""Reading, wording and e-mailing notifications. Words are made in the reader's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import REMINDER_KINDS, Notification, NotificationKind

# The bell shows at most this many unread; beyond, "99+".
UNREAD_SHOWN = 99

# What an e-mail says under a notification's sentence, by kind: an app above adds its own
# (a meeting's invitation carries the agenda). Each writer takes the notification and returns
# lines in the active language (the reader's); at once and in the digest alike.
_EMAIL_DETAILS = {}


def add_email_details(kind, writer):
    """Register `writer(notification) -> [line, ...]` for the e-mails of notifications of
    `kind` (called from an app's `ready`; registering twice keeps one)."""
    _EMAIL_DETAILS[kind] = writer


def email_details(notification):
    writer = _EMAIL_DETAILS.get(notification.kind)
    return list(writer(notification)) if writer else []


def occasion_of(notification):
    """The occasion the writer named ("meeting:12"), read back from the dedupe key."""
    return notification.dedupe_key.partition(":")[2]


def _entry(notification):
    return {"text": describe(notification), "details": email_details(notification)}


def unread_count(user, limit=UNREAD_SHOWN + 1):
    """A person's unread notifications, counted up to `limit`: the bell on every page reads
    at most that many entries of the recipient's unread index, however many pile up (a
    national manager who never reads their reminders)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit].count()


def notifications_of(user):
    """A person's notifications, newest first, with what they are about."""
    return Notification.objects.filter(recipient=user).select_related("task", "target")


def describe(notification):
    """One sentence saying what happened, in the active language."""
    subject = notification.subject or (notification.task.title if notification.task_id else (
        notification.target.name if notification.target_id else ""))
    days = notification.days
    words = {
        NotificationKind.DEADLINE_SOON: lambda: ngettext(
            "“%(subject)s” is due in %(days)d day.", "“%(subject)s” is due in %(days)d days.",
            days),
        NotificationKind.DEADLINE_TODAY: lambda: _("“%(subject)s” is due today."),
        NotificationKind.REPORT_DUE: lambda: ngettext(
            "Report progress on “%(subject)s” within %(days)d day.",
            "Report progress on “%(subject)s” within %(days)d days.", days),
        NotificationKind.LATE: lambda: _late_words(notification.step, days),
        NotificationKind.REVIEW_DONE: lambda: _("Your report on “%(subject)s” was reviewed."),
        NotificationKind.CHANGE_REQUESTED: lambda: _(
            "A change to “%(subject)s” waits for your decision."),
        NotificationKind.CHANGE_DECIDED: lambda: _(
            "Your requested change to “%(subject)s” was decided."),
        NotificationKind.REPORT_APPROVED: lambda: _(
            "Your progress report on “%(subject)s” was approved."),
        NotificationKind.REPORT_RETURNED: lambda: _(
            "Your progress report on “%(subject)s” was returned for correction."),
        NotificationKind.VALUE_APPROVED: lambda: _(
            "The value you reported for “%(subject)s” was approved."),
        NotificationKind.VALUE_RETURNED: lambda: _(
            "The value you reported for “%(subject)s” was returned for correction."),
        NotificationKind.TASK_ISSUED: lambda: _(
            "The task “%(subject)s” was issued to you."),
        NotificationKind.TASK_ASSIGNED: lambda: _(
            "You are now the owner of the task “%(subject)s”."),
        NotificationKind.CHANGE_APPROVED: lambda: _(
            "Your requested change to “%(subject)s” was approved."),
        NotificationKind.CHANGE_REJECTED: lambda: _(
            "Your requested change to “%(subject)s” was rejected."),
        NotificationKind.CASE_HANDED_OVER: lambda: _(
            "The case “%(subject)s” was handed to you."),
        NotificationKind.CASE_STEP_LATE: lambda: _(
            "Your step of the case “%(subject)s” is past its time limit."),
        NotificationKind.CASE_STEP_ESCALATED: lambda: _(
            "A step of the case “%(subject)s” is late and is escalated to you."),
        NotificationKind.OBSTACLE_ASSIGNED: lambda: _(
            "An obstacle waits for your unit's answer: “%(subject)s”."),
        NotificationKind.OBSTACLE_ESCALATED: lambda: _(
            "An obstacle was not answered in time and is escalated to your unit: "
            "“%(subject)s”."),
        NotificationKind.OBSTACLE_ANSWERED: lambda: _(
            "The obstacle you reported was answered: “%(subject)s”."),
        NotificationKind.MEETING_INVITED: lambda: _(
            "You are invited to the meeting “%(subject)s”; its agenda is ready."),
        NotificationKind.MEETING_NOT_CLOSED: lambda: _(
            "The meeting “%(subject)s” was held but is not closed yet: record its last "
            "decisions and close it."),
        NotificationKind.MINUTES_TO_CONFIRM: lambda: _(
            "The minutes of the meeting “%(subject)s” wait for your confirmation."),
        NotificationKind.NOTICE_PUBLISHED: lambda: _(
            "The conclusion notice of the meeting “%(subject)s” is signed and published to "
            "you: read the tasks it gives."),
    }
    return words[notification.kind]() % {"subject": subject, "days": days}


def _late_words(step, days):
    if step == 0:
        return ngettext("“%(subject)s” is %(days)d day late.",
                        "“%(subject)s” is %(days)d days late.", days)
    return ngettext(
        "“%(subject)s” is %(days)d day late and is escalated to you.",
        "“%(subject)s” is %(days)d days late and is escalated to you.", days)


@transaction.atomic
def mark_read(*, actor, notification_ids=None):
    """Mark the actor's notifications read: the ones named, or all of them."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def preferred_language(user):
    preference = getattr(user, "preference", None)
    return (preference and preference.language) or settings.LANGUAGE_CODE


def send_daily_digests(now=None):
    """One e-mail a day per person with everything not yet e-mailed, in their language
    (what was already e-mailed at once is not sent again)."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "recipient__preference", "task", "target")
        .order_by("recipient_id", "created_at")
    )
    by_person = {}
    for notification in pending:
        by_person.setdefault(notification.recipient, []).append(notification)
    for person, notes in by_person.items():
        _send_digest(person, _latest_reminder_per_task(notes))
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
    return len(by_person)


def _latest_reminder_per_task(notes):
    """A digest that waited (the job missed days) says where each task stands now, once: not
    "due in 1 day", "due today" and "2 days late" for the same task. Events all stay."""
    latest = {}
    for note in notes:  # oldest first
        if note.kind in REMINDER_KINDS and note.task_id:
            latest[note.task_id] = note
    return [note for note in notes
            if note.kind not in REMINDER_KINDS or not note.task_id
            or latest[note.task_id] is note]


def _send_digest(person, notes):
    with translation.override(preferred_language(person)):
        lines = [_entry(note) for note in notes]
        subject = ngettext("Sixclear: %(count)d thing needs your attention",
                           "Sixclear: %(count)d things need your attention",
                           len(lines)) % {"count": len(lines)}
        body = render_to_string("monitoring/digest.txt", {"person": person, "lines": lines})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


def send_at_once(notification_ids, now=None):
    """E-mail each listed notification now, to people who chose to hear at once. Safe to run
    twice: each is held under a row lock while it is sent and marked e-mailed with it (a
    failed send marks nothing, so a retry sends it), and the digest does not repeat it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True,
                    recipient__is_active=True, recipient__preference__email_at_once=True)
            .exclude(recipient__email="").values_list("pk", flat=True)
        )
        notes = (Notification.objects.filter(pk__in=claimed)
                 .select_related("recipient", "recipient__preference", "task", "target"))
        for note in notes:
            person = note.recipient
            with translation.override(preferred_language(person)):
                entry = _entry(note)
                body = render_to_string("monitoring/digest.txt",
                                        {"person": person, "lines": [entry]})
            # A header holds no line break.
            subject = " ".join(f"Sixclear: {entry['text']}".split())
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        Notification.objects.filter(pk__in=claimed).update(emailed_at=now)
    return len(claimed)
