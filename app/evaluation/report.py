"""Run the extractor over the dev set and report per-article and overall scores."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.evaluation.devset import GoldArticle, annotation_files, load_gold
from app.evaluation.scoring import Score, score_article
from app.extract import extract_statements
from app.ingest import read_text_file


@dataclass(frozen=True, slots=True)
class ArticleResult:
    name: str
    gold: int
    score: Score


def evaluate(paths: list[Path], *, shared_dir: Path) -> tuple[list[ArticleResult], Score]:
    results: list[ArticleResult] = []
    overall = Score()
    for annotation in annotation_files(paths):
        gold: GoldArticle = load_gold(annotation, shared_dir=shared_dir)
        parsed = read_text_file(gold.path, max_bytes=50_000_000)
        found = extract_statements(parsed.body, published=parsed.published)
        score = score_article(found, gold.statements)
        required = sum(1 for g in gold.statements if not g.optional)
        results.append(ArticleResult(name=gold.name, gold=required, score=score))
        overall.add(score)
    return results, overall


def format_table(results: list[ArticleResult], overall: Score, *, details: bool) -> str:
    lines = [f"{'article':<52} {'gold':>4} {'found':>5} {'P':>5} {'R':>5} {'F1':>5} {'attr':>5}"]
    for result in results:
        s = result.score
        lines.append(
            f"{result.name[-52:]:<52} {result.gold:>4} {s.true_positives + s.false_positives:>5} "
            f"{s.precision:>5.2f} {s.recall:>5.2f} {s.f1:>5.2f} {s.attribution:>5.2f}"
        )
        if details:
            lines.extend(f"    missed    {m}" for m in s.misses)
            lines.extend(f"    spurious  {t[:90]}" for t in s.spurious)
            lines.extend(f"    speaker   {m}" for m in s.misattributed)
    lines.append(
        f"{'OVERALL (' + str(len(results)) + ' articles)':<52} "
        f"{overall.true_positives + overall.false_negatives:>4} "
        f"{overall.true_positives + overall.false_positives:>5} {overall.precision:>5.2f} "
        f"{overall.recall:>5.2f} {overall.f1:>5.2f} {overall.attribution:>5.2f}"
    )
    return "\n".join(lines)
