"""`python -m bench.workers`: a bulk import shared by real worker processes, measured."""

from __future__ import annotations

import pytest

from bench import workers


def test_worker_benchmark_imports_every_article_and_reports_each_workers_peak_memory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert workers.main(["--articles", "30", "--zip-articles", "15", "--no-docs"]) == 0

    report = capsys.readouterr().out
    assert "| 30 | 0 | 0 |" in report, "30 stored, no duplicate, none failed"
    rows = [line for line in report.splitlines() if line.startswith(("| 1 |", "| 2 |"))]
    assert len(rows) == 2, "one memory row per worker"
    for row in rows:
        alone, with_children = (float(cell.replace(",", "")) for cell in row.split("|")[2:4])
        assert 0 < alone <= with_children
