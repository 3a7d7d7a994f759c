"""Small factories: create and flush rows with sensible defaults, for database tests."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.ingest import OutletRef, parse_plain_text
from app.models import Article, Speaker
from app.services.articles import add_article

_counter = itertools.count(1)


# Registry outlets the tests store articles under.
RT = OutletRef(slug="rt", name="RT", domain="rt.com", known=True)
TASS = OutletRef(slug="tass", name="TASS", domain="tass.com", known=True)
REUTERS = OutletRef(slug="reuters", name="Reuters", domain="reuters.com", known=True)


def article_text(*, speaker: str = "Sergey Lavrov", said: str | None = None) -> str:
    """An article in the style of wire copy with one direct quote and one reported claim."""
    number = next(_counter)
    said = said or f"We expect a written answer on item {number} before the end of the month"
    return (
        f"Moscow restates demands in round {number}\n\n"
        f"Russian Foreign Minister {speaker} spoke to reporters in Moscow on Friday.\n\n"
        f"\u201c{said},\u201d {speaker.split()[-1]} said.\n\n"
        f"The talks are expected to continue next week in Geneva, officials in round {number} added."
    )


def make_article(
    session: Session,
    *,
    text: str | None = None,
    title: str | None = None,
    published: date | None = date(2022, 1, 21),
    outlet: OutletRef | None = None,
    url: str | None = None,
) -> Article:
    parsed = parse_plain_text(
        text or article_text(), title=title, published=published, outlet=outlet, url=url
    )
    return add_article(session, parsed)


def speaker(session: Session, slug: str) -> Speaker:
    return session.execute(select(Speaker).where(Speaker.slug == slug)).scalar_one()
