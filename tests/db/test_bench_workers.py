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
    assert "| Articles done | Seconds | Articles/s since the tenth before |" in report
    assert any(line.startswith("| 30 |") for line in report.splitlines()), "the last tenth"


def test_the_import_is_reported_by_tenths_with_the_rate_through_each() -> None:
    progress = [workers.Progress(float(second), second * 10) for second in range(0, 91)]
    slower = [workers.Progress(90.0 + second, 900 + second * 5) for second in range(1, 21)]
    rows = workers.tenths(progress + slower, 1_000)
    assert rows[0] == (100, 10.0, 10.0)
    assert rows[-1] == (1_000, 110.0, 5.0), "the last tenth at half the rate"
    assert len(rows) == 10
