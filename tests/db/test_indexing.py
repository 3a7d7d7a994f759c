"""Indexing: a stored article becomes statements, a story, a search vector and counts.

Imports store a batch of articles, each row holding its extraction, and index it in a
second transaction (`app.services.indexing`); an article a crash left between the two
is indexed by the next worker from the extraction stored with it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extract import extract_statements
from app.extract.model import ExtractedStatement
from app.extract.payload import Extraction
from app.ingest import parse_plain_text
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.models import Article, ImportItem, ImportJob, Speaker, SpeakerCountAllTime, Statement
from app.services.articles import index_stored, store_articles
from app.services.imports import UploadedFile, create_import_job, import_items, run_import_job
from app.services.indexing import index_unindexed
from tests.factories import article_text


def entry(text: str) -> tuple:
    article = parse_plain_text(text, published=date(2022, 1, 21))
    return article, Extraction.of(extract_statements(article.body, published=article.published))


def statements_of(session, article_id: int) -> list[tuple]:
    return session.execute(
        select(
            Statement.speaker_id,
            Statement.text,
            Statement.kind,
            Statement.cue,
            Statement.start,
            Statement.end,
            Statement.stated_on,
        )
        .where(Statement.article_id == article_id)
        .order_by(Statement.start)
    ).all()


def searchable(session, word: str) -> set[int]:
    return set(
        session.execute(
            select(Article.id).where(Article.search.op("@@")(func.plainto_tsquery("english", word)))
        ).scalars()
    )


def lavrov_count(session) -> int:
    """Statements by Sergey Lavrov in the count tables."""
    return session.execute(
        select(func.coalesce(func.sum(SpeakerCountAllTime.n), 0))
        .join(Speaker, Speaker.id == SpeakerCountAllTime.speaker_id)
        .where(Speaker.slug == "sergey-lavrov")
    ).scalar_one()


def test_a_stored_article_waits_with_its_extraction_until_it_is_indexed(session):
    counted = lavrov_count(session)
    [stored] = store_articles(session, [entry(article_text(said="Quixotic demands are void"))])
    session.commit()
    article = session.get_one(Article, stored.id)
    assert article.extraction and len(article.extraction) == stored.statements >= 1
    assert (article.story_id, article.statements, searchable(session, "quixotic")) == (
        None,
        [],
        set(),
    )
    assert lavrov_count(session) == counted

    assert index_stored(session, [stored]) == 1
    session.commit()
    session.refresh(article)
    assert article.extraction is None and article.story_id is not None
    assert len(article.statements) == stored.statements
    assert searchable(session, "quixotic") == {article.id}
    assert lavrov_count(session) == counted + 1


def test_articles_a_crash_left_unindexed_get_the_statements_they_would_have_had(session):
    texts = [article_text(said=f"Point {n} of the memorandum stands") for n in range(3)]
    left = store_articles(session, [entry(t) for t in texts])
    session.commit()  # the process dies here, before indexing
    assert index_unindexed(session) == 3
    for result in left:
        expected = [
            (s.text, s.kind, s.cue, s.start, s.end, s.date) for s in result.unindexed.statements
        ]
        found = [row[1:] for row in statements_of(session, result.id)]
        assert found == expected and expected
    assert index_unindexed(session) == 0, "nothing is indexed twice"


def test_indexing_what_another_worker_indexed_first_does_nothing(session):
    stored = store_articles(session, [entry(article_text())])
    session.commit()
    assert index_unindexed(session) == 1
    assert index_stored(session, stored) == 0
    [result] = stored
    assert len(statements_of(session, result.id)) == result.statements


def test_an_import_indexes_what_an_interrupted_one_left_before_it_starts(session):
    left = store_articles(session, [entry(article_text())])
    session.commit()
    outcomes = list(import_items(session, [InputItem.ok("new.txt", entry(article_text())[0])]))
    assert [o.status for o in outcomes] == ["stored"]
    assert session.get_one(Article, left[0].id).story_id is not None


def test_an_article_whose_statements_cannot_be_indexed_fails_alone_and_is_removed(
    session, monkeypatch
):
    """A statement the statements table refuses (a cue longer than its column) reaches
    the indexing step, not the store: the article goes and its item says why."""
    from app.services import imports

    extract_for_real = imports._extract

    def extract(registry, item):
        if item.source != "bad.txt":
            return extract_for_real(registry, item)
        found = imports._Extracted(item.read(), imports.NOTHING_FOUND)
        body = found.item.article.body
        bad = ExtractedStatement(
            None, None, body[:10], "direct", "s" * 500, 0, 10, None, None, (), 0.5
        )
        return imports._Extracted(found.item, Extraction.of([bad]))

    monkeypatch.setattr(imports, "_extract", extract)
    files = [UploadedFile(f"{n}.txt", article_text().encode()) for n in range(3)]
    files.append(UploadedFile("bad.txt", article_text().encode()))
    job = create_import_job(session, label="one bad", files=files, urls=[])
    run_import_job(session, job.id, limits=IngestLimits())
    done = session.get_one(ImportJob, job.id)
    assert (done.status, done.stored, done.failed, done.processed) == ("done", 3, 1, 4)
    bad = session.execute(
        select(ImportItem).where(ImportItem.job_id == job.id, ImportItem.source == "bad.txt")
    ).scalar_one()
    assert (bad.status, bad.article_id) == ("failed", None)
    assert "StringDataRightTruncation" in bad.message or "too long" in bad.message
    stored = session.execute(
        select(ImportItem.article_id).where(
            ImportItem.job_id == job.id, ImportItem.status == "stored"
        )
    ).scalars()
    assert all(session.get_one(Article, a).extraction is None for a in stored)
    assert (
        session.execute(
            select(func.count(Article.id)).where(Article.extraction.is_not(None))
        ).scalar_one()
        == 0
    )


def test_editing_a_title_makes_the_new_words_searchable(session):
    [stored] = store_articles(session, [entry(article_text())])
    index_stored(session, [stored])
    article = session.get_one(Article, stored.id)
    article.title = "Zanzibar summit postponed"
    session.flush()
    assert searchable(session, "zanzibar") == {article.id}


def test_a_leftover_that_cannot_be_indexed_keeps_its_extraction_and_the_others_are_indexed(
    session,
):
    """Workers index leftovers when they start: one bad article must not stop a start."""
    good_text, bad_text = article_text(), article_text()
    bad_article = parse_plain_text(bad_text, published=date(2022, 1, 21))
    refused = ExtractedStatement(
        None, None, bad_article.body[:10], "direct", "s" * 500, 0, 10, None, None, (), 0.5
    )
    bad, good = store_articles(session, [(bad_article, Extraction.of([refused])), entry(good_text)])
    session.commit()  # the process dies here, before indexing
    assert index_unindexed(session) == 1
    assert session.get_one(Article, bad.id).extraction is not None
    assert len(statements_of(session, good.id)) == good.statements >= 1
    assert index_unindexed(session) == 0
