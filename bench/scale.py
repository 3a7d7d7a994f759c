"""Every scale figure from one run: import, extraction, views at each size, load, memory.

    python -m bench.scale --sizes 100000,1000000
    python -m bench.scale --sizes 100000,1000000 --replicate 1000000:100000
    python -m bench.scale --sizes 2000 --load-seconds 20 --no-docs   # a quick look

For each size N, smallest first, the views database `demarche_bench_views_N` is filled
with the generated corpus through `import_items` (the CLI's path; a database already
holding articles is reused with `--reuse`), or, for a size given as `--replicate N:M`,
made of N/M copies of the size-M database (`bench.replicate`: the same texts moved a
day back per copy, in SQL, minutes instead of hours of import; the report says which
sizes were made so, and judges the import only where it ran), and the main views are
timed over it (`bench.views`). Then, size by size, 50 clients load a real `demarche
serve` over it from `wrk` (`bench.load`: throughput, p95, errors, the web process's peak
memory): after every size's views, which a load test just before would slow. Then, once: the
import-rate benchmark (`bench.import_rate`: COPY floor, storage, end to end), the
extraction rate per core (`bench.extract_rate`) and an import job shared by worker
processes (`bench.workers`: its rate and each worker's peak memory).

One section goes to docs/performance.md: a verdict for every target of the scale issue,
then each benchmark's own tables. A size the run did not reach is reported as such,
never extrapolated into a verdict.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bench import extract_rate, import_rate, load, replicate, views, workers
from bench.corpus import generate
from bench.import_rate import Machine, bench_server, publish

TARGET_GROWTH = 2.0
"""At most this factor between a view's p95 at the smallest and the largest size."""
TARGET_IMPORT_SECONDS_PER_MILLION = 3600.0


@dataclass(slots=True)
class SizeRun:
    views: views.ViewsRun
    load: load.LoadResult
    replicated_from: int | None = None
    """The size whose database was copied to make this one (`bench.replicate`), if any."""


@dataclass(slots=True)
class ScaleRun:
    clients: int
    sizes: dict[int, SizeRun] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    import_results: import_rate.Results | None = None
    workers: workers.WorkersRun | None = None


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _slowest(timings: Sequence[views.Timing], *, search: bool) -> views.Timing | None:
    chosen = [t for t in timings if t.search == search]
    return max(chosen, key=lambda t: t.p95, default=None)


def size_label(run: ScaleRun, size: int) -> str:
    """`1,000,000 articles`, and how they were made when they were not imported."""
    source = run.sizes[size].replicated_from
    if source is None:
        return f"{size:,} articles"
    return f"{size:,} articles (replicated x{size // source} from {source:,})"


def targets(run: ScaleRun) -> list[str]:
    """The verdict table: one row per target of the scale issue."""
    rows = ["| Target | Measured | Verdict |", "| --- | --- | --- |"]
    largest = max(run.sizes)
    at = run.sizes[largest]
    view = _slowest(at.views.timings, search=False)
    search = _slowest(at.views.timings, search=True)
    for size in sorted(run.sizes):
        if run.sizes[size].replicated_from is not None:
            rows.append(
                f"| (how the {size:,}-article database was made) | {size_label(run, size)} "
                "by `bench.replicate`: the same texts a day back per copy, counts and volumes "
                "x the copies; the import path not exercised at that size | — |"
            )
    if view:
        rows.append(
            f"| every main view p95 < {views.TARGET_VIEW_P95_MS:.0f} ms at "
            f"{size_label(run, largest)} | slowest: {view.label}, {view.p95:.0f} ms | "
            f"{_verdict(view.p95 <= views.TARGET_VIEW_P95_MS)} |"
        )
    if search:
        rows.append(
            f"| search p95 < {views.TARGET_SEARCH_P95_MS:.0f} ms at {size_label(run, largest)} | "
            f"slowest: {search.label}, {search.p95:.0f} ms | "
            f"{_verdict(search.p95 <= views.TARGET_SEARCH_P95_MS)} |"
        )
    smallest = min(run.sizes)
    if smallest != largest:
        before = {t.label: t.p95 for t in run.sizes[smallest].views.timings}
        growth = max(
            (t.p95 / before[t.label], t.label) for t in at.views.timings if before.get(t.label)
        )
        rows.append(
            f"| p95 at most {TARGET_GROWTH:.0f}x from {size_label(run, smallest)} to "
            f"{size_label(run, largest)} | "
            f"largest growth: {growth[1]}, {growth[0]:.1f}x | "
            f"{_verdict(growth[0] <= TARGET_GROWTH)} |"
        )
    errors = at.load.non2xx + at.load.socket_errors
    rows.append(
        f"| {run.clients} clients: no errors, p95 < {load.TARGET_P95_MS:.0f} ms "
        f"| {at.load.rate:,.1f} req/s, p95 {at.load.p95_ms:,.0f} ms as the clients saw it "
        f"({at.load.warm_p95_ms:,.0f} ms after the first {load.COLD_SECONDS} s, wrk's corrected "
        f"{at.load.corrected_p95_ms:,.0f} ms), {errors} errors | "
        f"{_verdict(not errors and at.load.p95_ms <= load.TARGET_P95_MS)} |"
    )
    rows.append(
        f"| a web process < {load.TARGET_RSS_MB:.0f} MB | peak {at.load.peak_rss_mb:,.0f} MB "
        f"under the load | {_verdict(at.load.peak_rss_mb <= load.TARGET_RSS_MB)} |"
    )
    imported = [run.sizes[size].views.imported for size in sorted(run.sizes)]
    if imported := [figures for figures in imported if figures]:
        stored, seconds = imported[-1]
        per_million = seconds / stored * 1_000_000
        measured = f"{stored:,} articles in {seconds / 60:,.0f} min ({stored / seconds:,.0f}/s)"
        if stored < 1_000_000:
            measured += f"; at that rate a million takes {per_million / 3600:,.1f} h"
        rows.append(
            f"| import of 1M articles < 1 h | {measured} | "
            + (
                _verdict(seconds <= TARGET_IMPORT_SECONDS_PER_MILLION)
                if stored >= 1_000_000
                else "not measured at 1M"
            )
            + " |"
        )
    if run.workers:
        peak = max(p.with_children for p in run.workers.peaks)
        rows.append(
            f"| a worker's memory (reported) | peak {peak:,.0f} MB with its extraction "
            f"processes, {run.workers.rate:,.0f} articles/s with {run.workers.workers} workers "
            "| — |"
        )
    return rows


def report(machine: Machine, run: ScaleRun) -> str:
    sizes = ", ".join(
        f"{size:,}" + (" (replicated)" if run.sizes[size].replicated_from else "")
        for size in sorted(run.sizes)
    )
    lines = [
        f"## {datetime.now():%Y-%m-%d %H:%M} — scale run at {sizes} articles (`bench.scale`)",
        "",
        machine.describe(),
        "",
        *targets(run),
        "",
    ]
    return "\n\n".join(["\n".join(lines), *run.sections])


def _demote(section: str) -> str:
    """A benchmark's own section, one heading level down, inside the scale run's."""
    return "\n".join(
        "#" + line if line.startswith("## ") else line for line in section.splitlines()
    )


def run_scale(args: argparse.Namespace, machine: Machine) -> ScaleRun:
    """Every size's views first, then every size's load test: a load test leaves its
    server's processes winding down and the caches holding its own pages, and views
    timed right after one ran about 1.6x slower (the 23:48 run below)."""
    run = ScaleRun(args.clients)
    with bench_server(machine) as server_url:
        measured: dict[int, views.ViewsRun] = {}
        for size in sorted(args.sizes):
            source = args.replicate.get(size)
            if source is not None:
                made = _replicate(server_url, size, source, reuse=args.reuse)
                if made:
                    run.sections.append(_demote(replicate.report(machine, made)))
            measured[size] = views.measure(
                server_url,
                machine,
                articles=size,
                seed=args.seed,
                requests=args.requests,
                workers=args.workers,
                reuse=args.reuse or source is not None,
            )
            run.sections.append(
                _demote(
                    views.report(
                        machine,
                        measured[size].articles,
                        measured[size].statements,
                        measured[size].imported,
                        measured[size].timings,
                        args.requests,
                    )
                )
            )
        for size, sized in measured.items():
            result = load.run_load(
                sized.database_url,
                clients=args.clients,
                seconds=args.load_seconds,
                processes=args.processes,
            )
            run.sections.append(_demote(load.report(machine, size, args.clients, result)))
            run.sizes[size] = SizeRun(sized, result, replicated_from=args.replicate.get(size))
        shared = workers.measure(
            server_url,
            machine,
            articles=args.worker_articles,
            seed=args.seed,
            workers=2,
            extract_workers=0,
            per_zip=2_000,
            timeout=4 * 3600,
        )
        run.workers = shared
        run.sections.append(_demote(workers.report(machine, shared)))
    rates = import_rate.run(
        argparse.Namespace(
            articles=args.import_articles,
            seed=args.seed,
            workers=[0, args.workers],
            no_profile=True,
        )
    )
    run.import_results = rates
    run.sections.append(_demote(import_rate.report(rates)))
    corpus = list(generate(args.import_articles, args.seed))
    stages = extract_rate.measure("generated", corpus, 3)
    run.sections.append(
        _demote(
            extract_rate.report(
                machine,
                stages,
                runs=3,
                seed=args.seed,
                note="scale run",
                skipped=[],
                profiled=[],
            )
        )
    )
    return run


def _replicate(server_url: str, size: int, source: int, *, reuse: bool) -> replicate.Replica | None:
    """Make the size's views database from the source size's; None when `reuse` finds
    it already made."""
    target = views.database_name(size)
    if reuse and views.filled(server_url, target):
        return None
    print(f"replicating {views.database_name(source)} into {target}", file=sys.stderr)
    return replicate.replicate(
        server_url,
        source=views.database_name(source),
        target=target,
        times=size // source,
        replace=True,
        wait=60,
    )


def _replication(value: str) -> tuple[int, int]:
    """`1000000:100000`: the size to make, and the size it is copied from."""
    target, _, source = value.partition(":")
    try:
        made, copied = int(target), int(source)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected SIZE:FROM") from None
    if copied <= 0 or made % copied or made // copied < 2:
        raise argparse.ArgumentTypeError(f"{value!r}: SIZE must be at least twice FROM, a multiple")
    return made, copied


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda value: [int(v) for v in value.split(",") if v.strip()],
        default=[100_000, 1_000_000],
        help="comma-separated corpus sizes for the views and the load test",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=300)
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="extraction workers beside the storing process (default: one per core)",
    )
    parser.add_argument("--import-articles", type=int, default=2_000)
    parser.add_argument("--worker-articles", type=int, default=20_000)
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="web processes under the load"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse filled views databases")
    parser.add_argument(
        "--replicate",
        type=_replication,
        action="append",
        default=[],
        metavar="SIZE:FROM",
        help="make SIZE's views database by copying FROM's (bench.replicate), not importing",
    )
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)
    args.replicate = dict(args.replicate)
    if missing := set(args.replicate) - set(args.sizes):
        parser.error(f"--replicate names sizes not in --sizes: {sorted(missing)}")

    machine = Machine.here()
    run = run_scale(args, machine)
    machine.finish()
    section = report(machine, run)
    publish(section, no_docs=args.no_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
