"""Measure the extractor on a labelled corpus: `python -m sixclear.extraction.evaluate [DIR]`
(`make extract-eval`). DIR holds `dev/` (read while writing the rules) and `heldout/` (not),
each with documents (`.txt`, `.docx`, `.pdf`) beside their labels (`<name>.json`).

A label names a target by an `anchor`, words of its clause; the proposal whose clause holds
the anchor is its match. For each field: precision = right / proposals that report it (among
matched ones, and for `found` among all), recall = right / labelled targets.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .parse import extract
from .reading import read_path

FIELDS = ("found", "kind", "value", "unit", "year", "direction")
DEFAULT_CORPUS = Path("tests/extraction/corpus")


@dataclass
class Tally:
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reported: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    labelled: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.reported[name] += other.reported[name]
        self.labelled += other.labelled

    def precision(self, name: str) -> float:
        return self.right[name] / self.reported[name] if self.reported[name] else 1.0

    def recall(self, name: str) -> float:
        return self.right[name] / self.labelled if self.labelled else 1.0


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


def proposed_value(target: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    if target["kind"] in ("annual_growth", "growth_range"):
        return _decimal(target["annual_rate"]), _decimal(target["annual_rate_high"])
    return _decimal(target["target_value"]), None


def score(document: Path, labels: dict[str, Any]) -> Tally:
    proposal = extract(read_path(document), language=labels.get("language")).as_dict()
    targets = proposal["targets"]
    tally = Tally(labelled=len(labels["targets"]))
    tally.reported["found"] = len(targets)
    used: set[int] = set()
    for label in labels["targets"]:
        match = next((i for i, t in enumerate(targets)
                      if i not in used and label["anchor"].lower() in t["clause"].lower()), None)
        if match is None:
            tally.misses.append(f"{document.name}: not found: {label['anchor']}")
            continue
        used.add(match)
        target = targets[match]
        tally.right["found"] += 1
        expected = {
            "kind": label["kind"],
            "value": (_decimal(label["value"]), _decimal(label.get("high"))),
            "unit": label.get("unit", ""),
            "year": label["year"],
            "direction": label.get("direction", "higher"),
        }
        got = {
            "kind": target["kind"], "value": proposed_value(target),
            "unit": target["unit"] or "", "year": target["target_year"],
            "direction": target["direction"],
        }
        for name, value in got.items():
            if value in (None, (None, None)):
                continue
            tally.reported[name] += 1
            if value == expected[name]:
                tally.right[name] += 1
            else:
                tally.misses.append(f"{document.name}: {label['anchor']}: {name} "
                                    f"{value!r} != {expected[name]!r}")
    for i, target in enumerate(targets):
        if i not in used:
            tally.misses.append(f"{document.name}: extra: line {target['line']}: "
                                f"{target['clause']}")
    return tally


def evaluate(corpus: Path) -> dict[str, dict[str, Tally]]:
    """{split: {language or "all": tally}}"""
    results: dict[str, dict[str, Tally]] = {}
    for split in sorted(p for p in corpus.iterdir() if p.is_dir()):
        per_language: dict[str, Tally] = defaultdict(Tally)
        for label_file in sorted(split.glob("*.json")):
            labels = json.loads(label_file.read_text(encoding="utf-8"))
            document = next(p for p in split.iterdir()
                            if p.stem == label_file.stem and p.suffix != ".json")
            tally = score(document, labels)
            per_language[labels["language"]].add(tally)
            per_language[labels["language"]].misses.extend(tally.misses)
            per_language["all"].add(tally)
        if per_language:
            results[split.name] = dict(per_language)
    return results


def report(results: dict[str, dict[str, Tally]], verbose: bool = False) -> str:
    lines = []
    total = Tally()
    for split, per_language in results.items():
        total.add(per_language["all"])
        for language, tally in sorted(per_language.items()):
            lines.append(f"{split:8} {language:4} targets {tally.labelled:3}   " + "  ".join(
                f"{name} P {tally.precision(name):.3f} R {tally.recall(name):.3f}"
                for name in FIELDS))
            if verbose and language != "all":
                lines.extend("    " + miss for miss in tally.misses)
    lines.append(f"{'total':8} {'all':4} targets {total.labelled:3}   " + "  ".join(
        f"{name} P {total.precision(name):.3f} R {total.recall(name):.3f}" for name in FIELDS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    print(report(evaluate(args.corpus), verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
