"""The `demarche extract` JSON Lines contract (DESIGN.md), checked the same way everywhere."""

from __future__ import annotations

import json

from typer.testing import CliRunner

runner = CliRunner()

CONTRACT_KEYS = {
    "article",
    "speaker",
    "speaker_mention",
    "text",
    "kind",
    "cue",
    "start",
    "end",
    "date",
    "themes",
}


def check_contract(output: str) -> list[dict]:
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    for record in records:
        assert set(record) == CONTRACT_KEYS
        assert record["kind"] in {"direct", "indirect", "mixed"}
        assert isinstance(record["start"], int) and record["end"] > record["start"]
        assert record["speaker"] is None or isinstance(record["speaker"], str)
        assert isinstance(record["themes"], list)
    return records
