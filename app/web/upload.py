"""The upload form: an editor pastes an article (or picks a file), previews what was
inferred and extracted, corrects the metadata and saves."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from app.knowledge import outlets
from app.services.articles import DuplicateArticleError, add_article
from app.services.submissions import (
    Preview,
    Submission,
    SubmissionError,
    parse_submission,
    preview_submission,
)
from app.web.deps import IsHtmx, SessionDep, SettingsDep
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter()


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _render(
    request: Request,
    submission: Submission,
    *,
    errors: list[str],
    status: int,
    duplicate: int | None = None,
    preview: Preview | None = None,
    block: str | None = None,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/upload.html",
        {
            "form": submission,
            "errors": errors,
            "duplicate": duplicate,
            "preview": preview,
            "known_outlets": [outlet.name for outlet in outlets()],
        },
        status_code=status,
        block_name=block,
    )


async def _read_submission(request: Request, limit: int) -> Submission:
    """The form as a Submission; an unreadable form raises SubmissionError."""
    try:
        # Parts may exceed the article limit a little (framing, a title); the request
        # itself is capped by BodySizeLimit, and the article is measured when parsed.
        data = await request.form(max_part_size=2 * limit, max_files=1, max_fields=20)
    except HTTPException as error:
        raise SubmissionError([f"The form could not be read: {error.detail}"]) from error
    submission = Submission(
        text=_field(data, "text"),
        title=_field(data, "title").strip(),
        outlet=_field(data, "outlet").strip(),
        published=_field(data, "published").strip(),
        url=_field(data, "url").strip(),
    )
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        submission.file_name = upload.filename
        submission.file_data = await upload.read(limit + 1)
    return submission


@router.get("/upload", summary="The upload form")
@requires(Access.EDITOR)
def upload_form(request: Request) -> Response:
    return _render(request, Submission(), errors=[], status=200)


@router.post("/upload/preview", summary="Show what saving would store, without storing")
@requires(Access.EDITOR)
async def upload_preview(
    request: Request, session: SessionDep, settings: SettingsDep, htmx: IsHtmx
) -> Response:
    block = "upload" if htmx else None
    try:
        submission = await _read_submission(request, settings.max_article_bytes)
        preview = preview_submission(session, submission, max_bytes=settings.max_article_bytes)
    except SubmissionError as error:
        return _render(request, Submission(), errors=error.messages, status=422, block=block)
    article = preview.article
    # The form comes back filled with what was inferred, for the editor to correct.
    inferred = replace(
        submission,
        title=submission.title or article.title,
        outlet=submission.outlet or (article.outlet.name if article.outlet else ""),
        published=submission.published
        or (article.published.isoformat() if article.published_precision == "day" else ""),
        url=submission.url or (article.url or ""),
        file_name=None,
        file_data=None,
        text=submission.text or article.body,
    )
    return _render(request, inferred, errors=[], status=200, preview=preview, block=block)


@router.post("/upload", summary="Store a pasted or uploaded article")
@requires(Access.EDITOR)
async def upload_article(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    limit = settings.max_article_bytes
    submission = Submission()
    try:
        submission = await _read_submission(request, limit)
        article = add_article(session, parse_submission(submission, max_bytes=limit))
    except SubmissionError as error:
        return _render(request, submission, errors=error.messages, status=422)
    except DuplicateArticleError as duplicate:
        return _render(
            request, submission, errors=[str(duplicate)], status=409, duplicate=duplicate.article_id
        )
    return RedirectResponse(f"/articles/{article.id}?stored=1", status_code=303)
