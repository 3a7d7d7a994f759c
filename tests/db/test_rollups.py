"""The count tables answer every aggregate exactly as the live queries do, at every grain
the navigator picks, and stay exact as articles are imported and statements corrected,
merged, moved and reprocessed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import (
    COUNT_GRAINS,
    COUNT_MODELS,
    Article,
    AuditEvent,
    EntityThemeCount,
    EntityThemeOutletCount,
    OutletCount,
    SpeakerCountByMonth,
    SpeakerOutletCount,
    SpeakerOutletCountAllTime,
    SpeakerOutletCountByMonth,
    Statement,
    ThemeCount,
    ThemeCountByMonth,
    ThemeOutletCount,
    ThemeSpeakerCount,
    ThemeSpeakerOutletCount,
)
from app.queries import rollups
from app.queries.entities import about_facets, entities_mentioned
from app.queries.filters import Cursor, StatementFilter
from app.queries.overview import overview
from app.queries.profiles import (
    outlet_index,
    outlet_profile,
    speaker_index,
    speaker_profile,
    theme_index,
    theme_profile,
)
from app.queries.rollups import coarsest, rollup
from app.queries.statements import outlet_facets, speaker_facets, statement_page, theme_facets
from app.queries.volume import volume
from app.services import editorial, speaker_edits
from app.services.accounts import user_by_name
from app.services.counts import MEASURES, rebuild
from app.services.editorial import Correction
from app.services.reprocess import reprocess_articles
from tests.factories import REUTERS, RT, TASS, make_article, speaker

LAVROV = ("Russian Foreign Minister Sergey Lavrov", "Lavrov")
BLINKEN = ("US Secretary of State Antony Blinken", "Blinken")
ZAKHAROVA = ("Foreign Ministry spokeswoman Maria Zakharova", "Zakharova")
PETRENKO = ("Deputy Foreign Minister Ivan Petrenko", "Petrenko")


def dispatch(number: int, lead: tuple[str, str], reply: tuple[str, str], *said: str) -> str:
    """Wire copy with three quotes: two by `lead` (one dated the day before) and one by
    `reply`; numbered, so no two dispatches are near-duplicates of each other."""
    first, second, third = said
    return (
        f"Round {number} of the exchange over the weekend\n\n"
        f"{lead[0]} spoke to reporters in Moscow on Friday in round {number}, and "
        f"{reply[0]} answered from Washington.\n\n"
        f"\u201c{first},\u201d {lead[1]} said.\n\n"
        f"\u201c{second},\u201d {reply[1]} said.\n\n"
        f"\u201c{third},\u201d {lead[1]} said on Thursday.\n\n"
        f"Officials said round {number} would continue next week."
    )


STORY = dispatch(
    0,
    LAVROV,
    BLINKEN,
    "Sanctions against Russia will not change our course on NATO enlargement",
    "The peace talks in Geneva depend on Moscow withdrawing its troops from Ukraine",
    "China and Germany should join the dialogue on security guarantees",
)

ROUNDS = [
    (LAVROV, ZAKHAROVA, date(2024, 1, 12), RT),
    (BLINKEN, LAVROV, date(2024, 1, 26), REUTERS),
    (ZAKHAROVA, BLINKEN, date(2024, 2, 9), TASS),
    (PETRENKO, LAVROV, date(2024, 2, 16), REUTERS),
    (LAVROV, PETRENKO, date(2024, 3, 1), TASS),
    (BLINKEN, ZAKHAROVA, date(2024, 3, 8), RT),
    (ZAKHAROVA, LAVROV, date(2024, 3, 15), None),
    (LAVROV, BLINKEN, None, REUTERS),
]
SAID = [
    (
        "The sanctions on Russian banks will backfire on Europe",
        "Military aid to Ukraine will continue as long as it takes",
        "The United Nations Charter protects the sovereignty of every member",
    ),
    (
        "We will not negotiate about NATO expansion under pressure from Moscow",
        "The security guarantees Russia demands are a matter for Washington and Brussels",
        "Arms deliveries to Kyiv only prolong the conflict",
    ),
]


@pytest.fixture
def corpus(session: Session) -> dict[str, Article]:
    """Eight dispatches over three months across three outlets (one without an outlet,
    one undated), and a story carried by RT, then TASS, then RT again and Reuters."""
    articles = {}
    for number, (lead, reply, published, outlet) in enumerate(ROUNDS, 1):
        articles[f"round {number}"] = make_article(
            session,
            text=dispatch(number, lead, reply, *SAID[number % 2]),
            published=published,
            outlet=outlet,
        )
    copies = [(RT, ""), (TASS, " (TASS)"), (RT, " (RT, updated)"), (REUTERS, " (Reuters)")]
    for number, (outlet, sign_off) in enumerate(copies, 1):
        articles[f"copy {number}"] = make_article(
            session, text=STORY + sign_off, published=date(2024, 3, 8), outlet=outlet
        )
    return articles


@pytest.fixture
def editor(session: Session) -> Any:
    return user_by_name(session, "editor")


@pytest.fixture
def edited(session: Session, corpus: dict[str, Article], editor: Any) -> dict[str, Article]:
    """The corpus after editors rejected a statement, removed a speaker, moved a date,
    changed themes (and removed all of two statements'), split one statement and merged
    two."""
    first, second, third = _statements(session, corpus["round 2"])
    editorial.reject(session, statement=first, actor=editor)
    editorial.correct(session, statement=second, actor=editor, correction=Correction(speaker=""))
    editorial.correct(
        session,
        statement=third,
        actor=editor,
        correction=Correction(stated_on=date(2023, 12, 30), themes=("sanctions", "military-aid")),
    )
    lead, reply, _ = _statements(session, corpus["round 5"])
    editorial.split(session, statement=lead, at=lead.start + 10, actor=editor)
    a, b, *_ = _statements(session, corpus["round 6"])
    editorial.merge(session, statement=a, other=b, actor=editor)
    editorial.correct(
        session, statement=reply, actor=editor, correction=Correction(themes=("sanctions",))
    )
    for statement in _statements(session, corpus["round 7"])[:2]:
        editorial.correct(
            session, statement=statement, actor=editor, correction=Correction(themes=())
        )
    return corpus


def _statements(session: Session, article: Article) -> list[Statement]:
    return list(
        session.execute(
            select(Statement).where(Statement.article_id == article.id).order_by(Statement.start)
        ).scalars()
    )


def test_the_corpus_has_what_the_counts_must_get_right(session, edited):
    """Syndicated copies (two in one outlet), statements without a speaker or a date,
    several themes and entities per statement, a rejected statement."""
    copies = [edited[f"copy {n}"] for n in range(1, 5)]
    assert len({article.story_id for article in copies}) == 1
    statements = session.execute(select(Statement)).scalars().all()
    assert any(s.speaker_id is None for s in statements)
    assert any(s.stated_on is None for s in statements)
    assert any(s.review == "rejected" for s in statements)
    assert any(len(s.themes) > 1 for s in statements)
    assert any(len(s.entity_links) > 1 for s in statements)
    assert any(not s.themes for s in statements)


VIEWS = [
    "",
    "speaker=sergey-lavrov",
    "speaker=antony-blinken&speaker=sergey-lavrov",
    "outlet=rt",
    "outlet=rt&outlet=tass",
    "theme=sanctions",
    "theme=nato-enlargement&theme=sanctions",
    "about=russia",
    "about=china&about=germany",
    "about=russia&theme=sanctions",
    "speaker=sergey-lavrov&about=russia",
    "outlet=reuters&about=ukraine",
    "from=2024-02-01&to=2024-03-31",
    "to=2024-03-01&speaker=sergey-lavrov",
    "speaker=antony-blinken&outlet=tass&theme=negotiations-and-peace-talks&from=2024-01-15",
    "outlet=tass&theme=sanctions&from=2024-01-01&to=2024-12-31",
    "outlet=rt&theme=sanctions&from=2024-03-02",
    "outlet=rt&about=russia&theme=sanctions",
    "q=sanctions",
    "chart=theme",
    "theme=sanctions&chart=theme",
    "outlet=rt&chart=theme",
    "about=russia&chart=theme",
]

AGGREGATES: dict[str, Callable[[Session, StatementFilter], Any]] = {
    "speaker facet": lambda s, f: speaker_facets(s, filters=f),
    "outlet facet": lambda s, f: outlet_facets(s, filters=f),
    "theme facet": lambda s, f: theme_facets(s, filters=f),
    "about facet": lambda s, f: about_facets(s, filters=f),
    "entities mentioned": lambda s, f: entities_mentioned(s, filters=f),
    "volume chart": lambda s, f: volume(s, filters=f, group=f.chart),
    "volume chart by month": lambda s, f: volume(s, filters=f, group=f.chart, unit="month"),
    "volume chart by year": lambda s, f: volume(s, filters=f, group=f.chart, unit="year"),
    "volume chart of months cut short": lambda s, f: volume(
        s, filters=f, group=f.chart, unit="month", first=date(2024, 1, 20), last=date(2024, 3, 10)
    ),
    "timeline total": lambda s, f: statement_page(s, filters=f, page_size=5).total,
    "the first timeline page": lambda s, f: statement_page(s, filters=f, page_size=5),
    "a later timeline page": lambda s, f: statement_page(
        s, filters=f.with_before(Cursor(stated_on=date(2024, 3, 8), id=10**9)), page_size=5
    ),
    "a timeline page past the undated": lambda s, f: statement_page(
        s, filters=f.with_before(Cursor(stated_on=None, id=10**9)), page_size=5
    ),
    "overview": lambda s, f: overview(s, filters=f, today=date(2024, 12, 31)),
    "speaker index": lambda s, f: speaker_index(s, filters=f),
    "outlet index": lambda s, f: outlet_index(s, filters=f),
    "theme index": lambda s, f: theme_index(s, filters=f),
    "speaker page": lambda s, f: speaker_profile(s, slug="sergey-lavrov", filters=f),
    "outlet page": lambda s, f: outlet_profile(s, slug="rt", filters=f),
    "second outlet page": lambda s, f: outlet_profile(s, slug="tass", filters=f),
    "theme page": lambda s, f: theme_profile(s, slug="sanctions", filters=f),
}


# The grains the navigator picks for a view's aggregates: all time (and month, for the
# charts by month) without dates, months for whole months, days for the rest.
GRAINS_PICKED = {
    "": {"all", "month", "day"},
    "from=2024-02-01&to=2024-03-31": {"month", "day"},
    "to=2024-03-01&speaker=sergey-lavrov": {"day"},
    "speaker=antony-blinken&outlet=tass&theme=negotiations-and-peace-talks&from=2024-01-15": {
        "day"
    },
    "outlet=tass&theme=sanctions&from=2024-01-01&to=2024-12-31": {"month", "day"},
}


@pytest.mark.parametrize("by_day", [False, True], ids=["coarsest grain", "by day"])
@pytest.mark.parametrize("query", VIEWS)
def test_every_aggregate_is_the_same_from_the_counts_as_live(
    session, edited, query, by_day, monkeypatch
):
    filters = StatementFilter.from_query([tuple(p.split("=")) for p in query.split("&") if p])
    answered, grains = [], set()
    smallest, choose = rollups._smallest, rollups.coarsest

    def spying(needed: set[str]) -> Any:
        answered.append(smallest(needed))
        return answered[-1]

    def grain(filters: StatementFilter, *, needed: str) -> Any:
        grains.add("day" if by_day else choose(filters, needed=needed))
        return "day" if by_day else choose(filters, needed=needed)

    monkeypatch.setattr(rollups, "_smallest", spying)
    monkeypatch.setattr(rollups, "coarsest", grain)
    from_counts = {name: run(session, filters) for name, run in AGGREGATES.items()}
    monkeypatch.setattr(rollups, "_smallest", lambda needed: None)
    live = {name: run(session, filters) for name, run in AGGREGATES.items()}
    for name in AGGREGATES:
        assert from_counts[name] == live[name], name
    if not filters.q:
        assert any(answered), "no aggregate of this view was read from the counts"
    if query in GRAINS_PICKED and not by_day:
        assert grains == GRAINS_PICKED[query]


def test_the_navigator_picks_the_smallest_table_with_every_dimension_in_use():
    def table(query: str, **kwargs: Any) -> Any:
        filters = StatementFilter.from_query([tuple(p.split("=")) for p in query.split("&") if p])
        found = rollup(filters, **kwargs)
        return found and found.model

    assert table("", every_copy=True) is OutletCount
    assert table("", every_copy=True, by=("theme",)) is ThemeCount
    assert table("speaker=a", every_copy=False, by=("outlet",)) is SpeakerOutletCount
    assert table("speaker=a&theme=b", every_copy=False) is ThemeSpeakerCount
    assert table("speaker=a&theme=b&outlet=c", every_copy=False) is ThemeSpeakerOutletCount
    assert table("about=a", every_copy=True, by=("theme",)) is EntityThemeCount
    assert table("outlet=a", every_copy=True, by=("theme",)) is ThemeOutletCount
    assert (
        table("outlet=a&theme=b", every_copy=True, by=("about",), skip="about")
        is EntityThemeOutletCount
    )


@pytest.mark.parametrize(
    ("query", "needed", "grain"),
    [
        ("", "all", "all"),
        ("speaker=a&outlet=b", "all", "all"),
        ("", "month", "month"),
        ("", "day", "day"),
        ("from=2024-01-01&to=2024-12-31", "all", "month"),
        ("from=2024-02-01&to=2024-02-29", "month", "month"),
        ("from=2024-03-01", "all", "month"),
        ("to=2023-04-30", "all", "month"),
        ("from=2024-01-01&to=2024-12-31", "day", "day"),
        ("from=2024-01-15", "all", "day"),
        ("to=2024-02-28", "month", "day"),
        ("from=2024-01-01&to=2024-06-15", "all", "day"),
    ],
)
def test_the_navigator_picks_the_coarsest_grain_that_answers_exactly(query, needed, grain):
    filters = StatementFilter.from_query([tuple(p.split("=")) for p in query.split("&") if p])
    assert coarsest(filters, needed=needed) == grain


def test_the_navigator_returns_the_table_of_the_grain_it_picked():
    def table(query: str, **kwargs: Any) -> Any:
        filters = StatementFilter.from_query([tuple(p.split("=")) for p in query.split("&") if p])
        found = rollup(filters, **kwargs)
        return found and (found.model, found.grain)

    assert table("speaker=a", every_copy=False, by=("outlet",)) == (SpeakerOutletCount, "day")
    assert table("speaker=a", every_copy=False, by=("outlet",), grain="all") == (
        SpeakerOutletCountAllTime,
        "all",
    )
    assert table("speaker=a&from=2024-01-01", every_copy=True, grain="all") == (
        SpeakerCountByMonth,
        "month",
    )
    assert table("speaker=a&outlet=b&from=2024-01-01", every_copy=True, grain="all") == (
        SpeakerOutletCountByMonth,
        "month",
    )
    assert table("from=2024-01-01", every_copy=True, by=("theme",), grain="month") == (
        ThemeCountByMonth,
        "month",
    )


def test_only_a_day_table_tells_a_last_day():
    filters = StatementFilter()
    rolled = rollup(filters, every_copy=True, by=("outlet",), grain="all")
    with pytest.raises(ValueError, match="knows no days"):
        rolled.last_day("outlet", OutletCount.outlet_id)


@pytest.mark.parametrize(
    ("query", "kwargs", "why"),
    [
        ("q=sanctions", {"every_copy": True}, "search words select statements"),
        ("theme=a&theme=b", {"every_copy": True}, "a statement with both counts twice"),
        ("theme=a", {"every_copy": True, "by": ("theme",)}, "its other themes are not counted"),
        ("outlet=a&outlet=b", {"every_copy": False}, "first copy among two outlets"),
        ("about=a&theme=b&speaker=c", {"every_copy": True}, "no table has all three"),
    ],
)
def test_the_navigator_leaves_to_the_live_query_what_no_table_answers(query, kwargs, why):
    filters = StatementFilter.from_query([tuple(p.split("=")) for p in query.split("&")])
    assert rollup(filters, **kwargs) is None, why


def _cells(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every count table's non-empty cells, at every grain, in a stable order."""
    cells = {}
    nonzero = " OR ".join(f"{measure} <> 0" for measure in MEASURES)
    for grains in COUNT_GRAINS.values():
        for model in grains.values():
            columns = ", ".join(column.name for column in model.__table__.columns)
            order = ", ".join(str(i + 1) for i in range(len(model.__table__.columns)))
            cells[model.__tablename__] = session.execute(
                text(
                    f"SELECT {columns} FROM {model.__tablename__} WHERE {nonzero} ORDER BY {order}"
                )
            ).all()
    return cells


def _summed(session: Session, model: Any, day: str) -> list[tuple[Any, ...]]:
    """The day table's cells summed to `day` (an expression of the day column)."""
    dimensions = ", ".join(model.DIMENSIONS)
    positions = ", ".join(str(i + 1) for i in range(len(model.DIMENSIONS) + 1))
    return session.execute(
        text(
            f"SELECT {dimensions}, {day}, {', '.join(f'sum({m})::int' for m in MEASURES)} "
            f"FROM {model.__tablename__} GROUP BY {positions} "
            f"HAVING {' OR '.join(f'sum({m}) <> 0' for m in MEASURES)} ORDER BY {positions}"
        )
    ).all()


def _coarser_grains_sum_the_days(session: Session) -> None:
    cells = _cells(session)
    for model in COUNT_MODELS:
        by_month = COUNT_GRAINS[model]["month"].__tablename__
        all_time = COUNT_GRAINS[model]["all"].__tablename__
        assert cells[by_month] == _summed(session, model, "date_trunc('month', day)::date")
        assert cells[all_time] == _summed(session, model, "NULL::date")


def test_counts_kept_fresh_on_every_write_equal_counts_rebuilt_from_scratch(
    session, edited, editor
):
    petrenko, lavrov = speaker(session, "ivan-petrenko"), speaker(session, "sergey-lavrov")
    speaker_edits.merge(session, source=petrenko, target=lavrov, actor=editor)
    make_article(session, text=STORY + " (TASS, late)", published=date(2024, 3, 9), outlet=TASS)
    reprocess_articles(session, article_ids=[edited["round 2"].id, edited["copy 2"].id])
    merge = session.execute(
        select(AuditEvent).where(AuditEvent.action == "speaker.merge")
    ).scalar_one()
    speaker_edits.revert(session, event=merge, actor=editor)
    kept = _cells(session)
    assert all(value >= 0 for rows in kept.values() for row in rows for value in row[-5:])
    assert (
        sum(row[-5] for row in kept["counts_outlet"])
        == session.execute(
            select(text("count(*)")).select_from(Statement).where(Statement.review != "rejected")
        ).scalar_one()
    )
    _coarser_grains_sum_the_days(session)
    rebuild(session)
    assert _cells(session) == kept


def test_the_corpus_has_cells_of_every_grain_to_compare(session, edited):
    """Undated cells at every grain, months with several days, and all-time cells that
    are not day cells, so the grains' sums are tested on something."""
    cells = _cells(session)
    assert any(row[1] is None for row in cells["counts_outlet_month"])
    assert len(cells["counts_outlet_month"]) < len(cells["counts_outlet"])
    assert all(row[1] is None for row in cells["counts_outlet_all"])
    assert len(cells["counts_outlet_all"]) < len(cells["counts_outlet_month"])
    _coarser_grains_sum_the_days(session)
