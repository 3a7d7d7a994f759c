"""A small corpus for the explore tests: two speakers, two outlets, two months."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.models import Article
from tests.factories import REUTERS, RT, article_text, make_article

GUARANTEES = "We will not wait forever for an answer on security guarantees"
SANCTIONS = "The sanctions will backfire on Europe and its security"


def two_speakers(session: Session) -> dict[str, Article]:
    lavrov = make_article(
        session, text=article_text(said=GUARANTEES), published=date(2022, 1, 14), outlet=RT
    )
    zakharova = make_article(
        session,
        text=article_text(speaker="Maria Zakharova", said=SANCTIONS),
        published=date(2022, 3, 2),
        outlet=REUTERS,
        url="https://www.reuters.com/world/zakharova-sanctions",
    )
    return {"lavrov": lavrov, "zakharova": zakharova}
