"""The figures of one bench run against their goals, kept in a file as each part finishes, so
that `python -m bench.summary` prints them side by side at the end of `make bench` (and writes
them into docs/performance.md) with the commit they were measured on.

Each part calls `record(...)` where it prints its own "met"/"not met". The file is
`var/bench/results.json` unless `SIXCLEAR_BENCH_RESULTS` names another; `python -m bench.results
--start` empties it at the start of a run and notes the commit and the machine.
"""

import argparse
import datetime
import json
import os
import subprocess
from pathlib import Path


def results_path() -> Path:
    return Path(os.environ.get("SIXCLEAR_BENCH_RESULTS", "var/bench/results.json"))


def commit() -> str:
    """The commit measured, with "+changes" when the working tree differs from it."""
    def git(*args):
        # git from PATH on fixed arguments: the bench runs in a developer's checkout
        return subprocess.run(["git", *args], capture_output=True, text=True,  # noqa: S603, S607
                              cwd=Path(__file__).resolve().parent).stdout.strip()
    head = git("rev-parse", "--short=10", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def load() -> dict:
    path = results_path()
    if not path.exists():
        return {"run": {}, "figures": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save(data: dict) -> None:
    path = results_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(path)


def start(database: str = "") -> None:
    save({"run": {"commit": commit(), "started": now(), "cores": os.cpu_count(),
                  "database": database}, "figures": {}})


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def record(key: str, goal: str, figure: str, met: bool | None, order: int = 50,
           detail: str = "") -> None:
    """One goal's figure. `key` orders and replaces (a part run again overwrites its rows);
    `met` None is a figure shown without a goal of its own."""
    data = load()
    data.setdefault("run", {}).setdefault("commit", commit())
    data["figures"][key] = {"goal": goal, "figure": figure, "met": met, "order": order,
                            "detail": detail, "measured": now(),
                            "load": " ".join(f"{n:.1f}" for n in os.getloadavg()),
                            "commit": commit()}
    save(data)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", action="store_true", help="empty the results of a run")
    parser.add_argument("--database", default="")
    args = parser.parse_args(argv)
    if args.start:
        start(args.database)
        print(f"Bench results: {results_path()} (commit {commit()})")


if __name__ == "__main__":
    main()
