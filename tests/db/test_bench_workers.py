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
    assert "| CPU ms per article, workers | CPU ms per article, Postgres |" in report
    assert any(line.startswith("| 30 |") for line in report.splitlines()), "the last tenth"


def test_the_import_is_reported_by_tenths_with_the_rate_and_cpu_through_each() -> None:
    progress = [
        workers.Progress(float(second), second * 10, second * 0.02, second * 0.03)
        for second in range(0, 91)
    ]
    slower = [
        workers.Progress(90.0 + second, 900 + second * 5, 1.8 + second * 0.01, 2.7 + second * 0.03)
        for second in range(1, 21)
    ]
    rows = workers.tenths(progress + slower, 1_000)
    assert rows[0] == workers.Tenth(100, 10.0, 10.0, pytest.approx(2.0), pytest.approx(3.0))
    assert rows[-1] == workers.Tenth(1_000, 110.0, 5.0, pytest.approx(2.0), pytest.approx(6.0)), (
        "the last tenth at half the rate, from twice the Postgres CPU per article"
    )
    assert len(rows) == 10
