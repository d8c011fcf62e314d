import datetime

from django.core.management.base import BaseCommand, CommandError

from sixclear.monitoring.engine import run_scan
from sixclear.monitoring.notifications import send_daily_digests
from sixclear.monitoring.reminders import queue_reminders


class Command(BaseCommand):
    help = "Recompute every task and target status now, then queue the reminders due."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as of this day (YYYY-MM-DD) instead of today")
        parser.add_argument("--digests", action="store_true",
                            help="also send the daily e-mail digests now")

    def handle(self, *args, date=None, digests=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must look like 2026-11-23: {error}") from error
        run = run_scan(today)
        reminders = queue_reminders(run.today)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Statuses as of {run.today}: {run.tasks_changed} task and {run.targets_changed} "
            f"target statuses changed in {seconds:.2f} s; {reminders} new reminders."
        )
        if digests:
            self.stdout.write(f"Digests sent to {send_daily_digests()} people.")
