"""The upload form: an editor pastes an article (or picks a .txt file) with its metadata."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from app.knowledge import outlets
from app.services.articles import DuplicateArticleError, add_article
from app.services.submissions import Submission, SubmissionError, parse_submission
from app.web.deps import SessionDep, SettingsDep
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
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/upload.html",
        {
            "form": submission,
            "errors": errors,
            "duplicate": duplicate,
            "known_outlets": [outlet.name for outlet in outlets()],
        },
        status_code=status,
    )


@router.get("/upload", summary="The upload form")
def upload_form(request: Request) -> Response:
    return _render(request, Submission(), errors=[], status=200)


@router.post("/upload", summary="Store a pasted or uploaded article")
async def upload_article(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    limit = settings.max_article_bytes
    try:
        # Parts may exceed the article limit a little (framing, a title); the request
        # itself is capped by BodySizeLimit, and the article is measured below.
        data = await request.form(max_part_size=2 * limit, max_files=1, max_fields=20)
    except HTTPException as error:
        return _render(
            request,
            Submission(),
            errors=[f"The form could not be read: {error.detail}"],
            status=400,
        )
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
    try:
        article = add_article(session, parse_submission(submission, max_bytes=limit))
    except SubmissionError as error:
        return _render(request, submission, errors=error.messages, status=422)
    except DuplicateArticleError as duplicate:
        return _render(
            request, submission, errors=[str(duplicate)], status=409, duplicate=duplicate.article_id
        )
    return RedirectResponse(f"/articles/{article.id}?stored=1", status_code=303)
