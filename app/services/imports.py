"""Import jobs: inputs are stored first, then read and stored article by article.

A job's files (or URLs) are written to the database before any work starts, so a job
survives a restart of the process running it and resumes where it stopped: items
already recorded for a file are skipped on the next run. Each article is its own
transaction, so one bad item never stops or rolls back the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.ingest.fetch import read_url
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.models import ImportFile, ImportItem, ImportJob
from app.services.articles import DuplicateArticleError, add_article

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str
    data: bytes


def create_import_job(
    session: Session, *, label: str, files: list[UploadedFile], urls: list[str]
) -> ImportJob:
    """Store a job's inputs and return the queued job (committed)."""
    job = ImportJob(label=label[:500], status="queued", total=len(files) + len(urls))
    position = 0
    for upload in files:
        job.files.append(ImportFile(position=position, name=upload.name[:1000], data=upload.data))
        position += 1
    for url in urls:
        job.files.append(ImportFile(position=position, name=url[:1000], url=url[:2000]))
        position += 1
    session.add(job)
    session.commit()
    return job


def _now() -> datetime:
    return datetime.now(UTC)


def _read(file: ImportFile, limits: IngestLimits) -> list[InputItem]:
    if file.url:
        return read_url(file.url, limits=limits)
    return read_upload(file.name, file.data or b"", limits=limits)


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    source: str
    status: Literal["stored", "duplicate", "failed"]
    message: str
    article_id: int | None = None


def store_input_item(session: Session, item: InputItem, *, commit: bool = True) -> ItemOutcome:
    """Store one item read from an input; any failure is the item's, never the caller's.

    With `commit=False` a stored article is flushed, for the caller to commit together
    with its own bookkeeping.
    """
    if item.article is None:
        return ItemOutcome(item.source, "failed", item.error or "This item could not be read.")
    try:
        article = add_article(session, item.article, commit=commit)
    except DuplicateArticleError as duplicate:
        session.rollback()
        return ItemOutcome(item.source, "duplicate", str(duplicate), duplicate.article_id)
    except Exception as error:  # one broken item must never stop the others
        session.rollback()
        log.exception("storing %s failed", item.source)
        return ItemOutcome(
            item.source, "failed", f"Extraction failed: {type(error).__name__}: {error}"
        )
    return ItemOutcome(item.source, "stored", f"{len(article.statements)} statements", article.id)


def import_items(session: Session, items: Iterable[InputItem]) -> Iterator[ItemOutcome]:
    """Store items one by one, each in its own transaction, yielding each outcome."""
    for item in items:
        yield store_input_item(session, item)


def _record(session: Session, job: ImportJob, file: ImportFile, item: InputItem) -> None:
    """Store one item and record its outcome and the job's counters in one transaction."""
    outcome = store_input_item(session, item, commit=False)
    session.add(
        ImportItem(
            job_id=job.id,
            file_id=file.id,
            source=item.source[:1000],
            status=outcome.status,
            message=outcome.message,
            article_id=outcome.article_id,
        )
    )
    counter = {"stored": ImportJob.stored, "duplicate": ImportJob.duplicates}.get(
        outcome.status, ImportJob.failed
    )
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id)
        .values({ImportJob.processed: ImportJob.processed + 1, counter: counter + 1})
    )
    session.commit()


def run_import_job(session: Session, job_id: int, *, limits: IngestLimits) -> ImportJob | None:
    """Process every unfinished input of a job; safe to call again after a crash."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status in {"done", "failed"}:
        return job
    job.status = "running"
    job.started_at = job.started_at or _now()
    session.commit()
    for file in [f for f in job.files if not f.done]:
        items = _read(file, limits)
        if file.item_count is None:
            file.item_count = len(items)
            job.total = session.execute(
                select(func.sum(func.coalesce(ImportFile.item_count, 1))).where(
                    ImportFile.job_id == job.id
                )
            ).scalar_one()
            session.commit()
        recorded = set(
            session.execute(
                select(ImportItem.source).where(ImportItem.file_id == file.id)
            ).scalars()
        )
        for item in items:
            if item.source[:1000] not in recorded:
                _record(session, job, file, item)
        file.done = True
        file.data = None
        session.commit()
    session.refresh(job)
    job.status = "done"
    job.finished_at = _now()
    session.commit()
    return job


def import_job(session: Session, *, job_id: int) -> ImportJob | None:
    return session.get(ImportJob, job_id)


def recent_import_jobs(session: Session, *, limit: int = 20) -> list[ImportJob]:
    return list(
        session.execute(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)).scalars()
    )


def unfinished_import_job_ids(session: Session) -> list[int]:
    return list(
        session.execute(
            select(ImportJob.id)
            .where(ImportJob.status.in_(("queued", "running")))
            .order_by(ImportJob.id)
        ).scalars()
    )


def job_progress(session: Session, job: ImportJob) -> int:
    """Percent done, never going backwards: each input weighs the same, and a file's
    share grows with the items recorded from it (its item count is known once read)."""
    if job.status == "done":
        return 100
    if not job.files:
        return 0
    recorded = dict(
        session.execute(
            select(ImportItem.file_id, func.count(ImportItem.id))
            .where(ImportItem.job_id == job.id)
            .group_by(ImportItem.file_id)
        ).all()
    )
    share = 0.0
    for file in job.files:
        if file.done:
            share += 1.0
        elif file.item_count:
            share += min(1.0, recorded.get(file.id, 0) / file.item_count)
    return int(100 * share / len(job.files))
