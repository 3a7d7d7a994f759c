"""`python -m bench.extract_rate`: the extraction-rate benchmark and where it records runs."""

from __future__ import annotations

from bench import extract_rate
from bench.extract_rate import HEADING, append_to_docs, main, real_corpus

DOCS = """# Performance

## What is measured

How.

## Results

## 2026-01-01 — an import run
"""


def test_runs_are_recorded_in_order_under_their_own_heading_before_the_results(tmp_path):
    docs = tmp_path / "performance.md"
    docs.write_text(DOCS, encoding="utf-8")
    append_to_docs("### first run\n\n| table |", docs)
    append_to_docs("### second run\n\n| table |", docs)
    text = docs.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1
    assert (
        text.index("## What is measured")
        < text.index(HEADING)
        < text.index("### first run")
        < text.index("### second run")
        < text.index("## Results")
        < text.index("## 2026-01-01 — an import run")
    )


def test_real_articles_are_skipped_with_a_reason_when_the_shared_folder_is_absent(tmp_path):
    corpus, reason = real_corpus(tmp_path / "missing")
    assert corpus == []
    assert "absent" in reason


def test_a_small_run_prints_rates_for_each_stage_and_leaves_the_docs_alone(
    tmp_path, capsys, monkeypatch
):
    docs = tmp_path / "performance.md"
    docs.write_text(DOCS, encoding="utf-8")
    monkeypatch.setattr(extract_rate, "DOCS", docs)
    argv = ["--articles", "3", "--runs", "1", "--shared", str(tmp_path), "--no-docs"]
    assert main(argv) == 0
    printed = capsys.readouterr()
    for stage in ("read (read_upload)", "extract (extract_statements)", "read + extract"):
        assert f"| generated | {stage} | 3 |" in printed.out
    assert "Skipped: real articles:" in printed.out
    assert docs.read_text(encoding="utf-8") == DOCS
