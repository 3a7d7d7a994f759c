"""The exploring pages over HTTP: overview, speakers, outlets, themes, and their filters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import REUTERS, RT, TASS, article_text, make_article

# The newest week of the corpus is Monday 4 to Sunday 10 March 2024: long ago, as demo data is.
NEWEST_WEEK = date(2024, 3, 6)


def story_text(*, speaker: str, said: str, sign_off: str = "") -> str:
    return (
        "Ministers trade warnings before the Geneva round\n\n"
        f"{speaker} spoke to journalists after a long day of consultations with counterparts "
        "from several European capitals and a delegation from Washington.\n\n"
        f"\u201c{said},\u201d {speaker.split()[-1]} said.\n\n"
        "The talks are expected to resume next week at the mission in Geneva, where both "
        "delegations have booked rooms for three days of meetings and a closing briefing."
        + sign_off
    )


@pytest.fixture
def corpus(session):
    """Four weeks of statements, one syndicated story carried by RT and TASS."""
    articles = {}
    articles["lavrov_old"] = make_article(
        session,
        text=article_text(said="Security guarantees for Russia are not a topic for bargaining"),
        published=date(2024, 2, 14),
        outlet=RT,
    )
    articles["zakharova_old"] = make_article(
        session,
        text=article_text(speaker="Maria Zakharova", said="The sanctions will backfire on Europe"),
        published=date(2024, 2, 28),
        outlet=TASS,
    )
    articles["blinken_new"] = make_article(
        session,
        text=article_text(
            speaker="Antony Blinken", said="Sanctions on Moscow will stay until the troops leave"
        ),
        published=NEWEST_WEEK,
        outlet=REUTERS,
    )
    articles["syndicated_rt"] = make_article(
        session,
        text=story_text(
            speaker="Sergey Lavrov", said="Sanctions only harden our resolve on every front"
        ),
        published=date(2024, 3, 5),
        outlet=RT,
    )
    articles["syndicated_tass"] = make_article(
        session,
        text=story_text(
            speaker="Sergey Lavrov",
            said="Sanctions only harden our resolve on every front",
            sign_off="\n\nReporting by the TASS newsroom.",
        ),
        published=date(2024, 3, 5),
        outlet=TASS,
    )
    return articles


def test_syndicated_copies_share_one_story(corpus):
    assert corpus["syndicated_rt"].story_id == corpus["syndicated_tass"].story_id


# The overview -------------------------------------------------------------------------


def test_overview_opens_on_the_newest_week_of_old_data_and_says_which(client, corpus):
    page = client.get("/")
    assert page.status_code == 200
    assert "Week of 4 – 10 March 2024" in page.text
    assert "Newest week with statements" in page.text
    assert "Sanctions on Moscow will stay until the troops leave" in page.text
    assert "Security guarantees for Russia" not in page.text, "older weeks stay off the list"


def test_overview_ranks_active_speakers_with_the_change_from_the_week_before(client, corpus):
    page = client.get("/")
    table = page.text[page.text.index('id="active-speakers"') :]
    table = table[: table.index("</table>")]
    lavrov_row = table[table.index("Sergey Lavrov") :].split("</tr>")[0]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)<', lavrov_row)
    assert cells[:2] == ["1", "0"], "the syndicated story counts once for its week"
    assert "/speakers/sergey-lavrov" in table


def test_overview_shows_themes_rising_against_the_four_weeks_before(client, corpus):
    page = client.get("/")
    rising = page.text[page.text.index('id="themes-rising"') :].split("</table>")[0]
    assert "Sanctions" in rising
    assert 'href="/themes/sanctions"' in rising


def test_overview_week_before_link_moves_back_one_week(client, corpus):
    page = client.get("/")
    assert 'href="/?to=2024-03-03"' in page.text
    earlier = client.get("/?to=2024-03-03")
    assert "Week of 26 February – 3 March 2024" in earlier.text
    assert "The sanctions will backfire on Europe" in earlier.text


def test_overview_is_narrowed_by_the_same_filters(client, corpus):
    page = client.get("/", params={"speaker": "maria-zakharova"})
    assert "Week of 26 February – 3 March 2024" in page.text
    assert "Sanctions on Moscow will stay" not in page.text


def test_overview_of_an_empty_store_invites_an_upload(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "No dated statement in this view yet" in page.text


# Speakers -----------------------------------------------------------------------------


def test_speaker_index_counts_statements_and_syndicated_stories_once(client, corpus):
    page = client.get("/speakers")
    assert page.status_code == 200
    row = page.text[page.text.index("/speakers/sergey-lavrov") :].split("</tr>")[0]
    assert re.findall(r'<td class="num[^"]*">(?:<a [^>]*>)?([^<]*)<', row)[:2] == ["2", "2"]


def test_speaker_index_finds_names_and_aliases(client, corpus):
    by_name = client.get("/speakers", params={"name": "zakhar"})
    assert "Maria Zakharova" in by_name.text
    assert "Antony Blinken" not in by_name.text
    nothing = client.get("/speakers", params={"name": "%_nobody_%"})
    assert "No speaker matches" in nothing.text


def test_speaker_page_shows_chart_themes_outlets_and_recent_statements(client, corpus):
    page = client.get("/speakers/sergey-lavrov")
    assert page.status_code == 200
    assert "<h1>" in page.text and "Sergey Lavrov" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-wide"' in page.text
    assert (
        '<title id="speaker-volume-wide-title">Statements over time, by theme</title>' in page.text
    )
    assert "Show the numbers" in page.text
    assert "Their themes" in page.text and 'href="/themes/sanctions"' in page.text
    assert "Outlets that carry them" in page.text and 'href="/outlets/tass"' in page.text
    assert "Sanctions only harden our resolve" in page.text
    assert "Syndicated story, carried by" in page.text


def test_speaker_page_is_narrowed_by_dates(client, corpus):
    page = client.get("/speakers/sergey-lavrov", params={"to": "2024-02-29"})
    assert "Security guarantees for Russia" in page.text
    assert "Sanctions only harden our resolve" not in page.text


def test_unknown_speaker_gets_a_404_page_that_names_it(client, corpus):
    page = client.get("/speakers/nobody-at-all")
    assert page.status_code == 404
    assert "No speaker is known as “nobody-at-all”" in page.text
    assert '<a href="/speakers">See every speaker</a>' in page.text


# Outlets ------------------------------------------------------------------------------


def test_outlet_index_lists_outlets_with_counts(client, corpus):
    page = client.get("/outlets")
    assert page.status_code == 200
    for name in ("RT", "TASS", "Reuters"):
        assert name in page.text


def test_outlet_page_compares_shares_with_the_average_outlet(client, corpus):
    page = client.get("/outlets/tass")
    assert page.status_code == 200
    assert "Speakers it quotes" in page.text and "Themes it covers" in page.text
    assert "average share across the 3 outlets" in page.text
    # TASS: Zakharova 1 of 2 (50%); the three outlets' shares average (0 + 50 + 0) / 3.
    assert "Maria Zakharova: 1 statement, 50%" in page.text
    assert "average of all outlets: 17%" in page.text


def test_unknown_outlet_gets_a_404(client, corpus):
    assert client.get("/outlets/no-such-paper").status_code == 404


# Themes -------------------------------------------------------------------------------


def test_theme_index_draws_a_theme_by_month_heatmap(client, corpus):
    page = client.get("/themes")
    assert page.status_code == 200
    assert "Themes month by month" in page.text
    assert "Sanctions · March 2024: 2 statements" in page.text, "syndicated copies count once"
    assert 'id="theme-index"' in page.text


def test_theme_page_shows_trend_speakers_and_representative_statements(client, corpus):
    page = client.get("/themes/sanctions")
    assert page.status_code == 200
    assert "Trend, by speaker" in page.text
    assert "Top speakers" in page.text and 'href="/speakers/antony-blinken"' in page.text
    assert "Representative statements" in page.text
    assert page.text.count("Sanctions only harden our resolve") == 1, "one card per story"


def test_unknown_theme_gets_a_404(client, corpus):
    page = client.get("/themes/<script>alert(1)</script>")
    assert page.status_code == 404
    assert "<script>alert(1)</script>" not in page.text


# Shared behaviour of every exploring page ---------------------------------------------

PAGES = [
    "/",
    "/speakers",
    "/speakers/sergey-lavrov",
    "/outlets",
    "/outlets/rt",
    "/themes",
    "/themes/sanctions",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-02-31"}, "is not a date"),
        ({"from": "2024-03-01", "to": "2024-01-01"}, "before the “from” date"),
        ({"theme": "<script>alert(1)</script>"}, "not a valid identifier"),
        ({"q": "x" * 1000}, "too long"),
        ({"colour": "red"}, "not a filter this page knows"),
        ({"before": "'; DROP TABLE statements; --"}, "cannot be read"),
        ({"q": "nul\x00byte"}, "control characters"),
    ],
)
def test_bad_values_on_every_page_get_a_message_and_a_400(client, corpus, path, params, message):
    page = client.get(path, params=params)
    assert page.status_code == 400
    assert message in page.text
    assert "<script>alert(1)</script>" not in page.text


@pytest.mark.parametrize(
    ("name", "message"), [("x" * 500, "too long"), ("a\x00b", "control characters")]
)
def test_a_name_to_find_that_cannot_be_one_gets_a_400(client, corpus, name, message):
    page = client.get("/speakers", params={"name": name})
    assert page.status_code == 400
    assert message in page.text


@pytest.mark.parametrize("path", ["/speakers/a%00b", "/outlets/" + "x" * 300, "/themes/Sanctions"])
def test_a_slug_that_cannot_exist_gets_a_404_not_an_error(client, corpus, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "is known as" in page.text


@pytest.mark.parametrize("path", PAGES)
def test_hostile_search_text_is_harmless_everywhere(client, corpus, path):
    for q in ["'; DROP TABLE statements; --", "a & | ! <> :* (", '"""', "\\"]:
        assert client.get(path, params={"q": q}).status_code == 200, q


@pytest.mark.parametrize("path", PAGES)
def test_htmx_request_gets_only_the_view_and_the_address_to_push(client, corpus, path):
    fragment = client.get(path, params={"from": "2024-01-01"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith("<title>") or fragment.text.lstrip().startswith(
        '<div id="view"'
    )
    assert "<html" not in fragment.text
    assert fragment.headers["hx-push-url"] == f"{path}?from=2024-01-01"
    assert fragment.headers["vary"] == "HX-Request"


def test_entity_page_drops_its_own_key_and_timeline_keys_from_its_address(client, corpus):
    response = client.get(
        "/speakers/sergey-lavrov?speaker=maria-zakharova&chart=theme&outlet=rt&q=",
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/speakers/sergey-lavrov?outlet=rt"


def test_links_from_an_entity_page_keep_the_view_filters(client, corpus):
    page = client.get("/themes/sanctions", params={"from": "2024-01-01"})
    assert 'href="/speakers/antony-blinken?from=2024-01-01"' in page.text
    assert "/statements?theme=sanctions&amp;from=2024-01-01" in page.text


def test_navigation_names_every_exploring_page(client, corpus):
    page = client.get("/themes")
    nav = page.text[page.text.index('<nav aria-label="Main">') :].split("</nav>")[0]
    for label in ("Overview", "Statements", "Speakers", "Outlets", "Themes", "Upload", "Imports"):
        assert f">{label}</a>" in nav
    assert 'href="/themes" aria-current="page"' in nav


def test_an_htmx_swap_with_a_bad_value_gets_the_message_in_the_view_region(client, corpus):
    fragment = client.get(
        "/speakers/sergey-lavrov", params={"from": "2024-02-31"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 400
    assert fragment.text.lstrip().startswith('<div id="view"')
    assert "<html" not in fragment.text
    assert "is not a date" in fragment.text
