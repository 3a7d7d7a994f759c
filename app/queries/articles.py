"""One article with its statements, for the article page."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Article, Statement, StatementTheme, Theme


def article_with_statements(session: Session, *, article_id: int) -> Article | None:
    """The article with the statements a reader sees: those an editor rejected are left out."""
    shown = Article.statements.and_(Statement.review != "rejected")
    return session.execute(
        select(Article)
        .where(Article.id == article_id)
        .options(
            joinedload(Article.outlet),
            selectinload(shown).joinedload(Statement.speaker),
            selectinload(shown).selectinload(Statement.themes).joinedload(StatementTheme.theme),
        )
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def waiting_for_indexing(session: Session, *, article_id: int) -> bool:
    """Whether the article is stored but its statements are not written yet
    (`app.services.indexing`): an import indexes each batch seconds after storing it."""
    return bool(
        session.execute(
            select(Article.extraction.is_not(None)).where(Article.id == article_id)
        ).scalar()
    )


def article_count(session: Session) -> int:
    return session.execute(select(func.count(Article.id))).scalar_one()


def same_story(session: Session, *, article: Article) -> list[Article]:
    """Other articles of the article's story: the same report carried by other outlets."""
    if article.story_id is None:
        return []
    return list(
        session.execute(
            select(Article)
            .where(Article.story_id == article.story_id, Article.id != article.id)
            .options(joinedload(Article.outlet))
            .order_by(Article.published_on.nulls_last(), Article.id)
        ).scalars()
    )


def article_themes(article: Article) -> list[tuple[Theme, int]]:
    """The themes the article's statements carry, most frequent first: the article's themes."""
    counts: Counter[int] = Counter()
    themes: dict[int, Theme] = {}
    for statement in article.statements:
        for link in statement.themes:
            counts[link.theme_id] += 1
            themes[link.theme_id] = link.theme
    return [(themes[theme_id], count) for theme_id, count in counts.most_common()]
