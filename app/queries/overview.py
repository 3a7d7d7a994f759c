"""The overview: what changed in the newest week — statements, speakers, rising themes.

"This week" is the week of the newest dated statement in view (never later than
today), so a corpus that stopped a year ago still opens on its last busy week and
says which week that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, cast, func, select
from sqlalchemy.orm import Session

from app.models import Article, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.rollups import rollup
from app.queries.statements import StatementPage, filtered, statement_page
from app.queries.volume import Volume, counted, first_copy, volume

TREND_WEEKS = 4


@dataclass(frozen=True, slots=True)
class Week:
    start: date

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def shifted(self, weeks: int) -> Week:
        return Week(self.start + timedelta(weeks=weeks))


@dataclass(frozen=True, slots=True)
class SpeakerActivity:
    slug: str
    name: str
    this_week: int
    last_week: int

    @property
    def change(self) -> int:
        return self.this_week - self.last_week


@dataclass(frozen=True, slots=True)
class ThemeMovement:
    """A theme this week against its weekly average over the four weeks before."""

    slug: str
    name: str
    this_week: int
    average: float

    @property
    def change(self) -> float:
        return self.this_week - self.average


@dataclass(frozen=True, slots=True)
class Totals:
    statements: int
    stories: int
    speakers: int
    outlets: int


@dataclass(frozen=True, slots=True)
class Overview:
    week: Week
    is_current: bool
    this_week: Totals
    last_week: Totals
    newest: StatementPage
    speakers: list[SpeakerActivity]
    rising: list[ThemeMovement]
    falling: list[ThemeMovement]
    weekly: Volume


def overview(
    session: Session, *, filters: StatementFilter, today: date, limit: int = 8
) -> Overview | None:
    """The overview of the newest week in view, or None when no statement has a date."""
    rolled = rollup(filters, every_copy=False)
    if rolled is None:
        newest = counted(filters, func.max(Statement.stated_on)).where(Statement.stated_on <= today)
    else:
        newest = rolled.query(func.max(rolled.day)).where(rolled.day <= today)
    newest_day = session.execute(newest).scalar_one()
    if newest_day is None:
        return None
    week = Week(newest_day - timedelta(days=newest_day.weekday()))
    previous = week.shifted(-1)
    window_start = week.shifted(-TREND_WEEKS).start
    recent = filters.narrowing()
    movements = _themes(session, filters=recent, week=week, start=window_start)
    return Overview(
        week=week,
        is_current=week.start <= today <= week.end,
        this_week=_totals(session, filters=recent, week=week),
        last_week=_totals(session, filters=recent, week=previous),
        newest=statement_page(
            session,
            filters=recent.with_replaced("from", week.start).with_replaced(
                "to", min(week.end, filters.date_to or week.end)
            ),
            page_size=limit,
        ),
        speakers=_speakers(session, filters=recent, week=week, limit=limit),
        rising=[m for m in movements if m.change > 0][:5],
        falling=sorted((m for m in movements if m.change < 0), key=lambda m: m.change)[:5],
        weekly=volume(
            session,
            filters=recent,
            group="speaker",
            top=5,
            unit="week",
            first=week.shifted(-11).start,
            last=week.end,
        ),
    )


def _in(day: ColumnElement[date], week: Week) -> ColumnElement[bool]:
    return day.between(week.start, week.end)


def _totals(session: Session, *, filters: StatementFilter, week: Week) -> Totals:
    """The week's statements, stories, speakers and outlets, one story counted once.

    Statements, speakers and outlets come from the counts by day when tables with a
    speaker and an outlet answer the view: a speaker (outlet) is in the week when one of
    its cells there counts a first copy. Stories are the first copies with a statement
    in the week, which no cell knows: they are counted live, by article, so each
    article's copies are looked up once rather than once per statement.
    """
    by_speaker = rollup(filters, every_copy=False, by=("speaker",))
    by_outlet = rollup(filters, every_copy=False, by=("outlet",))
    if by_speaker is None or by_outlet is None:
        statements, stories, speakers, outlets = session.execute(
            counted(
                filters,
                func.count(Statement.id),
                func.count(func.distinct(func.coalesce(Article.story_id, -Article.id))),
                func.count(func.distinct(Statement.speaker_id)),
                func.count(func.distinct(Article.outlet_id)),
            ).where(_in(Statement.stated_on, week))
        ).one()
        return Totals(statements, stories, speakers, outlets)
    speakers, statements = session.execute(
        by_speaker.query(
            func.count(func.distinct(by_speaker.column("speaker"))),
            func.coalesce(by_speaker.count, 0),
        ).where(_in(by_speaker.day, week))
    ).one()
    outlets = session.execute(
        by_outlet.query(func.count(func.distinct(by_outlet.column("outlet")))).where(
            _in(by_outlet.day, week)
        )
    ).scalar_one()
    # The week's articles as one array, so the planner probes the articles' primary key
    # for each: joined to their estimate (3,014 for 385) it read every article instead,
    # 50 ms at 100,000 articles.
    quoted = (
        filtered(select(func.array_agg(Statement.article_id.distinct())), filters)
        .where(_in(Statement.stated_on, week))
        .scalar_subquery()
    )
    stories = session.execute(
        select(func.count()).where(
            Article.id == any_(cast(quoted, ARRAY(Integer))), first_copy(filters)
        )
    ).scalar_one()
    return Totals(statements, stories, speakers, outlets)


def _speakers(
    session: Session, *, filters: StatementFilter, week: Week, limit: int
) -> list[SpeakerActivity]:
    """The most active speakers this week, with last week's count beside."""
    previous = week.shifted(-1)
    rolled = rollup(filters, every_copy=False, by=("speaker",))
    if rolled is None:
        day, speaker_id = Statement.stated_on, Statement.speaker_id
        this_week = func.count(Statement.id).filter(_in(day, week))
        last_week = func.count(Statement.id).filter(_in(day, previous))
        query = counted(filters, Speaker.slug, Speaker.name, this_week, last_week)
    else:
        day, speaker_id = rolled.day, rolled.column("speaker")
        this_week = func.coalesce(rolled.count.filter(_in(day, week)), 0)
        last_week = func.coalesce(rolled.count.filter(_in(day, previous)), 0)
        query = rolled.query(Speaker.slug, Speaker.name, this_week, last_week)
    rows = session.execute(
        query.join(Speaker, Speaker.id == speaker_id)
        .where(day.between(previous.start, week.end))
        .group_by(Speaker.slug, Speaker.name)
        .having(this_week > 0)
        .order_by(this_week.desc(), Speaker.name, Speaker.slug)
        .limit(limit)
    ).all()
    return [SpeakerActivity(slug, name, now, before) for slug, name, now, before in rows]


def _themes(
    session: Session, *, filters: StatementFilter, week: Week, start: date
) -> list[ThemeMovement]:
    """Every theme seen this week or in the weeks before it, most risen first."""
    rolled = rollup(filters, every_copy=False, by=("theme",))
    if rolled is None:
        day = Statement.stated_on
        this_week = func.count(Statement.id).filter(_in(day, week))
        before = func.count(Statement.id).filter(day < week.start)
        query = (
            counted(filters, Theme.slug, Theme.name, this_week, before)
            .join(StatementTheme, StatementTheme.statement_id == Statement.id)
            .join(Theme, Theme.id == StatementTheme.theme_id)
        )
    else:
        day = rolled.day
        this_week = func.coalesce(rolled.count.filter(_in(day, week)), 0)
        before = func.coalesce(rolled.count.filter(day < week.start), 0)
        query = rolled.query(Theme.slug, Theme.name, this_week, before).join(
            Theme, Theme.id == rolled.column("theme")
        )
    rows = session.execute(
        query.where(day.between(start, week.end)).group_by(Theme.slug, Theme.name)
    ).all()
    movements = [
        ThemeMovement(slug, name, now, earlier / TREND_WEEKS) for slug, name, now, earlier in rows
    ]
    return sorted(movements, key=lambda m: (-m.change, m.name))
