"""Stored statements remember the entities they are about; the registry keeps them."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Entity, Speaker, Statement, StatementEntity
from app.queries.entities import entities_mentioned
from app.queries.filters import StatementFilter
from app.services.registry import sync_registry
from app.services.reprocess import reprocess_articles
from tests.factories import article_text, make_article


def about(session, statement_id: int) -> set[str]:
    return set(
        session.execute(
            select(Entity.slug)
            .join(StatementEntity, StatementEntity.entity_id == Entity.id)
            .where(StatementEntity.statement_id == statement_id)
        ).scalars()
    )


def quote_of(article) -> Statement:
    return next(s for s in article.statements if s.kind == "direct")


def test_stored_statement_is_linked_to_the_entities_its_text_names(session):
    article = make_article(
        session,
        text=article_text(said="The European Union and Washington will answer for this"),
    )
    assert about(session, quote_of(article).id) == {"eu", "united-states"}


def test_speaker_is_not_what_their_own_statement_is_about(session):
    article = make_article(session, text=article_text(said="Lavrov has always kept his word"))
    assert "sergey-lavrov" not in about(session, quote_of(article).id)


def test_registry_people_and_institutions_are_entities_linked_to_their_speaker(session):
    rows = dict(
        session.execute(
            select(Entity.slug, Speaker.slug).join(Speaker, Entity.speaker_id == Speaker.id)
        ).all()
    )
    assert rows["sergey-lavrov"] == "sergey-lavrov"
    assert rows["nato"] == "nato", "the NATO organisation is also the NATO speaker"
    eu = session.execute(select(Entity).where(Entity.slug == "eu")).scalar_one()
    assert (eu.name, eu.prose, eu.kind, eu.speaker_id) == ("EU", "the EU", "organisation", None)


def test_registry_sync_is_idempotent_and_restores_edited_names(session):
    session.execute(select(Entity).where(Entity.slug == "eu")).scalar_one().name = "Edited"
    session.flush()
    before = session.execute(select(Entity.id).order_by(Entity.id)).scalars().all()
    sync_registry(session)
    session.expire_all()
    assert session.execute(select(Entity.id).order_by(Entity.id)).scalars().all() == before
    assert session.execute(select(Entity.name).where(Entity.slug == "eu")).scalar_one() == "EU"


def test_reprocessing_replaces_the_links_with_the_statements(session):
    article = make_article(session, text=article_text(said="NATO keeps moving towards Moscow"))
    reprocess_articles(session, article_ids=[article.id])
    session.expire_all()
    statements = session.execute(
        select(Statement).where(Statement.article_id == article.id)
    ).scalars()
    quote = next(s for s in statements if s.kind == "direct")
    assert about(session, quote.id) == {"nato", "russia"}
    orphans = session.execute(
        select(StatementEntity).where(StatementEntity.statement_id.not_in(select(Statement.id)))
    ).all()
    assert orphans == []


def test_entities_mentioned_counts_what_a_speakers_statements_are_about(session):
    for said in [
        "The European Union has chosen confrontation",
        "The EU and NATO act as one bloc",
        "NATO will not get what it wants",
        "Brussels does what Washington tells it",
    ]:
        make_article(session, text=article_text(said=said))
    make_article(
        session, text=article_text(speaker="Maria Zakharova", said="NATO is not our concern")
    )
    lavrov = StatementFilter(speaker=("sergey-lavrov",))
    counts = entities_mentioned(session, filters=lavrov, limit=3)
    assert [(c.slug, c.kind) for c in counts[:2]] == [
        ("eu", "organisation"),
        ("nato", "organisation"),
    ]
    assert counts[0].count >= 3 and counts[1].count >= 2
    assert len(counts) == 3
    nato_only = entities_mentioned(session, filters=StatementFilter(about=("nato",)), limit=50)
    assert {c.slug for c in nato_only} >= {"nato", "eu"}, "co-mentioned entities count too"
