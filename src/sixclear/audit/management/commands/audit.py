"""`sixclear audit verify`: walk the audit chain and name the first entry tampered with."""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from sixclear.audit import chain
from sixclear.audit.models import AuditEntry


class Command(BaseCommand):
    help = "The tamper-evident audit trail: verify the chain, or measure appends and verify."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser(
            "verify", help="walk the chain; exit non-zero naming the first entry altered, "
                           "removed or inserted")
        verify.add_argument("--history", action="store_true",
                            help="also compare every entry with its historical row")
        verify.add_argument("--no-record", action="store_true",
                            help="do not keep the result for the administrators' page")
        measure = actions.add_parser(
            "measure", help="time appends and a verify on a synthetic chain, then roll it back")
        measure.add_argument("--entries", type=int, default=200_000)
        measure.add_argument("--appends", type=int, default=5_000)

    def handle(self, *args, **options):
        if options["action"] == "measure":
            return self.measure(options["entries"], options["appends"])
        if options["no_record"]:
            verdict = chain.verify()
            if verdict.ok and options["history"]:
                verdict = chain.verify_history()
            ok, problem, entries, seconds = (verdict.ok, verdict.problem, verdict.entries,
                                             verdict.seconds)
        else:
            result = chain.record_verification(history=options["history"])
            ok, problem, entries, seconds = result.ok, result.problem, result.entries, \
                result.seconds
        if not ok:
            raise CommandError(f"Audit trail tampered with: {problem}")
        self.stdout.write(self.style.SUCCESS(
            f"Audit trail intact: {entries:,} entries verified in {seconds:.2f} s."))

    def measure(self, entries, appends):
        """Appends one by one through the signal's path, in one transaction (as a service
        writing many rows does), then a bulk fill to `entries` and a full verify; rolled back."""
        # An unsaved historical record stands for any: appends read only its fields.
        history = apps.get_model("orgs.Unit").history.model
        template = history(id=1, history_id=1, name="Bench", code="B", kind="commune",
                           history_type="~", history_date=timezone.now())
        with transaction.atomic():
            started = time.monotonic()
            for _ in range(appends):
                chain.append([template])
            append_seconds = time.monotonic() - started
            started = time.monotonic()
            left = max(entries - chain.head()[0], 0)
            while left:
                n = min(left, 10_000)
                chain.append([template] * n)
                left -= n
            fill_seconds = time.monotonic() - started
            verdict = chain.verify()
            self.stdout.write(
                f"appends: {appends:,} in {append_seconds:.2f} s = "
                f"{appends / append_seconds:,.0f}/s one by one in one transaction; "
                f"bulk fill {entries:,} entries at "
                f"{max(entries - appends, 1) / fill_seconds:,.0f}/s; verify of "
                f"{verdict.entries:,} entries in {verdict.seconds:.2f} s "
                f"({'intact' if verdict.ok else verdict.problem}); rolled back.")
            transaction.set_rollback(True)
        if connection.vendor == "postgresql":
            # The rolled-back rows are dead tuples at the end of the index every append reads.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {AuditEntry._meta.db_table}")
