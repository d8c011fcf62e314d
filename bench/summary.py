"""Every goal of the bench run side by side: its figure, "met" or "not met", the commit.

    python -m bench.summary                  # print the table of the last run
    python -m bench.summary --update-docs    # and write it into docs/performance.md

The figures come from `bench.results` (each part of `make bench` records its own); the docs'
table sits between the markers below and is replaced whole, so the page shows the bench's own
output rather than figures copied by hand.
"""

import argparse
from pathlib import Path

from bench import results

START = "<!-- bench-summary:start -->"
END = "<!-- bench-summary:end -->"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def verdict(met):
    return "—" if met is None else ("met" if met else "**not met**")


def table(data: dict) -> str:
    run, figures = data.get("run", {}), data.get("figures", {})
    commits = sorted({row.get("commit", "") for row in figures.values()} - {""})
    lines = [
        f"Measured by `make bench` on commit {', '.join(commits) or run.get('commit', '?')}"
        f" ({run.get('cores', '?')} cores, PostgreSQL on the same machine; started "
        f"{run.get('started', '?')}). Load average beside each figure.",
        "",
        "| goal | figure | met | load | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for _, row in sorted(figures.items(), key=lambda item: (item[1].get("order", 50), item[0])):
        lines.append(f"| {row['goal']} | {row['figure']} | {verdict(row['met'])} | "
                     f"{row.get('load', '')} | {row.get('detail', '')} |")
    goals = [row["met"] for row in figures.values() if row["met"] is not None]
    lines += ["", f"Goals met: {sum(goals)} of {len(goals)}."]
    return "\n".join(lines)


def update_docs(text: str, path: Path = DOCS) -> None:
    page = path.read_text(encoding="utf-8")
    block = f"{START}\n{text}\n{END}"
    if START in page and END in page:
        before, rest = page.split(START, 1)
        page = before + block + rest.split(END, 1)[1]
    else:
        page = page.rstrip("\n") + "\n\n## The last bench run\n\n" + block + "\n"
    path.write_text(page, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-docs", action="store_true",
                        help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    data = results.load()
    if not data.get("figures"):
        print(f"No bench figures in {results.results_path()}: run `make bench` first.")
        return
    text = table(data)
    print()
    print(text)
    if args.update_docs:
        update_docs(text)
        print(f"\nWritten into {DOCS.relative_to(DOCS.parent.parent)}.")


if __name__ == "__main__":
    main()
