"""What happened to people's work, told to them: the upkeep port's notification stage.

A writer says `upkeep.happened(...)` inside its transaction; here each person named gets one
notification in the same transaction (the dedupe key makes a repeated event one row). Those
who chose to hear at once get an e-mail, queued only after the write commits, so a write that
rolls back tells nobody anything.
"""

from django.db import transaction

from sixclear.upkeep import Happened

from .models import Notification
from .tasks import email_notifications_now


def notify_of(event: Happened) -> None:
    key = f"{event.kind}:{event.occasion}"
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, kind=event.kind, task_id=event.task_id,
                      target_id=event.target_id, subject=event.subject,
                      link=event.link, dedupe_key=key)
         for user_id in event.recipient_ids],
        ignore_conflicts=True,
    )
    at_once = list(
        Notification.objects.filter(recipient_id__in=event.recipient_ids, dedupe_key=key,
                                    emailed_at__isnull=True,
                                    recipient__preference__email_at_once=True)
        .values_list("pk", flat=True)
    )
    if at_once:
        transaction.on_commit(lambda: email_notifications_now(at_once))
