"""`python -m bench.replicate`: a views database made of copies of a smaller one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.db import drop_database, make_engine
from app.main import create_app
from app.models import COUNT_MODELS, Base
from app.services.counts import MEASURES
from app.settings import Settings
from bench import replicate, views
from bench.import_rate import Machine, prepare_database

TIMES = 3


@dataclass
class Replicated:
    source: Engine
    target: Engine
    replica: replicate.Replica


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


@pytest.fixture(scope="module")
def replicated(postgres_server_url: str, make_database) -> Iterator[Replicated]:
    """A views database of 40 imported articles, and three copies of it."""
    source_url = make_database("replicate_source")
    source = make_engine(source_url)
    prepare_database(source, Machine.here())
    views.load(source, 40, seed=3, workers=1)
    source.dispose()
    target_name = f"demarche_replicated_{uuid.uuid4().hex[:10]}"
    try:
        made = replicate.replicate(
            postgres_server_url,
            source=make_url(source_url).database,
            target=target_name,
            times=TIMES,
            wait=2,
        )
        target = make_engine(replicate.database_url(postgres_server_url, target_name))
        yield Replicated(source, target, made)
        target.dispose()
    finally:
        source.dispose()
        drop_database(postgres_server_url, target_name)


def test_every_table_keyed_to_the_corpus_is_copied_or_left_out_by_name() -> None:
    corpus = set(replicate.TABLES)
    keyed = {
        table.name
        for table in Base.metadata.tables.values()
        if any(key.column.table.name in corpus for key in table.foreign_keys)
    }
    assert keyed - corpus == set(replicate.LEFT_OUT)


def test_every_corpus_table_holds_the_sources_rows_three_times(replicated: Replicated) -> None:
    for table, (before, after) in replicated.replica.rows.items():
        assert before > 0, table
        assert after == TIMES * before, table
        assert scalar(replicated.target, f"SELECT count(*) FROM {table}") == after
    assert replicated.replica.articles == TIMES * 40
    assert scalar(replicated.target, "SELECT count(DISTINCT content_hash) FROM articles") == 120


def test_each_copys_statements_stories_and_links_stay_inside_that_copy(
    replicated: Replicated,
) -> None:
    source = replicated.source
    span = {t: 1 + scalar(source, f"SELECT max(id) FROM {t}") for t in replicate.OWN_ID}
    stray_statements = f"""
        SELECT count(*) FROM statements s JOIN articles a ON a.id = s.article_id
        WHERE s.id / {span["statements"]} <> a.id / {span["articles"]}"""
    stray_stories = f"""
        SELECT count(*) FROM articles WHERE story_id / {span["stories"]} <> id / {span["articles"]}"""
    assert scalar(replicated.target, stray_statements) == 0
    assert scalar(replicated.target, stray_stories) == 0
    for table, other in (("statement_themes", "theme_id"), ("statement_entities", "entity_id")):
        # Every copy's links, brought back to the source's ids, are the source's links.
        differ = f"""
            SELECT count(*) FROM (
                SELECT statement_id % {span["statements"]}, {other}, statement_id / {span["statements"]}
                FROM {table}
                EXCEPT
                SELECT l.statement_id, l.{other}, c FROM {table} l, generate_series(0, {TIMES - 1}) c
                WHERE l.statement_id < {span["statements"]}
            ) d"""
        assert scalar(replicated.target, differ) == 0, table


def test_each_copy_is_moved_its_number_of_days_back(replicated: Replicated) -> None:
    span = 1 + scalar(replicated.source, "SELECT max(id) FROM statements")
    first_days = f"""
        SELECT array_agg(d ORDER BY c) FROM (
            SELECT id / {span} AS c, min(stated_on) - (
                SELECT min(stated_on) FROM statements WHERE id < {span}
            ) AS d
            FROM statements GROUP BY 1
        ) copies"""
    assert scalar(replicated.target, first_days) == [0, -1, -2]


def test_the_count_tables_hold_three_times_the_counts_kept_during_the_import(
    replicated: Replicated,
) -> None:
    for model in COUNT_MODELS:
        totals = f"""
            SELECT coalesce(array_agg(t ORDER BY t), '{{}}') FROM (
                SELECT {", ".join(model.DIMENSIONS)}, {", ".join(f"sum({m})" for m in MEASURES)}
                FROM {model.__tablename__} GROUP BY {", ".join(model.DIMENSIONS)}
            ) t"""
        before = scalar(replicated.source, totals.replace("sum(", f"{TIMES} * sum("))
        assert before, model.__tablename__
        assert scalar(replicated.target, totals) == before, model.__tablename__


def test_new_rows_get_ids_past_the_copies(replicated: Replicated) -> None:
    for table in replicate.OWN_ID:
        following = scalar(replicated.target, f"SELECT nextval('{table}_id_seq')")
        assert following > scalar(replicated.target, f"SELECT max(id) FROM {table}")


def test_the_timeline_renders_the_copies_and_search_finds_them(replicated: Replicated) -> None:
    settings = Settings(
        database_url=None, run_worker=False, demo=False, anonymous_read=True, page_cache_mb=0
    )
    app = create_app(settings, engine=replicated.target, jobs=views._NoJobs())
    span = 1 + scalar(replicated.source, "SELECT max(id) FROM statements")
    # The earliest day of all is the last copy's: the source's first day, moved back.
    oldest, statement_id, word = _first(replicated.target)
    assert statement_id >= (TIMES - 1) * span
    with TestClient(app) as client:
        assert client.get("/statements").status_code == 200
        day = client.get("/statements", params={"from": oldest, "to": oldest})
        found = client.get("/statements", params={"q": word, "to": oldest})
    assert day.status_code == found.status_code == 200
    assert f'id="card-s{statement_id}"' in day.text
    assert f'id="card-s{statement_id}"' in found.text


def _first(engine: Engine) -> tuple[str, int, str]:
    """The earliest dated statement: its day, id and the longest word of its text."""
    with engine.connect() as conn:
        day, statement_id, words = conn.execute(
            text(
                "SELECT stated_on, id, text FROM statements WHERE stated_on IS NOT NULL "
                "ORDER BY stated_on, id LIMIT 1"
            )
        ).one()
    return day.isoformat(), statement_id, max(words.split(), key=len).strip(".,;:\"'")


def test_a_source_someone_is_connected_to_is_refused_by_name(
    postgres_server_url: str, replicated: Replicated
) -> None:
    source = make_url(str(replicated.source.url)).database
    with replicated.source.connect(), pytest.raises(replicate.ReplicateError) as refused:
        replicate.replicate(
            postgres_server_url, source=source, target=f"{source}_x", times=2, wait=0
        )
    assert f"connection(s) to {source}" in str(refused.value)
    assert "--terminate" in str(refused.value)


def test_a_replica_can_be_replicated_again_with_unique_hashes(
    postgres_server_url: str, replicated: Replicated
) -> None:
    replicated.target.dispose()  # the copy's source must have no connection open
    target = f"demarche_replicated_{uuid.uuid4().hex[:10]}"
    try:
        again = replicate.replicate(
            postgres_server_url, source=replicated.replica.target, target=target, times=2, wait=5
        )
        engine = make_engine(replicate.database_url(postgres_server_url, target))
        try:
            distinct = scalar(engine, "SELECT count(DISTINCT content_hash) FROM articles")
        finally:
            engine.dispose()
    finally:
        drop_database(postgres_server_url, target)
    assert again.articles == distinct == 2 * TIMES * 40
