"""Every field of every statement extracted from the demo articles and a few generated
ones, compared with a recorded file, so that work done for speed cannot change the
output unnoticed (the rules' own behaviour is tested case by case elsewhere).

When a change to the rules is meant to change the output, rewrite the file with
`DEMARCHE_UPDATE_GOLDEN=1 pytest tests/unit/test_extraction_golden.py` and review its
diff like code. The articles are all synthetic: the demo corpus (`app/demo/articles`,
written for Démarche) and `bench.corpus` with a fixed seed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

from app.demo import DEMO_ARTICLES_DIR
from app.extract import ExtractedStatement, extract_statements
from app.ingest import read_text_file
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.settings import REPO_ROOT
from bench.corpus import generate

GOLDEN = REPO_ROOT / "tests" / "data" / "extraction_golden.jsonl"
GENERATED = 12  # articles of bench.corpus, seed 1: every template shows up in a dozen


def _articles() -> Iterator[tuple[str, str, date | None]]:
    for path in sorted(DEMO_ARTICLES_DIR.glob("*.txt")):
        article = read_text_file(path, max_bytes=1_000_000)
        yield path.name, article.body, article.published
    for name, data in generate(GENERATED, seed=1):
        article = read_upload(name, data, limits=IngestLimits())[0].article
        assert article is not None
        yield name, article.body, article.published


def _row(article: str, statement: ExtractedStatement) -> dict:
    speaker = statement.speaker
    return {
        "article": article,
        "start": statement.start,
        "end": statement.end,
        "text": statement.text[:60],
        "kind": statement.kind,
        "speaker": [speaker.name, speaker.slug, speaker.kind, speaker.known] if speaker else None,
        "mention": statement.speaker_mention,
        "cue": statement.cue,
        "date": statement.date.isoformat() if statement.date else None,
        "precision": statement.date_precision,
        "themes": [[theme.slug, theme.score] for theme in statement.themes],
        "confidence": statement.confidence,
        "entities": [[e.slug, e.kind, e.start, e.end] for e in statement.entities],
    }


def _lines() -> list[str]:
    return [
        json.dumps(_row(name, statement), ensure_ascii=False, sort_keys=True)
        for name, body, published in _articles()
        for statement in extract_statements(body, published=published)
    ]


def test_extraction_output_is_unchanged_field_for_field():
    lines = _lines()
    if os.environ.get("DEMARCHE_UPDATE_GOLDEN"):
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recorded = GOLDEN.read_text(encoding="utf-8").splitlines()
    changed = [
        f"line {number}:\n  recorded {old}\n  now      {new}"
        for number, (old, new) in enumerate(zip(recorded, lines, strict=False), start=1)
        if old != new
    ]
    assert not changed, "\n".join(changed[:5])
    assert len(lines) == len(recorded), f"{len(lines)} statements, {len(recorded)} recorded"
