"""A list of statement cards reads what the cards show, not the articles' texts.

Every card joins its article; reading the article's body, raw upload and signature with
it moved kilobytes per card (a raw upload is often a whole HTML page) and each
statement's search vector on top, and every joined speaker, outlet and theme row carried
its registry lists as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.queries.filters import StatementFilter
from app.queries.statements import statement_page
from app.queries.volume import carried_by
from tests.factories import make_article

UNSHOWN = (
    ("articles", "body"),
    ("articles", "raw"),
    ("articles", "minhash"),
    ("articles", "band_keys"),
    ("statements", "search"),
    ("speakers", "roles"),
    ("outlets", "domains"),
    ("outlets", "aliases"),
    ("themes", "phrases"),
)
"""(table, column) pairs no card shows."""


@contextmanager
def selects(session: Session) -> Iterator[list[str]]:
    """The SELECT statements the session runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_page_of_statement_cards_reads_no_article_text_or_search_vector(session):
    """The cards and the outlets that carried their stories."""
    make_article(session)
    session.expire_all()

    with selects(session) as seen:
        page = statement_page(session, filters=StatementFilter(), page_size=10)
        shown = [(s.article.title, s.article.outlet_id, s.speaker_id) for s in page.statements]
        carried_by(session, statements=page.statements)

    assert shown, "the page has its card"
    queries = " ".join(seen)
    for table, column in UNSHOWN:
        # The table by name or by an alias of a join (articles_1).
        read = re.search(rf"\b{table}(?:_\d+)?\.{column}\b", queries)
        assert read is None, f"{table}.{column} was read for a list of cards"
