"""Liveness for container health checks: the app answers and the database does too."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.web.deps import SessionDep

router = APIRouter()


@router.get("/healthz", summary="Health check")
def health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
