"""Editors' changes to statements: confirm, correct, split, merge, reject, revert.

Each action changes the statement and adds one audit row in the same transaction, with
the values before and after. Any action moves a statement out of the `new` review state;
`reprocess_articles` keeps such statements as they are and drops re-extracted ones that
overlap them, so a correction survives re-running extraction (docs/architecture.md,
"Editorial").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import (
    DATE_PRECISIONS,
    STATEMENT_KINDS,
    AuditEvent,
    Speaker,
    Statement,
    StatementTheme,
    Theme,
    User,
)
from app.services import counts
from app.services.audit import record_change

# Fields an editor may set, in the order the history shows them.
FIELDS = ("speaker", "start", "end", "kind", "stated_on", "stated_precision", "themes", "review")
# Actions whose `before` values can be put back; split and merge change rows, not values.
REVERTIBLE = frozenset(
    {"statement.confirm", "statement.correct", "statement.reject", "statement.revert"}
)


class EditError(ValueError):
    """A change an editor asked for that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class Correction:
    """What an editor changes on a statement; None leaves a field as it is.

    `stated_on` is set together with `stated_precision`; `clear_date` removes both.
    """

    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    stated_on: date | None = None
    stated_precision: str | None = None
    clear_date: bool = False
    themes: tuple[str, ...] | None = None


def snapshot(statement: Statement) -> dict[str, object]:
    """The statement's editable values as JSON, for the audit row and for revert."""
    return {
        "speaker": statement.speaker.slug if statement.speaker else None,
        "start": statement.start,
        "end": statement.end,
        "text": statement.text,
        "kind": statement.kind,
        "stated_on": statement.stated_on.isoformat() if statement.stated_on else None,
        "stated_precision": statement.stated_precision,
        "themes": sorted(link.theme.slug for link in statement.themes),
        "review": statement.review,
    }


def changed(before: dict[str, object], after: dict[str, object]) -> dict[str, object]:
    """The keys whose values differ, each with its value in `before`."""
    return {key: before[key] for key in before if before[key] != after.get(key)}


def _label(statement: Statement) -> str:
    text = statement.text if len(statement.text) <= 80 else statement.text[:79] + "…"
    return f"#{statement.id}: {text}"


def _audit(
    session: Session,
    *,
    actor: User,
    action: str,
    statement: Statement,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        target_type="statement",
        target_id=statement.id,
        target_label=_label(statement),
        before=before,
        after=after,
    )


def _set_span(statement: Statement, start: int, end: int) -> None:
    body = statement.article.body
    if not 0 <= start < end <= len(body):
        raise EditError(f"The span must lie inside the article's text (0 to {len(body)}).")
    text = body[start:end].strip()
    if not text:
        raise EditError("That span holds no words.")
    statement.start, statement.end, statement.text = start, end, text


def _set_themes(session: Session, statement: Statement, slugs: tuple[str, ...]) -> None:
    themes = {
        t.slug: t for t in session.execute(select(Theme).where(Theme.slug.in_(slugs))).scalars()
    }
    unknown = sorted(set(slugs) - set(themes))
    if unknown:
        raise EditError(f"No theme is named {', '.join(unknown)}.")
    kept = {link.theme.slug: link for link in statement.themes}
    statement.themes = [
        kept.get(slug) or StatementTheme(theme=themes[slug], score=1.0) for slug in sorted(themes)
    ]


def _apply(session: Session, statement: Statement, values: dict[str, object]) -> None:
    """Set snapshot-shaped values on the statement (used by correct and by revert)."""
    if "speaker" in values:
        slug = values["speaker"]
        if slug is None:
            statement.speaker = None
        else:
            speaker = session.execute(
                select(Speaker).where(Speaker.slug == slug)
            ).scalar_one_or_none()
            if speaker is None:
                raise EditError(f"No speaker is named {slug}.")
            statement.speaker = speaker
    if "start" in values or "end" in values:
        _set_span(
            statement,
            int(values.get("start", statement.start)),  # type: ignore[call-overload]
            int(values.get("end", statement.end)),  # type: ignore[call-overload]
        )
    if "kind" in values:
        if values["kind"] not in STATEMENT_KINDS:
            raise EditError(f"The kind is one of {', '.join(STATEMENT_KINDS)}.")
        statement.kind = str(values["kind"])
    if "stated_on" in values:
        stated = values["stated_on"]
        statement.stated_on = date.fromisoformat(str(stated)) if stated else None
    if "stated_precision" in values:
        precision = values["stated_precision"]
        if precision is not None and precision not in DATE_PRECISIONS:
            raise EditError(f"The date's precision is one of {', '.join(DATE_PRECISIONS)}.")
        statement.stated_precision = precision  # type: ignore[assignment]
    if statement.stated_on is None:
        statement.stated_precision = None
    elif statement.stated_precision is None:
        statement.stated_precision = "day"
    if "themes" in values:
        _set_themes(session, statement, tuple(values["themes"]))  # type: ignore[arg-type]
    if "review" in values:
        statement.review = str(values["review"])


def confirm(session: Session, *, statement: Statement, actor: User) -> None:
    """The extraction is right as it stands."""
    before = snapshot(statement)
    counts.withdraw(session, article_ids=[statement.article_id])
    statement.review = "confirmed"
    _commit(session, actor=actor, action="statement.confirm", statement=statement, before=before)


def reject(session: Session, *, statement: Statement, actor: User) -> None:
    """Not a statement (or not worth keeping): hidden from every view, kept for the history."""
    before = snapshot(statement)
    counts.withdraw(session, article_ids=[statement.article_id])
    statement.review = "rejected"
    _commit(session, actor=actor, action="statement.reject", statement=statement, before=before)


def correct(session: Session, *, statement: Statement, actor: User, correction: Correction) -> None:
    """Set the fields the editor changed; the statement becomes `corrected`."""
    before = snapshot(statement)
    values: dict[str, object] = {}
    if correction.speaker is not None:
        values["speaker"] = correction.speaker or None
    if correction.start is not None:
        values["start"] = correction.start
    if correction.end is not None:
        values["end"] = correction.end
    if correction.kind is not None:
        values["kind"] = correction.kind
    if correction.clear_date:
        values["stated_on"] = None
    elif correction.stated_on is not None:
        values["stated_on"] = correction.stated_on.isoformat()
        values["stated_precision"] = correction.stated_precision or "day"
    if correction.themes is not None:
        values["themes"] = correction.themes
    values["review"] = "corrected"
    counts.withdraw(session, article_ids=[statement.article_id])
    _apply(session, statement, values)
    _commit(session, actor=actor, action="statement.correct", statement=statement, before=before)


def split(session: Session, *, statement: Statement, at: int, actor: User) -> Statement:
    """Cut the statement in two at body offset `at`; both halves keep its speaker, kind,
    date and themes. Returns the second half."""
    if not statement.start < at < statement.end:
        raise EditError(
            f"Split inside the statement's span, between {statement.start} and {statement.end}."
        )
    before = snapshot(statement)
    counts.withdraw(session, article_ids=[statement.article_id])
    second = Statement(
        article_id=statement.article_id,
        speaker=statement.speaker,
        speaker_mention=statement.speaker_mention,
        text=statement.text,
        kind=statement.kind,
        cue=statement.cue,
        start=at,
        end=statement.end,
        stated_on=statement.stated_on,
        stated_precision=statement.stated_precision,
        confidence=statement.confidence,
        review="corrected",
    )
    second.article = statement.article
    _set_span(second, at, statement.end)
    _set_span(statement, statement.start, at)
    second.themes = [
        StatementTheme(theme=link.theme, score=link.score) for link in statement.themes
    ]
    statement.review = "corrected"
    session.add(second)
    session.flush()
    counts.add(session, article_ids=[statement.article_id])
    after = snapshot(statement) | {"second": second.id, "second_span": [second.start, second.end]}
    _audit(
        session,
        actor=actor,
        action="statement.split",
        statement=statement,
        before=before,
        after=after,
    )
    _audit(
        session,
        actor=actor,
        action="statement.split",
        statement=second,
        before=None,
        after=snapshot(second) | {"split_from": statement.id},
    )
    session.commit()
    return second


def adjacent(session: Session, *, statement: Statement) -> Statement | None:
    """The next statement of the same article (by position) that is not rejected."""
    return session.execute(
        select(Statement)
        .where(
            Statement.article_id == statement.article_id,
            Statement.start >= statement.end,
            Statement.review != "rejected",
        )
        .order_by(Statement.start, Statement.id)
        .limit(1)
    ).scalar_one_or_none()


def merge(session: Session, *, statement: Statement, other: Statement, actor: User) -> None:
    """Join two adjacent statements of one article into the first: one span over both,
    the themes of both; the second is deleted (its values stay in the audit row)."""
    if other.article_id != statement.article_id or other.id == statement.id:
        raise EditError("Only two different statements of the same article can be merged.")
    first, second = sorted((statement, other), key=lambda s: (s.start, s.id))
    if adjacent(session, statement=first) is not second:
        raise EditError("Only adjacent statements can be merged.")
    before = snapshot(first)
    removed = snapshot(second) | {"id": second.id}
    slugs = {link.theme.slug for link in first.themes} | {link.theme.slug for link in second.themes}
    counts.withdraw(session, article_ids=[first.article_id])
    _set_span(first, first.start, max(first.end, second.end))
    _set_themes(session, first, tuple(sorted(slugs)))
    first.review = "corrected"
    _audit(
        session,
        actor=actor,
        action="statement.merge",
        statement=first,
        before=before,
        after=snapshot(first) | {"merged": removed},
    )
    session.execute(delete(Statement).where(Statement.id == second.id))
    session.expunge(second)
    session.flush()
    counts.add(session, article_ids=[first.article_id])
    session.commit()


def revert(session: Session, *, event: AuditEvent, actor: User) -> Statement:
    """Put back the values a change replaced; itself an audited change."""
    if event.target_type != "statement" or event.action not in REVERTIBLE or not event.before:
        raise EditError("This change cannot be reverted.")
    statement = session.get(Statement, event.target_id)
    if statement is None:
        raise EditError("The statement this change was made to no longer exists.")
    before = snapshot(statement)
    counts.withdraw(session, article_ids=[statement.article_id])
    _apply(session, statement, {key: value for key, value in event.before.items() if key in FIELDS})
    _commit(
        session,
        actor=actor,
        action="statement.revert",
        statement=statement,
        before=before,
        reverted=event.id,
    )
    return statement


def _commit(
    session: Session,
    *,
    actor: User,
    action: str,
    statement: Statement,
    before: dict[str, object],
    reverted: int | None = None,
) -> None:
    """Write the change, its audit row and its counts together: the caller withdrew the
    counts of the statement's article before changing it (`app.services.counts`)."""
    session.flush()
    counts.add(session, article_ids=[statement.article_id])
    after = snapshot(statement)
    old = changed(before, after)
    new = {key: after[key] for key in old}
    if reverted is not None:
        new["reverts"] = reverted
    _audit(session, actor=actor, action=action, statement=statement, before=old, after=new)
    session.commit()
