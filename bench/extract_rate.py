"""How many articles per second one core extracts statements from, with no database.

    python -m bench.extract_rate --articles 2000

Two corpora, each read and extracted in this one process:

- **generated**: `--articles` articles of about 600 words from `bench.corpus` (the size
  the speed target of 500 articles per second per core is set for);
- **real**: every `.txt` under the shared folder's `corpora/` (scraped wire, state-media
  and broadsheet articles of varied length), skipped with the reason printed when the
  folder is absent.

Three stages are timed on each: *read* (`read_upload`: decoding, header, title, noise,
language, MinHash), *extract* (`extract_statements` on bodies already read) and
*read + extract* (both per article, what an import does before storing). Every stage
runs `--runs` times; the table gives the best and the median run, as articles per
CPU-second of this process (what one core does, whatever else the machine runs) and as
articles and words per wall-clock second. Process-wide caches (the registry, compiled
patterns, resolved names) are warmed before the first timed run, as in a long import.

The table is printed and, unless `--no-docs`, appended with the machine and the date
under its own heading in docs/performance.md. `--profile` adds cProfile's top functions
for read + extract on the generated corpus (outside the timed runs).
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.extract import extract_statements
from app.ingest import ParsedArticle
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.settings import Settings
from bench.corpus import generate
from bench.import_rate import DOCS, Machine, top_functions

TARGET_PER_CORE = 500.0
HEADING = "## Extraction rate per core (`bench.extract_rate`)"
LIMITS = IngestLimits()

Corpus = list[tuple[str, bytes]]


@dataclass(slots=True)
class Stage:
    """The timed runs of one stage on one corpus."""

    corpus: str
    label: str
    articles: int
    words: int
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def per_cpu_second(self, pick: Callable[[list[float]], float]) -> float:
        return self.articles / pick(self.cpu)

    def per_second(self, pick: Callable[[list[float]], float]) -> float:
        return self.articles / pick(self.wall)

    def words_per_second(self, pick: Callable[[list[float]], float]) -> float:
        return self.words / pick(self.wall)


def real_corpus(shared: Path) -> tuple[Corpus, str | None]:
    """The shared real articles, or none and the reason."""
    folder = shared / "corpora"
    if not folder.is_dir():
        return [], f"{folder} is absent"
    files = sorted(folder.rglob("*.txt"))
    if not files:
        return [], f"{folder} holds no .txt article"
    return [(str(path.relative_to(folder)), path.read_bytes()) for path in files], None


def _read(name: str, data: bytes) -> ParsedArticle:
    article = read_upload(name, data, limits=LIMITS)[0].article
    if article is None:
        raise RuntimeError(f"{name}: the reader returned no article")
    return article


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - cpu


def measure(name: str, corpus: Corpus, runs: int) -> list[Stage]:
    """Read, extract, and read + extract of `corpus`, each `runs` times."""
    parsed = [_read(n, d) for n, d in corpus]
    for article in parsed:  # warm: registry, patterns, resolution caches
        extract_statements(article.body, published=article.published)
    words = sum(len(article.body.split()) for article in parsed)
    stages = {
        "read": (
            Stage(name, "read (read_upload)", len(corpus), words),
            lambda: [_read(n, d) for n, d in corpus],
        ),
        "extract": (
            Stage(name, "extract (extract_statements)", len(corpus), words),
            lambda: [extract_statements(a.body, published=a.published) for a in parsed],
        ),
        "both": (
            Stage(name, "read + extract", len(corpus), words),
            lambda: [
                extract_statements(a.body, published=a.published)
                for a in (_read(n, d) for n, d in corpus)
            ],
        ),
    }
    for _ in range(runs):  # interleaved, so a busy spell on the machine hits every stage
        for stage, run in stages.values():
            wall, cpu = _timed(run)
            stage.wall.append(wall)
            stage.cpu.append(cpu)
    return [stage for stage, _ in stages.values()]


def profile(corpus: Corpus, *, limit: int = 12) -> list[str]:
    profiler = cProfile.Profile()
    profiler.runcall(
        lambda: [
            extract_statements(a.body, published=a.published)
            for a in (_read(n, d) for n, d in corpus)
        ]
    )
    return top_functions(profiler, limit=limit)


def _verdict(stage: Stage) -> str:
    if not stage.label.startswith("read + extract") or stage.corpus != "generated":
        return ""
    rate = stage.per_cpu_second(min)
    if rate >= TARGET_PER_CORE:
        return f"met ({rate / TARGET_PER_CORE:.1f}x)"
    return f"**missed** ({rate / TARGET_PER_CORE:.0%})"


def report(
    machine: Machine,
    stages: list[Stage],
    *,
    runs: int,
    seed: int,
    note: str,
    skipped: list[str],
    profiled: list[str],
) -> str:
    """The dated Markdown section for docs/performance.md."""
    lines = [
        f"### {datetime.now():%Y-%m-%d %H:%M}{' — ' + note if note else ''}",
        "",
        f"Machine: {machine.cores} cores ({machine.cpu}), {machine.ram_gib:.0f} GiB RAM, "
        f"Python {machine.python}; load average before / after: "
        f"{', '.join(f'{x:.2f}' for x in machine.load_before)} / "
        f"{', '.join(f'{x:.2f}' for x in machine.load_after)}. "
        f"{runs} runs of each stage, best and median; generated corpus seed {seed}. "
        f"{machine.reference()}",
        "",
        "| Corpus | Stage | Articles | Words/article | Per CPU-second, best | median "
        "| Articles/s wall, best | median | Words/s wall, best | Target ≥ 500/core |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {s.corpus} | {s.label} | {s.articles:,} | {s.words / s.articles:,.0f} "
        f"| {s.per_cpu_second(min):,.0f} | {s.per_cpu_second(statistics.median):,.0f} "
        f"| {s.per_second(min):,.0f} | {s.per_second(statistics.median):,.0f} "
        f"| {s.words_per_second(min):,.0f} | {_verdict(s)} |"
        for s in stages
    ]
    lines += [f"\nSkipped: {reason}." for reason in skipped]
    if profiled:
        lines += ["", "read + extract, cProfile (generated corpus):", "", "```", *profiled, "```"]
    return "\n".join(lines)


def append_to_docs(section: str, docs: Path = DOCS) -> None:
    """Put `section` last under HEADING (created before "## Results" when missing)."""
    text = docs.read_text(encoding="utf-8")
    if HEADING not in text:
        intro = (
            f"{HEADING}\n\n`python -m bench.extract_rate --articles 2000` times read, extract "
            "and read + extract in one process, without a database, on the generated corpus "
            "and on the real articles of the shared folder (see the module docstring). The "
            "machine has 2 cores shared with other work, so each stage runs several times "
            "and the best and median runs are given; the per-CPU-second columns are the "
            "per-core figures.\n\n"
        )
        anchor = text.find("\n## Results")
        text = (
            text + "\n" + intro if anchor < 0 else text[: anchor + 1] + intro + text[anchor + 1 :]
        )
    start = text.index(HEADING) + len(HEADING)
    following = text.find("\n## ", start)
    end = len(text) if following < 0 else following + 1
    body = text[start:end].rstrip("\n")
    text = text[:start] + body + "\n\n" + section + "\n\n" + text[end:].lstrip("\n")
    docs.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each stage")
    parser.add_argument("--shared", type=Path, default=Settings().shared_dir)
    parser.add_argument("--note", default="", help="a few words for the section heading")
    parser.add_argument("--profile", action="store_true", help="add cProfile's top functions")
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)

    machine = Machine.here()
    generated: Corpus = list(generate(args.articles, args.seed))
    stages = measure("generated", generated, args.runs)
    real, reason = real_corpus(args.shared)
    skipped = []
    if reason is None:
        stages += measure("real (shared corpora)", real, args.runs)
    else:
        skipped.append(f"real articles: {reason}")
        print(f"skipping the real articles: {reason}", file=sys.stderr)
    profiled = profile(generated[: min(len(generated), 500)]) if args.profile else []
    machine.finish()
    section = report(
        machine, stages, runs=args.runs, seed=args.seed, note=args.note, skipped=skipped,
        profiled=profiled,
    )  # fmt: skip
    print(section)
    if not args.no_docs:
        append_to_docs(section)
        print(f"appended to {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
