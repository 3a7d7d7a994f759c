"""Liveness for container health checks: the app answers and the database does too."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.web.deps import SessionDep
from app.web.policy import Access, requires

router = APIRouter()


@router.get("/healthz", summary="Health check")
@requires(Access.PUBLIC)
def health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
