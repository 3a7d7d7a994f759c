"""The `demarche` command, run through typer's test runner with its output checked."""

from __future__ import annotations

from app.cli import cli
from app.demo import DEMO_ARTICLES_DIR
from tests.contract import check_contract, runner
from tests.factories import article_text
from tests.shared_corpus import shared_path


def test_extract_prints_json_lines_for_the_sample_articles():
    samples = shared_path("samples")
    result = runner.invoke(cli, ["extract", str(samples), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = check_contract(result.stdout)
    assert len({r["article"] for r in records}) == 5
    assert any(r["speaker"] == "Sergey Lavrov" for r in records)


def test_extract_offsets_point_into_the_article_body():
    from app.ingest import read_text_file

    path = sorted(DEMO_ARTICLES_DIR.glob("*.txt"))[0]
    result = runner.invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    body = read_text_file(path, max_bytes=10**7).body
    records = check_contract(result.stdout)
    assert records
    for record in records:
        assert body[record["start"] : record["end"]] == record["text"]


def test_extract_reports_unreadable_files_and_goes_on(tmp_path):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-good.txt").write_text(article_text(), encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert "empty" in result.stderr
    assert check_contract(result.stdout)


def test_extract_refuses_an_unknown_format(tmp_path):
    result = runner.invoke(cli, ["extract", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2
    assert "only jsonl" in result.stderr


def test_db_upgrade_then_import_stores_a_folder_and_reports_each_file(cli_database, tmp_path):
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "upgraded to head" in upgraded.stdout
    (tmp_path / "one.txt").write_text(article_text(), encoding="utf-8")
    (tmp_path / "two.txt").write_text(article_text(speaker="Maria Zakharova"), encoding="utf-8")
    result = runner.invoke(cli, ["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 stored, 0 duplicates, 0 failed." in result.stdout
    again = runner.invoke(cli, ["import", str(tmp_path / "one.txt")])
    assert "0 stored, 1 duplicates, 0 failed." in again.stdout


def test_reprocess_reruns_extraction_on_every_stored_article(cli_database, tmp_path):
    (tmp_path / "one.txt").write_text(article_text(), encoding="utf-8")
    assert runner.invoke(cli, ["import", str(tmp_path)]).exit_code == 0
    result = runner.invoke(cli, ["reprocess"])
    assert result.exit_code == 0, result.output
    assert "1 articles reprocessed: 1 statements before, 1 after." in result.stdout


def test_counts_rebuild_counts_every_stored_statement_again(cli_database, tmp_path):
    (tmp_path / "one.txt").write_text(article_text(), encoding="utf-8")
    assert runner.invoke(cli, ["import", str(tmp_path)]).exit_code == 0
    result = runner.invoke(cli, ["counts", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Counts rebuilt: 1 statement in " in result.stdout
