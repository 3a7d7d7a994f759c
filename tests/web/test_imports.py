"""Bulk imports over HTTP: files, archives and URLs become a job with a per-item report."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from app.models import Article, ImportFile, ImportJob
from tests.factories import article_text

PAGE = """<!doctype html><html><head><title>Envoys meet in Vienna</title>
<meta property="og:site_name" content="Deutsche Welle">
<script>alert("x")</script></head><body><nav>Home | World | Sport</nav>
<article><h1>Envoys meet in Vienna</h1>
<p>Diplomats from both sides gathered in Vienna on Tuesday for a new round of talks.</p>
<p>"We are not here to repeat old positions," Russian Foreign Minister Sergey Lavrov told
reporters after the first session, adding that the delegations would meet again soon.</p>
<p>The talks are expected to continue through the week, officials in the Austrian capital said.</p>
</article><footer>© Example media 2023</footer></body></html>"""


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def start_job(client, files=None, urls: str = ""):
    response = client.post(
        "/imports",
        data={"urls": urls},
        files=files or [("files", ("", b"", "application/octet-stream"))],
        follow_redirects=False,
    )
    return response


def job_page(client, response):
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/imports/\d+", location)
    return client.get(location)


def test_import_form_lists_formats_and_recent_jobs(client):
    page = client.get("/imports")
    assert page.status_code == 200
    assert 'name="files"' in page.text and 'name="urls"' in page.text
    assert "No import yet." in page.text


def test_zip_with_good_bad_and_duplicate_entries_reports_each(client, session):
    good = article_text()
    archive = zip_of(
        {
            "wire/one.txt": good.encode(),
            "wire/copy-of-one.txt": good.encode(),
            "wire/two.txt": article_text(speaker="Maria Zakharova").encode(),
            "pages/vienna.html": PAGE.encode(),
            "../../etc/passwd": b"root:x:0:0",
            "inner.zip": zip_of({"a.txt": b"nested"}),
            "empty.txt": b"",
        }
    )
    before = session.execute(select(func.count(Article.id))).scalar_one()
    page = job_page(
        client, start_job(client, [("files", ("bundle.zip", archive, "application/zip"))])
    )
    assert page.status_code == 200
    assert 'id="job-status">done<' in page.text
    assert 'id="job-stored">3<' in page.text
    assert 'id="job-duplicates">1<' in page.text
    assert 'id="job-failed">3<' in page.text
    assert "etc/passwd" in page.text
    assert "nested" in page.text.lower()
    assert "empty" in page.text.lower()
    assert session.execute(select(func.count(Article.id))).scalar_one() == before + 3
    stored_html = session.execute(
        select(Article).where(Article.title == "Envoys meet in Vienna")
    ).scalar_one()
    assert "alert" not in stored_html.body
    assert "Home | World" not in stored_html.body


def test_json_jsonl_csv_and_feed_files_in_one_job(client):
    jsonl = "\n".join(
        json.dumps(record)
        for record in (
            {"title": "Record one", "text": article_text(), "date": "2022-03-01"},
            {"title": "Record without text"},
        )
    )
    csv_missing = "headline,link\nSomething,https://example.org/a\n"
    csv_good = (
        'title,content,published\n"From CSV","'
        + article_text().replace('"', '""')
        + '",2022-02-02\n'
    )
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
    <item><title>Feed story</title><link>https://www.reuters.com/feed-story</link>
    <pubDate>Tue, 01 Mar 2022 10:00:00 GMT</pubDate>
    <description><![CDATA[<p>{article_text()}</p>]]></description></item></channel></rss>"""
    page = job_page(
        client,
        start_job(
            client,
            [
                ("files", ("export.jsonl", jsonl.encode(), "application/json")),
                ("files", ("bad.csv", csv_missing.encode(), "text/csv")),
                ("files", ("good.csv", csv_good.encode(), "text/csv")),
                ("files", ("feed.xml", feed.encode(), "application/rss+xml")),
                (
                    "files",
                    (
                        "bad-date.json",
                        json.dumps({"text": article_text(), "date": "31/02/2022"}).encode(),
                        "application/json",
                    ),
                ),
            ],
        ),
    )
    assert 'id="job-stored">3<' in page.text
    assert 'id="job-failed">3<' in page.text
    assert "no text field" in page.text
    assert "headline" in page.text  # the CSV's columns are named in its error
    assert "31/02/2022" in page.text


def test_zip_bomb_is_refused_without_exhausting_memory(client):
    bomb = zip_of({"bomb.txt": b"0" * 60_000_000})
    page = job_page(client, start_job(client, [("files", ("bomb.zip", bomb, "application/zip"))]))
    assert 'id="job-failed">1<' in page.text
    assert 'id="job-stored">0<' in page.text


def test_empty_submission_is_refused(client):
    response = start_job(client)
    assert response.status_code == 422
    assert "Choose at least one file" in response.text


def test_upload_over_the_bulk_limit_gets_413(client, settings):
    big = b"x" * (settings.max_upload_bytes + 100_000)
    response = client.post("/imports", files=[("files", ("big.txt", big, "text/plain"))])
    assert response.status_code == 413


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/huge":
            body = b"<html><body>" + b"<p>word</p>" * 1_000_000 + b"</body></html>"
        elif self.path == "/article":
            body = PAGE.replace("Vienna", "Geneva").encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        return None


@pytest.fixture
def page_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_are_fetched_and_bad_ones_reported(client, page_server, settings):
    urls = "\n".join(
        [
            f"{page_server}/article",
            f"{page_server}/missing",
            f"{page_server}/huge",
            "http://127.0.0.1:1/unreachable",
            "ftp://example.org/file",
        ]
    )
    page = job_page(client, start_job(client, urls=urls))
    assert 'id="job-stored">1<' in page.text
    assert 'id="job-failed">4<' in page.text


def test_job_page_polls_while_running_and_404s_for_unknown_jobs(client, session):
    job = ImportJob(label="waiting", status="running", total=3, processed=1)
    job.files = [
        ImportFile(position=0, name="a.txt", item_count=1, done=True),
        ImportFile(position=1, name="b.txt", data=b"x"),
        ImportFile(position=2, name="c.txt", data=b"y"),
    ]
    session.add(job)
    session.flush()
    fragment = client.get(f"/imports/{job.id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="job"')
    assert 'hx-trigger="every 500ms"' in fragment.text
    assert 'aria-valuenow="33"' in fragment.text
    assert client.get("/imports/999999").status_code == 404
