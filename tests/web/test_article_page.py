"""The article page: statements highlighted in the text, untrusted text kept inert."""

from __future__ import annotations

from tests.factories import article_text, make_article


def test_article_page_marks_each_statement_with_its_speaker(client, session):
    article = make_article(session)
    page = client.get(f"/articles/{article.id}")
    assert page.status_code == 200
    for statement in article.statements:
        assert f'id="s{statement.id}"' in page.text
    assert 'class="speaker-tag"' in page.text and "Sergey Lavrov" in page.text


def test_article_markup_in_text_and_title_is_escaped(client, session):
    text = article_text(said='Watch <script>alert("x")</script> and <img src=x onerror=alert(1)>')
    article = make_article(session, text=text, title='<b onmouseover="alert(1)">Title</b>')
    page = client.get(f"/articles/{article.id}")
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "<b onmouseover" not in page.text


def test_missing_article_is_a_404_page(client):
    page = client.get("/articles/999999")
    assert page.status_code == 404
    assert "No article has the number 999999" in page.text


def test_article_id_that_is_not_a_number_is_a_400(client):
    page = client.get("/articles/abc")
    assert page.status_code == 400
    assert "cannot use" in page.text


def test_article_themes_roll_up_from_its_statements(client, session):
    article = make_article(
        session,
        text=article_text(said="The sanctions on our banks will not change our course"),
    )
    page = client.get(f"/articles/{article.id}")
    assert 'id="article-themes"' in page.text
    assert "Sanctions" in page.text.split('id="article-themes"')[1].split("</p>")[0]


def test_an_article_stored_by_an_import_and_not_yet_indexed_says_its_statements_are_coming(
    client, session
):
    from app.extract import extract_statements
    from app.extract.payload import Extraction
    from app.ingest import parse_plain_text
    from app.services.articles import index_stored, store_articles

    parsed = parse_plain_text(article_text())
    found = Extraction.of(extract_statements(parsed.body, published=None))
    stored = store_articles(session, [(parsed, found)])
    session.commit()
    page = client.get(f"/articles/{stored[0].id}")
    assert page.status_code == 200 and 'id="indexing"' in page.text
    assert "Being indexed" in page.text and "No statement was found" not in page.text

    index_stored(session, stored)
    session.commit()
    page = client.get(f"/articles/{stored[0].id}")
    assert 'id="indexing"' not in page.text and "1 statement" in page.text
