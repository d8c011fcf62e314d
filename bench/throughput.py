"""Throughput on the production setup: gunicorn in front of the bench data set, loaded by wrk.

    python -m bench.throughput [--database-url URL] [--seconds S] [--connections N]
                               [--workers W] [--threads T]

Starts Sixclear as production runs it (`SIXCLEAR_ENV=production`, DEBUG off, static files
collected, `sixclear serve --no-jobs`: gunicorn with W workers of T threads) on the bench
database, and beside it a Django hello-world on the same gunicorn settings. Then wrk (Debian's
package, installed when missing) opens N connections for S seconds against:

  1. a mix of signed-in pages: My work, a task, the dashboard and the approvals, as the
     officers, managers and leaders of a commune, of the largest province and of the country
     (bench personas, one session each), in turn;
  2. the portal's home page, anonymous;
  3. the hello-world.

It prints requests per second, the 95th percentile latency and the responses that were not
2xx for each, and each figure's ratio to the hello-world's requests per second. The goals
(issue 19): the signed-in mix ≥ 250 req/s with p95 < 250 ms, the portal home ≥ 2,000 req/s.
"""

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import DEFAULT_DATABASE_URL, TODAY

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MIX_PAGES = ("my work", "task", "dashboard", "approvals")
MIX_ROLES = ("officer", "manager", "leader")
GOALS = {"signed-in mix": (250, 250), "portal home": (2000, None)}

HELLO = '''
import os
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(DEBUG=False, SECRET_KEY=os.environ["HELLO_SECRET"], ROOT_URLCONF=__name__,
                   ALLOWED_HOSTS=["127.0.0.1"], MIDDLEWARE=[])
urlpatterns = [path("", lambda request: HttpResponse("Hello, world"))]
application = get_wsgi_application()
'''

# Every answer but 200 counts as bad: wrk's own error count leaves out redirects, and a
# signed-in page answering with the sign-in redirect is no signed-in page (each wrk thread
# counts in its own Lua state; `done` adds the threads' counts up).
LUA = '''
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local threads = {}
local i = 0
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  not_ok = 0
end
request = function()
  i = i %% #paths + 1
  local headers = {}
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  return wrk.format("GET", paths[i], headers)
end
response = function(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  io.write(string.format("RESULT %%d %%f %%d %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(95), bad))
end
'''


def log(message=""):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, data_dir):
    env = dict(os.environ, DATABASE_URL=database_url, SIXCLEAR_ENV="production",
               SIXCLEAR_SECRET_KEY=secrets.token_urlsafe(60),
               SIXCLEAR_ALLOWED_HOSTS="127.0.0.1", SIXCLEAR_SSL_REDIRECT="0",
               SIXCLEAR_DATA_DIR=str(data_dir), SIXCLEAR_DEBUG="0", SIXCLEAR_LOG_LEVEL="WARNING",
               SIXCLEAR_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
               SIXCLEAR_API_RATE="", SIXCLEAR_REQUIRE_SECOND_FACTOR="0",
               DJANGO_SETTINGS_MODULE="sixclear.settings",
               SIXCLEAR_SESSION_IDLE_MINUTES="600")
    env.pop("SIXCLEAR_TESTING", None)
    return env


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def signed_in_requests():
    """(path, cookie) of every page of the mix for every persona, in this process (the same
    database and secret key as the server, so the sessions are valid there)."""
    import django
    import time_machine

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.pages import page_urls
    from bench.personas import ensure_personas, personas, pick_units

    with time_machine.travel(TODAY):
        units = pick_units()
        ensure_personas(units)
        urls = {unit.pk: dict(page_urls(unit)) for _level, unit in units}
        people = [(role, unit, user) for _level, role, unit, user in personas(units)
                  if role in MIX_ROLES]
    # Signed in now, not on the data set's day: the server keeps real time, and a session
    # dated then had long expired (every page of the mix answered with the sign-in redirect).
    pairs = []
    for _role, unit, user in people:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={client.cookies[name].value}"
        pairs.extend((urls[unit.pk][page], cookie) for page in MIX_PAGES
                     if page in urls[unit.pk])
    return pairs


def run_wrk(base_url, pairs, args, workdir, name):
    script = workdir / f"{name.replace(' ', '-')}.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p, _c in pairs),
                             "cookies": ", ".join(f'"{c}"' for _p, c in pairs)})
    result = subprocess.run(
        ["wrk", "-t", str(min(2, args.connections)), "-c", str(args.connections),
         "-d", f"{args.seconds}s", "--timeout", "10s", "-s", str(script), base_url],
        capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    count, seconds, p95_us, bad = line.split()[1:]
    return {"rps": int(count) / float(seconds), "p95_ms": int(p95_us) / 1000, "bad": int(bad),
            "count": int(count)}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    subprocess.run([str(ROOT / "scripts" / "ensure-debian-packages"), "wrk"], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="sixclear-throughput-"))
    env = production_env(args.database_url, workdir / "data")
    (workdir / "data" / "static").mkdir(parents=True)
    os.environ.update(env)
    servers = []
    try:
        subprocess.run([str(BIN / "sixclear"), "manage", "collectstatic", "--noinput",
                        "-v", "0"], env=env, check=True)
        port, hello_port = free_port(), free_port()
        servers.append(subprocess.Popen(
            [str(BIN / "sixclear"), "serve", "--no-jobs", "--host", "127.0.0.1", "--port",
             str(port), "--workers", str(args.workers)], env=env))
        (workdir / "hello_wsgi.py").write_text(HELLO)
        servers.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "hello_wsgi:application", "--bind",
             f"127.0.0.1:{hello_port}", "--workers", str(args.workers),
             "--threads", str(args.threads)],
            env=dict(env, HELLO_SECRET=secrets.token_urlsafe(40), PYTHONPATH=str(workdir)),
            cwd=workdir))
        base, hello = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{hello_port}"
        wait_until_up(base + "/portal/")
        wait_until_up(hello + "/")
        pairs = signed_in_requests()
        log(f"gunicorn {args.workers} workers × {args.threads} threads; wrk {args.connections} "
            f"connections, {args.seconds} s each; {len(pairs)} signed-in pages in the mix")
        # The mix last: its slow pages leave requests queued after wrk stops, which the next
        # run would otherwise wait behind.
        results = {
            "hello-world": run_wrk(hello, [("/", "")], args, workdir, "hello"),
            "portal home": run_wrk(base, [("/portal/", "")], args, workdir, "portal"),
            "signed-in mix": run_wrk(base, pairs, args, workdir, "mix"),
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    report(results)


def report(results):
    hello = results["hello-world"]["rps"]
    log()
    log("| load | requests | req/s | p95 ms | not 200 | ratio to hello-world | goal |")
    log("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, row in results.items():
        goal = GOALS.get(name)
        wanted = ""
        if goal:
            rps, p95 = goal
            met = row["rps"] >= rps and (p95 is None or row["p95_ms"] < p95)
            wanted = f"≥ {rps} req/s" + (f", p95 < {p95} ms" if p95 else "") + \
                (" — met" if met else " — not met")
        log(f"| {name} | {row['count']:,} | {row['rps']:,.0f} | {row['p95_ms']:.1f} | "
            f"{row['bad']} | {row['rps'] / hello:.2f} | {wanted} |")
        record_throughput(name, row, hello, goal)


def record_throughput(name, row, hello, goal):
    """Goal 5: req/s (and p95) with 50 connections, each beside the hello-world's figure."""
    from bench.results import record

    figure = (f"{row['rps']:,.0f} req/s, p95 {row['p95_ms']:.0f} ms, "
              f"{row['rps'] / hello:.2f}× hello-world")
    if not goal:
        record(f"throughput-{name}", f"Throughput: {name} (for comparison)", figure, None,
               order=59)
        return
    rps, p95 = goal
    wanted = f"≥ {rps:,} req/s" + (f", p95 < {p95} ms" if p95 else "")
    record(f"throughput-{name}", f"Throughput, 50 connections: {name} {wanted}", figure,
           row["rps"] >= rps and (p95 is None or row["p95_ms"] < p95) and not row["bad"],
           order=50, detail=f"{row['bad']} answers not 200" if row["bad"] else "")


if __name__ == "__main__":
    main()
