"""Re-running extraction over stored articles, from the body they were stored with.

The body never changes once stored, so re-extraction keeps offsets meaningful; each
article is replaced in its own transaction. Statements an editor has reviewed (any
review state but `new`: confirmed, corrected, split, merged or rejected) are kept as
they are, and a re-extracted statement overlapping one of them is dropped, so a human
correction is never overwritten (app.services.editorial). Extraction uses the registry
as admins left it (`app.services.registry.current_registry`), so reprocessing is how
statements stored before a registry edit take it up.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.extract import extract_statements
from app.models import Article, Statement
from app.services import counts
from app.services.indexing import index_unindexed
from app.services.registry import current_registry
from app.services.statements import write_statements


def reprocess_articles(session: Session, *, article_ids: list[int] | None) -> tuple[int, int, int]:
    """Replace the statements of the given articles (all when None).

    Returns (statements replaced, statements written, articles processed); reviewed
    statements are neither. Articles still waiting for indexing are indexed first, so
    none gets its statements twice.
    """
    index_unindexed(session)
    query = select(Article.id).order_by(Article.id)
    if article_ids is not None:
        query = query.where(Article.id.in_(article_ids))
    ids = list(session.execute(query).scalars())
    registry = current_registry(session)
    before = after = 0
    for article_id in ids:
        stored = session.execute(
            select(Article.body, Article.published_on, Article.outlet_id).where(
                Article.id == article_id
            )
        ).one_or_none()
        if stored is None:
            continue
        found = extract_statements(stored.body, published=stored.published_on, registry=registry)
        reviewed = session.execute(
            select(Statement.start, Statement.end).where(
                Statement.article_id == article_id, Statement.review != "new"
            )
        ).all()
        found = [
            s for s in found if not any(s.start < end and start < s.end for start, end in reviewed)
        ]
        counts.withdraw(session, article_ids=[article_id])
        before += session.execute(
            delete(Statement).where(Statement.article_id == article_id, Statement.review == "new")
        ).rowcount
        write_statements(session, {article_id: found}, {article_id: stored.outlet_id})
        after += len(found)
        session.commit()
        # The statements were written around the ORM: a loaded article must reload them.
        loaded = session.identity_map.get(session.identity_key(Article, article_id))
        if loaded is not None:
            session.expire(loaded, ["statements"])
    return before, after, len(ids)
