"""A volume chart stacks its leading names and sums every other into one series."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from app.models import Speaker, Statement
from app.queries.filters import StatementFilter
from app.queries.volume import OTHER, volume
from tests.factories import make_article

PLACES = ("Geneva", "Vienna", "Ankara", "Doha", "Oslo", "Riga", "Baku", "Minsk", "Cairo", "Lima")
TOPICS = ("grain exports", "prisoner swaps", "gas transit", "border crossings", "embassy staff")


def distinct_article(name: str, n: int) -> str:
    """A short article of its own, so no two are taken for copies of one story."""
    place, topic = PLACES[n % len(PLACES)], TOPICS[(n + len(name)) % len(TOPICS)]
    return (
        f"{name} on {topic} in {place}, item {n}\n\n"
        f"Delegations met in {place} for round {n} of consultations on {topic}.\n\n"
        f"\u201cRound {n} in {place} settled nothing on {topic},\u201d {name} said.\n\n"
        f"Observers from {PLACES[(n + 3) % len(PLACES)]} expect round {n + 1} next month."
    )


SPEAKERS = (
    "Sergey Lavrov",
    "Maria Zakharova",
    "Dmitry Peskov",
    "Antony Blinken",
    "Emmanuel Macron",
)


def test_the_chart_keeps_the_top_names_and_sums_the_rest_per_bucket(session):
    # Speaker i is quoted i + 1 times, spread over two months.
    for rank, name in enumerate(SPEAKERS):
        for n in range(rank + 1):
            make_article(
                session,
                text=distinct_article(name, n * 7 + rank),
                published=date(2023, 3 + n % 2, 10),
            )

    chart = volume(session, filters=StatementFilter(), group="speaker", top=2, unit="month")

    rows = session.execute(
        select(Speaker.slug, Statement.stated_on).join(Speaker, Speaker.id == Statement.speaker_id)
    ).all()
    totals = Counter(slug for slug, _ in rows)
    leaders = sorted(totals, key=lambda slug: (-totals[slug], slug))[:2]
    assert [series.key for series in chart.series] == [*leaders, OTHER]
    for series in chart.series[:2]:
        assert sum(series.counts) == totals[series.key]
    other = chart.series[2]
    assert other.label == "Other speakers"
    every = session.execute(select(Statement.stated_on)).scalars().all()
    for index, start in enumerate(chart.starts):
        in_bucket = sum(1 for day in every if day and day.replace(day=1) == start)
        assert sum(series.counts[index] for series in chart.series) == in_bucket
    assert sum(other.counts) == len(every) - sum(totals[slug] for slug in leaders)


def test_no_other_series_when_every_name_leads(session):
    for name in SPEAKERS[:2]:
        make_article(session, text=distinct_article(name, 1), published=date(2023, 3, 1))

    chart = volume(session, filters=StatementFilter(), group="speaker", top=6, unit="month")

    assert OTHER not in [series.key for series in chart.series]
    assert len(chart.series) == len({s.speaker_id for s in session.scalars(select(Statement))})
