"""`sixclear evaluation seed [--year N]`: create the shipped criteria sets of a year."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from sixclear.evaluation.services import ensure_default_sets


class Command(BaseCommand):
    help = "The annual evaluation: seed the shipped criteria sets (as reported, to be checked)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        seed = actions.add_parser(
            "seed", help="create the criteria sets shipped with Sixclear for a year if missing")
        seed.add_argument("--year", type=int, default=timezone.localdate().year)

    def handle(self, *args, action, year, **options):
        sets = ensure_default_sets(year)
        self.stdout.write(f"{len(sets)} criteria sets for {year}.")
