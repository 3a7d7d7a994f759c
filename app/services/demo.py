"""Loading the demo corpus into an empty (or any) database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.demo import DEMO_ARTICLES_DIR
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_paths
from app.services.imports import ItemOutcome, import_items


def demo_sources(shared_dir: Path) -> list[Path]:
    """The demo folder, and the shared samples when the shared folder is there."""
    sources = [DEMO_ARTICLES_DIR]
    samples = shared_dir / "samples"
    if samples.is_dir():
        sources.append(samples)
    return sources


def load_demo(session: Session, *, shared_dir: Path, limits: IngestLimits) -> list[ItemOutcome]:
    """Import the demo articles; already stored ones come back as duplicates, harmlessly."""
    return list(import_items(session, read_paths(demo_sources(shared_dir), limits=limits)))
