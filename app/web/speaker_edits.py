"""Editors' changes to a speaker, from the speaker's page: confirm, add an alias, merge.

Plain form POSTs answered with a 303 back to the speaker's page, where the change shows
in the history with a revert button.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from app.models import Speaker
from app.services import speaker_edits
from app.services.editorial import EditError
from app.web.deps import CurrentUser, SessionDep
from app.web.policy import Access, requires

router = APIRouter(tags=["speakers"])


def _speaker(session: SessionDep, slug: str) -> Speaker:
    speaker = speaker_edits.by_slug(session, slug) if len(slug) <= 120 else None
    if speaker is None:
        raise HTTPException(404, "No speaker has that name in the registry.")
    return speaker


def _back(speaker: Speaker) -> Response:
    return RedirectResponse(f"/speakers/{speaker.slug}#history", status_code=303)


@router.post("/speakers/{slug}/confirm", summary="Confirm a speaker the extractor proposed")
@requires(Access.EDITOR)
def confirm_speaker(slug: str, session: SessionDep, user: CurrentUser) -> Response:
    speaker = _speaker(session, slug)
    try:
        speaker_edits.confirm(session, speaker=speaker, actor=user)
    except EditError as error:
        raise HTTPException(400, str(error)) from error
    return _back(speaker)


@router.post("/speakers/{slug}/aliases", summary="Add an alias to a speaker")
@requires(Access.EDITOR)
def add_speaker_alias(
    slug: str,
    session: SessionDep,
    user: CurrentUser,
    alias: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    speaker = _speaker(session, slug)
    try:
        speaker_edits.add_alias(session, speaker=speaker, alias=alias, actor=user)
    except EditError as error:
        session.rollback()
        raise HTTPException(400, str(error)) from error
    return _back(speaker)


@router.post("/speakers/{slug}/merge", summary="Merge a speaker into another")
@requires(Access.EDITOR)
def merge_speaker(
    slug: str,
    session: SessionDep,
    user: CurrentUser,
    into: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """`into` is a name or slug; the answer goes to the speaker merged into."""
    source = _speaker(session, slug)
    try:
        target_slug = speaker_edits.resolve(session, into)
        if not target_slug:
            raise EditError("Name the speaker to merge into.")
        target = _speaker(session, target_slug)
        speaker_edits.merge(session, source=source, target=target, actor=user)
    except EditError as error:
        session.rollback()
        raise HTTPException(400, str(error)) from error
    return _back(target)
