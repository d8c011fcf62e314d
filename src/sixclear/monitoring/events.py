"""What happened to people's work, told to them: the upkeep port's notification stage.

A writer says `upkeep.happened(...)` inside its transaction; here each person named gets one
notification in the same transaction (the dedupe key makes a repeated event one row). Those
who chose to hear at once get an e-mail: a job requested in the write's transaction (the
outbox) and handed to the queue only after it commits, so a write that rolls back tells nobody
anything, and a queue down at that moment delays the e-mail without losing it.
"""

from sixclear.outbox.services import enqueue
from sixclear.upkeep import Happened

from .models import Notification
from .tasks import email_notifications_now


def notify_of(event: Happened) -> None:
    key = f"{event.kind}:{event.occasion}"
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, kind=event.kind, task_id=event.task_id,
                      target_id=event.target_id, dedupe_key=key,
                      subject=event.subject[:600], link=event.link[:200])
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
        enqueue(email_notifications_now, at_once)  # handed to the queue after the commit
