"""`sixclear snapshots take --period 2026-Q3 [--unit CODE]`: freeze an ended period's review;
`sixclear snapshots seal --period 2026-Q3`: sign the snapshots left unsealed (no key then)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sixclear.orgs.models import Unit

from ... import services
from ...periods_text import parse_period


class Command(BaseCommand):
    help = "Periodic reviews: take (freeze) a period's snapshots, or seal those unsealed."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["take", "seal"])
        parser.add_argument("--period", required=True,
                            help="2026-Q3, 2026-11 (a month), 2026-H1, 2026, 2025-2030-mid, "
                                 "2025-2030-final")
        parser.add_argument("--unit", default="", help="only this unit (its code) and the "
                                                       "units below it")
        parser.add_argument("--date", help="as of this day (YYYY-MM-DD) instead of today")

    def handle(self, *args, action, period, unit, date=None, **options):
        chosen = parse_period(period)
        if chosen is None:
            raise CommandError(f"--period {period!r} names no period: write 2026-Q3, 2026-11, "
                               "2026-H1, 2026, 2025-2030-mid or 2025-2030-final.")
        if action == "seal":
            sealed = services.seal_snapshots(chosen)
            self.stdout.write("Sealed." if sealed else "Nothing sealed (none left unsealed, "
                                                       "or no key configured for the seal).")
            return
        root = None
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"No unit has the code {unit!r}.")
        today = datetime.date.fromisoformat(date) if date else None
        try:
            result = services.take_snapshots(chosen, unit=root, today=today)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{chosen.label()}: {result.created} snapshot(s) taken, {result.existing} already "
            f"there, {'sealed' if result.sealed else 'not sealed'}, in {result.seconds:.2f} s.")
