"""Bulk imports in Chromium: every format and URLs through /imports, progress, report.

The app runs with the real procrastinate queue and its in-process worker, on a server of
this module's own: URL imports must reach the local page server on 127.0.0.1, so its
settings allow private fetches (the shared `live_server` does not).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from app.settings import Settings
from tests.browser.conftest import sign_in_page
from tests.conftest import TEST_PASSWORD
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
from tests.live import live_app

pytestmark = pytest.mark.browser

JOB_TIMEOUT_SECONDS = 40


@pytest.fixture(scope="module")
def import_server(make_database) -> Iterator[str]:
    """The app over loopback HTTP, with its queue worker, allowed to fetch from 127.0.0.1."""
    settings = Settings(
        database_url=None,
        max_article_bytes=200_000,
        max_upload_bytes=5_000_000,
        allow_private_fetch=True,
        fetch_timeout_seconds=3,
    )
    with live_app(make_database, "browser_imports", settings, password=TEST_PASSWORD) as url:
        yield url


@pytest.fixture
def page(anonymous_page, import_server):
    """A tab signed in as an editor on this module's server."""
    sign_in_page(anonymous_page, import_server, "editor")
    return anonymous_page


@pytest.fixture(scope="module")
def pages() -> Iterator[PageServer]:
    with page_server() as server:
        yield server


def upload(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def start_import(page, base: str, files: list[dict], urls: list[str] = ()) -> None:
    page.goto(f"{base}/imports")
    page.set_input_files("#i-files", files)
    if urls:
        page.fill("#i-urls", "\n".join(urls))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+$"))


def watch_job(page) -> list[tuple[int, str]]:
    """Progress values and count lines seen while the job page polls, until it is done."""
    seen: list[tuple[int, str]] = []
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        status = page.text_content("#job-status").strip()
        value = int(page.get_attribute("[role=progressbar]", "aria-valuenow"))
        counts = page.text_content("#job-counts").strip()
        if not seen or seen[-1] != (value, counts):
            seen.append((value, counts))
        if status == "done":
            return seen
        assert status in {"queued", "running"}, status
        page.wait_for_timeout(100)
    raise AssertionError(f"the import job was not done after {JOB_TIMEOUT_SECONDS} s: {seen}")


def report_row(page, source: str):
    """The report's row for the item `source` (exact match on its source cell)."""
    return page.locator("#job table.report tbody tr").filter(
        has=page.locator("td.source", has_text=re.compile(f"^{re.escape(source)}$"))
    )


def every_format() -> tuple[list[dict], list[Story], dict[str, str], dict[str, Story]]:
    """Uploads of every format: the files, the stories that must be stored, the
    failures expected (item source -> phrase of its message) and a few stories by role."""
    header, plain, saved, single = (
        story("Sergey Lavrov"),
        story("Antony Blinken"),
        story("Annalena Baerbock"),
        story("Maria Zakharova"),
    )
    array, lines, rows, rss, atom, zipped = (
        [story(), story()],
        [story(), story()],
        [story(), story()],
        [story(), story()],
        [story()],
        [story(), story(), story()],
    )
    files = [
        upload(
            "with-header.txt",
            text_with_header(header, date="2022-02-10", url="https://tass.com/politics/terms"),
            "text/plain",
        ),
        upload("without-header.txt", text_without_header(plain), "text/plain"),
        upload("copy-of-without-header.txt", text_without_header(plain), "text/plain"),
        upload("saved-page.html", html_page(saved), "text/html"),
        upload("record.json", json_bytes(record(single, date="2022-02-11")), "application/json"),
        upload("export.json", json_bytes([record(item) for item in array]), "application/json"),
        upload(
            "export.jsonl",
            json_lines([record(item) for item in lines] + [{"title": "Untold story"}]),
            "application/x-ndjson",
        ),
        upload("export.csv", csv_bytes([record(item) for item in rows]), "text/csv"),
        upload("wire.rss", rss_feed(rss), "application/rss+xml"),
        upload("top.atom", atom_feed(atom), "application/atom+xml"),
        upload(
            "bundle.zip",
            zip_bytes(
                {
                    "desk/first.txt": text_without_header(zipped[0]),
                    "desk/second.html": html_page(zipped[1], site="Reuters"),
                    "desk/third.json": json_bytes(record(zipped[2])),
                    "../../etc/passwd": b"root:x:0:0:root:/root:/bin/bash\n",
                }
            ),
            "application/zip",
        ),
        upload("columns.csv", b"headline,link\nTalks resume,https://example.org/t\n", "text/csv"),
    ]
    stored = [header, plain, saved, single, *array, *lines, *rows, *rss, *atom, *zipped]
    failures = {
        "export.jsonl:3": "has no text field",
        "bundle.zip/../../etc/passwd": "points outside the archive",
        "columns.csv": "has no text column",
    }
    return files, stored, failures, {"duplicated": plain, "atom": atom[0]}


def test_every_format_and_urls_import_with_live_progress_and_a_report(page, import_server, pages):
    files, stored, failures, named = every_format()
    fetched = story("Antony Blinken")
    page_url = pages.add("/world/blinken-sets-terms", html_page(fetched))
    feed_stories = [story(), story()]
    feed_url = pages.add("/feeds/top", atom_feed(feed_stories), "application/atom+xml")
    missing_url = pages.base + "/gone"
    stored += [fetched, *feed_stories]
    failures[missing_url] = "answered 404"

    start_import(page, import_server, files, [page_url, feed_url, missing_url])

    expect(page.locator("h1")).to_contain_text("with-header.txt and 14 more")
    seen = watch_job(page)
    # The total grows as each file is opened and its articles counted, so the bar may
    # step back a little; the counts of processed and expected items never do.
    counted = [tuple(map(int, re.findall(r"\d+", counts))) for _, counts in seen]
    assert [done for done, _ in counted] == sorted(done for done, _ in counted), seen
    assert [total for _, total in counted] == sorted(total for _, total in counted), seen
    total = len(stored) + 1 + len(failures)
    assert seen[-1] == (100, f"{total} of {total} processed")
    expect(page.locator("#job-status")).to_have_text("done")
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-stored")).to_have_text(str(len(stored)))
    expect(page.locator("#job-duplicates")).to_have_text("1")
    expect(page.locator("#job-failed")).to_have_text(str(len(failures)))
    expect(page.locator("#job")).not_to_have_attribute("hx-trigger", re.compile("."))

    expect(page.locator("tr.item-stored")).to_have_count(len(stored))
    for source in (
        "with-header.txt",
        "saved-page.html",
        "record.json#1",
        "export.json#2",
        "export.jsonl:1",
        "wire.rss#2",
        "top.atom#1",
        "bundle.zip/desk/second.html",
        "bundle.zip/desk/third.json#1",
        page_url,
        f"{feed_url}#1",
    ):
        row = report_row(page, source)
        expect(row).to_have_class("item-stored")
        expect(row).to_contain_text("2 statements")
    duplicate = report_row(page, "copy-of-without-header.txt")
    expect(duplicate).to_have_class("item-duplicate")
    expect(duplicate).to_contain_text(f"already stored as “{named['duplicated'].title}”")
    for source, phrase in failures.items():
        row = report_row(page, source)
        expect(row).to_have_class("item-failed")
        expect(row).to_contain_text(phrase)
    expect(report_row(page, "columns.csv")).to_contain_text("its columns are: headline, link")

    report_row(page, "top.atom#1").locator("a").click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    atom_story = named["atom"]
    expect(page.locator("h1")).to_have_text(atom_story.title)
    expect(page.locator(".eyebrow")).to_contain_text("Associated Press")
    expect(page.locator("#article-body mark.statement").first).to_contain_text(atom_story.quote)

    page.go_back()
    report_row(page, "copy-of-without-header.txt").locator("a").click()
    expect(page.locator("h1")).to_have_text(named["duplicated"].title)

    page.goto(f"{import_server}/imports")
    latest = page.locator("table.table tbody tr").first
    expect(latest).to_contain_text("with-header.txt and 14 more")
    expect(latest).to_contain_text("done")


def test_a_large_zip_shows_intermediate_progress_before_done(page, import_server):
    count = 1_000  # two parts of 500, each flushed in batches: several seconds of progress
    archive = zip_bytes({f"wire/{n:03}.txt": text_without_header(story()) for n in range(count)})

    start_import(page, import_server, [upload("wire-archive.zip", archive, "application/zip")])

    seen = watch_job(page)
    intermediate = [value for value, _ in seen if 0 < value < 100]
    assert intermediate, f"no progress between 0 and 100 was shown: {seen}"
    assert any(
        re.fullmatch(rf"\d+ of {count} processed", counts) and not counts.startswith(f"{count} ")
        for _, counts in seen
    ), seen
    assert seen[-1] == (100, f"{count} of {count} processed")
    expect(page.locator("#job-stored")).to_have_text(str(count))
    expect(page.locator("tr.item-stored")).to_have_count(count)
