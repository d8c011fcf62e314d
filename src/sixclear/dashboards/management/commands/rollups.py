"""`sixclear rollups`: rebuild the dashboards' rollups from the base tables, or check them."""

import time

from django.core.management.base import BaseCommand, CommandError

from sixclear.dashboards.rollups import rebuild, verify


class Command(BaseCommand):
    help = (
        "Rebuild every rollup row from the tasks, targets and statuses (after a bulk load or "
        "to repair). With --verify, rebuild nothing: compare the stored rows with a fresh count "
        "and fail if any differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true",
                            help="compare only; exit with an error when a row differs")

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["verify"]:
            differences = verify()
            seconds = time.monotonic() - started
            for table, key, stored, fresh in differences[:20]:
                self.stdout.write(f"{table} {key}: stored {stored}, counted {fresh}")
            if differences:
                raise CommandError(
                    f"{len(differences)} rollup row(s) differ from a fresh count "
                    f"({seconds:.1f} s). Run `sixclear rollups` to rebuild them.")
            self.stdout.write(self.style.SUCCESS(
                f"Rollups match a fresh count ({seconds:.1f} s)."))
            return
        written = rebuild()
        seconds = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in written.items())
        self.stdout.write(self.style.SUCCESS(f"Rollups rebuilt in {seconds:.1f} s: {summary}."))
