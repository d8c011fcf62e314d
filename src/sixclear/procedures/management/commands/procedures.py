"""`sixclear procedures rollups [--verify]`: rebuild (or check) the monthly on-time rollups
of the work procedures; `sixclear procedures remind [--date D]`: tell of late case steps."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from sixclear.procedures import rollups, services


class Command(BaseCommand):
    help = "Work procedures: rebuild or verify their rollups; remind of late case steps."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rollups", "remind"])
        parser.add_argument("--verify", action="store_true",
                            help="rollups: compare only; fail when a row differs")
        parser.add_argument("--date", help="remind: as of this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        if options["action"] == "remind":
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else None
            told = services.remind_late_steps(day)
            self.stdout.write(self.style.SUCCESS(f"{told} late step(s) told of."))
            return
        if options["verify"]:
            differences = rollups.verify()
            for key, stored, fresh in differences[:20]:
                self.stdout.write(f"{key}: stored {stored}, counted {fresh}")
            if differences:
                raise CommandError(f"{len(differences)} procedure rollup row(s) differ from a "
                                   "fresh count. Run `sixclear procedures rollups`.")
            self.stdout.write(self.style.SUCCESS("Procedure rollups match a fresh count."))
            return
        self.stdout.write(self.style.SUCCESS(f"{rollups.rebuild():,} rollup rows rebuilt."))
