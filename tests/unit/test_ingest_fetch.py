"""Fetching URLs from a local server: redirects, address checks, size cap and timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.ingest import fetch
from app.ingest.fetch import FetchError, address_refusal, fetch_url, read_url
from app.ingest.limits import IngestLimits

PAGE = b"""<!doctype html><html><head><title>Harbour talks end</title></head><body>
<article><h1>Harbour talks end</h1>
<p>Negotiators left the harbour city on Wednesday without an agreement on fishing
quotas, the coastal ministry said in a short statement.</p>
<p>"The door remains open," the lead negotiator told local radio, adding that the next
meeting would take place after the holidays.</p></article></body></html>"""

CANONICAL_PAGE = PAGE.replace(
    b"<head>", b'<head><link rel="canonical" href="https://tass.com/world/harbour">'
)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/article": lambda: self._send(PAGE, "text/html; charset=utf-8"),
            "/canonical": lambda: self._send(CANONICAL_PAGE, "text/html"),
            "/hop": lambda: self._redirect("/article"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-ftp": lambda: self._redirect("ftp://files.example/a.txt"),
            "/loop": lambda: self._redirect("/loop"),
            "/declared-huge": self._declared_huge,
            "/streamed-huge": self._streamed_huge,
            "/slow": self._slow,
            "/missing": lambda: self._send(b"gone", "text/plain", status=404),
            "/feed": lambda: self._send(FEED, "application/rss+xml"),
        }
        assert port
        routes.get(self.path, routes["/missing"])()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _declared_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(10_000_000))
        self.end_headers()

    def _streamed_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"words and more words " * 500)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _slow(self) -> None:
        time.sleep(2)
        self._send(PAGE, "text/html")

    def log_message(self, *args: object) -> None:
        pass


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>
<item><title>One</title><link>https://harbour.example/one</link>
<description>The quay reopened on Monday, the port said.</description></item>
<item><title>Two</title><link>https://harbour.example/two</link>
<description>Ferries resumed on Tuesday, the operator said.</description></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = IngestLimits(allow_private_fetch=True, fetch_timeout_seconds=1.0, max_fetch_bytes=100_000)


def test_page_is_fetched_and_read_with_its_url(server):
    items = read_url(f"{server}/article", limits=LOCAL)
    assert len(items) == 1 and items[0].article is not None
    article = items[0].article
    assert article.title == "Harbour talks end"
    assert article.url == f"{server}/article"
    assert article.body.startswith("Negotiators left the harbour city")


def test_canonical_url_of_the_page_wins_over_the_fetched_url(server):
    article = read_url(f"{server}/canonical", limits=LOCAL)[0].article
    assert article is not None and article.url == "https://tass.com/world/harbour"
    assert article.outlet is not None and article.outlet.slug == "tass"


def test_redirect_is_followed_and_the_final_url_kept(server):
    fetched = fetch_url(f"{server}/hop", limits=LOCAL)
    assert fetched.url == f"{server}/article"
    assert fetched.content_type == "text/html; charset=utf-8"


def test_fetched_feed_gives_one_item_per_entry_with_their_own_urls(server):
    items = read_url(f"{server}/feed", limits=LOCAL)
    assert [item.article.url for item in items if item.article] == [
        "https://harbour.example/one",
        "https://harbour.example/two",
    ]


def test_loopback_address_is_refused_without_the_flag(server):
    item = read_url(f"{server}/article", limits=IngestLimits())[0]
    assert item.article is None
    assert "loopback address" in item.error and "public internet" in item.error


def test_redirect_to_a_private_address_is_refused_at_that_hop(server, monkeypatch):
    # Treat the test server's 127.0.0.1 as public so that only the second hop, to the
    # cloud metadata address, is judged.
    real = fetch.address_refusal
    monkeypatch.setattr(
        fetch, "address_refusal", lambda address: None if address == "127.0.0.1" else real(address)
    )
    with pytest.raises(FetchError, match=r"169\.254\.169\.254.*link-local"):
        fetch_url(f"{server}/to-metadata", limits=IngestLimits(fetch_timeout_seconds=1.0))


def test_redirect_to_another_scheme_is_refused(server):
    with pytest.raises(FetchError, match="Only http and https"):
        fetch_url(f"{server}/to-ftp", limits=LOCAL)


def test_redirect_loop_ends_with_a_message(server):
    with pytest.raises(FetchError, match="redirects more than"):
        fetch_url(f"{server}/loop", limits=LOCAL)


@pytest.mark.parametrize("path", ["/declared-huge", "/streamed-huge"])
def test_body_over_the_cap_is_refused(server, path):
    item = read_url(f"{server}{path}", limits=LOCAL)[0]
    assert "larger than 100,000 bytes" in item.error


def test_server_too_slow_to_answer_times_out(server):
    limits = IngestLimits(allow_private_fetch=True, fetch_timeout_seconds=0.3)
    started = time.monotonic()
    item = read_url(f"{server}/slow", limits=limits)[0]
    assert "did not answer in time" in item.error
    assert time.monotonic() - started < 1.5


def test_http_error_status_is_reported(server):
    assert "answered 404" in read_url(f"{server}/missing", limits=LOCAL)[0].error


def test_unreachable_port_is_reported(server):
    item = read_url("http://127.0.0.1:9/", limits=LOCAL)[0]
    assert "could not be reached" in item.error


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("http://", "no host name"),
        ("http://name.invalid/", "could not be found"),
    ],
)
def test_bad_addresses_are_refused_with_a_sentence(url, message):
    item = read_url(url, limits=IngestLimits())[0]
    assert message in item.error


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "reserved"),
        ("100.64.0.1", "reserved"),
        ("240.0.0.1", "reserved"),
        ("224.0.0.1", "reserved"),
    ],
)
def test_internal_addresses_are_refused(address, reason):
    assert reason in (address_refusal(address) or "")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None
