"""Small helpers for reading submitted forms."""

from __future__ import annotations

from starlette.datastructures import FormData


def form_text(form: FormData, name: str) -> str:
    """A text field's value, or '' when it is missing or is a file."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
