"""Storing articles: statements land with their speaker, duplicates change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text

from app.ingest import OutletRef
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_paths
from app.models import Article, Speaker, SpeakerAlias, Statement
from app.services import stories
from app.services.articles import DuplicateArticleError
from app.services.imports import import_items
from app.services.registry import sync_registry
from app.services.stories import stored_candidates
from tests.factories import article_text, make_article


def test_stored_article_keeps_raw_bytes_and_statements_point_into_its_body(session):
    article = make_article(session)
    assert article.raw_sha256 and len(article.raw_sha256) == 64
    assert article.statements, "the quote in the article was not extracted"
    for statement in article.statements:
        assert article.body[statement.start : statement.end] == statement.text


def test_quote_is_attributed_to_the_registry_speaker(session):
    article = make_article(session)
    speakers = {s.speaker.slug for s in article.statements if s.speaker}
    assert "sergey-lavrov" in speakers


def test_exact_duplicate_is_refused_and_nothing_changes(session):
    text = article_text()
    first = make_article(session, text=text)
    before = session.execute(select(func.count(Statement.id))).scalar_one()
    with pytest.raises(DuplicateArticleError) as raised:
        make_article(session, text=text.replace("\n\n", "\n\n  ").upper())
    assert raised.value.article_id == first.id
    session.rollback()
    assert session.execute(select(func.count(Statement.id))).scalar_one() == before


def test_outlet_typed_by_an_editor_is_created_once(session):
    outlet = OutletRef(slug="kabul-courier", name="Kabul Courier", domain=None, known=False)
    make_article(session, outlet=outlet)
    make_article(session, outlet=outlet)
    count = session.execute(
        select(func.count(Article.id)).where(Article.outlet.has(slug="kabul-courier"))
    ).scalar_one()
    assert count == 2


def test_registry_sync_is_idempotent(session):
    speakers = session.execute(select(func.count(Speaker.id))).scalar_one()
    aliases = session.execute(select(func.count(SpeakerAlias.id))).scalar_one()
    sync_registry(session)
    assert session.execute(select(func.count(Speaker.id))).scalar_one() == speakers
    assert session.execute(select(func.count(SpeakerAlias.id))).scalar_one() == aliases
    assert speakers >= 100


def test_import_goes_on_past_bad_and_duplicate_files(session, tmp_path):
    good = tmp_path / "a-good.txt"
    good.write_text(article_text(), encoding="utf-8")
    copy = tmp_path / "b-copy.txt"
    copy.write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "c-empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "d-binary.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    another = tmp_path / "e-another.txt"
    another.write_text(article_text(speaker="Maria Zakharova"), encoding="utf-8")

    outcomes = list(import_items(session, read_paths([tmp_path], limits=IngestLimits())))

    assert [o.status for o in outcomes] == ["stored", "duplicate", "failed", "failed", "stored"]
    assert "empty" in outcomes[2].message
    assert "binary" in outcomes[3].message


def test_file_over_the_size_limit_is_rejected_with_its_size(session, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Title\n\n" + "word " * 5000, encoding="utf-8")
    limits = IngestLimits(max_article_bytes=1000)
    [outcome] = import_items(session, read_paths([big], limits=limits))
    assert outcome.status == "failed"
    assert "limit" in outcome.message


WIRE = (
    "Diplomats from Russia and the United States met in Geneva on Monday for talks on "
    "strategic stability, the first such meeting in more than a year. Deputy Foreign "
    "Minister Sergei Ryabkov led the Russian delegation, while Under Secretary Bonnie "
    "Jenkins headed the American team.\n\n"
    "\u201cWe came with a detailed agenda and we expect the other side to engage with it "
    "seriously,\u201d Ryabkov told reporters after the first session, adding that Moscow "
    "was ready to discuss new categories of weapons.\n\n"
    "The talks are expected to continue on Tuesday. Neither side gave details of the "
    "timetable for a further round, and officials declined to say whether ministers would "
    "join later in the week."
)


def test_syndicated_copy_joins_the_story_of_the_original(session):
    original = make_article(
        session,
        text="Russia and US resume talks\n\n" + WIRE,
        outlet=OutletRef(slug="reuters", name="Reuters", domain="reuters.com", known=True),
    )
    copy = make_article(
        session,
        text="Geneva talks resume\n\nGENEVA (AP) -- "
        + WIRE
        + "\n\nRead also: Earlier talks stalled\n\n© 2023 The Associated Press.",
        outlet=OutletRef(slug="ap", name="Associated Press", domain="apnews.com", known=True),
    )
    other = make_article(session)
    assert original.story_id is not None
    assert copy.story_id == original.story_id
    assert other.story_id != original.story_id


def test_a_band_key_many_articles_share_offers_a_few_of_them_and_copies_still_join_their_story(
    session, monkeypatch
):
    original = make_article(session, text="Russia and US resume talks\n\n" + WIRE)
    others = [make_article(session).id for _ in range(3)]
    hot = original.band_keys[0]
    session.execute(
        text(
            "UPDATE articles SET band_keys = band_keys || CAST(:key AS bigint) WHERE id = ANY(:ids)"
        ),
        {"key": hot, "ids": others},
    )
    monkeypatch.setattr(stories, "CANDIDATES_PER_KEY", 2)

    assert len(stored_candidates(session, {hot})[hot]) == 2, "four share the key, two are compared"
    assert len(stored_candidates(session, {original.band_keys[1]})[original.band_keys[1]]) == 1

    copy = make_article(
        session, text="Geneva talks resume\n\nGENEVA (AP) -- " + WIRE + "\n\nRead also: Talks"
    )
    assert copy.story_id == original.story_id, "found through the keys no other article shares"


def test_article_page_lists_the_other_outlets_of_its_story(client, session):
    first = make_article(session, text="Talks resume\n\n" + WIRE)
    second = make_article(
        session,
        text="Geneva meeting\n\n" + WIRE + "\n\nSubscribe to our newsletter",
        outlet=OutletRef(slug="tass", name="TASS", domain="tass.com", known=True),
    )
    page = client.get(f"/articles/{first.id}")
    assert "One story, 2 outlets." in page.text
    assert f'href="/articles/{second.id}"' in page.text


def test_reprocessing_replaces_statements_from_the_stored_body(session):
    from app.services.reprocess import reprocess_articles

    article = make_article(session)
    old_ids = {s.id for s in article.statements}
    session.execute(delete(Statement).where(Statement.article_id == article.id))
    session.expire(article)
    before, after, count = reprocess_articles(session, article_ids=[article.id])
    assert (before, count) == (0, 1)
    session.refresh(article)
    assert after == len(article.statements) >= 1
    assert not old_ids & {s.id for s in article.statements}
    for statement in article.statements:
        assert article.body[statement.start : statement.end] == statement.text


def test_band_keys_go_straight_into_their_index_with_no_pending_list(session):
    """Every import batch probes the band index key by key; a GIN pending list would be
    read in full by each probe (docs/performance.md)."""
    options = session.execute(
        text("SELECT reloptions FROM pg_class WHERE relname = 'ix_articles_band_keys'")
    ).scalar_one()
    assert "fastupdate=off" in options


def test_the_registry_read_again_unchanged_is_the_same_object_and_an_edit_makes_a_new_one(
    session,
):
    """The pipeline's caches are keyed by registry: a fresh but equal copy per import part
    was kept alive by the entries added under it, and a worker grew by a copy a part."""
    from sqlalchemy import update

    from app.models import Theme
    from app.services.registry import current_registry

    first = current_registry(session)
    assert current_registry(session) is first
    session.execute(update(Theme).where(Theme.slug == "sanctions").values(name="Sanctions regimes"))
    edited = current_registry(session)
    assert edited != first and "Sanctions regimes" in {t.name for t in edited.themes}
    assert current_registry(session) is edited
