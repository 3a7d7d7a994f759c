"""Security in Chromium: hostile article data renders inert on every page, the pages and
Swagger UI work under the Content-Security-Policy without a single violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import make_engine
from app.ingest import OutletRef, parse_plain_text
from app.main import create_app
from app.models import Speaker, Statement
from app.services import counts
from app.services.articles import add_article
from app.settings import Settings
from app.web.policy import iter_routes
from tests.browser.conftest import sign_in_page
from tests.conftest import TEST_PASSWORD
from tests.live import live_app

pytestmark = pytest.mark.browser

# Each payload sets window.__xss or opens a dialog if it ever runs as code or markup.
PAYLOADS = [
    "<script>window.__xss = 'script'</script>",
    "<img src=x onerror=\"window.__xss = 'img'\">",
    '"><svg onload="window.__xss = \'svg\'">',
    "' onmouseover='window.__xss = 1' x='",
    "<iframe srcdoc=\"<script>parent.__xss = 'frame'</script>\"></iframe>",
    "</textarea><script>alert('textarea')</script>",
    "{{7*7}} ${alert('template')}",
]
HOSTILE = " ".join(PAYLOADS)
# Names are at most 300 characters: three payloads fit.
HOSTILE_NAME = " ".join(PAYLOADS[:3])
# Elements or attributes that exist only if a payload became markup.
INJECTED = "script:not([src]), img[src='x'], svg[onload], iframe[srcdoc], [onerror], [onmouseover]"
CSP_MESSAGE = re.compile("Content.Security.Policy|Refused to", re.I)


@dataclass(frozen=True)
class HostileSite:
    url: str
    article_id: int
    speaker_slug: str
    outlet_slug: str


def hostile_article_text() -> str:
    return (
        f"{HOSTILE} title line\n\n"
        "Russian Foreign Minister Sergey Lavrov spoke to reporters in Moscow on Friday.\n\n"
        f"\u201cWe will answer {HOSTILE} in writing,\u201d Lavrov said.\n\n"
        f"Officials said the talks on {PAYLOADS[1]} would continue next week."
    )


@pytest.fixture(scope="module")
def hostile_site(make_database) -> Iterator[HostileSite]:
    """A live app whose one article has payloads in its title, text, outlet and speaker."""
    url = make_database("xss")
    with live_app(
        lambda _purpose: url,
        "xss",
        Settings(database_url=None, max_article_bytes=200_000),
        password=TEST_PASSWORD,
    ) as base:
        engine = make_engine(url)
        with Session(engine) as session:
            article = add_article(
                session,
                parse_plain_text(
                    hostile_article_text(),
                    title=f"Title {HOSTILE}",
                    outlet=OutletRef(
                        slug="hostile-outlet",
                        name=f"Outlet {HOSTILE_NAME}",
                        domain=None,
                        known=False,
                    ),
                    url="https://example.com/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
                ),
            )
            speaker = Speaker(
                slug="hostile-speaker",
                name=f"Speaker {HOSTILE_NAME}",
                kind="person",
                confirmed=False,
            )
            session.add(speaker)
            session.flush()
            # Changed around the app's services, so the counts are moved here.
            counts.withdraw(session, article_ids=[article.id])
            session.execute(
                update(Statement)
                .where(Statement.article_id == article.id)
                .values(speaker_id=speaker.id, speaker_mention=PAYLOADS[2], cue=PAYLOADS[3][:100])
            )
            counts.add(session, article_ids=[article.id])
            session.commit()
            site = HostileSite(base, article.id, "hostile-speaker", "hostile-outlet")
        engine.dispose()
        yield site


def read_only_pages(site: HostileSite) -> list[str]:
    """Every GET page of the app, path parameters filled with the hostile rows, plus the
    filtered timelines: pages other branches add are visited with no change here."""
    app = create_app(Settings(database_url=None), engine=make_engine("postgresql://"))
    fill = {"article_id": str(site.article_id), "slug": site.speaker_slug}
    pages = {
        f"/statements?speaker={site.speaker_slug}",
        f"/statements?outlet={site.outlet_slug}",
        "/statements?q=script",
    }
    for route in iter_routes(app):
        path = getattr(route, "path", "")
        downloads = path.endswith((".csv", ".json"))  # a file to save, not a page to render
        if "GET" not in (getattr(route, "methods", None) or ()) or downloads:
            continue
        names = re.findall(r"\{(\w+)(?::\w+)?\}", path)
        if all(name in fill or name.endswith("_slug") for name in names):
            for name in names:
                value = fill.get(name, site.speaker_slug)
                path = re.sub(r"\{" + name + r"(?::\w+)?\}", value, path)
            pages.add(path)
    return sorted(pages)


def assert_inert(page) -> None:
    assert page.locator(INJECTED).count() == 0, page.url
    assert page.evaluate("window.__xss") is None, page.url


@pytest.fixture
def watched_page(anonymous_page) -> Iterator[tuple[object, list[str]]]:
    """A tab that records dialogs and CSP reports."""
    problems: list[str] = []

    def on_dialog(dialog) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    anonymous_page.on("dialog", on_dialog)
    anonymous_page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if CSP_MESSAGE.search(message.text)
            else None
        ),
    )
    yield anonymous_page, problems


def test_hostile_article_data_renders_inert_on_every_page(hostile_site, watched_page):
    page, problems = watched_page
    sign_in_page(page, hostile_site.url, "editor")
    visited = []
    for path in read_only_pages(hostile_site):
        response = page.goto(hostile_site.url + path)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)
        assert_inert(page)
        visited.append(path)
    assert f"/articles/{hostile_site.article_id}" in visited
    page.goto(f"{hostile_site.url}/articles/{hostile_site.article_id}")
    expect(page.locator("h1")).to_contain_text("<script>window.__xss = 'script'</script>")
    expect(page.locator(".eyebrow")).to_contain_text("Outlet <script>window.__xss")
    expect(page.locator("#article-body")).to_contain_text("We will answer <script>")
    page.goto(f"{hostile_site.url}/statements?speaker={hostile_site.speaker_slug}")
    expect(page.locator(".statement-card .speaker-name").first).to_contain_text("Speaker <script>")
    assert problems == []


def test_pasting_hostile_text_into_the_upload_preview_stays_inert(hostile_site, watched_page):
    page, problems = watched_page
    sign_in_page(page, hostile_site.url, "editor")
    page.goto(f"{hostile_site.url}/upload")
    page.fill("#u-text", hostile_article_text().replace("title line", "second copy"))
    page.fill("#u-outlet", f"Outlet {PAYLOADS[0]}")
    page.click("#u-preview")
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#p-outlet")).to_contain_text("<script>")
    assert_inert(page)
    assert problems == []


def test_pages_and_htmx_swaps_raise_no_csp_violation(hostile_site, watched_page):
    page, problems = watched_page
    sign_in_page(page, hostile_site.url, "editor")
    page.goto(f"{hostile_site.url}/statements")
    page.check(f"#f-speaker-{hostile_site.speaker_slug}")
    page.wait_for_url(re.compile(f"speaker={hostile_site.speaker_slug}"))
    expect(page.locator("#results .chip")).to_contain_text("Speaker <script>")
    for path in ("/upload", "/imports", "/account"):
        page.goto(hostile_site.url + path)
    assert problems == []


def test_swagger_ui_works_under_the_csp_and_sends_the_csrf_token(hostile_site, watched_page):
    page, problems = watched_page
    sign_in_page(page, hostile_site.url, "editor")
    page.goto(f"{hostile_site.url}/docs")
    operation = page.locator(".opblock-post").filter(has_text="/api/articles")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.locator("button.try-out__btn").click()
    page.locator("textarea.body-param__text").fill(
        '{"text": "Kuleba spoke in Kyiv.\\n\\n\\u201cWe need air defence now,\\u201d Kuleba said."}'
    )
    page.locator("button.execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        re.compile("201|200")
    )
    assert problems == []
