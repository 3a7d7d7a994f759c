"""Exploring the demo corpus in Chromium: chart grouping, filters, keyset pages and
shared addresses, as an analyst clicks through them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from app.services.demo import load_demo
from app.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.live import live_app

pytestmark = pytest.mark.browser


def load_demo_only(session: Session) -> None:
    """The twenty synthetic demo articles and nothing else: no shared folder here."""
    settings = Settings(database_url=None)
    load_demo(session, shared_dir=Path("/nonexistent"), limits=settings.ingest_limits())
    session.commit()


@pytest.fixture(scope="module")
def demo_server(make_database) -> Iterator[str]:
    """A server over the demo corpus, with pages of five statements so paging shows, in a
    deployment that lets visitors browse without signing in."""
    settings = Settings(database_url=None, page_size=5, run_worker=False, anonymous_read=True)
    with live_app(
        make_database, "explore", settings, prepare=load_demo_only, password=TEST_PASSWORD
    ) as url:
        yield url


def test_chart_grouping_and_a_filter_follow_the_url_reload_and_back(page, demo_server):
    page.goto(f"{demo_server}/statements")
    chart = page.locator("#timeline-volume")
    expect(chart.locator(".chart-title")).to_have_text("Statements over time, by speaker")

    page.click("#chart-theme")
    page.wait_for_url(re.compile(r"/statements\?chart=theme$"))
    expect(chart.locator(".chart-title")).to_have_text("Statements over time, by theme")
    expect(page.locator("#chart-theme")).to_have_attribute("aria-current", "true")

    page.check("#f-speaker-sergey-lavrov")
    page.wait_for_url(re.compile(r"speaker=sergey-lavrov&chart=theme$"))
    expect(page.locator("#results h1")).to_have_text("Statements by Sergey Lavrov")
    expect(chart.locator(".chart-title")).to_have_text("Statements over time, by theme")
    for name in page.locator("#results .statement-card .speaker-name").all_inner_texts():
        assert name.strip() == "Sergey Lavrov"

    page.reload()
    expect(page.locator("#f-speaker-sergey-lavrov")).to_be_checked()
    expect(chart.locator(".chart-title")).to_have_text("Statements over time, by theme")

    page.go_back()
    page.wait_for_url(re.compile(r"/statements\?chart=theme$"))
    expect(page.locator("#f-speaker-sergey-lavrov")).not_to_be_checked()
    expect(page.locator("#results h1")).to_have_text("Statements")
    page.go_back()
    page.wait_for_url(re.compile(r"/statements$"))
    expect(chart.locator(".chart-title")).to_have_text("Statements over time, by speaker")


def test_older_link_walks_the_keyset_pages_and_each_address_reopens_the_same_page(
    page, browser, demo_server
):
    page.goto(f"{demo_server}/statements?speaker=sergey-lavrov")
    first_cards = page.locator(".statement-card").evaluate_all("cards => cards.map(c => c.id)")
    page.click("#older")
    page.wait_for_url(re.compile(r"before=\d{4}-\d\d-\d\d,\d+"))
    expect(page.locator("#page-position")).to_contain_text("6–")
    second_url = page.url
    second_cards = page.locator(".statement-card").evaluate_all("cards => cards.map(c => c.id)")
    assert second_cards and not set(first_cards) & set(second_cards)

    page.click("#older")
    page.wait_for_url(lambda url: url != second_url and "before=" in url)
    expect(page.locator("#page-position")).to_contain_text("11–")

    page.go_back()
    page.wait_for_url(second_url)
    expect(page.locator(".statement-card").first).to_have_id(second_cards[0])

    fresh = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        other = fresh.new_page()
        other.goto(second_url)
        ids = other.locator(".statement-card").evaluate_all("cards => cards.map(c => c.id)")
        assert ids == second_cards
    finally:
        fresh.close()


def test_a_copied_speaker_page_opens_the_same_view_in_a_fresh_browser(page, browser, demo_server):
    page.goto(f"{demo_server}/speakers")
    page.fill("#v-name", "lavrov")
    page.press("#v-name", "Enter")
    page.wait_for_url(re.compile(r"/speakers\?name=lavrov$"))
    page.click("#speaker-index a.entity >> text=Sergey Lavrov")
    page.wait_for_url(re.compile(r"/speakers/sergey-lavrov$"))
    expect(page.locator("h1")).to_contain_text("Sergey Lavrov")

    page.eval_on_selector(
        "#v-to",
        "el => { el.value = '2022-12-31'; el.dispatchEvent(new Event('change', {bubbles: true})); }",
    )
    page.wait_for_url(re.compile(r"/speakers/sergey-lavrov\?to=2022-12-31$"))
    expect(page.locator(".summary")).to_contain_text("2022")
    latest = page.locator(".summary div").nth(3).inner_text()
    copied = page.url

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(copied)
        expect(other.locator("h1")).to_contain_text("Sergey Lavrov")
        expect(other.locator("#v-to")).to_have_value("2022-12-31")
        assert other.locator(".summary div").nth(3).inner_text() == latest
        expect(other.locator("#speaker-volume .chart-svg.chart-wide")).to_be_visible()
        expect(other.locator("#speaker-volume .chart-svg.chart-narrow")).to_be_hidden()
    finally:
        fresh.close()


def test_overview_names_lead_to_their_pages(page, demo_server):
    page.goto(f"{demo_server}/")
    expect(page.locator("#week-title")).to_contain_text("Week of")
    page.locator("#active-speakers a.entity").first.click()
    page.wait_for_url(re.compile(r"/speakers/[a-z0-9-]+$"))
    expect(page.locator("#speaker-volume")).to_be_visible()


def test_charts_switch_to_their_narrow_drawing_on_a_phone(browser, demo_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.goto(f"{demo_server}/themes")
        expect(phone.locator("#theme-heatmap .chart-svg.chart-narrow")).to_be_visible()
        expect(phone.locator("#theme-heatmap .chart-svg.chart-wide")).to_be_hidden()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    finally:
        context.close()


def test_entity_links_work_with_javascript_off(browser, demo_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{demo_server}/themes")
        page.click("#theme-index a.entity >> nth=0")
        page.wait_for_url(re.compile(r"/themes/[a-z0-9-]+$"))
        page.fill("#v-from", "2022-01-01")
        page.click("#view-filters button[type=submit]")
        page.wait_for_url(re.compile(r"from=2022-01-01"))
        assert "Representative statements" in page.content()
    finally:
        context.close()
