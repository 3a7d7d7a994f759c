"""Bulk imports: upload many files (or a zip, or URLs), then watch the job's progress."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from app.services.imports import (
    UploadedFile,
    create_import_job,
    import_job,
    job_progress,
    recent_import_jobs,
)
from app.web.deps import IsHtmx, RowId, SessionDep, SettingsDep
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter()

MAX_FILES = 200
MAX_URLS = 200


def _render_form(
    request: Request, session: SessionDep, *, errors: list[str], urls: str, status: int
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/imports.html",
        {"jobs": recent_import_jobs(session), "errors": errors, "urls": urls},
        status_code=status,
    )


@router.get("/imports", summary="Bulk import form and recent import jobs")
@requires(Access.EDITOR)
def imports_page(request: Request, session: SessionDep) -> Response:
    return _render_form(request, session, errors=[], urls="", status=200)


@router.post("/imports", summary="Start a bulk import job from files, a zip or URLs")
@requires(Access.EDITOR)
async def start_import(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    try:
        form = await request.form(
            max_files=MAX_FILES, max_fields=10, max_part_size=settings.max_upload_bytes
        )
    except HTTPException as error:
        return _render_form(
            request,
            session,
            errors=[f"The upload could not be read: {error.detail}"],
            urls="",
            status=400,
        )
    url_text = form.get("urls")
    url_text = url_text if isinstance(url_text, str) else ""
    urls = [line.strip() for line in url_text.splitlines() if line.strip()]
    uploads = [
        UploadedFile(name=item.filename or "upload", data=await item.read())
        for item in form.getlist("files")
        if isinstance(item, UploadFile) and item.filename
    ]
    errors = []
    if not uploads and not urls:
        errors.append("Choose at least one file, or give at least one URL (one per line).")
    if len(urls) > MAX_URLS:
        errors.append(f"At most {MAX_URLS} URLs per job.")
    if sum(len(upload.data) for upload in uploads) > settings.max_upload_bytes:
        errors.append(
            f"The files add up to more than the {settings.max_upload_bytes:,}-byte limit of one import."
        )
    if errors:
        return _render_form(request, session, errors=errors, urls=url_text, status=422)
    names = [upload.name for upload in uploads] + urls
    label = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"
    job = create_import_job(session, label=label, files=uploads, urls=urls)
    await request.app.state.jobs.enqueue_import(job.id)
    return RedirectResponse(f"/imports/{job.id}", status_code=303)


@router.get("/imports/{job_id}", summary="An import job's progress and report")
@requires(Access.EDITOR)
def import_job_page(request: Request, job_id: RowId, session: SessionDep, htmx: IsHtmx) -> Response:
    job = import_job(session, job_id=job_id)
    if job is None:
        raise HTTPException(404, f"No import job has the number {job_id}.")
    return templates.TemplateResponse(
        request,
        "pages/import_job.html",
        {"job": job, "percent": job_progress(session, job)},
        block_name="job" if htmx else None,
    )
