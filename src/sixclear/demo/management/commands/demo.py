"""`manage.py demo`: build the demo dataset and print the demo accounts."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sixclear.demo.builder import build_demo, demo_is_present
from sixclear.demo.dataset import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Build the demo dataset: Gia Lai (An Nhơn Bắc, Hòa Hội) and Hà Nội (Việt Hưng) with "
        "their resolutions, programs, targets, tasks and demo accounts. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Build even when SIXCLEAR_ENV=production. The demo accounts share a known "
            "password.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the task deadlines are set around (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to build demo data in production: every demo account shares the "
                "password printed by this command. Pass --allow-production to do it anyway."
            )
        present = demo_is_present()
        started = time.monotonic()
        accounts = build_demo(today=options["today"])
        if present:
            self.stdout.write("Demo data already present.")
        else:
            seconds = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Demo data built in {seconds:.1f} s."))
        self.print_accounts(accounts)

    def print_accounts(self, accounts):
        heading = ("username", "role", "unit", "password")
        rows = [(username, role, unit, DEMO_PASSWORD) for username, role, unit in accounts]
        widths = [max(len(row[column]) for row in [heading, *rows]) for column in range(4)]
        self.stdout.write("\nDemo accounts:")
        for row in [heading, tuple("-" * width for width in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
