"""Every knob of Démarche, read once from the environment (DEMARCHE_* and DATABASE_URL).

The README's configuration table lists the same names; keep the two in step.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime configuration; the defaults run the app on a laptop with no setup."""

    model_config = SettingsConfigDict(env_prefix="DEMARCHE_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="Postgres to use; unset starts an embedded Postgres in data_dir.",
    )
    data_dir: Path = Field(
        default=Path.home() / ".local" / "share" / "demarche",
        description="Where the embedded Postgres keeps its files.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = Field(
        default=True,
        description="Load the demo corpus when the database holds no article yet.",
    )
    shared_dir: Path = Field(
        default=REPO_ROOT.parent / "shared",
        description="The shared folder with real sample articles, loaded with the demo when present.",
    )
    max_article_bytes: int = Field(
        default=2_000_000,
        description="Largest article accepted from a paste or a file, in bytes.",
    )
    page_size: int = Field(default=50, ge=5, le=500)


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
