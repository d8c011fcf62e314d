"""The `sixclear` command: serve, demo, migrate, monitor, worker, createadmin and more."""

import argparse
import getpass
import os
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixclear.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


def _call(name, *args, **options):
    from django.core.management import call_command

    call_command(name, *args, **options)


def serve(args):
    """Start the web server, with jobs running in the same process unless --no-jobs."""
    _django()
    from django.conf import settings

    if args.migrate:
        _call("migrate", interactive=False, verbosity=0)
    consumer = None
    if not args.no_jobs and not settings.HUEY.get("immediate"):
        consumer = start_jobs_in_process()
    try:
        if settings.PRODUCTION:
            _run_gunicorn(args)
        else:
            _call("collectstatic", interactive=False, verbosity=0)
            _call("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def start_jobs_in_process():
    """Run the job consumer in threads of this process (the embedded default)."""
    import signal

    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    # Job modules register their periodic jobs when imported; `run_huey` does the same.
    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=True)
    consumer.start()
    # The consumer's handlers only note a signal for its own loop, which does not run here:
    # let SIGTERM and SIGINT stop the web server, whose exit then stops the consumer.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    return consumer


def _exit_on_signal(signum, frame):
    raise SystemExit(0)


def _run_gunicorn(args):
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = [
        "gunicorn", "sixclear.wsgi:application",
        "--bind", f"{args.host}:{args.port}",
        "--workers", str(args.workers), "--threads", "4",
    ]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


def demo(args):
    _django()
    _call("demo", verbosity=args.verbosity)


def migrate(args):
    _django()
    _call("migrate", interactive=False, verbosity=args.verbosity)


def worker(args):
    """Run the job consumer; start as many as you like on as many machines (Redis)."""
    _django()
    _call("run_huey", workers=args.workers, worker_type="thread")


def monitor(args):
    """Recompute statuses and queue reminders now (the hourly job does the same)."""
    _django()
    options = {"date": args.date, "digests": args.digests}
    _call("monitor", **options)


def createadmin(args):
    """Create (or reset the password of) a superuser who manages everything in the admin."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    password = args.password or os.environ.get("SIXCLEAR_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            sys.exit("Give --password or set SIXCLEAR_ADMIN_PASSWORD when not at a terminal.")
        password = getpass.getpass("Password: ")
    User = get_user_model()
    user = User.objects.filter(username=args.username).first() or User(username=args.username)
    try:
        validate_password(password, user)
    except ValidationError as error:
        sys.exit("Password refused: " + " ".join(error.messages))
    user.email = args.email or user.email
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    print(f"Administrator {user.username} is ready.")


def backup(args):
    """Write the database, the media files and a manifest into one directory."""
    _django()
    from django.conf import settings
    from django.utils import timezone

    from sixclear.audit.backup import BackupError
    from sixclear.audit.backup import backup as write_backup

    destination = args.destination or (
        settings.DATA_DIR / "backups" / f"sixclear-{timezone.now():%Y%m%d-%H%M%S}")
    try:
        manifest = write_backup(destination)
    except BackupError as error:
        sys.exit(f"Backup refused: {error}")
    tables = manifest["row_counts"]
    media = ("media files left in object storage (not copied)"
             if manifest["media"].get("object_storage")
             else f"{manifest['media']['files']} media files")
    print(f"Backup written to {destination}: {len(tables)} tables, "
          f"{sum(tables.values()):,} rows, {media}, "
          f"audit chain at entry {manifest['audit_head']['seq']}.")


def restore(args):
    """Restore a backup into an empty database, then verify the audit chain and the rollups."""
    _django()
    from sixclear.audit.backup import BackupError
    from sixclear.audit.backup import restore as read_backup

    try:
        differences = read_backup(args.archive, force=args.force)
    except BackupError as error:
        sys.exit(f"Restore refused: {error}")
    if differences:
        sys.exit("Restored, but row counts differ from the manifest:\n" + "\n".join(differences))
    print("Restored: every table has the row count of the manifest.")
    from django.core.management.base import CommandError

    try:
        _call("audit", "verify")
        _call("rollups", verify=True)
    except CommandError as error:
        sys.exit(f"Restored, but not clean: {error}")


def extract_document(args):
    """Print the structure proposed from a document's text, as the "From a document" page
    shows it (docs/extraction.md)."""
    import json

    from sixclear.extraction import UnreadableDocument, extract, read_path

    try:
        text = read_path(args.file)
    except (OSError, UnreadableDocument) as error:
        sys.exit(f"sixclear extract: cannot read {args.file}: {error}")
    proposal = extract(text, language=args.language).as_dict()
    json.dump(proposal, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def manage(args):
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sixclear manage", *args.rest])


def passthrough(args):
    """Run the Django command of the same name: `sixclear rollups --verify`, `sixclear pki demo`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sixclear", args.command, *args.rest])


# Commands that belong to one app and take their own options; `--help` after the name lists them.
PASSTHROUGH = {
    "rollups": "rebuild the dashboards' rollups from scratch (--verify compares them)",
    "pki": "signing keys and certificates (pki demo: a local demo authority)",
    "audit": "the tamper-evident audit trail (audit verify: walk the chain, name any tampering)",
    "evaluation": "the annual evaluation (evaluation seed --year N: the shipped criteria sets)",
    "procedures": "work procedures: rollups [--verify] rebuilds their on-time rollups, remind "
                  "tells of late case steps",
    "snapshots": "periodic reviews: snapshots take --period 2026-Q3 [--unit CODE] freezes a "
                 "period; snapshots seal signs those left unsealed",
}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sixclear", description="Turns a resolution into action and tracks it until done."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("serve", help="start the web server (and in-process jobs)")
    p.add_argument("--host", default=os.environ.get("SIXCLEAR_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("SIXCLEAR_PORT", "8000")))
    p.add_argument("--workers", type=int, default=2, help="web worker processes in production")
    p.add_argument("--no-jobs", action="store_true", help="do not run jobs in this process")
    p.add_argument("--migrate", action="store_true", help="apply migrations first")
    p.set_defaults(handler=serve)

    p = commands.add_parser("demo", help="load the demo data (idempotent)")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(handler=demo)

    p = commands.add_parser("migrate", help="create or update the database tables")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(handler=migrate)

    p = commands.add_parser("worker", help="run the background job consumer")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(handler=worker)

    p = commands.add_parser("monitor", help="recompute statuses and queue reminders now")
    p.add_argument("--date", help="as of this day (YYYY-MM-DD) instead of today")
    p.add_argument("--digests", action="store_true", help="also send the daily e-mails")
    p.set_defaults(handler=monitor)

    p = commands.add_parser("createadmin", help="create a system administrator")
    p.add_argument("username")
    p.add_argument("--email", default="")
    p.add_argument("--password", help="or set SIXCLEAR_ADMIN_PASSWORD; asked when omitted")
    p.set_defaults(handler=createadmin)

    for name, text in PASSTHROUGH.items():
        # Everything after the name goes to the Django command (see main).
        p = commands.add_parser(name, help=text, add_help=False)
        p.set_defaults(handler=passthrough)

    p = commands.add_parser("backup", help="back up the database and the media files")
    p.add_argument("destination", nargs="?", help="a new directory (default: under the data "
                   "directory, backups/sixclear-<time>)")
    p.set_defaults(handler=backup)

    p = commands.add_parser("restore", help="restore a backup into an empty database")
    p.add_argument("archive", help="the directory `sixclear backup` wrote")
    p.add_argument("--force", action="store_true",
                   help="replace what a non-empty database holds")
    p.set_defaults(handler=restore)

    p = commands.add_parser("extract", help="propose a resolution's structure and targets "
                            "from its text (DOCX, PDF or plain text)")
    p.add_argument("file")
    p.add_argument("--language", choices=["vi", "en", "ar"],
                   help="the document's language (default: recognised from the text)")
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(handler=extract_document)

    p = commands.add_parser("manage", help="run any Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=manage)
    return parser


def main(argv=None):
    parser = build_parser()
    # argparse's REMAINDER does not take options that come first (`rollups --verify`), so the
    # pass-through commands get whatever the parser does not know.
    args, rest = parser.parse_known_args(argv)
    if args.handler is passthrough:
        args.rest = rest
    elif rest:
        parser.error("unrecognized arguments: " + " ".join(rest))
    args.handler(args)


if __name__ == "__main__":
    main()
