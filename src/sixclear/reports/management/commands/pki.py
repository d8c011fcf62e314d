"""`sixclear pki demo`: a local demo certificate authority and signing keys for the demo users.

`sixclear pki list` shows who has a signing key configured. Production never uses the demo CA.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sixclear.orgs.models import Role

from ... import pki
from ...demo import sign_evaluation_decision


class Command(BaseCommand):
    help = "Signing keys: `demo` creates a demo authority and keys; `list` shows the signers."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["demo", "list"])
        parser.add_argument("--users", default="",
                            help="Comma-separated user names (default: every leader).")
        parser.add_argument("--renew", action="store_true",
                            help="Issue new keys even for people who have one.")

    def handle(self, *args, action, users, renew, **options):
        if action == "list":
            for username, entry in sorted(pki.read_signers().items()):
                self.stdout.write(f"{username}\t{entry.get('backend', 'pkcs12')}\t"
                                  f"{entry.get('pkcs12') or entry.get('module', '')}")
            return
        if settings.PRODUCTION:
            raise CommandError("The demo authority is never used in production: configure "
                               "real signers in SIXCLEAR_SIGNERS_FILE.")
        people = get_user_model().objects.filter(is_active=True)
        if users:
            people = people.filter(username__in=[u.strip() for u in users.split(",")])
        else:
            people = people.filter(memberships__role__in=[Role.LEADER, Role.ADMIN]).distinct()
        cert_path, _key = pki.demo_ca_paths()
        pki.ensure_demo_ca()
        known = pki.read_signers()
        issued = 0
        for person in people.order_by("username"):
            if person.username in known and not renew:
                continue
            path = pki.issue_signer(person.username, person.get_full_name() or person.username)
            self.stdout.write(f"{person.username}: {path}")
            issued += 1
        seal = settings.SNAPSHOTS_SEAL_SIGNER
        if seal and (seal not in known or renew):
            # The key that seals the periodic snapshots (the office's, not a person's).
            self.stdout.write(f"{seal}: {pki.issue_signer(seal, 'Sixclear review seal')}")
            issued += 1
        # The demo's closed evaluation round waits for its signer's key (`make run` builds the
        # demo first): its decision on grades is signed now.
        signed = sign_evaluation_decision()
        if signed is not None:
            self.stdout.write(f"{signed.signer.username}: {signed.title}")
        self.stdout.write(self.style.SUCCESS(
            f"Demo CA: {cert_path} (trusted outside production). {issued} signing key(s) "
            f"issued; signers file: {settings.REPORTS_SIGNERS_FILE}"))
