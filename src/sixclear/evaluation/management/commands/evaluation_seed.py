from django.core.management.base import BaseCommand
from django.utils import timezone

from sixclear.evaluation.services import ensure_default_sets


class Command(BaseCommand):
    help = "Create the shipped criteria sets of a year (as reported, to be checked) if missing."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)

    def handle(self, *args, year, **options):
        sets = ensure_default_sets(year)
        self.stdout.write(f"{len(sets)} criteria sets for {year}.")
