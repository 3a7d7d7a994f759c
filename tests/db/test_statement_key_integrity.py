"""Statements and their themes keep their integrity without per-row foreign-key triggers.

Migration 0006 replaced the foreign keys of `statements` and `statement_themes` by
statement-level triggers (one set-based check per INSERT or UPDATE, set-based ON DELETE
actions), so bulk COPYs stay fast; these tests hold the triggers to what the foreign keys
promised.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.models import (
    Article,
    Entity,
    Speaker,
    Statement,
    StatementEntity,
    StatementTheme,
    Theme,
)
from tests.factories import article_text, make_article


def _theme_id(session, slug: str = "sanctions") -> int:
    return session.execute(select(Theme.id).where(Theme.slug == slug)).scalar_one()


def _themes_of(session, statement_ids: list[int]) -> int:
    return session.execute(
        select(func.count())
        .select_from(StatementTheme)
        .where(StatementTheme.statement_id.in_(statement_ids))
    ).scalar_one()


def _tag_every_statement(session, article: Article) -> list[int]:
    ids = [s.id for s in article.statements]
    session.execute(delete(StatementTheme).where(StatementTheme.statement_id.in_(ids)))
    session.execute(
        insert(StatementTheme),
        [{"statement_id": i, "theme_id": _theme_id(session), "score": 1.0} for i in ids],
    )
    return ids


def test_a_theme_row_for_a_statement_that_does_not_exist_is_refused(session):
    with pytest.raises(IntegrityError, match="statement_id refers to a row of statements"):
        session.execute(
            insert(StatementTheme).values(
                statement_id=987654321, theme_id=_theme_id(session), score=1.0
            )
        )


def test_a_theme_row_for_a_theme_that_does_not_exist_is_refused(session):
    article = make_article(session)
    statement_id = article.statements[0].id
    with pytest.raises(IntegrityError, match="theme_id refers to a row of themes"):
        session.execute(
            insert(StatementTheme).values(statement_id=statement_id, theme_id=987654321, score=1.0)
        )


def test_deleting_an_article_deletes_its_statements_and_their_themes(session):
    article = make_article(session)
    ids = _tag_every_statement(session, article)
    assert _themes_of(session, ids) == len(ids) > 0

    session.execute(delete(Article).where(Article.id == article.id))

    assert session.execute(select(Statement).where(Statement.id.in_(ids))).first() is None
    assert _themes_of(session, ids) == 0


def test_deleting_a_theme_untags_its_statements_and_keeps_them(session):
    article = make_article(session)
    ids = _tag_every_statement(session, article)

    session.execute(delete(Theme).where(Theme.slug == "sanctions"))

    assert _themes_of(session, ids) == 0
    assert len(session.execute(select(Statement.id).where(Statement.id.in_(ids))).all()) == len(ids)


def test_a_statement_of_an_article_that_does_not_exist_is_refused(session):
    with pytest.raises(IntegrityError, match="article_id refers to a row of articles"):
        session.execute(
            insert(Statement).values(
                article_id=987654321, text="We will respond.", kind="direct", start=0, end=16
            )
        )


def test_moving_a_statement_to_a_speaker_that_does_not_exist_is_refused(session):
    article = make_article(session)
    with pytest.raises(IntegrityError, match="speaker_id refers to a row of speakers"):
        session.execute(
            update(Statement)
            .where(Statement.id == article.statements[0].id)
            .values(speaker_id=987654321)
        )


def test_deleting_a_speaker_keeps_their_statements_without_a_speaker(session):
    article = make_article(session, text=article_text(speaker="Ingrid Valtonen"))
    ids = [s.id for s in article.statements if s.speaker_id]
    speaker_id = article.statements[0].speaker_id
    assert ids and speaker_id

    session.execute(delete(Speaker).where(Speaker.id == speaker_id))

    kept = session.execute(select(Statement.speaker_id).where(Statement.id.in_(ids))).scalars()
    assert list(kept) == [None] * len(ids)


def test_an_entity_link_to_a_statement_that_does_not_exist_is_refused(session):
    entity_id = session.execute(select(Entity.id).where(Entity.slug == "eu")).scalar_one()
    with pytest.raises(IntegrityError, match="statement_id refers to a row of statements"):
        session.execute(insert(StatementEntity).values(statement_id=987654321, entity_id=entity_id))


def test_deleting_an_article_deletes_the_entity_links_of_its_statements(session):
    article = make_article(
        session, text=article_text(said="The European Union keeps changing its demands")
    )
    ids = [s.id for s in article.statements]
    links = select(func.count()).select_from(StatementEntity)
    assert session.execute(links.where(StatementEntity.statement_id.in_(ids))).scalar_one() > 0

    session.execute(delete(Article).where(Article.id == article.id))

    assert session.execute(links.where(StatementEntity.statement_id.in_(ids))).scalar_one() == 0
