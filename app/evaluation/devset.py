"""The annotated dev set: one JSON file per article, offsets into the shared article file.

Format (`tests/data/devset/<corpus>/<name>.json`):

    {"file": "corpora/opnweb-tass-scraper/001.txt",      # relative to the shared folder
     "sha256": "…",                                       # of the file's bytes
     "statements": [{"start": 812, "end": 1050,           # into the file's decoded text
                     "speaker": "Sergey Lavrov",          # canonical name, or null
                     "kind": "indirect", "cue": "noted",
                     "optional": false}]}

`optional` marks what ANNOTATION.md calls optional (headlines, whole-country
statements): finding one is neither a hit nor a miss.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path


class DevsetError(ValueError):
    """An annotation file that does not fit its article (moved, edited or malformed)."""


@dataclass(frozen=True, slots=True)
class GoldStatement:
    text: str
    speaker: str | None
    kind: str
    cue: str | None
    optional: bool


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    path: Path
    statements: tuple[GoldStatement, ...]


def annotation_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.json")))
        else:
            found.append(path)
    return found


def load_gold(annotation: Path, *, shared_dir: Path) -> GoldArticle:
    """Read one annotation file and the article it describes; check they still agree."""
    try:
        record = json.loads(annotation.read_text(encoding="utf-8"))
        article_path = shared_dir / record["file"]
        raw = article_path.read_bytes()
    except (OSError, ValueError, KeyError) as error:
        raise DevsetError(f"{annotation}: {error}") from error
    if hashlib.sha256(raw).hexdigest() != record.get("sha256"):
        raise DevsetError(f"{annotation}: {record['file']} changed since it was annotated")
    text = raw.decode("utf-8")
    statements = []
    for item in record["statements"]:
        start, end = int(item["start"]), int(item["end"])
        if not 0 <= start < end <= len(text):
            raise DevsetError(f"{annotation}: span {start}-{end} is outside the article")
        statements.append(
            GoldStatement(
                text=text[start:end],
                speaker=item.get("speaker"),
                kind=item["kind"],
                cue=item.get("cue"),
                optional=bool(item.get("optional", False)),
            )
        )
    return GoldArticle(name=record["file"], path=article_path, statements=tuple(statements))
