"""An article's extraction kept as JSON comes back as the same statements."""

from __future__ import annotations

import json
from datetime import date

from app.extract import extract_statements
from app.extract.payload import from_payload, to_payload
from app.ingest import parse_plain_text
from tests.factories import article_text


def test_statements_survive_the_trip_through_json_with_their_texts_cut_from_the_body():
    article = parse_plain_text(
        article_text(
            speaker="Ivan Petrovsky",
            said="NATO enlargement threatens our security and the alliance must stop expanding",
        ),
        published=date(2022, 1, 21),
    )
    found = extract_statements(article.body, published=article.published)
    assert found and any(s.speaker for s in found) and any(s.themes for s in found)
    stored = json.loads(json.dumps(to_payload(found)))
    assert from_payload(stored, article.body) == found


def test_a_statement_with_no_speaker_date_or_themes_comes_back_as_it_was():
    from app.extract.model import ExtractedStatement

    body = "Officials said the talks would resume."
    bare = ExtractedStatement(None, None, body[:9], "indirect", None, 0, 9, None, None, (), 0.3)
    assert from_payload(json.loads(json.dumps(to_payload([bare]))), body) == [bare]
