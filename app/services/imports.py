"""Import jobs: inputs are stored first, then read and stored article by article.

A job's files (or URLs) are written to the database before any work starts, so a job
survives a restart of the process running it and resumes where it stopped: items
already recorded for a file are skipped on the next run. Articles are stored in
batches, each batch one transaction with its bookkeeping; a batch that fails is stored
again item by item, so one bad item never stops or rolls back the others.

A job runs whole in one process (`run_import_job`) or split into parts, slices of a
file's items, that any number of workers share (`plan_import_parts`, then
`run_import_part` for each): every part records its items like a whole run does, the
part that records a file's last item marks the file done, and the part that finishes
the last file finishes the job. Counters and totals are updated in SQL under row
locks, so parts running at once never overwrite each other's figures.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from app.extract import extract_statements
from app.extract.payload import Extraction
from app.ingest import ParsedArticle
from app.ingest.archive import START, EntryMark
from app.ingest.fetch import read_url
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.knowledge import Registry
from app.models import Article, ImportFile, ImportItem, ImportJob
from app.services.articles import (
    DuplicateArticleError,
    StoredArticle,
    index_stored,
    statements_found,
    store_articles,
)
from app.services.bulk import any_of, copy_rows
from app.services.indexing import index_unindexed
from app.services.parallel import ordered_map
from app.services.registry import current_registry

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str
    data: bytes


def create_import_job(
    session: Session, *, label: str, files: list[UploadedFile], urls: list[str]
) -> ImportJob:
    """Store a job's inputs and return the queued job (committed).

    Each file is written by a statement of its own: batched into one, the inputs of a
    large job (a million articles in 500 zips, 5 GB) exceeded the 1 GB that Postgres
    accepts in one message, and the job was lost.
    """
    job = ImportJob(label=label[:500], status="queued", total=len(files) + len(urls))
    session.add(job)
    position = 0
    for upload in files:
        job.files.append(ImportFile(position=position, name=upload.name[:1000], data=upload.data))
        session.flush()
        position += 1
    for url in urls:
        job.files.append(ImportFile(position=position, name=url[:1000], url=url[:2000]))
        position += 1
    session.commit()
    return job


def _now() -> datetime:
    return datetime.now(UTC)


def _read(
    file: ImportFile,
    limits: IngestLimits,
    *,
    stop: int | None = None,
    resume: EntryMark = START,
    marks: list[EntryMark] | None = None,
) -> list[InputItem]:
    """The file's items (up to `stop`, from `resume`: see `read_upload`); its session
    then forgets the bytes (the items keep what they need), so that a job's files are
    held one at a time, not all until the session ends: a worker planning a
    250,000-article job once peaked at 1.5 GB."""
    if file.url:
        return read_url(file.url, limits=limits)
    items = read_upload(
        file.name,
        file.data or b"",
        limits=limits,
        defer=True,
        stop=stop,
        resume=resume,
        marks=marks,
    )
    session = object_session(file)
    if session is not None:
        session.expire(file, ["data"])
    return items


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    source: str
    status: Literal["stored", "duplicate", "failed"]
    message: str
    article_id: int | None = None


BATCH_SIZE = 200
"""Articles stored per transaction by imports: enough to spread a commit and a dozen
round trips thin (docs/performance.md), few enough to keep a batch's rows in memory."""
FLUSH_SECONDS = 2.0
"""An import job also commits a smaller batch once it has been extracting this long,
so its progress bar moves however slow extraction is. At half a second, two workers
sharing two cores committed batches of about a hundred articles; at two, of the full
two hundred, so the per-batch work (planning the count tables' upsert, the statistics
check, the commit) is spread over twice as many (docs/performance.md, "Session 14")."""

NOTHING_FOUND = Extraction([], "[]")

Recorder = Callable[[Session, list[tuple[InputItem, ItemOutcome]]], None]
"""Bookkeeping for outcomes, in the transaction that stores their items."""
Amender = Callable[[Session, int, ItemOutcome], None]
"""Bookkeeping for a stored article that indexing then failed: its new outcome."""


@dataclass(frozen=True, slots=True)
class _Extracted:
    """An item with its statements, or with the outcome that ended it before the store."""

    item: InputItem
    extraction: Extraction
    outcome: ItemOutcome | None = None

    @property
    def article(self) -> ParsedArticle | None:
        return None if self.outcome else self.item.article


def _failure(item: InputItem, error: Exception) -> ItemOutcome:
    return ItemOutcome(item.source, "failed", f"Extraction failed: {type(error).__name__}: {error}")


def _extract(registry: Registry, item: InputItem) -> _Extracted:
    """Read (if deferred) and extract one item; runs in a worker process for large imports."""
    item = item.read()
    if item.article is None:
        outcome = ItemOutcome(item.source, "failed", item.error or "This item could not be read.")
        return _Extracted(item, NOTHING_FOUND, outcome)
    try:
        statements = extract_statements(
            item.article.body, published=item.article.published, registry=registry
        )
    except Exception as error:  # one broken item must never stop the others
        log.exception("extracting %s failed", item.source)
        return _Extracted(item, NOTHING_FOUND, _failure(item, error))
    return _Extracted(item, Extraction.of(statements))


def _store(
    session: Session, batch: list[_Extracted], record: Recorder, amend: Amender
) -> list[ItemOutcome]:
    """Store the batch and `record` its outcomes in one transaction, then index the
    stored articles in a second one (`app.services.indexing`).

    On any error the storing transaction rolls back and the items are stored one by
    one, so only the bad item fails.
    """
    try:
        results = store_articles(session, [(e.article, e.extraction) for e in batch if e.article])
        by_item = iter(results)
        outcomes = [e.outcome or _outcome(e.item, next(by_item)) for e in batch]
        record(session, [(e.item, outcome) for e, outcome in zip(batch, outcomes, strict=True)])
        session.commit()
    except Exception as error:
        session.rollback()
        if len(batch) > 1:
            log.warning("a batch of %d items failed; storing them one by one", len(batch))
            return [outcome for one in batch for outcome in _store(session, [one], record, amend)]
        [failed] = batch
        log.exception("storing %s failed", failed.item.source)
        outcome = _failure(failed.item, error)
        record(session, [(failed.item, outcome)])
        session.commit()
        return [outcome]
    stored = [
        (e.item, result)
        for e, result in zip([e for e in batch if e.article], results, strict=True)
        if isinstance(result, StoredArticle)
    ]
    failed = _index(session, stored, amend)
    return [failed.get(id(e.item), outcome) for e, outcome in zip(batch, outcomes, strict=True)]


def _index(
    session: Session, stored: list[tuple[InputItem, StoredArticle]], amend: Amender
) -> dict[int, ItemOutcome]:
    """Index articles just stored, in one transaction; on an error, one by one. An
    article that cannot be indexed is removed and its item failed, as if its store had
    failed: the outcomes that change, by the item's `id()`."""
    try:
        index_stored(session, [result for _, result in stored])
        session.commit()
    except Exception as error:
        session.rollback()
        if len(stored) > 1:
            log.warning("indexing %d stored articles failed; indexing them one by one", len(stored))
            return {key: o for one in stored for key, o in _index(session, [one], amend).items()}
        [(item, result)] = stored
        log.exception("indexing %s failed", item.source)
        outcome = _failure(item, error)
        amend(session, result.id, outcome)
        session.execute(delete(Article).where(Article.id == result.id))
        session.commit()
        return {id(item): outcome}
    return {}


def _outcome(item: InputItem, result: StoredArticle | DuplicateArticleError) -> ItemOutcome:
    if isinstance(result, DuplicateArticleError):
        return ItemOutcome(item.source, "duplicate", str(result), result.article_id)
    return ItemOutcome(item.source, "stored", statements_found(result.statements), result.id)


def _record_nothing(session: Session, outcomes: list[tuple[InputItem, ItemOutcome]]) -> None:
    return None


def _amend_nothing(session: Session, article_id: int, outcome: ItemOutcome) -> None:
    return None


def store_input_items(
    session: Session,
    items: Iterable[InputItem],
    *,
    record: Recorder = _record_nothing,
    amend: Amender = _amend_nothing,
) -> list[ItemOutcome]:
    """Extract and store items in one transaction with `record`'s bookkeeping, committed.

    Any failure is an item's, never the caller's: a database error makes the batch
    store item by item, each in its own transaction, so only the bad item fails.
    """
    registry = current_registry(session)
    return _store(session, [_extract(registry, item) for item in items], record, amend)


def store_input_item(session: Session, item: InputItem) -> ItemOutcome:
    """Store one item read from an input in its own transaction (see store_input_items)."""
    [outcome] = store_input_items(session, [item])
    return outcome


def import_items(
    session: Session, items: Iterable[InputItem], *, workers: int = 1
) -> Iterator[ItemOutcome]:
    """Store items in batches of BATCH_SIZE per transaction, yielding each outcome in order.

    With `workers` > 1, large inputs are extracted in that many processes while this one
    stores (`app.services.parallel`). Articles an interrupted run stored and did not
    index are indexed first.
    """
    index_unindexed(session)
    registry = current_registry(session)
    extracted = ordered_map(_extract, items, workers=workers, shared=registry)
    while batch := list(islice(extracted, BATCH_SIZE)):
        yield from _store(session, batch, _record_nothing, _amend_nothing)


def _recorder(job_id: int, file_ids: dict[int, int]) -> Recorder:
    """Bookkeeping in the items' transaction: an import_items row each and the counters.

    `file_ids` gives each item's file by the item's `id()`. The rows are copied: inserted
    one statement per row, they cost the server a parse and an execution per article.
    """

    def record(session: Session, outcomes: list[tuple[InputItem, ItemOutcome]]) -> None:
        copy_rows(
            session,
            "import_items",
            ("job_id", "file_id", "source", "status", "message", "article_id"),
            [
                (
                    job_id,
                    file_ids[id(item)],
                    item.source[:1000],
                    outcome.status,
                    outcome.message,
                    outcome.article_id,
                )
                for item, outcome in outcomes
            ],
        )
        statuses = Counter(outcome.status for _, outcome in outcomes)
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(
                processed=ImportJob.processed + len(outcomes),
                stored=ImportJob.stored + statuses["stored"],
                duplicates=ImportJob.duplicates + statuses["duplicate"],
                failed=ImportJob.failed + statuses["failed"],
            )
        )

    return record


def _amender(job_id: int) -> Amender:
    """A job's recorded item, stored and then failed in indexing: the row and counters
    say failed."""

    def amend(session: Session, article_id: int, outcome: ItemOutcome) -> None:
        session.execute(
            update(ImportItem)
            .where(ImportItem.job_id == job_id, ImportItem.article_id == article_id)
            .values(status=outcome.status, message=outcome.message, article_id=None)
        )
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(stored=ImportJob.stored - 1, failed=ImportJob.failed + 1)
        )

    return amend


@dataclass(slots=True)
class _JobBatch:
    """Items read from a job's files and not yet stored, with the files they finish."""

    job_id: int
    items: list[tuple[ImportFile, _Extracted]] = field(default_factory=list)
    finished: list[ImportFile] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, file: ImportFile, extracted: _Extracted) -> None:
        if not self.items:
            self.started = time.monotonic()
        self.items.append((file, extracted))

    @property
    def full(self) -> bool:
        return len(self.items) >= BATCH_SIZE or time.monotonic() - self.started >= FLUSH_SECONDS

    def flush(self, session: Session, counts: dict[ImportFile, int]) -> None:
        """Record the item counts of files read since the last flush, store and record
        the items, then mark the finished files done.

        A file is marked after its items are committed: killed in between, the next run
        reads it again and finds every item recorded.
        """
        _count_items(session, self.job_id, counts)
        counts.clear()
        if self.items:
            _store(
                session,
                [extracted for _, extracted in self.items],
                _recorder(self.job_id, {id(e.item): file.id for file, e in self.items}),
                _amender(self.job_id),
            )
        if self.finished:
            session.execute(
                update(ImportFile)
                .where(any_of(ImportFile.id, [file.id for file in self.finished]))
                .values(done=True, data=None)
                .execution_options(synchronize_session=False)
            )
            session.commit()
            for file in self.finished:
                set_committed_value(file, "done", True)
                set_committed_value(file, "data", None)
        self.items, self.finished = [], []


def _extract_entry(registry: Registry, item: InputItem | None) -> _Extracted | None:
    """`_extract`, passing through the end-of-file markers of `_JobInputs`."""
    return None if item is None else _extract(registry, item)


@dataclass(slots=True)
class _JobInputs:
    """A job's unrecorded items, file after file, each file closed by a `None` marker.

    `files` holds the file of every entry handed out and not yet taken back with
    `file_of_next`: extraction returns entries in order, so the store learns each
    result's file without the file (an ORM object) travelling to a worker process.
    """

    limits: IngestLimits
    recorded: set[tuple[int, str]]
    files: deque[ImportFile] = field(default_factory=deque)
    counts: dict[ImportFile, int] = field(default_factory=dict)
    """Item counts of files read and not yet recorded: the next batch records them."""

    def entries(self, files: list[ImportFile]) -> Iterator[InputItem | None]:
        for file in files:
            items = _read(file, self.limits)
            if file.item_count is None:
                self.counts[file] = len(items)
            for item in items:
                if (file.id, item.source[:1000]) not in self.recorded:
                    self.files.append(file)
                    yield item
            self.files.append(file)
            yield None

    def file_of_next(self) -> ImportFile:
        return self.files.popleft()


def run_import_job(
    session: Session, job_id: int, *, limits: IngestLimits, workers: int = 1
) -> ImportJob | None:
    """Process every unfinished input of a job; safe to call again after a crash.

    Items are stored BATCH_SIZE at a time (or FLUSH_SECONDS' worth), across files, each
    batch in one transaction with its import_items rows and the job's counters. With
    `workers` > 1 a large job is extracted in that many processes while this one stores.
    """
    job = session.get(ImportJob, job_id)
    if job is None or job.status in {"done", "failed"}:
        return job
    job.status = "running"
    job.started_at = job.started_at or _now()
    session.commit()
    files = session.execute(
        select(ImportFile)
        .where(ImportFile.job_id == job.id, ImportFile.done.is_(False))
        .order_by(ImportFile.position)
    ).scalars()
    recorded = set(
        session.execute(
            select(ImportItem.file_id, ImportItem.source).where(ImportItem.job_id == job.id)
        ).all()
    )
    inputs = _JobInputs(limits, recorded)
    batch = _JobBatch(job.id)
    registry = current_registry(session)
    entries = inputs.entries(list(files))
    for extracted in ordered_map(_extract_entry, entries, workers=workers, shared=registry):
        file = inputs.file_of_next()
        if extracted is None:
            batch.finished.append(file)
            continue
        batch.add(file, extracted)
        if batch.full:
            batch.flush(session, inputs.counts)
    batch.flush(session, inputs.counts)
    session.refresh(job)
    job.status = "done"
    job.finished_at = _now()
    session.commit()
    return job


def _count_items(session: Session, job_id: int, counts: dict[ImportFile, int]) -> None:
    """Record how many items files hold, once read, so progress can count them.

    One transaction for all the files given: a job of a thousand single-article files
    once spent a third of its time committing a count per file. The job's row is locked
    before its total is summed, so parts counting other files of the job at the same
    moment add up rather than overwrite each other.
    """
    if not counts:
        return
    session.execute(
        update(ImportFile),
        [{"id": file.id, "item_count": count} for file, count in counts.items()],
    )
    for file, count in counts.items():
        set_committed_value(file, "item_count", count)
    _locked_job(session, job_id)
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(
            total=select(func.sum(func.coalesce(ImportFile.item_count, 1)))
            .where(ImportFile.job_id == job_id)
            .scalar_subquery()
        )
    )
    session.commit()


def _locked_job(session: Session, job_id: int) -> ImportJob | None:
    """The job, its row locked until the transaction ends and its attributes fresh."""
    return session.execute(
        select(ImportJob)
        .where(ImportJob.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class ImportPart:
    """Items `start` to `stop` (all to the end when None) of one input: what one worker
    task imports. A URL is one part, since reading it again would fetch it again.
    `resume` is where a zip's read may start: the mark of the entry holding `start`."""

    file_id: int
    start: int = 0
    stop: int | None = None
    resume: EntryMark = START


def plan_import_parts(
    session: Session, job_id: int, *, limits: IngestLimits, part_items: int
) -> Iterator[ImportPart]:
    """Start a job and cut its unfinished inputs into parts of `part_items` items, each
    part given as soon as its file is counted.

    Uploaded files are read once here to count their items, so the job's total grows to
    the right figure as the plan goes. The counts are committed about every `part_items`
    items (once for many small files, once per large zip), and a file's parts follow its
    count: a caller queueing them lets other workers start on the first files while the
    last ones are read (counting a million articles in 500 zips kept one worker busy
    for almost four minutes, the other idle). A job with nothing left to do is finished
    at once.
    """
    job = session.get(ImportJob, job_id)
    if job is None or job.status in {"done", "failed"}:
        return
    job.status = "running"
    job.started_at = job.started_at or _now()
    session.commit()
    files = session.execute(
        select(ImportFile)
        .where(ImportFile.job_id == job_id, ImportFile.done.is_(False))
        .order_by(ImportFile.position)
    ).scalars()
    inputs = list(files)
    counts: dict[ImportFile, int] = {}
    counted: dict[ImportFile, list[EntryMark]] = {}
    for position, file in enumerate(inputs, start=1):
        marks: list[EntryMark] = []
        if not file.url and file.item_count is None:
            counts[file] = len(_read(file, limits, marks=marks))
        counted[file] = marks
        if sum(counts.values()) >= part_items or position == len(inputs):
            _count_items(session, job_id, counts)
            counts.clear()
            for ready, ready_marks in counted.items():
                yield from _parts(ready, part_items, ready_marks)
            counted.clear()
    if not inputs:
        finish_job_if_complete(session, job_id)


def _parts(file: ImportFile, part_items: int, marks: list[EntryMark]) -> Iterator[ImportPart]:
    """A counted file's parts; a URL is one part, since reading it again fetches it. Each
    part of a zip read here resumes at the entry holding its first item (`marks`, in
    item order), so it unzips none of the entries before it."""
    if file.url:
        yield ImportPart(file.id)
        return
    count = file.item_count or 0
    firsts = [mark.item for mark in marks]
    for start in range(0, max(count, 1), part_items):
        at = bisect.bisect_right(firsts, start) - 1
        yield ImportPart(file.id, start, start + part_items, marks[at] if at >= 0 else START)


def run_import_part(
    session: Session, job_id: int, part: ImportPart, *, limits: IngestLimits, workers: int = 1
) -> ImportJob | None:
    """Import one part of a job; safe to run again after a crash, or twice.

    Items already recorded are skipped, so a part retried after its worker died
    resumes where it stopped, and a part whose file is already done does nothing.
    """
    job = session.get(ImportJob, job_id)
    if job is None or job.status in {"done", "failed"}:
        return job
    file = session.get(ImportFile, part.file_id)
    if file is None or file.job_id != job_id:
        return job
    if not file.done:
        # A counted file is read from the entry holding the part's first item up to the
        # part's end: a part unzips neither the entries of the parts before it nor
        # those of the parts after it.
        counted = file.item_count is not None
        resume = part.resume if counted else START
        items = _read(file, limits, stop=part.stop if counted else None, resume=resume)
        if not counted:
            _count_items(session, job_id, {file: len(items)})
        recorded = set(
            session.execute(
                select(ImportItem.source).where(ImportItem.file_id == file.id)
            ).scalars()
        )
        first = part.start - resume.item
        todo = [
            item
            for item in items[first : None if part.stop is None else part.stop - resume.item]
            if item.source[:1000] not in recorded
        ]
        del items
        batch = _JobBatch(job_id)
        registry = current_registry(session)
        for extracted in ordered_map(_extract, todo, workers=workers, shared=registry):
            batch.add(file, extracted)
            if batch.full:
                batch.flush(session, {})
        batch.flush(session, {})
        _finish_file_if_complete(session, file.id)
    return finish_job_if_complete(session, job_id)


def _finish_file_if_complete(session: Session, file_id: int) -> None:
    """Mark the file done (and drop its bytes) once every item of it is recorded.

    The file's row is locked first: two parts of one file finishing together count
    each other's items and only one of them marks it.
    """
    file = session.execute(
        select(ImportFile)
        .where(ImportFile.id == file_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    recorded = session.execute(
        select(func.count(ImportItem.id)).where(ImportItem.file_id == file_id)
    ).scalar_one()
    if not file.done and file.item_count is not None and recorded >= file.item_count:
        file.done = True
        file.data = None
    session.commit()


def finish_job_if_complete(session: Session, job_id: int) -> ImportJob | None:
    """Mark a running job done once none of its inputs is left; returns the job."""
    job = _locked_job(session, job_id)
    if job is not None and job.status == "running":
        remaining = session.execute(
            select(func.count(ImportFile.id)).where(
                ImportFile.job_id == job_id, ImportFile.done.is_(False)
            )
        ).scalar_one()
        if remaining == 0:
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
