"""The FastAPI application: routers, templates, static files and error pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from app.db import make_engine, make_sessionmaker
from app.settings import REPO_ROOT, Settings, get_settings
from app.web import health, pages, upload
from app.web.errors import install_error_handlers
from app.web.limits import BodySizeLimit

# Form fields and multipart framing come on top of the article itself.
FORM_OVERHEAD_BYTES = 64_000


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app; `engine` is passed by `serve` and tests, else made from settings."""
    settings = settings or get_settings()
    if engine is None:
        if not settings.database_url:
            raise RuntimeError("create_app needs DATABASE_URL or an engine (see `demarche serve`).")
        engine = make_engine(settings.database_url)
    app = FastAPI(
        title="Démarche",
        summary="Who said what in diplomatic news, when, and on which theme.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_article_bytes + FORM_OVERHEAD_BYTES)
    app.mount("/static", StaticFiles(directory=REPO_ROOT / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(upload.router)
    app.include_router(health.router)
    install_error_handlers(app)
    return app
