"""Editorial changes to statements: each leaves one audit row with the values before and
after, a revert puts the old values back, and reprocessing never overwrites them."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import statement_page
from app.services.accounts import user_by_name
from app.services.editorial import (
    Correction,
    EditError,
    confirm,
    correct,
    merge,
    reject,
    revert,
    split,
)
from app.services.reprocess import reprocess_articles
from tests.factories import make_article

TWO_STATEMENTS = (
    "Moscow answers the alliance\n\n"
    "Russian Foreign Minister Sergey Lavrov spoke to reporters in Moscow on Friday.\n\n"
    "\u201cWe expect a written answer on every point before the end of the month,\u201d "
    "Lavrov said.\n\n"
    "Deputy Foreign Minister Sergei Ryabkov said the consultations in Geneva had been "
    "useful but that no progress had been made on the main questions."
)


def statements_of(session: Session, article_id: int) -> list[Statement]:
    session.expire_all()
    return list(
        session.execute(
            select(Statement).where(Statement.article_id == article_id).order_by(Statement.start)
        ).scalars()
    )


def events_for(session: Session, statement_id: int) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.target_type == "statement", AuditEvent.target_id == statement_id)
            .order_by(AuditEvent.id)
        ).scalars()
    )


@pytest.fixture
def editor(session):
    return user_by_name(session, "editor")


@pytest.fixture
def article(session):
    return make_article(session, text=TWO_STATEMENTS)


def test_a_corrected_speaker_is_recorded_with_the_old_and_new_value(session, editor, article):
    statement = article.statements[0]
    correct(
        session, statement=statement, actor=editor, correction=Correction(speaker="sergei-ryabkov")
    )
    [event] = events_for(session, statement.id)
    assert (event.actor_name, event.action) == ("editor", "statement.correct")
    assert event.before == {"speaker": "sergey-lavrov", "review": "new"}
    assert event.after == {"speaker": "sergei-ryabkov", "review": "corrected"}


def test_reprocessing_keeps_a_corrected_speaker_and_a_rejection(session, editor, article):
    first, *rest = statements_of(session, article.id)
    assert rest, "the article has two statements"
    correct(session, statement=first, actor=editor, correction=Correction(speaker="sergei-ryabkov"))
    reject(session, statement=rest[0], actor=editor)
    reprocess_articles(session, article_ids=[article.id])
    after = statements_of(session, article.id)
    kept = {s.id: s for s in after}
    assert kept[first.id].speaker.slug == "sergei-ryabkov"
    assert kept[rest[0].id].review == "rejected"
    spans = sorted((s.start, s.end) for s in after)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans)), (
        "no re-extracted statement overlaps a reviewed one"
    )


def test_rejected_statements_are_hidden_from_the_timeline(session, editor, article):
    statement = article.statements[0]
    reject(session, statement=statement, actor=editor)
    page = statement_page(session, filters=StatementFilter(), page_size=500)
    assert statement.id not in {s.id for s in page.statements}


def test_a_revert_restores_the_old_values_and_is_itself_recorded(session, editor, article):
    statement = article.statements[0]
    old_text = statement.text
    correct(
        session,
        statement=statement,
        actor=editor,
        correction=Correction(
            speaker="sergei-ryabkov",
            start=statement.start,
            end=statement.start + 10,
            kind="indirect",
            stated_on=date(2022, 1, 3),
            stated_precision="month",
            themes=("sanctions",),
        ),
    )
    assert statement.text == article.body[statement.start : statement.start + 10].strip()
    [change] = events_for(session, statement.id)
    revert(session, event=change, actor=editor)
    assert statement.speaker.slug == "sergey-lavrov"
    assert statement.text == old_text
    assert statement.review == "new"
    assert [link.theme.slug for link in statement.themes] != ["sanctions"]
    actions = [(e.action, e.after.get("reverts")) for e in events_for(session, statement.id)]
    assert actions == [("statement.correct", None), ("statement.revert", change.id)]


def test_splitting_cuts_the_span_in_two_and_merging_joins_them_back(session, editor, article):
    statement = article.statements[0]
    start, end = statement.start, statement.end
    at = start + (end - start) // 2
    second = split(session, statement=statement, at=at, actor=editor)
    assert (statement.start, statement.end, second.start, second.end) == (start, at, at, end)
    merge(session, statement=statement, other=second, actor=editor)
    assert (statement.start, statement.end) == (start, end)
    assert session.get(Statement, second.id) is None
    actions = [e.action for e in events_for(session, statement.id)]
    assert actions == ["statement.split", "statement.merge"]


@pytest.mark.parametrize(
    "correction, message",
    [
        (Correction(speaker="nobody-at-all"), "No speaker"),
        (Correction(start=0, end=10**7), "inside the article"),
        (Correction(kind="shouted"), "kind is one of"),
        (Correction(themes=("not-a-theme",)), "No theme"),
    ],
)
def test_an_impossible_correction_is_refused_with_a_reason(
    session, editor, article, correction, message
):
    with pytest.raises(EditError, match=message):
        correct(session, statement=article.statements[0], actor=editor, correction=correction)


def test_a_confirmation_can_be_reverted_to_new(session, editor, article):
    statement = article.statements[0]
    confirm(session, statement=statement, actor=editor)
    [event] = events_for(session, statement.id)
    revert(session, event=event, actor=editor)
    assert statement.review == "new"
