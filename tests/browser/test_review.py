"""The review queue in Chromium: an editor signs in, corrects a speaker in the queue (an
HTMX swap), the timeline shows the corrected speaker, and re-running extraction keeps it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from app.db import make_engine
from app.services.reprocess import reprocess_articles
from app.settings import Settings
from tests.browser.conftest import sign_in_page
from tests.browser.test_upload_to_shared_url import upload
from tests.conftest import TEST_PASSWORD
from tests.live import live_app

pytestmark = pytest.mark.browser

QUOTE = "The consultations will resume only when our proposals receive a written reply"


@pytest.fixture(scope="module")
def review_server(make_database) -> Iterator[tuple[str, str]]:
    """A live server of its own, and its database's address, so the test can reprocess."""
    urls: list[str] = []

    def database(purpose: str) -> str:
        urls.append(make_database(purpose))
        return urls[-1]

    with live_app(database, "review", Settings(database_url=None), password=TEST_PASSWORD) as base:
        yield base, urls[0]


def test_an_editor_corrects_a_speaker_in_the_queue_and_reprocessing_keeps_it(
    anonymous_page, review_server
):
    base, database_url = review_server
    page = anonymous_page
    sign_in_page(page, base, "editor")
    upload(
        page,
        base,
        text=(
            "Moscow waits for a reply\n\n"
            "Russian Foreign Minister Sergey Lavrov spoke to reporters on Tuesday.\n\n"
            f"\u201c{QUOTE},\u201d Lavrov said."
        ),
        outlet="TASS",
        published="2022-02-01",
    )
    page.goto(f"{base}/review?q=consultations")
    item = page.locator(".review-item").filter(has_text=QUOTE)
    expect(item).to_contain_text("Sergey Lavrov")
    item.locator("summary", has_text="Correct").click()
    item.locator("input[name=speaker]").fill("Sergei Ryabkov")
    item.locator("button", has_text="Save correction").click()
    corrected = page.locator(".review-item").filter(has_text=QUOTE)
    expect(corrected).to_contain_text("Saved: this statement is now corrected")
    expect(corrected).to_contain_text("Sergei Ryabkov")
    assert "/review?q=consultations" in page.url, "the queue was updated in place"

    page.goto(f"{base}/statements?speaker=sergei-ryabkov")
    expect(page.locator("#results")).to_contain_text(QUOTE)

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            reprocess_articles(session, article_ids=None)
    finally:
        engine.dispose()
    page.goto(f"{base}/statements?speaker=sergei-ryabkov")
    expect(page.locator("#results")).to_contain_text(QUOTE)
    page.goto(f"{base}/statements?speaker=sergey-lavrov")
    expect(page.locator("#results")).not_to_contain_text(QUOTE)
