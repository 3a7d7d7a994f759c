"""`python -m bench.scale`: the verdict table judges only what the run measured."""

from __future__ import annotations

import pytest

from bench.import_rate import Machine
from bench.load import LoadResult
from bench.scale import ScaleRun, SizeRun, main, report, targets
from bench.views import Timing, ViewsRun


def size_run(
    articles: int,
    *,
    page_ms: float,
    search_ms: float,
    seconds: float,
    replicated_from: int | None = None,
) -> SizeRun:
    timings = [
        Timing("timeline", "/statements", 200, [page_ms] * 5),
        Timing("search page", "/search?q=x", 200, [search_ms] * 5),
    ]
    load = LoadResult(
        requests=1000,
        seconds=60,
        non2xx=0,
        socket_errors=0,
        p50_ms=50,
        p95_ms=250,
        p99_ms=280,
        max_ms=300,
        corrected_p95_ms=900,
        cold_requests=100,
        cold_p95_ms=280,
        warm_p95_ms=240,
        peak_rss_mb=280,
        processes=2,
        addresses=150,
    )
    imported = None if replicated_from else (articles, seconds)
    return SizeRun(
        ViewsRun("db", articles, 20 * articles, imported, timings), load, replicated_from
    )


def verdict(rows: list[str], target: str) -> str:
    [row] = [row for row in rows if target in row]
    return row.rsplit("|", 2)[1].strip()


def test_views_searches_and_growth_are_judged_at_the_largest_size():
    run = ScaleRun(clients=50)
    run.sizes[100_000] = size_run(100_000, page_ms=40, search_ms=90, seconds=600)
    run.sizes[1_000_000] = size_run(1_000_000, page_ms=95, search_ms=150, seconds=3_000)

    rows = targets(run)

    assert verdict(rows, "every main view") == "met"
    assert verdict(rows, "search p95") == "met"
    assert verdict(rows, "at most 2x") == "**missed**", "timeline grew 2.4x"
    assert verdict(rows, "50 clients") == "met"
    assert verdict(rows, "import of 1M") == "met"


def test_an_import_smaller_than_a_million_is_reported_not_judged():
    run = ScaleRun(clients=50)
    run.sizes[30_000] = size_run(30_000, page_ms=150, search_ms=300, seconds=600)

    rows = targets(run)

    assert verdict(rows, "import of 1M") == "not measured at 1M"
    assert "a million takes 5.6 h" in next(row for row in rows if "import of 1M" in row)
    assert not any("at most 2x" in row for row in rows), "one size: no growth to judge"
    assert verdict(rows, "every main view") == "**missed**"


def test_a_replicated_size_is_named_as_such_and_the_import_is_judged_where_it_ran():
    run = ScaleRun(clients=50)
    run.sizes[100_000] = size_run(100_000, page_ms=40, search_ms=90, seconds=800)
    run.sizes[1_000_000] = size_run(
        1_000_000, page_ms=60, search_ms=120, seconds=0, replicated_from=100_000
    )

    rows = targets(run)

    replicated = "1,000,000 articles (replicated x10 from 100,000)"
    assert any(row.startswith("| (how the 1,000,000-article database was made)") for row in rows)
    assert replicated in next(row for row in rows if "every main view" in row)
    assert replicated in next(row for row in rows if "search p95" in row)
    assert replicated in next(row for row in rows if "at most 2x" in row)
    assert verdict(rows, "import of 1M") == "not measured at 1M"
    assert "100,000 articles in 13 min" in next(row for row in rows if "import of 1M" in row)
    assert "1,000,000 (replicated) articles" in report(Machine.here(), run).splitlines()[0]


@pytest.mark.parametrize("value", ["1000000:300000", "100000:100000", "1000000", "a:b"])
def test_a_replication_that_is_not_a_whole_multiple_is_refused(value: str) -> None:
    with pytest.raises(SystemExit):
        main(["--sizes", "100000,1000000", "--replicate", value, "--no-docs"])


def test_a_replication_of_a_size_the_run_does_not_measure_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--sizes", "100000", "--replicate", "1000000:100000", "--no-docs"])
    assert "not in --sizes: [1000000]" in capsys.readouterr().err
