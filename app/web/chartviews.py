"""From query results to chart markup: labels, links and descriptions for `app.charts`.

The chart package draws whatever it is given; this module decides what a column or a
legend entry links to (the timeline for that period, a speaker's or theme's page, each
keeping the view's filters) and writes the sentences that describe a chart to people
who cannot see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from app.charts import Bucket, Series
from app.charts.axis import number
from app.charts.comparison_bars import ShareRow, comparison_bars
from app.charts.heatmap import HeatmapRow, heatmap
from app.charts.palette import PagePalette
from app.charts.stacked_bars import stacked_bars
from app.queries.filters import StatementFilter
from app.queries.profiles import Ranked, ThemeIndex
from app.queries.volume import OTHER, Unit, Volume
from app.web.links import EntityKind, entity_url, timeline_url

UNIT_WORDS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def _label(start: date, unit: Unit, *, short: bool) -> str:
    if unit == "day":
        return f"{start.day} {start:%b}" if short else f"{start.day} {start:%B %Y}"
    if unit == "week":
        return f"{start.day} {start:%b}" if short else f"week of {start.day} {start:%B %Y}"
    if unit == "month":
        return f"{start:%b} ’{start:%y}" if short else f"{start:%B %Y}"
    return str(start.year)


def volume_chart(
    volume: Volume,
    *,
    chart_id: str,
    title: str,
    filters: StatementFilter,
    palette: PagePalette,
    link_columns: bool = True,
) -> Markup:
    """Stacked columns of `volume`; a column opens the timeline for its period."""
    buckets = [
        Bucket(
            label=_label(start, volume.unit, short=True),
            long_label=_label(start, volume.unit, short=False),
            href=timeline_url(filters, date_from=start, date_to=volume.end_of(index))
            if link_columns
            else None,
        )
        for index, start in enumerate(volume.starts)
    ]
    series = [
        Series(
            key=item.key,
            label=item.label,
            values=item.counts,
            href=None if item.key == OTHER else entity_url(volume.group, item.key, filters),
        )
        for item in volume.series
    ]
    if volume.starts:
        leaders = ", ".join(
            f"{item.label} ({number(item.total)})" for item in volume.series if item.key != OTHER
        )
        description = (
            f"{number(volume.total)} statements per {UNIT_WORDS[volume.unit]} from "
            f"{buckets[0].long_label} to {buckets[-1].long_label}, stacked by {volume.group}"
            + (f"; most: {leaders}." if leaders else ".")
        )
    else:
        description = "No dated statements in this view."
    notes = ["Each syndicated story counts once."]
    if volume.group == "theme":
        notes.append("A statement with several themes counts under each.")
    if volume.undated:
        notes.append(f"{number(volume.undated)} undated statements are not drawn.")
    return stacked_bars(
        colours=palette.colours(volume.group, (item.key for item in series)),
        chart_id=chart_id,
        title=title,
        description=description,
        buckets=buckets,
        series=series,
        note=" ".join(notes),
    )


def share_chart(
    rows: Sequence[Ranked],
    *,
    chart_id: str,
    title: str,
    kind: EntityKind,
    filters: StatementFilter,
    palette: PagePalette,
    baseline_label: str = "average of all outlets",
) -> Markup:
    """Horizontal share bars, each name linking to its page."""
    description = (
        "; ".join(f"{row.name}: {number(row.count)}" for row in rows[:8]) or "Nothing to show."
    )
    return comparison_bars(
        colours=palette.colours(kind, (row.slug for row in rows)),
        chart_id=chart_id,
        title=title,
        description=description,
        rows=[
            ShareRow(
                key=row.slug,
                label=row.name,
                count=row.count,
                share=row.share,
                baseline=row.baseline,
                href=entity_url(kind, row.slug, filters),
            )
            for row in rows
        ],
        baseline_label=baseline_label,
    )


def theme_heatmap(index: ThemeIndex, *, filters: StatementFilter, limit: int = 30) -> Markup:
    """Themes by month, the most recurring first."""
    rows = index.rows[:limit]
    columns = [
        Bucket(label=_label(m, "month", short=True), long_label=_label(m, "month", short=False))
        for m in index.months
    ]
    description = (
        f"{len(rows)} themes over {len(columns)} months; recurring most: "
        + ", ".join(f"{row.name} ({row.months_active} months)" for row in rows[:5])
        if rows
        else "No themed statements in this view."
    )
    return heatmap(
        chart_id="theme-heatmap",
        title="Themes month by month",
        description=description,
        columns=columns,
        rows=[
            HeatmapRow(
                key=row.slug,
                label=row.name,
                values=row.by_month,
                href=entity_url("theme", row.slug, filters),
            )
            for row in rows
        ],
    )
