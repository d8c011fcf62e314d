"""Reads of monitoring results, scoped to what the user may see."""

from django.db.models import Count, Q

from sixclear.tracking.models import TaskState
from sixclear.tracking.selectors import visible_tasks


def owner_freshness(user, tasks=None):
    """Per owner of the open tasks the user may see: how many they own and how many are
    reported on within the reporting period, with the share as a percentage.

    Owners who stop reporting are the commonest failure of monitoring; this makes it visible.
    """
    tasks = visible_tasks(user) if tasks is None else tasks
    rows = (
        tasks.filter(state=TaskState.ISSUED, owner__isnull=False, health__isnull=False)
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(open=Count("pk"), fresh=Count("pk", filter=Q(health__stale=False)))
        .order_by("owner__username")
    )
    return [
        {**row, "share": round(100 * row["fresh"] / row["open"]) if row["open"] else None}
        for row in rows
    ]
