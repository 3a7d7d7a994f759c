"""Re-running extraction over stored articles, from the body they were stored with.

The body never changes once stored, so re-extraction keeps offsets meaningful; each
article is replaced in its own transaction.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extract import extract_statements
from app.models import Article, Statement
from app.services.articles import statement_rows


def reprocess_articles(session: Session, *, article_ids: list[int] | None) -> tuple[int, int, int]:
    """Replace the statements of the given articles (all when None).

    Returns (statements before, statements after, articles processed).
    """
    query = select(Article.id).order_by(Article.id)
    if article_ids is not None:
        query = query.where(Article.id.in_(article_ids))
    ids = list(session.execute(query).scalars())
    before = after = 0
    for article_id in ids:
        article = session.get(Article, article_id)
        if article is None:
            continue
        before += session.execute(
            select(func.count(Statement.id)).where(Statement.article_id == article_id)
        ).scalar_one()
        found = extract_statements(article.body, published=article.published_on)
        article.statements.clear()
        session.flush()
        article.statements.extend(statement_rows(session, found))
        after += len(found)
        session.commit()
    return before, after, len(ids)
