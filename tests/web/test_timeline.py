"""The statements timeline over HTTP: filters in the URL, HTMX fragments, bad values."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import REUTERS, RT, article_text, make_article


@pytest.fixture
def corpus(session):
    lavrov = make_article(
        session,
        text=article_text(said="We will not wait forever for an answer on security guarantees"),
        published=date(2022, 1, 14),
        outlet=RT,
    )
    zakharova = make_article(
        session,
        text=article_text(speaker="Maria Zakharova", said="The sanctions will backfire on Europe"),
        published=date(2022, 3, 2),
        outlet=REUTERS,
    )
    return {"lavrov": lavrov, "zakharova": zakharova}


def test_timeline_lists_statements_with_speaker_and_outlet(client, corpus):
    page = client.get("/statements")
    assert page.status_code == 200
    assert "We will not wait forever for an answer on security guarantees" in page.text
    assert "Sergey Lavrov" in page.text and "Maria Zakharova" in page.text
    assert 'href="/static/vendor/htmx-2.0.11.min.js"' not in page.text
    assert "/static/vendor/htmx-2.0.11.min.js" in page.text


def test_filter_by_speaker_keeps_only_their_statements(client, corpus):
    page = client.get("/statements", params={"speaker": "maria-zakharova"})
    assert page.status_code == 200
    assert "The sanctions will backfire on Europe" in page.text
    assert "We will not wait forever" not in page.text
    assert "Statements by Maria Zakharova" in page.text


def test_filter_by_outlet_and_date_range(client, corpus):
    page = client.get(
        "/statements", params={"outlet": "rt", "from": "2022-01-01", "to": "2022-01-31"}
    )
    assert "We will not wait forever" in page.text
    assert "The sanctions will backfire" not in page.text
    outside = client.get("/statements", params={"outlet": "rt", "from": "2022-02-01"})
    assert "We will not wait forever" not in outside.text
    assert "No statement matches these filters" in outside.text


def test_text_search_uses_words_and_phrases(client, corpus):
    page = client.get("/statements", params={"q": '"security guarantees" -sanctions'})
    assert "We will not wait forever" in page.text
    assert "The sanctions will backfire" not in page.text


def test_facets_count_statements_under_the_other_filters(client, corpus):
    page = client.get("/statements", params={"outlet": "reuters"})
    assert 'value="maria-zakharova"' in page.text
    assert 'value="sergey-lavrov"' not in page.text
    assert 'value="rt"' in page.text, "outlet facet ignores the outlet filter itself"


def test_htmx_request_gets_only_the_explorer_fragment(client, corpus):
    fragment = client.get(
        "/statements", params={"speaker": "sergey-lavrov"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="explorer"')
    assert "<html" not in fragment.text
    assert "<title>Statements by Sergey Lavrov · Démarche</title>" in fragment.text
    assert fragment.headers["vary"] == "HX-Request"


def test_history_restore_gets_the_whole_page(client, corpus):
    page = client.get(
        "/statements", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in page.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "notadate"}, "is not a date"),
        ({"from": "2022-03-01", "to": "2022-01-01"}, "before the “from” date"),
        ({"speaker": "<script>alert(1)</script>"}, "not a valid identifier"),
        ({"before": "-3"}, "cannot be read"),
        ({"before": "2022-13-01,5"}, "is not a date"),
        ({"chart": "<svg onload=alert(1)>"}, "is not one this page draws"),
        ({"page": "0"}, "must be a whole number"),
        ({"q": "nul\x00byte"}, "control characters"),
        ({"q": "x" * 1000}, "too long"),
        ({"nonsense": "1"}, "not a filter this page knows"),
    ],
)
def test_bad_filter_values_get_a_message_and_a_400(client, corpus, params, message):
    page = client.get("/statements", params=params)
    assert page.status_code == 400
    assert message in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_unknown_speaker_gives_an_empty_result_and_says_so(client, corpus):
    page = client.get("/statements", params={"speaker": "nobody-at-all"})
    assert page.status_code == 200
    assert "No speaker is known as “nobody-at-all”" in page.text
    assert "No statement matches these filters" in page.text


def test_hostile_search_text_is_harmless(client, corpus):
    for q in ["'; DROP TABLE statements; --", "a & | ! <> :* (", '"""', "\\"]:
        page = client.get("/statements", params={"q": q})
        assert page.status_code == 200, q
    assert "We will not wait forever" in client.get("/statements").text


def test_health_check_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_non_canonical_address_redirects_to_the_canonical_one(client, corpus):
    response = client.get(
        "/statements?q=&outlet=rt&speaker=sergey-lavrov&from=&speaker=sergey-lavrov",
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/statements?speaker=sergey-lavrov&outlet=rt"
    assert client.get(response.headers["location"], follow_redirects=False).status_code == 200


def test_htmx_swap_pushes_the_canonical_address(client, corpus):
    fragment = client.get(
        "/statements?q=&to=&speaker=sergey-lavrov", headers={"HX-Request": "true"}
    )
    assert fragment.headers["hx-push-url"] == "/statements?speaker=sergey-lavrov"


def test_volume_chart_is_stacked_by_speaker_unless_the_address_says_theme(client, corpus):
    by_speaker = client.get("/statements")
    assert "Statements over time, by speaker" in by_speaker.text
    assert 'id="chart-speaker" href="/statements" ' in by_speaker.text
    by_theme = client.get("/statements", params={"chart": "theme"})
    assert by_theme.status_code == 200
    assert "Statements over time, by theme" in by_theme.text
    assert '<a href="/themes/security-guarantees">Security guarantees</a>' in by_theme.text


def test_chart_grouping_links_keep_the_filters(client, corpus):
    page = client.get("/statements", params={"outlet": "rt"})
    assert 'id="chart-theme" href="/statements?outlet=rt&amp;chart=theme"' in page.text
    themed = client.get("/statements", params={"outlet": "rt", "chart": "theme"})
    assert '<input type="hidden" name="chart" value="theme">' in themed.text


def test_chart_columns_open_the_timeline_for_their_period(client, corpus):
    page = client.get("/statements", params={"chart": "theme"})
    assert "per week" in page.text, "seven weeks of data are drawn week by week"
    assert 'href="/statements?from=2022-01-10&amp;to=2022-01-16&amp;chart=theme"' in page.text


def test_theme_facet_counts_statements_beside_speaker_and_outlet(client, corpus):
    page = client.get("/statements", params={"speaker": "sergey-lavrov"})
    assert 'id="f-theme-security-guarantees"' in page.text
    facet = page.text[page.text.index('id="f-theme-security-guarantees"') :].split("</label>")[0]
    assert '<span class="count">1</span>' in facet


def test_older_link_names_the_last_statement_and_survives_new_statements(client, session, settings):
    for index in range(settings.page_size + 3):
        make_article(
            session,
            text=article_text(said=f"Statement number {index} for paging"),
            published=date(2022, 1, 1 + index % 28),
            outlet=RT,
        )
    first = client.get("/statements", params={"outlet": "rt"})
    older = re.search(r'id="older" class="button secondary" href="([^"]+)"', first.text)
    assert older, "a full page offers an Older link"
    address = older.group(1).replace("&amp;", "&")
    assert re.fullmatch(r"/statements\?outlet=rt&before=2022-01-\d\d,\d+", address)
    second = client.get(address)
    assert second.status_code == 200
    shown = set(re.findall(r'id="card-s(\d+)"', second.text))
    assert len(shown) == 3
    assert f"{settings.page_size + 1}–{settings.page_size + 3} of" in second.text
    assert 'href="/statements?outlet=rt"' in second.text, "a way back to the newest"

    make_article(
        session,
        text=article_text(said="A statement stored later"),
        published=date(2022, 2, 1),
        outlet=RT,
    )
    again = client.get(address)
    assert set(re.findall(r'id="card-s(\d+)"', again.text)) == shown


def test_a_statement_from_a_syndicated_story_lists_the_outlets_that_carried_it(client, session):
    text = article_text(said="The sanctions will backfire on Europe and on no one else")
    make_article(session, text=text, published=date(2022, 3, 2), outlet=RT)
    make_article(
        session,
        text=text + "\n\nReporting by the Reuters newsroom.",
        published=date(2022, 3, 2),
        outlet=REUTERS,
    )
    page = client.get("/statements")
    assert page.text.count("Syndicated story, carried by") == 2
    carried = page.text[page.text.index("Syndicated story, carried by") :].split("</p>")[0]
    assert (
        'href="/outlets/reuters">Reuters</a>' in carried and 'href="/outlets/rt">RT</a>' in carried
    )
    assert "<title>Sergey Lavrov: 1 statement · 2 March 2022</title>" in page.text, (
        "the chart counts the story once"
    )


def test_oldest_first_pages_by_number_and_newest_first_by_position(client, session, settings):
    for index in range(settings.page_size + 2):
        make_article(session, text=article_text(said=f"Paging statement number {index}"), outlet=RT)
    oldest = client.get("/statements?outlet=rt&sort=oldest")
    assert 'href="/statements?outlet=rt&amp;sort=oldest&amp;page=2"' in oldest.text
    second = client.get("/statements?outlet=rt&sort=oldest&page=2")
    assert second.status_code == 200 and 'id="next-page"' not in second.text
    assert "← First" in second.text
    newest = client.get("/statements?outlet=rt")
    assert re.search(r'href="/statements\?outlet=rt&amp;before=[0-9-]+,\d+"', newest.text)
    assert client.get("/statements?outlet=rt&page=2", follow_redirects=False).status_code in {
        301,
        302,
        307,
        308,
    }, "a page number on a newest-first view is not its address"
