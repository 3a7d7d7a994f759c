"""Loading the demo corpus into an empty (or any) database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.demo import DEMO_ARTICLES_DIR
from app.services.articles import ImportOutcome, import_text_files


def demo_sources(shared_dir: Path) -> list[Path]:
    """The demo folder, and the shared samples when the shared folder is there."""
    sources = [DEMO_ARTICLES_DIR]
    samples = shared_dir / "samples"
    if samples.is_dir():
        sources.append(samples)
    return sources


def load_demo(session: Session, *, shared_dir: Path, max_bytes: int) -> list[ImportOutcome]:
    """Import the demo articles; already stored ones come back as duplicates, harmlessly."""
    return import_text_files(session, demo_sources(shared_dir), max_bytes=max_bytes)
