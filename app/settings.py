"""Every knob of Démarche, read once from the environment (DEMARCHE_* and DATABASE_URL).

The README's configuration table lists the same names; keep the two in step.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.ingest.limits import IngestLimits

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_extract_workers() -> int:
    """One extraction process per core beside the storing process, which they never
    slow (they run at a lower priority); none on one core, where they would only add
    the cost of handing items over."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


class Settings(BaseSettings):
    """Runtime configuration; the defaults run the app on a laptop with no setup."""

    model_config = SettingsConfigDict(env_prefix="DEMARCHE_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="Postgres to use; unset starts an embedded Postgres in data_dir.",
    )
    database_read_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_READ_URL",
        description="A read replica (or any read-only copy) for the pages, API reads, exports "
        "and feeds; unset reads from DATABASE_URL. See docs/scaling.md.",
    )
    read_after_write_seconds: float = Field(
        default=10.0,
        ge=0,
        le=3600,
        description="With DATABASE_READ_URL set, a browser reads from the primary for this "
        "long after each of its writes, so it sees them whatever the replica's lag.",
    )
    data_dir: Path = Field(
        default=Path.home() / ".local" / "share" / "demarche",
        description="Where the embedded Postgres keeps its files.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    web_processes: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes `serve` runs to answer requests (uvicorn workers): one per "
        "core lets a busy deployment use them all.",
    )
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
    max_upload_bytes: int = Field(
        default=50_000_000,
        description="Largest bulk upload (files, archives) in one request, in bytes.",
    )
    max_archive_entries: int = Field(default=5_000, description="Most files read from one zip.")
    max_archive_total_bytes: int = Field(
        default=200_000_000, description="Most uncompressed bytes read from one zip."
    )
    max_items: int = Field(default=10_000, description="Most articles taken from one upload.")
    fetch_timeout_seconds: float = Field(default=10.0, description="Timeout of one URL fetch.")
    max_fetch_bytes: int = Field(default=5_000_000, description="Largest page fetched from a URL.")
    allow_private_fetch: bool = Field(
        default=False,
        description="Let URL imports reach private, loopback and link-local addresses.",
    )
    run_worker: bool = Field(
        default=True,
        description="Run a background-job worker inside the web process.",
    )
    stalled_seconds: float = Field(
        default=30.0,
        description="A worker silent for this long is presumed dead; its jobs are retried.",
    )
    extract_workers: int = Field(
        default_factory=_default_extract_workers,
        ge=0,
        le=64,
        description="Processes that extract statements for a large import beside the process "
        "that stores it (default: one per core, none on one core; 0 extracts in the storing process).",
    )
    import_part_items: int = Field(
        default=500,
        ge=1,
        le=100_000,
        description="Items of one input imported by one worker task: the workers of every "
        "host share a large import in parts of this size.",
    )
    page_size: int = Field(default=50, ge=5, le=500)
    page_cache_mb: int = Field(
        default=24,
        ge=0,
        le=4096,
        description="Memory each web process gives to rendered read-only pages, kept per "
        "database snapshot so any write refreshes them; 0 turns the cache off.",
    )
    page_cache_recheck_ms: int = Field(
        default=200,
        ge=0,
        le=60_000,
        description="How long a web process trusts the data version it last read before "
        "reading it again: another browser's or a worker's write shows on kept pages within "
        "this long, a browser's own writes at once; 0 reads it for every request.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="Signs session cookies (32 characters or more). Unset: `serve` keeps a "
        "random key in data_dir.",
    )
    anonymous_read: bool = Field(
        default=False,
        description="Let visitors who are not signed in browse the read-only pages.",
    )
    session_days: int = Field(
        default=14, ge=1, le=365, description="Days a sign-in lasts before asking again."
    )
    login_failures_allowed: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins per account and address in login_window_minutes before a pause.",
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="The window over which failed sign-ins are counted."
    )

    def ingest_limits(self) -> IngestLimits:
        return IngestLimits(
            max_article_bytes=self.max_article_bytes,
            max_upload_bytes=self.max_upload_bytes,
            max_archive_entries=self.max_archive_entries,
            max_archive_total_bytes=self.max_archive_total_bytes,
            max_items=self.max_items,
            fetch_timeout_seconds=self.fetch_timeout_seconds,
            max_fetch_bytes=self.max_fetch_bytes,
            allow_private_fetch=self.allow_private_fetch,
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
