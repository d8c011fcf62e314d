"""Fault drills on the production setup: `make drill` (or `python -m drills`).

Everything runs on this machine, on its own servers, and is removed at the end: a PostgreSQL
cluster in a temporary directory on a free port (Debian's initdb and pg_ctl, as the
`postgres` user when started by root), a redis-server on a free port, then the production
configuration (`SIXCLEAR_ENV=production`): migrations, the demo data, gunicorn with several
workers on 127.0.0.1 and two job workers (`sixclear worker`) on that Redis. Nothing touches
another PostgreSQL or Redis.

Under a bounded write load (progress reports through the API with personal tokens, each with
its own Idempotency-Key, and report generation jobs), each drill prints writes acknowledged /
writes found / jobs requested / jobs run / lost:

  (a) kill -9 a job worker while it builds a report: the report completes (the outbox hands
      the job over again once its lease has passed; a new worker is started as a supervisor
      would);
  (b) restart PostgreSQL (immediate stop, a few seconds down): every write answered 2xx is in
      the database, the others got 503 in the API's error format, no partial row (each
      report has its history record and audit entry);
  (c) stop Redis for a few seconds: the web keeps answering, no job lost (the drain);
  (d) `sixclear backup` under load, `sixclear restore` into a new database (which runs
      `sixclear audit verify` and `sixclear rollups --verify`), row counts equal;
  (e) point-in-time recovery: a base backup taken at the start and the archived WAL replayed
      into a second cluster up to a moment: the writes before it are there, those after not.

    python -m drills [--keep] [--web-workers 3] [--lease 8]
"""

import argparse
import contextlib
import datetime
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

MARK = "drill-write"


def log(message=""):
    print(message, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout, step=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return True
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- servers ----------------------------------------------------------------------------------

class PostgresCluster:
    """A throwaway cluster: initdb, WAL archiving on, trust on 127.0.0.1 only."""

    def __init__(self, root, port, archive):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                          key=lambda p: int(Path(p).parent.parent.name))
        if not versions:
            raise SystemExit("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin).")
        self.bin = Path(versions[-1]).parent
        self.root, self.port, self.archive = Path(root), port, Path(archive)
        self.data = self.root / "data"
        self.logfile = self.root / "server.log"

    def run(self, *command, check=True, capture=False):
        command = [str(part) for part in command]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, text=True,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE if capture else subprocess.DEVNULL)

    def own(self, *paths):
        if os.geteuid() == 0:
            for path in paths:
                shutil.chown(path, "postgres", "postgres")

    def init(self):
        self.root.mkdir(parents=True)
        self.archive.mkdir(parents=True, exist_ok=True)
        self.own(self.root, self.archive)
        self.run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")
        self.configure(f"archive_command = 'test ! -f {self.archive}/%f && "
                       f"cp %p {self.archive}/%f'")

    def configure(self, *extra):
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join([
                f"port = {self.port}", "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{self.root}'", "wal_level = replica",
                "archive_mode = on", "max_connections = 100", "shared_buffers = 64MB",
                *extra]) + "\n")

    def start(self):
        self.run(self.bin / "pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-t", "60",
                 "start")

    def stop(self, mode="fast"):
        self.run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def url(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement, database="postgres"):
        result = self.run("psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                          "-d", database, "-tAc", statement, capture=True)
        return result.stdout.strip()


class Redis:
    def __init__(self, root, port):
        self.root, self.port, self.process = Path(root), port, None

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        # No persistence: a restart loses what was queued, the harder case for the outbox.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root)],
            stdout=open(self.root / "redis.log", "a"), stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_for(self.ping, 20, what="redis")

    def ping(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Processes:
    """The site's processes, each in its own session so that it can be stopped whole."""

    def __init__(self, root, env):
        self.root, self.env, self.running = Path(root), env, {}

    def start(self, name, *args):
        out = open(self.root / f"{name}.log", "a")
        process = subprocess.Popen([sys.executable, "-m", "sixclear.cli", *args], env=self.env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.running[name] = process
        return process

    def call(self, *args, env=None, check=True):
        result = subprocess.run([sys.executable, "-m", "sixclear.cli", *args],
                                env=env or self.env, text=True, capture_output=True)
        if check and result.returncode:
            raise RuntimeError(f"sixclear {' '.join(args)} failed:\n{result.stdout}\n"
                               f"{result.stderr}")
        return result

    def stop(self, name, sig=signal.SIGTERM):
        process = self.running.pop(name, None)
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)


# --- the write load ---------------------------------------------------------------------------

@dataclass
class Tally:
    acknowledged: list = field(default_factory=list)  # markers answered 2xx
    refused: dict = field(default_factory=dict)  # status -> markers
    bodies_503: list = field(default_factory=list)
    reports: list = field(default_factory=list)  # report ids requested (committed)
    report_refusals: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Load:
    """Writers posting progress reports through the API, and report requests, until stopped."""

    def __init__(self, base_url, writers, reporter, tally, pause=0.05, report_every=1.5):
        self.base_url, self.writers, self.reporter = base_url, writers, reporter
        self.tally, self.pause, self.report_every = tally, pause, report_every
        self.stopping = threading.Event()
        self.threads = []

    def post(self, token, task_id, percent):
        marker = f"{MARK} {uuid.uuid4()}"
        body = json.dumps({"task": task_id, "percent": percent, "narrative": marker}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/progress-reports/", data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Idempotency-Key": marker.split()[-1]})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except OSError as error:  # no answer at all (connection reset, timeout)
            status, payload = type(error).__name__, b""
        with self.tally.lock:
            if isinstance(status, int) and 200 <= status < 300:
                self.tally.acknowledged.append(marker)
            else:
                self.tally.refused.setdefault(status, []).append(marker)
                if status == 503:
                    self.tally.bodies_503.append(payload)

    def writer(self, token, task_ids):
        index = 0
        while not self.stopping.is_set():
            task_id, percent = task_ids[index % len(task_ids)]
            self.post(token, task_id, percent)
            index += 1
            time.sleep(self.pause)

    def report_requests(self):
        from django.db import close_old_connections

        while not self.stopping.wait(self.report_every):
            try:
                report = self.reporter()
            except Exception:  # the database is down: the request was refused, not lost
                with self.tally.lock:
                    self.tally.report_refusals += 1
                close_old_connections()
            else:
                with self.tally.lock:
                    self.tally.reports.append(report.pk)

    def __enter__(self):
        for token, task_ids in self.writers:
            self.threads.append(threading.Thread(target=self.writer, args=(token, task_ids)))
        if self.reporter:
            self.threads.append(threading.Thread(target=self.report_requests))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)


# --- the drill ---------------------------------------------------------------------------------

class Drill:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.root = Path(tempfile.mkdtemp(prefix="sixclear-drill-"))
        os.chmod(self.root, 0o755)  # the postgres user reaches its cluster inside
        self.pg = PostgresCluster(self.root / "pg", free_port(), self.root / "wal-archive")
        self.redis = Redis(self.root / "redis", free_port())
        self.web_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.env = dict(os.environ,
                        SIXCLEAR_ENV="production", SIXCLEAR_SECRET_KEY=secrets.token_urlsafe(60),
                        SIXCLEAR_ALLOWED_HOSTS="127.0.0.1", SIXCLEAR_SSL_REDIRECT="0",
                        SIXCLEAR_DATA_DIR=str(self.root / "data"),
                        DATABASE_URL=self.pg.url("sixclear"),
                        REDIS_URL=f"redis://127.0.0.1:{self.redis.port}/0",
                        SIXCLEAR_JOB_LEASE_SECONDS=str(args.lease),
                        SIXCLEAR_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                        SIXCLEAR_API_RATE="", SIXCLEAR_WORKERS="2")
        self.env.pop("SIXCLEAR_TESTING", None)
        self.processes = Processes(self.root, self.env)
        self.results = []
        self.worker_count = 0

    # setup

    def setup(self):
        log(f"== drill: servers in {self.root}")
        self.pg.init()
        self.pg.start()
        self.pg.sql("CREATE DATABASE sixclear")
        log(f"   PostgreSQL {self.pg.bin.parent.name} on 127.0.0.1:{self.pg.port}, "
            f"Redis on 127.0.0.1:{self.redis.port}")
        self.redis.start()
        step = time.monotonic()
        self.processes.call("migrate", "-v", "0")
        self.processes.call("manage", "demo", "--allow-production", "-v", "0")
        self.processes.call("manage", "collectstatic", "--noinput", "-v", "0")
        log(f"   migrated, demo loaded, static collected in {time.monotonic() - step:.0f} s")
        os.environ.update(self.env)  # this process reads the same database
        os.environ["DJANGO_SETTINGS_MODULE"] = "sixclear.settings"
        import django

        django.setup()
        (self.root / "pg-base").mkdir()
        self.pg.own(self.root / "pg-base")
        self.pg.run(self.pg.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", self.pg.port,
                    "-U", "postgres", "-D", self.root / "pg-base", "-X", "stream", "-c", "fast")
        log("   base backup taken (for point-in-time recovery)")
        self.processes.start("web", "serve", "--no-jobs", "--host", "127.0.0.1",
                             "--port", str(self.web_port),
                             "--workers", str(self.args.web_workers))
        self.start_worker()
        self.start_worker()
        wait_for(lambda: self.get("/") in (200, 302), 60, what="gunicorn")
        self.prepare_load()
        log(f"   gunicorn ({self.args.web_workers} workers) on {self.base_url}, "
            f"2 job workers; {len(self.writers)} API writers on "
            f"{sum(len(t) for _, t in self.writers)} tasks")

    def start_worker(self):
        self.worker_count += 1
        return self.processes.start(f"worker-{self.worker_count}", "worker", "--workers", "2")

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def page(self, path):
        """(status, content type) of a page, e.g. during an outage."""
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
                return response.status, response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type()

    def prepare_load(self):
        from sixclear.api.services import create_token
        from sixclear.orgs.models import Membership, Role
        from sixclear.reports import services as reports
        from sixclear.tracking.models import Task, TaskState
        from sixclear.tracking.services import can_report_on

        by_owner = {}
        for task in (Task.objects.filter(state=TaskState.ISSUED, owner__isnull=False,
                                         owner__is_active=True)
                     .select_related("owner", "unit").order_by("pk")):
            if can_report_on(task.owner, task):
                by_owner.setdefault(task.owner, []).append((task.pk, task.percent_complete))
        owners = sorted(by_owner, key=lambda user: -len(by_owner[user]))[:self.args.writers]
        if not owners:
            raise SystemExit("The demo has no issued task with an owner to report on.")
        self.writers = [(create_token(actor=owner, name="drill", days=1)[1], by_owner[owner][:5])
                        for owner in owners]
        membership = (Membership.objects.filter(role__in=[Role.MANAGER, Role.LEADER])
                      .select_related("user", "unit").order_by("unit__depth", "pk").first())
        today = datetime.date.today()
        quarter = (today.month - 1) // 3 + 1

        def reporter():
            return reports.request_report(
                actor=membership.user, unit=membership.unit, period_kind="quarter",
                year=today.year, period_number=quarter, format="pdf", language="vi")

        self.reporter = reporter
        self.report_unit = membership.unit

    # measuring

    def jobs_since(self, since):
        from sixclear.outbox.models import Job

        return Job.objects.filter(created_at__gte=since)

    def wait_jobs(self, since, timeout):
        from django.db import close_old_connections

        def settled():
            close_old_connections()
            return not self.jobs_since(since).filter(finished_at__isnull=True).exists()

        with contextlib.suppress(TimeoutError):
            wait_for(settled, timeout, step=1, what="jobs")

    def record(self, name, since, tally, note=""):
        from django.db import close_old_connections

        from sixclear.audit.models import AuditEntry
        from sixclear.reports.models import Report
        from sixclear.tracking.models import ProgressReport

        close_old_connections()
        markers = set(tally.acknowledged)
        rows = dict(ProgressReport.objects.filter(narrative__startswith=MARK)
                    .values_list("narrative", "pk"))
        found = markers & set(rows)
        refused = {m for ms in tally.refused.values() for m in ms}
        saved_though_refused = refused & set(rows)
        ids = [rows[m] for m in found]
        history = ProgressReport.history.filter(id__in=ids)
        with_history = set(history.values_list("id", flat=True))
        chained = set(AuditEntry.objects.filter(
            model_label="tracking.ProgressReport", object_id__in=[str(i) for i in ids])
            .values_list("object_id", flat=True))
        partial = len(ids) - len(with_history & {int(i) for i in chained})
        jobs = self.jobs_since(since)
        requested, run = jobs.count(), jobs.filter(finished_at__isnull=False).count()
        retried = jobs.filter(attempts__gt=1).count()
        late = jobs.filter(last_error__startswith="queue:").count()  # queue down at commit
        reports = Report.objects.filter(pk__in=tally.reports)
        reports_done = reports.filter(status="done").count()
        bad_503 = [b for b in tally.bodies_503 if json.loads(b or b"{}").get("code")
                   != "unavailable"]
        result = {
            "drill": name, "writes_acknowledged": len(markers), "writes_found": len(found),
            "writes_refused": {str(k): len(v) for k, v in tally.refused.items()},
            "refused_but_saved": len(saved_though_refused), "partial_rows": partial,
            "jobs_requested": requested, "jobs_run": run, "jobs_retried": retried,
            "jobs_handed_over_late": late,
            "reports_requested": len(tally.reports), "reports_done": reports_done,
            "report_requests_refused": tally.report_refusals,
            "lost": (len(markers) - len(found)) + (requested - run),
            "503_not_in_api_format": len(bad_503), "note": note,
        }
        self.results.append(result)
        refused_text = ", ".join(f"{count} × {status}" for status, count in
                                 result["writes_refused"].items()) or "none"
        log(f"   writes acknowledged {len(markers)} / writes found {len(found)} · "
            f"jobs requested {requested} / jobs run {run} · lost {result['lost']}")
        log(f"   refused: {refused_text} (saved though refused: {len(saved_though_refused)}; "
            f"partial rows: {partial}); reports {reports_done}/{len(tally.reports)} done, "
            f"{retried} job(s) retried, {late} handed to the queue late (down at commit)"
            f"{'; ' + note if note else ''}")
        return result

    def phase_start(self):
        from django.utils import timezone

        return timezone.now()

    # the drills

    def drill_kill_worker(self):
        log("== (a) kill -9 a job worker while it builds a report")
        from django.db import close_old_connections

        from sixclear.outbox.models import Job

        since, tally = self.phase_start(), Tally()
        victims = {}
        with Load(self.base_url, self.writers, None, tally):
            for _ in range(4):
                tally.reports.append(self.reporter().pk)
            workers = {str(p.pid): name for name, p in self.processes.running.items()
                       if name.startswith("worker")}

            def building():
                close_old_connections()
                for job in Job.objects.filter(created_at__gte=since, started_at__isnull=False,
                                              finished_at__isnull=True,
                                              name__endswith="generate_report"):
                    pid = job.worker.rsplit(":", 1)[-1]
                    if pid in workers:
                        victims[pid] = workers[pid]
                        return True
                return False

            wait_for(building, 60, step=0.05, what="a report being built")
            for pid, name in victims.items():
                os.kill(int(pid), signal.SIGKILL)
                self.processes.running.pop(name).wait(10)
            interrupted = Job.objects.filter(created_at__gte=since, finished_at__isnull=True,
                                             started_at__isnull=False,
                                             worker__endswith=f":{pid}").count()
            log(f"   killed {', '.join(victims.values())} (pid {', '.join(victims)}) "
                f"with {interrupted} job(s) unfinished")
            time.sleep(self.args.lease + 1)  # then a supervisor starts a new worker
            self.start_worker()
            time.sleep(3)
        self.wait_jobs(since, 150)
        return self.record("a: kill -9 a job worker mid-report", since, tally,
                           note=f"{interrupted} interrupted job(s) re-run after the lease")

    def drill_restart_postgres(self):
        log("== (b) restart PostgreSQL under load")
        from django.db import connections

        since, tally = self.phase_start(), Tally()
        with Load(self.base_url, self.writers, self.reporter, tally):
            time.sleep(3)
            down = time.monotonic()
            self.pg.stop("immediate")  # as a crash: only what was committed survives
            time.sleep(1)
            page = self.page("/portal/")
            time.sleep(max(self.args.outage - 1, 0))
            self.pg.start()
            up = time.monotonic() - down
            connections.close_all()
            time.sleep(4)
        self.wait_jobs(since, 150)
        return self.record("b: restart PostgreSQL", since, tally,
                           note=f"database down {up:.1f} s; a page meanwhile answered "
                                f"{page[0]} {page[1]}")

    def drill_stop_redis(self):
        log("== (c) stop Redis under load")
        since, tally = self.phase_start(), Tally()
        with Load(self.base_url, self.writers, self.reporter, tally):
            time.sleep(3)
            down = time.monotonic()
            self.redis.stop()
            during = Tally()
            with Load(self.base_url, self.writers[:1], None, during):
                time.sleep(self.args.outage)
            self.redis.start()
            up = time.monotonic() - down
            time.sleep(4)
        # Jobs asked for while Redis was down, or queued in the Redis that restarted empty,
        # are handed over by the next drain (every minute).
        self.wait_jobs(since, 180)
        tally.acknowledged += during.acknowledged
        for status, markers in during.refused.items():
            tally.refused.setdefault(status, []).extend(markers)
        return self.record("c: stop Redis", since, tally,
                           note=f"Redis down {up:.1f} s, web answered "
                                f"{len(during.acknowledged)} writes meanwhile")

    def drill_backup_restore(self):
        log("== (d) back up under load, restore into a new database, verify")
        since, tally = self.phase_start(), Tally()
        archive = self.root / "backup"
        with Load(self.base_url, self.writers, self.reporter, tally):
            time.sleep(2)
            backed = self.processes.call("backup", str(archive))
            time.sleep(2)
        log("   " + backed.stdout.strip().splitlines()[-1])
        self.wait_jobs(since, 150)
        self.pg.sql("CREATE DATABASE sixclear_restored")
        restored_env = dict(self.env, DATABASE_URL=self.pg.url("sixclear_restored"),
                            SIXCLEAR_DATA_DIR=str(self.root / "restored"))
        restored = self.processes.call("restore", str(archive), env=restored_env, check=False)
        output = (restored.stdout + restored.stderr).strip()
        counts = json.loads((archive / "manifest.json").read_text())["row_counts"]
        # `sixclear restore` compares every table's count with the manifest, then runs
        # `sixclear audit verify` and `sixclear rollups --verify`; any failure exits non-zero.
        equal = "every table has the row count of the manifest" in output
        clean = restored.returncode == 0 and equal
        for line in output.splitlines():
            if not line.startswith("AXES"):
                log(f"   {line}")
        result = self.record("d: backup and restore", since, tally,
                             note=f"restore exit {restored.returncode}, "
                                  f"{len(counts)} tables / {sum(counts.values())} rows, "
                                  f"row counts {'equal' if equal else 'DIFFERENT'}")
        result["restore_clean"] = clean
        if not clean:
            result["lost"] += 1
        return result

    def drill_point_in_time(self):
        log("== (e) point-in-time recovery to a moment between two sets of writes")
        from django.db import close_old_connections

        since, before = self.phase_start(), Tally()
        with Load(self.base_url, self.writers, None, before):
            time.sleep(3)
        time.sleep(1)
        moment = self.pg.sql("SELECT clock_timestamp()")
        time.sleep(1)
        after = Tally()
        with Load(self.base_url, self.writers, None, after):
            time.sleep(3)
        self.pg.sql("SELECT pg_switch_wal()")
        time.sleep(2)  # the archiver copies the last segment
        recovered = PostgresCluster(self.root / "pg-recovered", free_port(), self.pg.archive)
        recovered.root.mkdir(parents=True)
        recovered.own(recovered.root)
        self.pg.run("cp", "-a", self.root / "pg-base", recovered.data)
        self.pg.run("chmod", "0700", recovered.data)  # the server refuses a wider data directory
        recovered.configure(f"restore_command = 'cp {self.pg.archive}/%f %p'",
                            f"recovery_target_time = '{moment}'",
                            "recovery_target_action = 'promote'", "archive_mode = off")
        self.pg.run("touch", recovered.data / "recovery.signal")
        step = time.monotonic()
        recovered.start()
        wait_for(lambda: recovered.sql("SELECT pg_is_in_recovery()") == "f", 120,
                 what="recovery")
        seconds = time.monotonic() - step
        narratives = set(recovered.sql(
            f"SELECT narrative FROM tracking_progressreport WHERE narrative LIKE '{MARK}%'",
            "sixclear").splitlines())
        kept = len(set(before.acknowledged) & narratives)
        dropped = len(set(after.acknowledged) - narratives)
        verify_env = dict(self.env, DATABASE_URL=recovered.url("sixclear"))
        audit = self.processes.call("audit", "verify", env=verify_env, check=False)
        rollups = self.processes.call("rollups", "--verify", env=verify_env, check=False)
        recovered.stop()
        close_old_connections()
        tally = Tally(acknowledged=before.acknowledged, refused=before.refused)
        result = self.record(
            "e: point-in-time recovery", since, tally,
            note=f"recovered to {moment} in {seconds:.1f} s: {kept}/{len(before.acknowledged)}"
                 f" writes before the moment kept, {dropped}/{len(after.acknowledged)} after it "
                 f"absent; audit verify exit {audit.returncode}, rollups --verify exit "
                 f"{rollups.returncode}")
        # The writes before the moment must be in the recovered database (not only here).
        result["writes_found"] = kept
        result["lost"] = len(before.acknowledged) - kept
        result["pitr_clean"] = (dropped == len(after.acknowledged) and audit.returncode == 0
                                and rollups.returncode == 0)
        if not result["pitr_clean"]:
            result["lost"] += 1
        return result

    def final_checks(self):
        audit = self.processes.call("audit", "verify", check=False)
        rollups = self.processes.call("rollups", "--verify", check=False)
        log(f"== after the drills: audit verify exit {audit.returncode}, rollups --verify exit "
            f"{rollups.returncode}")
        return audit.returncode == 0 and rollups.returncode == 0

    def cleanup(self):
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        self.processes.stop_all()
        self.redis.stop()
        self.pg.stop("fast")
        with contextlib.suppress(Exception):
            PostgresCluster(self.root / "pg-recovered", 0, self.pg.archive).stop("immediate")
        if self.args.keep:
            log(f"kept {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    def run(self):
        try:
            self.setup()
            chosen = self.args.only or "abcde"
            drills = {"a": self.drill_kill_worker, "b": self.drill_restart_postgres,
                      "c": self.drill_stop_redis, "d": self.drill_backup_restore,
                      "e": self.drill_point_in_time}
            for key in chosen:
                drills[key]()
            clean = self.final_checks()
        except BaseException:
            for name in ("web", "worker-1", "worker-2", "pg/server", "pg-recovered/server"):
                path = self.root / f"{name}.log"
                if path.exists():
                    log(f"-- last lines of {name}.log")
                    log("\n".join(path.read_text(errors="replace").splitlines()[-15:]))
            raise
        finally:
            self.cleanup()
        elapsed = time.monotonic() - self.started
        log("")
        log(f"{'drill':38} {'acknowledged':>12} {'found':>6} {'requested':>9} {'run':>5} "
            f"{'lost':>5}")
        for r in self.results:
            log(f"{r['drill']:38} {r['writes_acknowledged']:>12} {r['writes_found']:>6} "
                f"{r['jobs_requested']:>9} {r['jobs_run']:>5} {r['lost']:>5}")
        lost = sum(r["lost"] for r in self.results)
        log(f"make drill: {len(self.results)} drills in {elapsed:.0f} s, {lost} lost, "
            f"final verification {'clean' if clean else 'NOT clean'}")
        if self.args.json:
            Path(self.args.json).write_text(json.dumps(
                {"seconds": round(elapsed), "drills": self.results}, indent=2))
        return 0 if lost == 0 and clean else 1


def main():
    parser = argparse.ArgumentParser(prog="python -m drills", description=__doc__.split("\n")[0])
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--writers", type=int, default=3, help="API writers (one token each)")
    parser.add_argument("--lease", type=int, default=8,
                        help="job lease in seconds (SIXCLEAR_JOB_LEASE_SECONDS) for the drill")
    parser.add_argument("--outage", type=float, default=4, help="seconds each server is down")
    parser.add_argument("--only", help="a subset of the drills, e.g. 'ab'")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    sys.exit(Drill(parser.parse_args()).run())


if __name__ == "__main__":
    main()
