"""The monthly rollups of steps handed over and cases closed, per unit and procedure.

Rows are recounted, not incremented: a write that hands a step over or closes a case recounts
its unit's rows for the months it touched, from the cases, in the same transaction (a unit
handles a few thousand cases a year, read through the case_unit_state index). `rebuild`
recounts everything after a bulk load.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from sixclear.orgs.models import Unit

from .models import Case, CaseState, CaseStep, StepMonthRollup, StepState


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def recount(unit_id: int, months: Iterable[datetime.date]) -> None:
    months = sorted({month_of(month) for month in months})
    if not months:
        return
    Unit.objects.select_for_update().filter(pk=unit_id).exists()  # one writer per unit
    month_q = Q()
    for month in months:
        month_q |= Q(month=month)
    StepMonthRollup.objects.filter(month_q, unit_id=unit_id).delete()
    StepMonthRollup.objects.bulk_create(_count(Q(case__unit_id=unit_id), Q(unit_id=unit_id),
                                               months))


def _in_months(field: str, months: list[datetime.date]) -> Q:
    query = Q()
    for month in months:
        query |= Q(**{f"{field}__year": month.year, f"{field}__month": month.month})
    return query


def _count(step_scope: Q, case_scope: Q,
           months: list[datetime.date] | None) -> list[StepMonthRollup]:
    steps = CaseStep.objects.filter(step_scope, state=StepState.DONE)
    cases = Case.objects.filter(case_scope, state=CaseState.CLOSED)
    if months is not None:
        steps = steps.filter(_in_months("done_on", months))
        cases = cases.filter(_in_months("closed_on", months))
    rows = [
        StepMonthRollup(unit_id=row["case__unit"], procedure_id=row["procedure"],
                        position=row["position"], month=row["month"], done=row["done"],
                        on_time=row["on_time"], working_days=row["days"] or 0)
        for row in steps.annotate(month=TruncMonth("done_on"),
                                  procedure=F("case__procedure_version__procedure"))
        .values("case__unit", "procedure", "position", "month")
        .annotate(done=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)),
                  days=Sum("working_days")).order_by()
    ]
    rows += [
        StepMonthRollup(unit_id=row["unit"], procedure_id=row["procedure"], position=0,
                        month=row["month"], done=row["done"], on_time=row["on_time"],
                        working_days=row["days"] or 0)
        for row in cases.annotate(month=TruncMonth("closed_on"),
                                  procedure=F("procedure_version__procedure"))
        .values("unit", "procedure", "month")
        .annotate(done=Count("pk", distinct=True),
                  on_time=Count("pk", distinct=True,
                                filter=Q(closed_on__lte=F("due_date"))),
                  days=Sum("steps__working_days")).order_by()
    ]
    return rows


def rebuild() -> int:
    """Recount every row from the cases; return how many rows there are."""
    StepMonthRollup.objects.all().delete()
    rows = _count(Q(), Q(), None)
    StepMonthRollup.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def verify() -> list[tuple[tuple[int, int, int, datetime.date], tuple[int, int, int] | None,
                           tuple[int, int, int] | None]]:
    """The rows that differ from a fresh count: (key, stored, counted)."""
    def keyed(rows):
        return {(row.unit_id, row.procedure_id, row.position, row.month):
                (row.done, row.on_time, row.working_days) for row in rows}

    stored = keyed(StepMonthRollup.objects.all())
    fresh = keyed(_count(Q(), Q(), None))
    return [(key, stored.get(key), fresh.get(key)) for key in sorted(stored.keys() | fresh)
            if stored.get(key) != fresh.get(key)]
