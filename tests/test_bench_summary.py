"""The bench's summary: each part records its goal's figure, the summary prints every goal side
by side with "met"/"not met" and the commit, and writes the table into the performance page
between its markers (replacing the previous table, keeping the rest of the page)."""

import pytest

from bench import results, summary


@pytest.fixture
def results_file(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    monkeypatch.setenv("SIXCLEAR_BENCH_RESULTS", str(path))
    return path


def test_parts_record_and_the_summary_lists_every_goal_in_order(results_file):
    results.start("sixclear_bench")
    results.record("writes", "≥ 300 writes/s", "212 writes/s", False, order=30)
    results.record("pages", "Every page p95 < 100 ms", "210 of 210 pages", True, order=10)
    results.record("throughput-hello-world", "Throughput: hello-world", "6,000 req/s", None,
                   order=59)
    text = summary.table(results.load())
    lines = text.splitlines()
    pages = next(i for i, line in enumerate(lines) if line.startswith("| Every page"))
    writes = next(i for i, line in enumerate(lines) if line.startswith("| ≥ 300"))
    assert pages < writes
    assert "| 210 of 210 pages | met |" in text
    assert "| 212 writes/s | **not met** |" in text
    assert "Goals met: 1 of 2." in text  # the hello-world is no goal of its own
    assert results.commit().split("+")[0] in text


def test_a_part_run_again_replaces_its_row(results_file):
    results.start()
    results.record("report", "Report < 5 s", "6.1 s", False)
    results.record("report", "Report < 5 s", "4.2 s", True)
    figures = results.load()["figures"]
    assert list(figures) == ["report"] and figures["report"]["figure"] == "4.2 s"


def test_the_docs_table_is_replaced_between_its_markers(results_file, tmp_path):
    page = tmp_path / "performance.md"
    page.write_text("# Performance\n\nIntro.\n", encoding="utf-8")
    summary.update_docs("first table", page)
    summary.update_docs("second table", page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nIntro.\n")
    assert "second table" in text and "first table" not in text
    assert text.count(summary.START) == 1 and text.count(summary.END) == 1
