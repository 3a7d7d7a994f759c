"""`python -m bench.workers`: a bulk import shared by real worker processes, measured."""

from __future__ import annotations

from pathlib import Path

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


def test_worker_benchmark_keeps_its_zips_and_reuses_them_for_the_same_corpus(
    tmp_path: Path,
) -> None:
    first = workers._kept_zips(tmp_path, 30, 1, 15)
    kept = tmp_path / "articles-30-seed-1-per-15"
    assert [upload.name for upload in first] == ["articles-001.zip", "articles-002.zip"]
    assert (kept / "done").exists()

    (kept / "articles-001.zip").write_bytes(b"marked")
    again = workers._kept_zips(tmp_path, 30, 1, 15)
    assert again[0].data == b"marked", "read back, not generated again"
    assert again[1] == first[1]

    other = workers._kept_zips(tmp_path, 30, 2, 15)
    assert other[0].data != first[0].data, "another seed is another corpus"
