"""Turn an annotator's scratch file (statement texts) into a dev-set file (offsets only).

Annotators write, outside the project, one JSON object per article:

    {"file": "corpora/opnweb-tass-scraper/001.txt",
     "statements": [{"text": "exact span copied from the file", "occurrence": 1,
                     "speaker": "Sergey Lavrov", "kind": "direct", "cue": "said",
                     "optional": false}]}

and run `python -m app.evaluation.locate SCRATCH.jsonl --shared ../shared --out tests/data/devset`.
Each text must occur in the file exactly as written; `occurrence` (1-based, default 1)
picks among repeats. The output keeps offsets and labels, never the text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

KINDS = {"direct", "indirect", "mixed"}


def locate_article(record: dict, *, shared_dir: Path) -> tuple[dict, list[str]]:
    raw = (shared_dir / record["file"]).read_bytes()
    text = raw.decode("utf-8")
    problems: list[str] = []
    statements = []
    for index, item in enumerate(record["statements"], start=1):
        span = item["text"]
        occurrence = int(item.get("occurrence", 1))
        position = -1
        for _ in range(occurrence):
            position = text.find(span, position + 1)
            if position < 0:
                break
        if position < 0 or not span.strip():
            problems.append(f"{record['file']} #{index}: text not found: {span[:60]!r}")
            continue
        if item.get("kind") not in KINDS:
            problems.append(f"{record['file']} #{index}: kind must be one of {sorted(KINDS)}")
            continue
        statements.append(
            {
                "start": position,
                "end": position + len(span),
                "speaker": item.get("speaker"),
                "kind": item["kind"],
                "cue": item.get("cue"),
                "optional": bool(item.get("optional", False)),
            }
        )
    statements.sort(key=lambda s: (s["start"], s["end"]))
    annotation = {
        "file": record["file"],
        "sha256": hashlib.sha256(raw).hexdigest(),
        "statements": statements,
    }
    return annotation, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scratch", type=Path)
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    problems: list[str] = []
    for line in args.scratch.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        annotation, found = locate_article(record, shared_dir=args.shared)
        problems.extend(found)
        source, name = Path(record["file"]).parent.name, Path(record["file"]).stem
        target = args.out / source / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(annotation, indent=1, ensure_ascii=False) + "\n")
        print(f"{target}: {len(annotation['statements'])} statements")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
