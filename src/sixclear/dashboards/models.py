"""Rollups: per-unit summary rows that the dashboards add up over a subtree.

Each row counts a unit's OWN tasks and targets (not its sub-units'); a task is counted once, at
its lead unit when that lies below its owning unit, else at its owning unit (so the department
leading a commune's task shows it, and the commune's total counts it once). A dashboard adds up
the rows whose unit path starts with the chosen unit's path, so moving a commune moves its
figures with no rewrite. Nothing here is typed by a person: `rollups.refresh_units` writes it
in the same transaction as the change it reflects, and `sixclear rollups --verify` checks it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sixclear.orgs.models import Unit

TASK_FIGURES = [
    "drafts", "open", "done", "done_on_time", "cancelled",
    "not_started", "on_track", "at_risk", "late", "stale", "obstacles",
]
# What waits for a decision, by the unit of the task or target: the header's approvals badge
# adds these up over the units a person manages (`rollups.count_awaiting_decision`).
REVIEW_FIGURES = ["reports_to_review", "measurements_to_review"]
TARGET_FIGURES = ["targets", "on_track", "behind", "off_track", "no_data"]
MONTH_FIGURES = ["due", "done", "done_on_time"]


def _count(name):
    return models.PositiveIntegerField(name, default=0)


class UnitTaskRollup(models.Model):
    """How many of the tasks counted at a unit (its own, or led by it from a unit above) are in
    each state and status."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, primary_key=True,
        related_name="task_rollup",
    )
    drafts = _count(_("drafts"))
    open = _count(_("open"))
    done = _count(_("done"))
    done_on_time = _count(_("done on time"))
    cancelled = _count(_("cancelled"))
    not_started = _count(_("not started"))
    on_track = _count(_("on track"))
    at_risk = _count(_("at risk"))
    late = _count(_("late"))
    stale = _count(_("stale"))
    obstacles = _count(_("open obstacles"))
    # Submitted, not yet approved or returned: progress reports on the unit's own tasks and
    # values of its own targets.
    reports_to_review = _count(_("reports awaiting review"))
    measurements_to_review = _count(_("values awaiting review"))
    # Advanced by every recount of this unit's rows (tasks, targets or months), never lowered:
    # the sum over a subtree changes whenever one of its figures may have (`selectors.stamp`),
    # which is what a dashboard's cached figures are checked against.
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("task rollup")
        verbose_name_plural = _("task rollups")

    def __str__(self):
        return f"{self.unit_id}: {self.open} open, {self.late} late"


class UnitTargetRollup(models.Model):
    """How many of a unit's own targets of one area are in each status."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="target_rollups"
    )
    group = models.CharField(_("area"), max_length=200, blank=True)
    targets = _count(_("targets"))
    on_track = _count(_("on track"))
    behind = _count(_("behind"))
    off_track = _count(_("off track"))
    no_data = _count(_("no data"))

    class Meta:
        verbose_name = _("target rollup")
        verbose_name_plural = _("target rollups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "group"], name="target_rollup_per_group")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.group}: {self.on_track}/{self.targets} on track"


class UnitMonthRollup(models.Model):
    """Per unit and month: tasks due, tasks completed, and completed on time (the trend)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="month_rollups"
    )
    month = models.DateField(_("month"))
    due = _count(_("due"))
    done = _count(_("done"))
    done_on_time = _count(_("done on time"))

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="month_rollup_per_month")
        ]
        indexes = [
            # The trend reads the last twelve months of every unit in a subtree: a country's
            # (every unit) by month; a province's or a commune's unit by unit, from this index
            # alone (its figures are in it), ten times faster for a province than by month.
            models.Index(fields=["month"], name="month_rollup_month"),
            models.Index(fields=["unit", "month", "due", "done", "done_on_time"],
                         name="month_rollup_trend"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}: {self.done}/{self.due} done"
