"""Fixtures for command-line tests that need a database of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.settings import get_settings


@pytest.fixture
def cli_database(make_database, monkeypatch) -> Iterator[str]:
    """A fresh, empty database in DATABASE_URL; the commands migrate it themselves."""
    url = make_database("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("DEMARCHE_ALLOW_PRIVATE_FETCH", "DEMARCHE_MAX_FETCH_BYTES"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
