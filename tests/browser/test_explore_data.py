"""Saved views, exports and search in Chromium, as an analyst uses them."""

from __future__ import annotations

import csv
import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_page

pytestmark = pytest.mark.browser

QUOTES = [
    "The Oresund format remains the only serious channel for these talks",
    "Nobody in the Oresund group has asked us for security guarantees in writing",
    "We will judge the Oresund proposals by deeds, not by sanctions",
]


def publish(editor, base: str, speaker: str, said: str, published: str) -> None:
    """POST an article to the JSON API as the signed-in editor of `editor`'s tab."""
    text = (
        f"Ministers meet again on the Oresund proposals\n\n"
        f"{speaker} addressed reporters after the session.\n\n"
        f"\u201c{said},\u201d {speaker.split()[-1]} said."
    )
    csrf = json.loads(editor.get_attribute("body", "hx-headers"))["X-CSRF-Token"]
    response = editor.request.post(
        f"{base}/api/articles",
        data={"text": text, "outlet": "Reuters", "published": published},
        headers={"X-CSRF-Token": csrf},
        timeout=30_000,
    )
    assert response.status in {200, 201}, response.text()


@pytest.fixture(scope="module")
def oresund(browser, live_server: str) -> str:
    context = browser.new_context()
    editor = context.new_page()
    sign_in_page(editor, live_server, "editor")
    for day, (speaker, said) in enumerate(
        zip(["Sergey Lavrov", "Antony Blinken", "Sergey Lavrov"], QUOTES, strict=True), start=10
    ):
        publish(editor, live_server, speaker, said, f"2023-05-{day}")
    context.close()
    return live_server


def test_save_a_view_find_it_in_the_list_and_open_it(page, oresund):
    page.goto(f"{oresund}/statements?speaker=sergey-lavrov&q=oresund")
    page.fill("#save-view-name", "Lavrov on Oresund")
    page.click("#save-view")
    expect(page.locator("#save-view-status")).to_contain_text("Saved as “Lavrov on Oresund”")
    page.click("#save-view-status a")
    page.wait_for_url(re.compile(r"/views$"))
    link = page.get_by_role("link", name="Lavrov on Oresund")
    expect(link).to_be_visible()
    expect(page.locator("#saved-views")).to_contain_text(
        "Statements by Sergey Lavrov matching oresund"
    )
    link.click()
    page.wait_for_url(re.compile(r"/statements\?speaker=sergey-lavrov&q=oresund$"))
    expect(page.locator("#results")).to_contain_text(QUOTES[0])
    expect(page.locator("#results")).not_to_contain_text(QUOTES[1])


def test_saving_works_with_javascript_off_and_duplicates_are_refused(browser, oresund):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_page(page, oresund, "viewer")
        page.goto(f"{oresund}/statements?q=oresund&sort=oldest")
        page.fill("#save-view-name", "Oresund, oldest first")
        page.click("#save-view")
        page.wait_for_url(re.compile(r"/views\?saved=\d+$"))
        expect(page.locator(".notice.success")).to_contain_text("The view was saved")
        expect(page.get_by_role("link", name="Oresund, oldest first")).to_have_attribute(
            "href", "/statements?q=oresund&sort=oldest"
        )
        page.goto(f"{oresund}/statements?q=oresund")
        page.fill("#save-view-name", "oresund, OLDEST first")
        page.click("#save-view")
        expect(page.locator(".notice.error")).to_contain_text("already saved")
        page.fill("#v-name", "Oresund by relevance")
        page.click("form.save-again button")
        expect(page.get_by_role("link", name="Oresund by relevance")).to_be_visible()
    finally:
        context.close()


def test_delete_a_saved_view(page, oresund):
    page.goto(f"{oresund}/statements?q=oresund&outlet=reuters")
    page.fill("#save-view-name", "Short-lived view")
    page.click("#save-view")
    expect(page.locator("#save-view-status")).to_contain_text("Saved as")
    page.goto(f"{oresund}/views")
    row = page.locator(".saved-view", has_text="Short-lived view")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete Short-lived view").click()
    expect(row).to_have_count(0)
    page.reload()
    expect(page.get_by_role("link", name="Short-lived view")).to_have_count(0)


def test_downloaded_csv_rows_match_the_statements_on_the_page(page, oresund, tmp_path):
    page.goto(f"{oresund}/statements?q=oresund&sort=oldest")
    on_page = [text.strip() for text in page.locator(".statement-text").all_inner_texts()]
    assert len(on_page) == 3
    with page.expect_download() as download_info:
        page.click("#export-csv")
    download = download_info.value
    assert download.suggested_filename == "statements-matching-oresund-oldest-first.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["text"] for row in rows] == on_page
    speakers = [s.strip() for s in page.locator(".statement-card .speaker-name").all_inner_texts()]
    assert [row["speaker"] for row in rows] == speakers


def test_search_with_a_phrase_shows_the_matches_marked(page, oresund):
    page.goto(f"{oresund}/search")
    page.fill("#s-q", '"security guarantees" oresund -sanctions')
    page.press("#s-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("#statement-hits")
    expect(hits).to_contain_text(QUOTES[1])
    expect(hits).not_to_contain_text(QUOTES[2])
    expect(hits.locator("mark.match", has_text="security guarantees")).to_have_count(1)
    expect(page.locator("#article-hits mark.match").first).to_be_visible()
    page.get_by_role("link", name="All in the timeline →").click()
    expect(page.locator("#results")).to_contain_text(QUOTES[1])


def test_follow_link_serves_the_views_feed(page, oresund):
    page.goto(f"{oresund}/statements?q=oresund")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    assert (
        href == page.locator("#follow-feed").get_attribute("href") == "/statements.atom?q=oresund"
    )
    feed = page.request.get(f"{oresund}{href}")
    assert feed.status == 200 and feed.text().count("<entry>") == 3
