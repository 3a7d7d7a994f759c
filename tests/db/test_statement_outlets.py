"""Every statement carries its article's outlet, whichever way it was written, and
follows the article when its outlet changes: views of one outlet read that column."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Outlet, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import statement_page
from tests.factories import REUTERS, RT, make_article


def outlets_of(session: Session, article_id: int) -> set[int | None]:
    session.flush()
    session.expire_all()
    return set(
        session.execute(
            select(Statement.outlet_id).where(Statement.article_id == article_id)
        ).scalars()
    )


def outlet_id(session: Session, slug: str) -> int:
    return session.execute(select(Outlet.id).where(Outlet.slug == slug)).scalar_one()


def test_stored_statements_carry_their_articles_outlet(session: Session) -> None:
    article = make_article(session, outlet=RT)

    assert outlets_of(session, article.id) == {outlet_id(session, "rt")}


def test_a_statement_written_without_its_outlet_is_given_the_articles(session: Session) -> None:
    article = make_article(session, outlet=RT)
    first = (
        session.execute(select(Statement).where(Statement.article_id == article.id))
        .scalars()
        .first()
    )
    assert first is not None
    session.add(
        Statement(
            article_id=article.id,
            text="A second half split off by an editor",
            kind="direct",
            start=first.start,
            end=first.end,
        )
    )

    assert outlets_of(session, article.id) == {outlet_id(session, "rt")}


def test_an_articles_statements_follow_it_to_another_outlet(session: Session) -> None:
    article = make_article(session, outlet=RT)
    make_article(session, outlet=REUTERS)
    reuters = outlet_id(session, "reuters")

    article.outlet_id = reuters

    assert outlets_of(session, article.id) == {reuters}
    listed = statement_page(session, filters=StatementFilter(outlet=("reuters",)), page_size=50)
    assert article.id in {statement.article_id for statement in listed.statements}
    on_rt = statement_page(session, filters=StatementFilter(outlet=("rt",)), page_size=50)
    assert article.id not in {statement.article_id for statement in on_rt.statements}


def test_statements_of_a_deleted_outlet_belong_to_no_outlet(session: Session) -> None:
    article = make_article(session, outlet=RT)
    session.flush()
    session.execute(delete(Outlet).where(Outlet.id == article.outlet_id))

    assert outlets_of(session, article.id) == {None}
