"""The proposed-themes page and `demarche themes propose`: unthemed statements, clustered."""

from __future__ import annotations

from datetime import date

import pytest

from app.cli import cli
from tests.contract import runner
from tests.factories import article_text, make_article
from tests.topics import ARCTIC, OTHER, SPACE


@pytest.fixture
def corpus(session):
    """Lavrov on the Arctic, Zakharova on space, one statement each article, no theme."""
    for number, said in enumerate([*ARCTIC, *OTHER]):
        make_article(session, text=article_text(said=said), published=date(2023, 3, 1 + number))
    for number, said in enumerate(SPACE):
        make_article(
            session,
            text=article_text(speaker="Maria Zakharova", said=said),
            published=date(2023, 4, 1 + number),
        )


def test_page_proposes_each_hidden_topic_with_terms_and_sample_statements(client, corpus):
    page = client.get("/proposed-themes")
    assert page.status_code == 200
    assert page.text.count('class="card proposal"') >= 2
    assert "space station" in page.text and "arctic" in page.text
    assert "19 statements clustered" in page.text
    assert 'href="/articles/' in page.text and "#s" in page.text
    assert "Statements with these words" in page.text


def test_page_honours_the_timeline_filters(client, corpus):
    page = client.get("/proposed-themes?speaker=maria-zakharova")
    assert page.status_code == 200
    assert "Statements by Maria Zakharova without a curated theme" in page.text
    assert "space station" in page.text
    assert not any(text in page.text for text in ARCTIC)


def test_a_theme_filter_leaves_nothing_to_propose_and_says_why(client, corpus):
    page = client.get("/proposed-themes?theme=sanctions")
    assert page.status_code == 200
    assert "A theme filter keeps only statements that already have a theme" in page.text
    assert "No group of statements stands out" in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("about=<script>alert(1)</script>", "not a valid identifier"),
        ("from=2023-02-30", "is not a date"),
        ("colour=red", "not a filter this page knows"),
    ],
)
def test_bad_filters_get_a_message_and_a_400(client, corpus, query, message):
    page = client.get(f"/proposed-themes?{query}")
    assert page.status_code == 400
    assert message in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_page_is_read_only(client):
    assert client.post("/proposed-themes").status_code == 405


def test_timeline_links_to_the_proposals_for_the_same_view(client, corpus):
    page = client.get("/statements?speaker=maria-zakharova")
    assert 'href="/proposed-themes?speaker=maria-zakharova"' in page.text


def test_cli_prints_the_proposals_with_their_terms_and_samples(cli_database, tmp_path):
    for number, said in enumerate([*ARCTIC, *SPACE, *OTHER]):
        (tmp_path / f"{number:02}.txt").write_text(article_text(said=said), encoding="utf-8")
    assert runner.invoke(cli, ["import", str(tmp_path)]).exit_code == 0
    result = runner.invoke(cli, ["themes", "propose", "--samples", "1"])
    assert result.exit_code == 0, result.output
    assert "from 19 statements without a theme." in result.stdout
    assert "1. " in result.stdout and "2. " in result.stdout
    assert "terms: " in result.stdout and "space station" in result.stdout
    assert "(Sergey Lavrov, " in result.stdout


def test_cli_refuses_a_bad_filter_with_the_reason(cli_database):
    result = runner.invoke(cli, ["themes", "propose", "--filter", "speaker=<b>"])
    assert result.exit_code == 2
    assert "not a valid identifier" in result.stderr
