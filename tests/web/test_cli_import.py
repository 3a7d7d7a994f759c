"""`demarche import` and `demarche extract` on every supported format, bad inputs and URLs.

Each import test runs the real command through typer's runner against a fresh database;
URLs are served by a local http.server on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.cli import cli
from app.db import make_engine
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.models import Article
from app.settings import get_settings
from tests.contract import CONTRACT_KEYS, runner
from tests.ingest_fixtures import (
    PageServer,
    Story,
    atom_feed,
    csv_bytes,
    html_page,
    json_bytes,
    json_lines,
    page_server,
    record,
    rss_feed,
    story,
    text_with_header,
    text_without_header,
    zip_bytes,
)


@pytest.fixture
def private_fetch(monkeypatch) -> None:
    """Let the command fetch from 127.0.0.1, where the test's pages are served."""
    monkeypatch.setenv("DEMARCHE_ALLOW_PRIVATE_FETCH", "true")
    get_settings.cache_clear()


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with page_server() as server:
        yield server


def stored_articles(url: str) -> list[Article]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(
                session.execute(
                    select(Article).options(selectinload(Article.outlet)).order_by(Article.id)
                ).scalars()
            )
    finally:
        engine.dispose()


def import_(*targets: object, quiet: bool = False):
    arguments = ["import", *(str(target) for target in targets)]
    if quiet:
        arguments.append("--quiet")
    return runner.invoke(cli, arguments)


def lines_about(output: str, status: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{status} ")]


def one_line(output: str, status: str, source: str) -> str:
    """The single report line with `status` for the item `source`."""
    found = [line for line in lines_about(output, status) if f" {source}: " in line]
    assert len(found) == 1, f"expected one {status} line for {source} in:\n{output}"
    return found[0]


def every_format(folder: Path) -> dict[str, list[Story]]:
    """One file of every format in `folder`; the stories each file holds, by file name."""
    files: dict[str, tuple[bytes, list[Story]]] = {}
    header = story("Sergey Lavrov")
    files["with-header.txt"] = (
        text_with_header(header, date="2022-02-10", url="https://tass.com/politics/lavrov-terms"),
        [header],
    )
    plain = story("Antony Blinken")
    files["without-header.txt"] = (text_without_header(plain), [plain])
    page = story("Annalena Baerbock")
    files["saved-page.html"] = (html_page(page), [page])
    single = story("Maria Zakharova")
    files["record.json"] = (
        json_bytes(record(single, date="2022-02-11", outlet="TASS")),
        [single],
    )
    array = [story(), story()]
    files["export.json"] = (json_bytes([record(item) for item in array]), array)
    lines = [story(), story()]
    files["export.jsonl"] = (json_lines([record(item) for item in lines]), lines)
    rows = [story(), story()]
    files["export.csv"] = (
        csv_bytes([record(rows[0], published="2022-02-12"), record(rows[1], published="")]),
        rows,
    )
    rss = [story(), story()]
    files["wire.rss"] = (rss_feed(rss), rss)
    atom = [story()]
    files["top.atom"] = (atom_feed(atom), atom)
    western = story("Sergey Lavrov")
    files["windows-1252.txt"] = (text_without_header(western).decode().encode("cp1252"), [western])
    zipped = [story(), story()]
    files["bundle.zip"] = (
        zip_bytes(
            {
                "desk/first.txt": text_without_header(zipped[0]),
                "desk/second.html": html_page(zipped[1], site="Reuters"),
            }
        ),
        zipped,
    )
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: stories for name, (_, stories) in files.items()}


def test_import_stores_a_folder_of_every_format_then_reports_duplicates_on_a_second_run(
    cli_database, tmp_path
):
    folder = tmp_path / "inbox"
    folder.mkdir()
    expected = every_format(folder)
    total = sum(len(stories) for stories in expected.values())

    result = import_(folder)

    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(f"{total} stored, 0 duplicates, 0 failed.")
    assert len(lines_about(result.stdout, "stored")) == total
    assert not lines_about(result.stdout, "failed")
    for source in (
        f"{folder}/with-header.txt",
        f"{folder}/without-header.txt",
        f"{folder}/saved-page.html",
        f"{folder}/record.json#1",
        f"{folder}/export.json#1",
        f"{folder}/export.json#2",
        f"{folder}/export.jsonl:1",
        f"{folder}/export.jsonl:2",
        f"{folder}/wire.rss#1",
        f"{folder}/wire.rss#2",
        f"{folder}/top.atom#1",
        f"{folder}/windows-1252.txt",
        f"{folder}/bundle.zip/desk/first.txt",
        f"{folder}/bundle.zip/desk/second.html",
    ):
        assert "statements" in one_line(result.stdout, "stored", source)
    assert (
        len([line for line in lines_about(result.stdout, "stored") if "export.csv:" in line]) == 2
    )

    articles = stored_articles(cli_database)
    by_title = {article.title: article for article in articles}
    assert set(by_title) == {item.title for stories in expected.values() for item in stories}
    with_header = by_title[expected["with-header.txt"][0].title]
    assert with_header.published_on == date(2022, 2, 10)
    assert with_header.url == "https://tass.com/politics/lavrov-terms"
    assert with_header.outlet is not None and with_header.outlet.name == "TASS"
    assert expected["with-header.txt"][0].quote in with_header.body
    page = by_title[expected["saved-page.html"][0].title]
    assert "tracking" not in page.body and "Home | World" not in page.body
    assert page.outlet is not None and page.outlet.name == "Deutsche Welle"
    assert by_title[expected["record.json"][0].title].published_on == date(2022, 2, 11)
    assert by_title[expected["export.csv"][0].title].published_on == date(2022, 2, 12)
    assert by_title[expected["wire.rss"][0].title].outlet.name == "Reuters"
    assert by_title[expected["top.atom"][0].title].published_on == date(2022, 3, 2)
    western = expected["windows-1252.txt"][0]
    assert f"\u201c{western.quote},\u201d" in by_title[western.title].body

    again = import_(folder)

    assert again.exit_code == 0, again.output
    assert again.stdout.rstrip().endswith(f"0 stored, {total} duplicates, 0 failed.")
    duplicate = one_line(again.stdout, "duplicate", f"{folder}/export.jsonl:2")
    assert f"already stored as “{expected['export.jsonl'][1].title}”" in duplicate
    assert len(stored_articles(cli_database)) == total


def bad_inputs(folder: Path) -> tuple[list[Story], dict[str, str]]:
    """Good files beside bad ones; returns the good stories and, per bad item, a phrase
    its message must contain."""
    good = story("Sergey Lavrov")
    in_traversal_zip = story("Antony Blinken")
    in_broken_jsonl = story("Maria Zakharova")
    files = {
        "good.txt": text_without_header(good),
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02\x03 binary \x00\xff" * 200,
        "scan.txt": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "bomb.zip": zip_bytes({"zeros.txt": b"0" * 20_000_000}),
        "traversal.zip": zip_bytes(
            {
                "../../etc/passwd": b"root:x:0:0:root:/root:/bin/bash\n",
                "ok.txt": in_traversal_zip.text.encode(),
            }
        ),
        "nested.zip": zip_bytes({"inner.zip": zip_bytes({"a.txt": story().text.encode()})}),
        "garbled.txt": bytes(range(0x80, 0x100)) * 20,
        "columns.csv": b"headline,link\nTalks resume,https://example.org/talks\n",
        "no-text.json": json_bytes({"title": "Lavrov meets Blinken", "date": "2022-02-01"}),
        "bad-date.json": json_bytes(record(story(), date="31/02/2022")),
        "broken.jsonl": json_lines([record(in_broken_jsonl)]) + b'{"title": "cut off\n',
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    expected_failures = {
        "empty.txt": "is empty",
        "binary.txt": "looks like a binary file",
        "scan.txt": "is a PNG image, which Démarche cannot read",
        "bomb.zip/zeros.txt": "looks like a zip bomb",
        "traversal.zip/../../etc/passwd": "points outside the archive",
        "nested.zip/inner.zip": "Nested archives are not opened",
        "garbled.txt": "character encoding could not be recognised",
        "columns.csv": "has no text column",
        "no-text.json#1": "has no text field",
        "bad-date.json#1": "'31/02/2022', is impossible",
        "broken.jsonl:2": "line 2 of",
    }
    return [good, in_traversal_zip, in_broken_jsonl], expected_failures


def test_bad_inputs_each_get_a_clear_line_and_exit_code_1_while_good_files_are_stored(
    cli_database, tmp_path
):
    good, failures = bad_inputs(tmp_path)

    result = import_(tmp_path)

    assert result.exit_code == 1, result.output
    assert result.stdout.rstrip().endswith(
        f"{len(good)} stored, 0 duplicates, {len(failures)} failed."
    )
    for source, phrase in failures.items():
        line = one_line(result.stdout, "failed", f"{tmp_path}/{source}")
        assert phrase in line, line
    assert "its columns are: headline, link" in result.stdout
    assert "no text field (expected one of: text, content" in result.stdout
    assert len(lines_about(result.stdout, "failed")) == len(failures)
    assert {article.title for article in stored_articles(cli_database)} == {
        item.title for item in good
    }

    quiet = import_(tmp_path, quiet=True)

    assert quiet.exit_code == 1
    assert not lines_about(quiet.stdout, "duplicate")
    assert len(lines_about(quiet.stdout, "failed")) == len(failures)
    assert quiet.stdout.rstrip().endswith(
        f"0 stored, {len(good)} duplicates, {len(failures)} failed."
    )


def test_import_of_nothing_readable_exits_1(cli_database, tmp_path):
    (tmp_path / "notes.md").write_text("Not an article format Démarche reads.", encoding="utf-8")

    result = import_(tmp_path)

    assert result.exit_code == 1
    assert "0 stored, 0 duplicates, 0 failed." in result.stdout


def test_import_of_a_missing_path_reports_it(cli_database, tmp_path):
    result = import_(tmp_path / "nowhere.txt")

    assert result.exit_code == 1
    assert "does not exist" in one_line(result.stdout, "failed", f"{tmp_path}/nowhere.txt")


def test_import_fetches_a_page_and_a_feed_from_urls(cli_database, private_fetch, pages):
    item = story("Antony Blinken")
    page_url = pages.add("/world/blinken-terms", html_page(item, site="Deutsche Welle"))
    feed_stories = [story(), story()]
    feed_url = pages.add("/feeds/world", rss_feed(feed_stories), "application/rss+xml")

    result = import_(page_url, feed_url)

    assert result.exit_code == 0, result.output
    assert "statements" in one_line(result.stdout, "stored", page_url)
    assert one_line(result.stdout, "stored", f"{feed_url}#1")
    assert one_line(result.stdout, "stored", f"{feed_url}#2")
    assert result.stdout.rstrip().endswith("3 stored, 0 duplicates, 0 failed.")
    articles = {article.title: article for article in stored_articles(cli_database)}
    fetched = articles[item.title]
    assert fetched.url == page_url
    assert item.quote in fetched.body
    assert "tracking" not in fetched.body
    assert {story.title for story in feed_stories} <= set(articles)


def test_unreachable_missing_and_oversized_urls_fail_with_a_message(
    cli_database, private_fetch, pages, monkeypatch
):
    monkeypatch.setenv("DEMARCHE_MAX_FETCH_BYTES", "20000")
    get_settings.cache_clear()
    big = story()
    padding = "".join(
        f"<p>Officials in Geneva said paragraph {number} of the communique was unchanged.</p>"
        for number in range(600)
    )
    big_url = pages.add(
        "/long-read", html_page(big).replace(b"</article>", padding.encode() + b"</article>")
    )
    missing_url = pages.base + "/gone"
    unreachable = "http://127.0.0.1:1/unreachable"

    result = import_(big_url, missing_url, unreachable)

    assert result.exit_code == 1
    assert "is larger than 20,000 bytes" in one_line(result.stdout, "failed", big_url)
    assert "answered 404" in one_line(result.stdout, "failed", missing_url)
    assert "could not be reached" in one_line(result.stdout, "failed", unreachable)
    assert result.stdout.rstrip().endswith("0 stored, 0 duplicates, 3 failed.")
    assert stored_articles(cli_database) == []


def test_loopback_urls_are_refused_unless_private_fetch_is_allowed(cli_database, pages):
    url = pages.add("/inside", html_page(story()))

    result = import_(url)

    assert result.exit_code == 1
    assert "points to a loopback address" in one_line(result.stdout, "failed", url)


def test_extract_prints_contract_json_lines_for_every_jsonl_record(tmp_path):
    stories = [story("Sergey Lavrov"), story("Antony Blinken"), story("Maria Zakharova")]
    path = tmp_path / "export.jsonl"
    path.write_bytes(json_lines([record(item, date="2022-02-14") for item in stories]))

    result = runner.invoke(cli, ["extract", str(path), "--format", "jsonl"])

    assert result.exit_code == 0, result.output
    statements = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert statements
    for statement in statements:
        assert set(statement) == CONTRACT_KEYS
        assert statement["kind"] in {"direct", "indirect", "mixed"}
        assert isinstance(statement["themes"], list)
    bodies = {
        item.source: item.article.body
        for item in read_upload(str(path), path.read_bytes(), limits=IngestLimits())
    }
    assert (
        {statement["article"] for statement in statements}
        == set(bodies)
        == {
            f"{path}:1",
            f"{path}:2",
            f"{path}:3",
        }
    )
    for statement in statements:
        body = bodies[statement["article"]]
        assert body[statement["start"] : statement["end"]] == statement["text"]
    for line, item in enumerate(stories, start=1):
        direct = [
            statement
            for statement in statements
            if statement["article"] == f"{path}:{line}" and statement["kind"] == "direct"
        ]
        assert [statement["text"] for statement in direct] == [item.quote]
        assert direct[0]["speaker"] == item.speaker


def test_extract_reports_a_broken_jsonl_line_and_still_prints_the_good_records(tmp_path):
    item = story("Sergey Lavrov")
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"not json at all\n" + json_lines([record(item)]))

    result = runner.invoke(cli, ["extract", str(path)])

    assert result.exit_code == 1
    assert f"{path}:1: line 1 of {path} is not valid JSON." in result.stderr
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == {f"{path}:2"}
