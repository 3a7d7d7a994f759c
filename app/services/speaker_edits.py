"""Editors' changes to speakers: confirm one the extractor proposed, add an alias, merge
two into one. Each is audited in its own transaction and can be reverted.

A merge keeps the merged speaker's row (`merged_into_id` points at the one it became),
so its slug keeps resolving: statements extracted later under it, on import or on
reprocessing, go to the speaker it was merged into (`app.services.articles`).
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.models import AuditEvent, Speaker, SpeakerAlias, Statement, User
from app.services import counts
from app.services.audit import record_change
from app.services.bulk import any_of
from app.services.editorial import EditError

REVERTIBLE = frozenset({"speaker.confirm", "speaker.alias", "speaker.merge"})
MAX_ALIAS = 300


def by_slug(session: Session, slug: str) -> Speaker | None:
    return session.execute(select(Speaker).where(Speaker.slug == slug)).scalar_one_or_none()


def resolve(session: Session, text: str) -> str:
    """A speaker typed in a form, as a slug or a name (any case): its slug; "" for none.

    A speaker merged into another resolves to that other."""
    text = " ".join(text.split())
    if not text:
        return ""
    speaker = (
        by_slug(session, text)
        or session.execute(
            select(Speaker)
            .where(func.lower(Speaker.name) == text.lower())
            .order_by(Speaker.id)
            .limit(1)
        ).scalar_one_or_none()
    )
    if speaker is None:
        raise EditError(f"No speaker is named “{text}”. Pick one from the list.")
    if speaker.merged_into_id is not None:
        speaker = session.get(Speaker, speaker.merged_into_id)
    assert speaker is not None
    return speaker.slug


def _audit(
    session: Session,
    *,
    actor: User,
    action: str,
    speaker: Speaker,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        target_type="speaker",
        target_id=speaker.id,
        target_label=speaker.name,
        before=before,
        after=after,
    )


def confirm(session: Session, *, speaker: Speaker, actor: User) -> None:
    """An editor vouches for a speaker the extractor proposed."""
    if speaker.confirmed:
        raise EditError(f"{speaker.name} is already confirmed.")
    speaker.confirmed = True
    _audit(
        session,
        actor=actor,
        action="speaker.confirm",
        speaker=speaker,
        before={"confirmed": False},
        after={"confirmed": True},
    )
    session.commit()


def add_alias(session: Session, *, speaker: Speaker, alias: str, actor: User) -> None:
    """Another name the speaker goes by (a transliteration, a title)."""
    alias = " ".join(alias.split())
    if not alias or len(alias) > MAX_ALIAS:
        raise EditError(f"An alias is 1 to {MAX_ALIAS} characters.")
    if alias.lower() in {a.alias.lower() for a in speaker.aliases} | {speaker.name.lower()}:
        raise EditError(f"{speaker.name} already goes by “{alias}”.")
    speaker.aliases.append(SpeakerAlias(alias=alias))
    _audit(
        session,
        actor=actor,
        action="speaker.alias",
        speaker=speaker,
        before=None,
        after={"alias": alias},
    )
    session.commit()


def merge(session: Session, *, source: Speaker, target: Speaker, actor: User) -> int:
    """Move every statement of `source` to `target`, which gains `source`'s name and
    aliases as aliases. Returns how many statements moved.

    Registry speakers are not merged away (the next registry sync would bring them back):
    change app/knowledge/speakers.yaml for those."""
    if source.id == target.id:
        raise EditError("Choose another speaker to merge into.")
    if target.merged_into_id is not None:
        raise EditError(
            f"{target.name} was itself merged into another speaker; merge into that one."
        )
    if source.merged_into_id is not None:
        raise EditError(f"{source.name} was already merged into another speaker.")
    moved = list(
        session.execute(select(Statement.id).where(Statement.speaker_id == source.id)).scalars()
    )
    known = {a.alias.lower() for a in target.aliases} | {target.name.lower()}
    added = []
    for name in [source.name, *(a.alias for a in source.aliases)]:
        if name.lower() not in known:
            known.add(name.lower())
            added.append(name)
            target.aliases.append(SpeakerAlias(alias=name))
    articles = _articles_of(session, moved)
    counts.withdraw(session, article_ids=articles)
    session.execute(
        update(Statement).where(Statement.speaker_id == source.id).values(speaker_id=target.id)
    )
    counts.add(session, article_ids=articles)
    source.merged_into_id = target.id
    after = {"merged": source.slug, "statements": moved, "aliases": added}
    _audit(session, actor=actor, action="speaker.merge", speaker=target, before=None, after=after)
    _audit(
        session,
        actor=actor,
        action="speaker.merged_into",
        speaker=source,
        before=None,
        after={"into": target.slug, "statements": len(moved)},
    )
    session.commit()
    session.expire_all()
    return len(moved)


def _articles_of(session: Session, statements: list[int]) -> list[int]:
    """The articles whose counts a change of these statements' speaker moves."""
    return list(
        session.execute(
            select(Statement.article_id).where(any_of(Statement.id, statements)).distinct()
        ).scalars()
    )


def revert(session: Session, *, event: AuditEvent, actor: User) -> str:
    """Undo a confirmation, an added alias or a merge; returns the speaker's slug."""
    speaker = session.get(Speaker, event.target_id) if event.target_id else None
    if event.target_type != "speaker" or event.action not in REVERTIBLE or speaker is None:
        raise EditError("This change cannot be reverted.")
    after = event.after or {}
    if event.action == "speaker.confirm":
        speaker.confirmed = False
        _audit(
            session,
            actor=actor,
            action="speaker.revert",
            speaker=speaker,
            before={"confirmed": True},
            after={"confirmed": False, "reverts": event.id},
        )
    elif event.action == "speaker.alias":
        alias = str(after.get("alias"))
        session.execute(
            delete(SpeakerAlias).where(
                SpeakerAlias.speaker_id == speaker.id, SpeakerAlias.alias == alias
            )
        )
        _audit(
            session,
            actor=actor,
            action="speaker.revert",
            speaker=speaker,
            before={"alias": alias},
            after={"alias": None, "reverts": event.id},
        )
    else:
        _unmerge(session, target=speaker, event=event, actor=actor)
    session.commit()
    session.expire_all()
    return speaker.slug


def _unmerge(session: Session, *, target: Speaker, event: AuditEvent, actor: User) -> None:
    """Give the merged speaker back the statements it had (those still on `target`)."""
    after = event.after or {}
    source = by_slug(session, str(after.get("merged")))
    if source is None or source.merged_into_id != target.id:
        raise EditError("This merge was already undone.")
    statements = [int(i) for i in after.get("statements", [])]  # type: ignore[union-attr]
    articles = _articles_of(session, statements)
    counts.withdraw(session, article_ids=articles)
    session.execute(
        update(Statement)
        .where(Statement.id.in_(statements), Statement.speaker_id == target.id)
        .values(speaker_id=source.id)
    )
    counts.add(session, article_ids=articles)
    aliases = [str(a) for a in after.get("aliases", [])]  # type: ignore[union-attr]
    session.execute(
        delete(SpeakerAlias).where(
            SpeakerAlias.speaker_id == target.id, SpeakerAlias.alias.in_(aliases)
        )
    )
    source.merged_into_id = None
    _audit(
        session,
        actor=actor,
        action="speaker.revert",
        speaker=target,
        before={"merged": source.slug},
        after={"merged": None, "reverts": event.id},
    )
