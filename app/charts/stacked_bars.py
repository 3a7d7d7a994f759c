"""Volume over time: one column per day, week or month, stacked by speaker or theme."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.charts import Bucket, Series
from app.charts.axis import counted, label_every, nice_ticks, number
from app.charts.frame import LegendItem, Table, figure, svg, text
from app.charts.palette import assign_colours

GRID = "#e3e6eb"
AXIS = "#9aa1ad"
# A lone column drawn as wide as the chart reads as a wall, not as a count.
MAX_BAR = 46


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    buckets: Sequence[Bucket],
    series: Sequence[Series],
    unit: str = "statements",
    note: str | None = None,
    colours: dict[str, str] | None = None,
) -> Markup:
    """The chart block: both drawings, a legend linking each series, and the numbers.

    `colours` maps series keys to colours (a page's palette); by default they are assigned here.
    """
    colours = colours or assign_colours(item.key for item in series)
    drawings = {
        variant: _draw(
            chart_id=chart_id,
            variant=variant,
            width=width,
            height=height,
            font=font,
            title=title,
            description=description,
            buckets=buckets,
            series=series,
            colours=colours,
            unit=unit,
        )
        for variant, width, height, font in (("wide", 960, 270, 13), ("narrow", 360, 230, 11))
    }
    table = Table(
        caption=f"{title}: {unit} per period",
        headers=["Period", *(item.label for item in series), "Total"],
        rows=[
            [
                bucket.long_label,
                *(item.values[i] for item in series),
                sum(item.values[i] for item in series),
            ]
            for i, bucket in enumerate(buckets)
        ],
    )
    legend_items = [
        LegendItem(item.label, colours[item.key], item.href, sum(item.values)) for item in series
    ]
    return figure(
        chart_id=chart_id,
        title=title,
        wide=drawings["wide"],
        narrow=drawings["narrow"],
        table=table,
        legend_items=legend_items if len(series) > 1 else (),
        note=note,
    )


def _draw(
    *,
    chart_id: str,
    variant: str,
    width: int,
    height: int,
    font: int,
    title: str,
    description: str,
    buckets: Sequence[Bucket],
    series: Sequence[Series],
    colours: dict[str, str],
    unit: str,
) -> Markup:
    totals = [sum(item.values[i] for item in series) for i in range(len(buckets))]
    ticks = nice_ticks(max(totals, default=0), count=4 if variant == "wide" else 3)
    left = 8 + font * 0.62 * len(number(ticks[-1])) + 6
    right, top, bottom = 6, 10, font * 2 + 4
    plot_w, plot_h = width - left - right, height - top - bottom
    opening, closing = svg(
        chart_id=chart_id,
        variant=variant,
        width=width,
        height=height,
        title=title,
        description=description,
    )
    parts: list[str] = [opening]

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / ticks[-1]

    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{AXIS if tick == 0 else GRID}" />'
        )
        parts.append(text(left - 6, y + font * 0.35, number(tick), size=font, anchor="end"))
    count = len(buckets)
    if count:
        band = plot_w / count
        bar = min(MAX_BAR, max(1.0, band * 0.72))
        label_width = font * 0.62 * max(len(b.label) for b in buckets) + 8
        every = label_every(count, available=plot_w, label_width=label_width)
        labels = {item.key: escape(item.label) for item in series}
        for index, bucket in enumerate(buckets):
            x = left + band * index + (band - bar) / 2
            long_label = escape(bucket.long_label)
            base = 0
            segments: list[str] = []
            for item in series:
                value = item.values[index]
                if not value:
                    continue
                y_top = y_of(base + value)
                height_px = max(
                    0.5, y_of(base) - y_top - (0.6 if base + value < totals[index] else 0)
                )
                segments.append(
                    f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar:.1f}" height="{height_px:.1f}" '
                    f'fill="{escape(colours[item.key])}"><title>{labels[item.key]}: '
                    f"{escape(counted(value, unit))} · {long_label}</title></rect>"
                )
                base += value
            column = "".join(segments)
            if bucket.href and segments:
                column = f'<a href="{escape(bucket.href)}" class="chart-link">{column}</a>'
            parts.append(column)
            if index % every == 0:
                parts.append(
                    text(
                        left + band * index + band / 2,
                        top + plot_h + font + 5,
                        bucket.label,
                        size=font,
                        anchor="middle",
                    )
                )
    if not any(totals):
        parts.append(
            text(
                left + plot_w / 2,
                top + plot_h / 2,
                f"No dated {unit}",
                size=font + 1,
                anchor="middle",
            )
        )
    parts.append(closing)
    return Markup("".join(parts))
