"""The FastAPI application: routers, templates, static files and error pages."""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from app.db import make_engine, make_sessionmaker
from app.jobs import JobRunner, QueueRunner
from app.settings import REPO_ROOT, Settings, get_settings
from app.web import (
    admin,
    admin_registry,
    api,
    auth,
    explore,
    exports,
    feeds,
    health,
    imports,
    pages,
    proposals,
    review,
    search,
    sharing,
    speaker_edits,
    upload,
    views,
)
from app.web.csrf import csrf_token
from app.web.deps import NotSignedInError
from app.web.errors import install_error_handlers
from app.web.limits import BodySizeLimit
from app.web.page_cache import RECHECK_MARGIN_SECONDS, PageCache, PageStore
from app.web.policy import authorize, not_signed_in
from app.web.read_your_writes import ReadYourWrites
from app.web.security_headers import SecurityHeaders
from app.web.sessions import SignedCookieSession
from app.web.templating import templates

log = logging.getLogger(__name__)

# Form fields and multipart framing come on top of the article itself.
FORM_OVERHEAD_BYTES = 64_000
# Routes that take many articles (files, archives, batches) in one request.
BULK_PATHS = ("/imports", "/api/")


@cache
def freeze_startup_objects() -> None:
    """Keep what the process holds at its first start-up out of the collector's full passes.

    The modules, the registry and the extractor's tables are a few hundred thousand
    objects that live as long as the process; every full collection walked them again,
    a pause of 120-165 ms once in about sixty page renders at a million articles, which
    set the pages' 95th percentile. Frozen (after a collection, so no garbage is kept),
    the pause is 27-36 ms. Once per process: apps started later in the same process
    (tests) leave the collector alone, so nothing they drop is kept frozen.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    read_engine: Engine | None = None,
    jobs: JobRunner | None = None,
) -> FastAPI:
    """Build the app; `engine` is passed by `serve` and tests, else made from settings.

    `read_engine` serves the read-only routes (`ReadSessionDep`): by default one on
    DATABASE_READ_URL when that is set, else `engine` itself. `jobs` defaults to the
    Postgres queue, with a worker in-process when DEMARCHE_RUN_WORKER is on.
    """
    settings = settings or get_settings()
    if engine is None:
        if not settings.database_url:
            raise RuntimeError("create_app needs DATABASE_URL or an engine (see `demarche serve`).")
        engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    if read_engine is None and settings.database_read_url:
        read_engine = make_engine(settings.database_read_url)
    read_engine = read_engine or engine
    runner = jobs or QueueRunner(
        engine.url.render_as_string(hide_password=False),
        factory,
        limits=settings.ingest_limits(),
        run_worker=settings.run_worker,
        stalled_seconds=settings.stalled_seconds,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runner.start()
        freeze_startup_objects()
        try:
            yield
        finally:
            await runner.stop()

    app = FastAPI(
        title="Démarche",
        summary="Who said what in diplomatic news, when, and on which theme.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Every route, whatever router it comes from, passes the access policy first.
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = factory
    app.state.read_engine = read_engine
    app.state.read_sessionmaker = make_sessionmaker(read_engine)
    app.state.jobs = runner
    bulk_limit = settings.max_upload_bytes + FORM_OVERHEAD_BYTES
    single_limit = settings.max_article_bytes + FORM_OVERHEAD_BYTES
    app.state.page_store = PageStore(settings.page_cache_mb * 1_000_000)
    if settings.page_cache_mb:
        # Inside the session middleware: pages are kept per session (see its docstring).
        app.add_middleware(
            PageCache,
            store=app.state.page_store,
            recheck_seconds=settings.page_cache_recheck_ms / 1000,
            routes=[
                route
                for router in (
                    explore.router,
                    pages.router,
                    search.router,
                    feeds.router,
                    api.router,
                )
                for route in router.routes
                if isinstance(route, APIRoute) and "GET" in route.methods
            ],
        )
    rechecked = settings.page_cache_mb > 0 and settings.page_cache_recheck_ms > 0
    if (read_engine is not engine and settings.read_after_write_seconds > 0) or rechecked:
        # Added before the session middleware, so it runs inside it (see its docstring).
        # The page cache reads the version afresh for a browser that has just written, for
        # at least as long as a process may trust a version it read before that write.
        seconds = settings.read_after_write_seconds
        if rechecked:
            seconds = max(seconds, settings.page_cache_recheck_ms / 1000 + RECHECK_MARGIN_SECONDS)
        app.add_middleware(ReadYourWrites, seconds=seconds)
    app.add_middleware(
        SignedCookieSession,
        secret=_secret_key(settings),
        max_age_seconds=settings.session_days * 86_400,
    )
    app.add_middleware(
        BodySizeLimit,
        limit_for=lambda path: bulk_limit if path.startswith(BULK_PATHS) else single_limit,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=REPO_ROOT / "static"), name="static")
    app.include_router(explore.router)
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(admin_registry.router)
    app.include_router(review.router)
    app.include_router(speaker_edits.router)
    app.include_router(sharing.router)
    app.include_router(pages.router)
    app.include_router(exports.router)
    app.include_router(feeds.router)
    app.include_router(views.router)
    app.include_router(search.router)
    app.include_router(proposals.router)
    app.include_router(upload.router)
    app.include_router(imports.router)
    app.include_router(api.router)
    app.include_router(health.router)
    install_error_handlers(app)
    app.add_exception_handler(NotSignedInError, not_signed_in)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema() -> JSONResponse:
        """The API description, served as a route so the access policy covers it too."""
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """Swagger UI from the vendored copy (no page loads anything from the internet),
        started by static/js/api-docs.js since the CSP allows no inline script."""
        return templates.TemplateResponse(
            request, "pages/api_docs.html", {"csrf_token": csrf_token(request)}
        )

    return app


def _secret_key(settings: Settings) -> str:
    """The key that signs session cookies; without one, sessions last as long as the process."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    log.warning("DEMARCHE_SECRET_KEY is unset: sessions will not survive a restart.")
    return secrets.token_urlsafe(32)
