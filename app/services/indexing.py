"""The second step of storing an article: from stored row to what the pages read.

`app.services.articles.store_articles` writes each new article as one row holding its
extraction (`Article.extraction`); indexing then, in its own transaction or the same
one, gives the article its story and band keys, writes its statement rows (with
themes, entities and the count tables) and clears `extraction`, which makes a trigger
compute the article's search vector (migration 0023). Until then the article has a row
and a page but no statements, no story and no place in search or counts.

Imports run it right after each stored batch, from the statements still in memory. An
article left unindexed by a crash between the two (its `extraction` set) is found by
`index_unindexed`, which workers and imports run when they start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from app.db_statistics import refresh_stale_statistics
from app.extract import ExtractedStatement
from app.extract.payload import from_payload
from app.ingest.similarity import band_keys
from app.models import Article
from app.services.bulk import allocate_ids, any_of, copy_rows, robust_plans
from app.services.statements import write_statements
from app.services.stories import assign_stories

log = logging.getLogger(__name__)


@dataclass(slots=True)
class UnindexedArticle:
    """A stored article with what indexing needs of it."""

    id: int
    outlet_id: int | None
    minhash: bytes | None
    statements: list[ExtractedStatement]
    keys: set[int] = field(default_factory=set)
    story: int = 0


_INDEXED = text(
    """
    UPDATE articles AS a
    SET story_id = v.story, band_keys = CAST(v.keys AS bigint[]), extraction = NULL
    FROM unnest(CAST(:ids AS bigint[]), CAST(:stories AS bigint[]), CAST(:keys AS text[]))
        AS v(id, story, keys)
    WHERE a.id = v.id
    """
)
"""Story, band keys and the end of `extraction` for a batch, one statement: the
trigger it fires computes each row's search vector."""


def _locked_unindexed(session: Session, ids: list[int]) -> set[int]:
    """Which of `ids` still wait for indexing, locked: another worker recovering them
    meanwhile either waits for this transaction or went first, and then they are gone."""
    return set(
        session.execute(
            select(Article.id)
            .where(any_of(Article.id, ids), Article.extraction.is_not(None))
            .order_by(Article.id)
            .with_for_update()
        ).scalars()
    )


def _write(session: Session, batch: Sequence[UnindexedArticle]) -> None:
    refresh_stale_statistics(session)
    robust_plans(session)
    for article in batch:
        article.keys = set(band_keys(article.minhash)) if article.minhash else set()
    story_ids = allocate_ids(session, "stories", assign_stories(session, batch))
    for article in batch:
        if article.story < 0:
            article.story = story_ids[-article.story - 1]
    if story_ids:
        copy_rows(session, "stories", ("id",), [(story_id,) for story_id in story_ids])
    session.execute(
        _INDEXED,
        {
            "ids": [a.id for a in batch],
            "stories": [a.story for a in batch],
            "keys": ["{" + ",".join(map(str, sorted(a.keys))) + "}" for a in batch],
        },
    )
    write_statements(
        session,
        {a.id: a.statements for a in batch},
        {a.id: a.outlet_id for a in batch},
    )


def index_articles(session: Session, batch: Sequence[UnindexedArticle]) -> int:
    """Index the articles of `batch` that still wait for it, in the session's
    transaction; the caller commits. Returns how many it indexed."""
    waiting = _locked_unindexed(session, [a.id for a in batch])
    todo = sorted((a for a in batch if a.id in waiting), key=lambda a: a.id)
    if todo:
        _write(session, todo)
    return len(todo)


def index_unindexed(session: Session, *, batch_size: int = 200) -> int:
    """Index every article a crash left unindexed, `batch_size` per committed
    transaction, from the extraction stored with each. Returns how many.

    Rows another transaction holds are skipped (`SKIP LOCKED`): that one is indexing
    them. An article that cannot be indexed keeps its extraction and is logged: workers
    run this when they start, and one bad leftover must not stop every start.
    """
    done, after = 0, 0
    while rows := _leftovers(session, after=after, limit=batch_size):
        after = rows[-1].id
        done += _index_leftovers(session, rows)
    return done


def _leftovers(session: Session, *, after: int, limit: int) -> list[Row[Any]]:
    """Unindexed articles past id `after`, locked, with what indexing them needs."""
    return list(
        session.execute(
            select(Article.id, Article.outlet_id, Article.minhash, Article.body, Article.extraction)
            .where(Article.extraction.is_not(None), Article.id > after)
            .order_by(Article.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


def _index_leftovers(session: Session, rows: list[Row[Any]]) -> int:
    """Index `rows` in one transaction; on an error, one by one, each locked again (the
    rollback let go of them). Returns how many were indexed."""
    try:
        _write(
            session,
            [
                UnindexedArticle(
                    row.id, row.outlet_id, row.minhash, from_payload(row.extraction, row.body)
                )
                for row in rows
            ],
        )
        session.commit()
    except Exception:
        session.rollback()
        if len(rows) == 1:
            log.exception("indexing article %d failed; it keeps its extraction", rows[0].id)
            return 0
        return sum(
            _index_leftovers(session, [row]) for row in rows if _locked_unindexed(session, [row.id])
        )
    log.info("indexed %d articles a previous run had stored", len(rows))
    return len(rows)
