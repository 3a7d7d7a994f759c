"""The Jinja environment shared by every router: autoescape on, helpers for dates and links."""

from __future__ import annotations

from datetime import UTC, date, datetime

from jinja2_fragments.fastapi import Jinja2Blocks

from app.charts.axis import number, percent
from app.services.accounts import ROLE_RANK
from app.settings import REPO_ROOT
from app.web.chartviews import share_chart, theme_heatmap, volume_chart
from app.web.csrf import csrf_field, csrf_headers
from app.web.highlight import highlight_article, highlight_preview, marked_matches
from app.web.links import entity_url, narrowed, timeline_url, toggle_url


def format_day(value: date | None) -> str:
    if value is None:
        return "date unknown"
    return f"{value:%a} {value.day} {value:%b %Y}"


def format_utc(value: datetime | None) -> str:
    """A stored instant as UTC, whatever time zone the database connection uses."""
    if value is None:
        return "never"
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def change_value(value: object) -> str:
    """A value in an item's history: a list joined, a speaker's role (as speakers.yaml
    writes it) as "title (from – to): descriptors", nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(change_value(item) for item in value) if value else "(none)"
    if isinstance(value, dict):
        if "title" in value:
            span = f"{value.get('from') or '…'} – {value.get('to') or '…'}"
            said = "; ".join(str(d) for d in value.get("descriptors") or [])
            return f"{value['title']} ({span})" + (f": {said}" if said else "")
        return "; ".join(f"{key}: {change_value(item)}" for key, item in value.items())
    return str(value)


def changed_between(key: str, before: dict[str, object], after: dict[str, object]) -> bool:
    """Jinja test: whether a history event's field differs before and after the change."""
    return before.get(key) != after.get(key)


templates = Jinja2Blocks(directory=str(REPO_ROOT / "templates"))
templates.env.autoescape = True
# Templates ship with the code and change only with a restart, so a page need not check
# every template file's modification time on each render (a stat per include and import).
templates.env.auto_reload = False
templates.env.filters["day"] = format_day
templates.env.filters["utc"] = format_utc
templates.env.filters["change_value"] = change_value
templates.env.tests["changed_between"] = changed_between
templates.env.globals["highlight_article"] = highlight_article
templates.env.globals["highlight_preview"] = highlight_preview
templates.env.globals["marked_matches"] = marked_matches
templates.env.globals["volume_chart"] = volume_chart
templates.env.globals["share_chart"] = share_chart
templates.env.globals["theme_heatmap"] = theme_heatmap
templates.env.globals["entity_url"] = entity_url
templates.env.globals["timeline_url"] = timeline_url
templates.env.globals["narrowed"] = narrowed
templates.env.globals["toggle_url"] = toggle_url
templates.env.filters["number"] = number
templates.env.filters["percent"] = percent
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["csrf_headers"] = csrf_headers
templates.env.globals["role_rank"] = ROLE_RANK
