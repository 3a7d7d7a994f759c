"""The upload form: an editor pastes an article (or picks a .txt file) with its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from app.ingest import IngestError, ParsedArticle, parse_plain_text
from app.ingest.decode import decode_text, normalise_text
from app.ingest.outlets import outlet_for_editor
from app.ingest.plaintext import parse_date_text
from app.knowledge import outlets
from app.services.articles import DuplicateArticleError, add_article
from app.web.deps import SessionDep, SettingsDep
from app.web.templating import templates

router = APIRouter()

MAX_TITLE = 1000
MAX_OUTLET = 200
MAX_URL = 2000


@dataclass
class UploadForm:
    """What the editor typed, kept to refill the form when something is wrong."""

    text: str = ""
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    errors: list[str] = field(default_factory=list)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _render(
    request: Request, form: UploadForm, *, status: int, duplicate: int | None = None
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/upload.html",
        {"form": form, "duplicate": duplicate, "known_outlets": [o.name for o in outlets()]},
        status_code=status,
    )


@router.get("/upload", summary="The upload form")
def upload_form(request: Request) -> Response:
    return _render(request, UploadForm(), status=200)


async def _read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError(
            f"{upload.filename} is larger than the limit of {max_bytes:,} bytes for one article."
        )
    return data


def _parse(form: UploadForm, raw_file: bytes | None, filename: str | None) -> ParsedArticle:
    """Validate every field, collecting all problems before refusing."""
    published: date | None = None
    if form.published:
        try:
            published = parse_date_text(form.published)
        except IngestError as error:
            form.errors.append(str(error))
    if form.url:
        parts = urlsplit(form.url)
        if parts.scheme not in {"http", "https"} or not parts.hostname or len(form.url) > MAX_URL:
            form.errors.append("The URL must be a web address starting with http:// or https://.")
    if len(form.title) > MAX_TITLE:
        form.errors.append(f"The title is too long: at most {MAX_TITLE} characters.")
    if len(form.outlet) > MAX_OUTLET:
        form.errors.append(f"The outlet name is too long: at most {MAX_OUTLET} characters.")

    text: str | None = None
    raw: bytes | None = None
    try:
        if raw_file:
            raw = raw_file
            text = decode_text(raw_file, source=filename or "The file")
        elif form.text.strip():
            text = normalise_text(form.text, source="The pasted text")
            raw = text.encode("utf-8")
        else:
            form.errors.append("Paste the article's text or choose a .txt file.")
    except IngestError as error:
        form.errors.append(str(error))
    if form.errors or text is None:
        raise IngestError(" ".join(form.errors))
    return parse_plain_text(
        text,
        raw=raw,
        source_name=filename,
        title=form.title or None,
        published=published,
        url=form.url or None,
        outlet=outlet_for_editor(form.outlet) if form.outlet else None,
    )


@router.post("/upload", summary="Store a pasted or uploaded article")
async def upload_article(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    limit = settings.max_article_bytes
    try:
        # Parts may exceed the article limit a little (framing, a title); the request
        # itself is capped by BodySizeLimit, and the article is measured below.
        data = await request.form(max_part_size=2 * limit, max_files=1, max_fields=20)
    except HTTPException as error:
        form = UploadForm(errors=[f"The form could not be read: {error.detail}"])
        return _render(request, form, status=400)
    form = UploadForm(
        text=data.get("text") if isinstance(data.get("text"), str) else "",
        title=_field(data, "title"),
        outlet=_field(data, "outlet"),
        published=_field(data, "published"),
        url=_field(data, "url"),
    )
    upload = data.get("file")
    try:
        if len(form.text.encode("utf-8")) > limit:
            raise IngestError(
                f"The pasted text is larger than the limit of {limit:,} bytes for one article."
            )
        raw_file = None
        filename = None
        if isinstance(upload, UploadFile) and upload.filename:
            filename = upload.filename
            raw_file = await _read_upload(upload, limit)
        parsed = _parse(form, raw_file, filename)
        article = add_article(session, parsed)
    except IngestError as error:
        if not form.errors:
            form.errors.append(str(error))
        return _render(request, form, status=422)
    except DuplicateArticleError as duplicate:
        form.errors.append(str(duplicate))
        return _render(request, form, status=409, duplicate=duplicate.article_id)
    return RedirectResponse(f"/articles/{article.id}?stored=1", status_code=303)
