"""The Jinja environment shared by every router: autoescape on, helpers for dates and links."""

from __future__ import annotations

from datetime import date

from jinja2_fragments.fastapi import Jinja2Blocks

from app.services.accounts import ROLE_RANK
from app.settings import REPO_ROOT
from app.web.csrf import csrf_field, csrf_headers
from app.web.highlight import highlight_article, highlight_preview


def format_day(value: date | None) -> str:
    if value is None:
        return "date unknown"
    return f"{value:%a} {value.day} {value:%b %Y}"


templates = Jinja2Blocks(directory=str(REPO_ROOT / "templates"))
templates.env.autoescape = True
templates.env.filters["day"] = format_day
templates.env.globals["highlight_article"] = highlight_article
templates.env.globals["highlight_preview"] = highlight_preview
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["csrf_headers"] = csrf_headers
templates.env.globals["role_rank"] = ROLE_RANK
