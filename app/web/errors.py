"""Error pages: every refusal is a sentence for a person and a 4xx, never a stack trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.queries.filters import FilterError
from app.web.templating import templates

_TITLES = {
    400: "That request could not be read",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Already stored",
    413: "Too large",
    422: "Please check the form",
}


def error_page(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/error.html",
        {"title": _TITLES.get(status, "Something went wrong"), "message": message},
        status_code=status,
    )


def too_large_response(max_bytes: int) -> HTMLResponse:
    """A self-contained 413 page: sent from middleware, before any request object exists."""
    megabytes = max_bytes / 1_000_000
    return HTMLResponse(
        "<!doctype html><title>Too large · Démarche</title>"
        '<link rel="stylesheet" href="/static/css/app.css">'
        '<main class="page narrow"><h1>Too large</h1>'
        f'<p class="notice error">The upload is larger than the limit of {megabytes:g} MB. '
        "Split it into smaller parts (a bulk import takes several files), or ask an "
        "administrator to raise DEMARCHE_MAX_ARTICLE_BYTES or DEMARCHE_MAX_UPLOAD_BYTES.</p>"
        '<p><a href="/upload">Back to the upload form</a></p></main>',
        status_code=413,
    )


def _describe_validation(error: RequestValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    return "The request has values this page cannot use: " + "; ".join(problems) + "."


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else "The request was refused."
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=error.status_code)
        if error.status_code == 404 and message == "Not Found":
            message = "There is nothing at this address."
        return error_page(request, error.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        if _wants_json(request):
            # A bad address (path or query) is a 400; a body that fails its schema, a 422.
            status = 400 if request.method in {"GET", "HEAD"} else 422
            return JSONResponse(
                {"detail": _describe_validation(error), "errors": jsonable_encoder(error.errors())},
                status_code=status,
            )
        return error_page(request, 400, _describe_validation(error))

    @app.exception_handler(FilterError)
    async def filter_error(request: Request, error: FilterError) -> Response:
        """A view's filter that cannot be read: the same sentences the timeline shows."""
        if _wants_json(request):
            return JSONResponse(
                {"detail": " ".join(error.messages), "errors": error.messages}, status_code=400
            )
        return error_page(request, 400, " ".join(error.messages))
