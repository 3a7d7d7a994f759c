"""Storing articles in batches: the same rules as one by one, and one bad item fails alone."""

from __future__ import annotations

import random
import tracemalloc
from datetime import date

import pytest
from sqlalchemy import event, func, select, text

from app.extract import extract_statements
from app.extract.payload import Extraction
from app.ingest import parse_plain_text
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.models import (
    Article,
    ImportFile,
    ImportItem,
    ImportJob,
    Speaker,
    Statement,
    StatementTheme,
)
from app.services.articles import (
    DuplicateArticleError,
    StoredArticle,
    index_stored,
    store_articles,
)
from app.services.imports import (
    BATCH_SIZE,
    UploadedFile,
    create_import_job,
    import_items,
    plan_import_parts,
    run_import_job,
    run_import_part,
)
from tests.db.test_store import WIRE
from tests.factories import article_text, make_article
from tests.ingest_fixtures import zip_bytes


def parsed(text: str, **fields):
    return parse_plain_text(text, published=date(2022, 1, 21), **fields)


def entry(text: str, **fields):
    article = parsed(text, **fields)
    return article, Extraction.of(extract_statements(article.body, published=article.published))


def item(source: str, text: str, **fields) -> InputItem:
    return InputItem.ok(source, parsed(text, **fields))


def test_a_batch_stores_every_article_with_statements_pointing_into_its_body(session):
    results = store_articles(session, [entry(article_text()) for _ in range(3)])
    session.commit()
    assert index_stored(session, results) == 3
    session.commit()
    assert all(isinstance(r, StoredArticle) for r in results)
    for result in results:
        article = session.get_one(Article, result.id)
        assert len(article.statements) == result.statements >= 1
        for statement in article.statements:
            assert article.body[statement.start : statement.end] == statement.text


def test_exact_duplicates_in_the_batch_and_in_the_database_name_the_stored_copy(session):
    stored = make_article(session)
    text = article_text()
    results = store_articles(
        session, [entry(text), entry(stored.body, title=stored.title), entry(text.upper())]
    )
    first, again, copy = results
    assert isinstance(first, StoredArticle)
    assert isinstance(again, DuplicateArticleError) and again.article_id == stored.id
    assert isinstance(copy, DuplicateArticleError) and copy.article_id == first.id


def test_a_batch_of_duplicates_only_changes_nothing(session):
    stored = make_article(session)
    before = session.execute(select(func.count(Statement.id))).scalar_one()
    [result] = store_articles(session, [entry(stored.body, title=stored.title)])
    assert isinstance(result, DuplicateArticleError)
    assert session.execute(select(func.count(Statement.id))).scalar_one() == before


def test_near_duplicates_in_the_same_batch_share_a_story(session):
    original, copy, other = store_articles(
        session,
        [
            entry("Russia and US resume talks\n\n" + WIRE),
            entry("Geneva talks resume\n\nGENEVA (AP) -- " + WIRE + "\n\nRead also: Talks"),
            entry(article_text()),
        ],
    )
    index_stored(session, [original, copy, other])
    session.commit()
    stories = {r.id: session.get_one(Article, r.id).story_id for r in (original, copy, other)}
    assert stories[original.id] == stories[copy.id]
    assert stories[other.id] != stories[original.id]


def test_band_keys_go_straight_into_their_index_with_no_pending_list(session):
    """Each batch probes the index once per key; a pending list would be read whole by
    every probe (migration 0019)."""
    options = session.execute(
        text("SELECT reloptions FROM pg_class WHERE relname = 'ix_articles_band_keys'")
    ).scalar_one()
    assert "fastupdate=off" in options


def test_speakers_outside_the_registry_are_created_unconfirmed_and_themes_are_kept(session):
    [result] = store_articles(
        session, [entry(article_text(speaker="Ivan Petrovsky", said="NATO must stop expanding"))]
    )
    index_stored(session, [result])
    session.commit()
    article = session.get_one(Article, result.id)
    speakers = {s.speaker.slug: s.speaker for s in article.statements if s.speaker}
    assert speakers, "no statement was attributed"
    assert all(isinstance(s, Speaker) for s in speakers.values())
    unknown = [s for s in speakers.values() if s.slug != "sergey-lavrov"]
    assert unknown and not any(s.confirmed for s in unknown)
    themes = session.execute(
        select(func.count())
        .select_from(StatementTheme)
        .join(Statement)
        .where(Statement.article_id == article.id)
    ).scalar_one()
    assert themes == sum(len(s.themes) for s in article.statements)


def test_one_bad_item_in_a_batch_fails_alone(session):
    items = [item(f"{n}.txt", article_text()) for n in range(5)]
    items[2] = item("bad.txt", article_text(), title="x" * 1001)  # longer than the column
    outcomes = list(import_items(session, items))
    assert [o.status for o in outcomes] == ["stored", "stored", "failed", "stored", "stored"]
    assert outcomes[2].source == "bad.txt" and "Extraction failed" in outcomes[2].message
    stored = {o.article_id for o in outcomes if o.article_id}
    assert (
        session.execute(select(func.count(Article.id)).where(Article.id.in_(stored))).scalar_one()
        == 4
    )


def test_a_jobs_files_are_written_one_per_statement_so_no_message_holds_two_uploads(session):
    # Postgres takes at most 1 GB in one message: a million articles in 500 zips of
    # 10 MB, batched into one INSERT, were refused and the job was lost.
    files = [UploadedFile(f"{n}.zip", bytes([n]) * 1_000) for n in range(5)]
    inserts: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("INSERT INTO import_files"):
            # Batched, the parameters are data__0, data__1, ...: one per file.
            inserts.append(sum(key.startswith("data") for key in parameters))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        job = create_import_job(
            session, label="five zips", files=files, urls=["https://a.example/1"]
        )
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert inserts[:5] == [1, 1, 1, 1, 1]
    assert [f.data for f in session.get_one(ImportJob, job.id).files][:5] == [f.data for f in files]


@pytest.mark.parametrize(
    "workers", [0, 1, 2], ids=["in-process", "one-extraction-worker", "two-extraction-workers"]
)
def test_import_job_records_every_item_across_batches_and_files(session, workers):
    count = BATCH_SIZE + 7
    files = [UploadedFile(f"{n:03d}.txt", article_text().encode()) for n in range(count)]
    files.append(UploadedFile("copy.txt", files[0].data))
    job = create_import_job(session, label="many", files=files, urls=[])
    run_import_job(session, job.id, limits=IngestLimits(), workers=workers)
    done = session.get_one(ImportJob, job.id)
    assert (done.status, done.total, done.processed) == ("done", count + 1, count + 1)
    assert (done.stored, done.duplicates, done.failed) == (count, 1, 0)
    assert all(f.done and f.data is None and f.item_count == 1 for f in done.files)
    recorded = session.execute(
        select(ImportItem.status, func.count())
        .where(ImportItem.job_id == job.id)
        .group_by(ImportItem.status)
    ).all()
    assert dict(recorded) == {"stored": count, "duplicate": 1}


def test_planning_gives_a_files_parts_before_it_reads_the_files_after_it(session):
    # Two workers on a million articles: one counted 500 zips for almost four minutes
    # while the other had no part to take.
    files = [
        UploadedFile(f"{n}.zip", zip_bytes({f"{k}.txt": article_text().encode() for k in range(3)}))
        for n in range(3)
    ]
    job = create_import_job(session, label="three zips", files=files, urls=[])
    plan = plan_import_parts(session, job.id, limits=IngestLimits(), part_items=2)
    first = next(plan)
    counts = session.execute(
        select(ImportFile.item_count)
        .where(ImportFile.job_id == job.id)
        .order_by(ImportFile.position)
    ).scalars()
    assert list(counts) == [3, None, None]
    assert session.get_one(ImportJob, job.id).total == 3 + 1 + 1
    rest = list(plan)
    assert [(part.start, part.stop) for part in (first, *rest)] == [(0, 2), (2, 4)] * 3
    assert session.get_one(ImportJob, job.id).total == 9


def test_parts_that_resume_at_their_first_entry_import_every_article_once(session):
    data = zip_bytes({f"{k}.txt": article_text().encode() for k in range(7)})
    job = create_import_job(session, label="seven", files=[UploadedFile("7.zip", data)], urls=[])
    parts = list(plan_import_parts(session, job.id, limits=IngestLimits(), part_items=3))
    assert [(part.start, part.resume.entry, part.resume.item) for part in parts] == [
        (0, 0, 0),
        (3, 3, 3),
        (6, 6, 6),
    ]
    for part in reversed(parts):
        run_import_part(session, job.id, part, limits=IngestLimits())
    done = session.get_one(ImportJob, job.id)
    assert (done.status, done.total, done.stored, done.failed) == ("done", 7, 7, 0)
    sources = session.execute(select(ImportItem.source).where(ImportItem.job_id == job.id))
    assert sorted(sources.scalars()) == [f"7.zip/{k}.txt" for k in range(7)]


def test_planning_a_job_holds_one_files_bytes_at_a_time(session):
    # A worker planning a 250,000-article job (125 zips of 10 MB) kept every zip it had
    # counted until the plan was done, and peaked at 1.5 GB; a million would hold 5 GB.
    size, count = 2_000_000, 8
    files = [UploadedFile(f"{n}.bin", random.Random(n).randbytes(size)) for n in range(count)]
    job = create_import_job(session, label="eight", files=files, urls=[])
    del files
    session.expunge_all()
    tracemalloc.start()
    try:
        parts = list(plan_import_parts(session, job.id, limits=IngestLimits(), part_items=500))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parts) == count
    assert peak < 3 * size
