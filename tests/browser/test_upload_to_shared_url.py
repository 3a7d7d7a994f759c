"""One article from the upload form to a shared URL, as an editor and an analyst do it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_page
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

BAERBOCK_QUOTE = "Our door to dialogue stays open, but we will not trade away Ukraine's borders"
LAVROV_QUOTE = "The West has run out of arguments and now relies on pressure alone"


def upload(page, base: str, *, text: str, outlet: str, published: str) -> None:
    page.goto(f"{base}/upload")
    page.fill("#u-text", text)
    page.fill("#u-outlet", outlet)
    page.fill("#u-published", published)
    page.click("#u-save")
    expect(page.locator(".notice.success")).to_contain_text("Stored.")


def test_uploaded_statement_is_filtered_shared_and_restored_by_back(page, browser, live_server):
    upload(
        page,
        live_server,
        text=(
            "Baerbock urges restraint in Berlin\n\n"
            "German Foreign Minister Annalena Baerbock met her counterparts on Monday.\n\n"
            f"\u201c{BAERBOCK_QUOTE},\u201d Baerbock said after the meeting."
        ),
        outlet="Deutsche Welle",
        published="2022-02-07",
    )
    expect(page.locator("mark.statement")).to_have_count(1)
    upload(
        page,
        live_server,
        text=(
            "Lavrov dismisses Western demands\n\n"
            "Russian Foreign Minister Sergey Lavrov spoke to journalists in Moscow.\n\n"
            f"\u201c{LAVROV_QUOTE},\u201d Lavrov said."
        ),
        outlet="TASS",
        published="2022-02-10",
    )

    page.goto(f"{live_server}/statements")
    expect(page.locator("#results")).to_contain_text(BAERBOCK_QUOTE)
    expect(page.locator("#results")).to_contain_text(LAVROV_QUOTE)

    page.check("#f-speaker-annalena-baerbock")
    page.wait_for_url(re.compile(r"speaker=annalena-baerbock"))
    expect(page.locator("#results")).not_to_contain_text(LAVROV_QUOTE)
    expect(page.locator("#results")).to_contain_text(BAERBOCK_QUOTE)

    # One change event, as a date picker sends when a day is chosen.
    page.eval_on_selector(
        "#f-from",
        "el => { el.value = '2022-02-01'; el.dispatchEvent(new Event('change', {bubbles: true})); }",
    )
    page.wait_for_url(re.compile(r"speaker=annalena-baerbock&from=2022-02-01"))
    expect(page.locator("#results h1")).to_contain_text("Statements by Annalena Baerbock since")
    shared_url = page.url

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fresh = other.new_page()
        # A colleague who is not signed in yet signs in and lands on the shared view.
        fresh.goto(shared_url)
        fresh.wait_for_url(re.compile(r"/login\?next="))
        fresh.fill("#l-username", "viewer")
        fresh.fill("#l-password", TEST_PASSWORD)
        fresh.click("#l-submit")
        fresh.wait_for_url(shared_url)
        expect(fresh.locator("#results")).to_contain_text(BAERBOCK_QUOTE)
        expect(fresh.locator("#results")).not_to_contain_text(LAVROV_QUOTE)
        expect(fresh.locator("#f-speaker-annalena-baerbock")).to_be_checked()
        expect(fresh.locator("#f-from")).to_have_value("2022-02-01")
    finally:
        other.close()

    page.go_back()
    page.wait_for_url(re.compile(r"speaker=annalena-baerbock$"))
    expect(page.locator("#f-from")).to_have_value("")
    expect(page.locator("#results h1")).to_have_text("Statements by Annalena Baerbock")

    page.go_back()
    page.wait_for_url(re.compile(r"/statements$"))
    expect(page.locator("#results")).to_contain_text(LAVROV_QUOTE)


def test_filters_work_with_javascript_off(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_page(page, live_server, "viewer")
        page.goto(f"{live_server}/statements")
        page.fill("#f-q", "nonexistent-word-xyz")
        page.click("#filters button[type=submit]")
        page.wait_for_url(re.compile(r"q=nonexistent-word-xyz"))
        assert "No statement matches these filters" in page.content()
    finally:
        context.close()


def test_preview_shows_inferred_metadata_and_statements_before_saving(page, live_server):
    page.goto(f"{live_server}/upload")
    page.fill(
        "#u-text",
        "date 2023-06-02 https://www.reuters.com/world/preview-check-2023-06-02/\n"
        "Ministers compare notes in Oslo\n\n"
        "Fight Censorship, Share This Post!\n\n"
        "Norwegian officials hosted the meeting on Friday.\n\n"
        "\u201cWe came to listen before we speak,\u201d Antony Blinken said in Oslo.",
    )
    page.click("#u-preview")
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#p-outlet")).to_contain_text("Reuters")
    expect(page.locator("#p-date")).to_contain_text("2023-06-02")
    expect(page.locator("#p-statements")).to_contain_text("We came to listen before we speak")
    expect(page.locator("#p-statements")).to_contain_text("Antony Blinken")
    expect(page.locator("#p-noise")).to_contain_text("Fight Censorship")
    expect(page.locator("#u-title")).to_have_value("Ministers compare notes in Oslo")
    page.fill("#u-outlet", "Associated Press")
    page.click("#u-save")
    expect(page.locator(".notice.success")).to_contain_text("Stored.")
    expect(page.locator(".eyebrow")).to_contain_text("Associated Press")
    expect(page.locator("h1")).to_have_text("Ministers compare notes in Oslo")
