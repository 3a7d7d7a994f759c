"""Which themes recur: a grid of themes by month, each cell shaded by its count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.charts import Bucket
from app.charts.axis import counted, label_every, number
from app.charts.frame import Table, figure, svg, text

EMPTY = "#f1f3f6"
NARROW_COLUMNS = 12
# Light to dark blue in perceptually even steps; the darkest step is the busiest cell.
RAMP = ("#dbe6fb", "#b5cbf6", "#86a9ee", "#5683e2", "#2f5fcc", "#1d3f95")


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    key: str
    label: str
    values: tuple[int, ...]
    href: str | None = None


def shade(value: int, maximum: int) -> str:
    """The cell colour: empty for zero, then six steps up to the busiest cell."""
    if value <= 0 or maximum <= 0:
        return EMPTY
    step = min(len(RAMP) - 1, int((value / maximum) ** 0.6 * len(RAMP)))
    return RAMP[step]


def heatmap(
    *,
    chart_id: str,
    title: str,
    description: str,
    columns: Sequence[Bucket],
    rows: Sequence[HeatmapRow],
    unit: str = "statements",
) -> Markup:
    """Rows are themes, columns are months; darker means more `unit` that month."""
    maximum = max((value for row in rows for value in row.values), default=0)
    drawings = {
        variant: _draw(
            chart_id=chart_id,
            variant=variant,
            title=title,
            description=description,
            columns=columns,
            rows=rows,
            maximum=maximum,
            unit=unit,
        )
        for variant in ("wide", "narrow")
    }
    table = Table(
        caption=f"{title}: {unit} per month",
        headers=["Theme", *(column.long_label for column in columns)],
        rows=[[row.label, *row.values] for row in rows],
    )
    return figure(
        chart_id=chart_id,
        title=title,
        wide=drawings["wide"],
        narrow=drawings["narrow"],
        table=table,
        note=_scale_note(maximum, unit, narrowed=len(columns) > NARROW_COLUMNS),
        scroll=True,
    )


def _scale_note(maximum: int, unit: str, *, narrowed: bool) -> Markup:
    if maximum <= 0:
        return Markup("No dated {} in this view.").format(unit)
    note = Markup("Darker cells hold more {}; the darkest holds {}.").format(unit, number(maximum))
    if narrowed:
        note += Markup(
            '<span class="narrow-only"> This screen shows the newest {} months; the numbers below hold them all.</span>'
        ).format(NARROW_COLUMNS)
    return note


def _draw(
    *,
    chart_id: str,
    variant: str,
    title: str,
    description: str,
    columns: Sequence[Bucket],
    rows: Sequence[HeatmapRow],
    maximum: int,
    unit: str,
) -> Markup:
    """Wide: every column. Narrow: the newest NARROW_COLUMNS, so a phone needs no scrolling."""
    wide = variant == "wide"
    if not wide and len(columns) > NARROW_COLUMNS:
        columns = columns[-NARROW_COLUMNS:]
        rows = [
            HeatmapRow(row.key, row.label, row.values[-NARROW_COLUMNS:], row.href) for row in rows
        ]
    font = 12 if wide else 11
    label_w = 200 if wide else 128
    max_chars = 30 if wide else 19
    cell_h = 20 if wide else 18
    header_h = font + 10
    target = 1000 if wide else 560
    cell_w = max(8.0, min(34.0, (target - label_w) / max(1, len(columns))))
    width = int(label_w + cell_w * len(columns) + 4)
    height = int(header_h + cell_h * len(rows) + 2)
    opening, closing = svg(
        chart_id=chart_id,
        variant=variant,
        width=width,
        height=height,
        title=title,
        description=description,
    )
    parts: list[str] = [opening]
    every = label_every(
        len(columns),
        available=cell_w * len(columns),
        label_width=font * 0.62 * max((len(c.label) for c in columns), default=1) + 6,
    )
    for index, column in enumerate(columns):
        if index % every == 0:
            parts.append(
                text(label_w + cell_w * index, font + 2, column.label, size=font, anchor="start")
            )
    long_labels = [escape(column.long_label) for column in columns]
    for row_index, row in enumerate(rows):
        y = header_h + row_index * cell_h
        label = row.label if len(row.label) <= max_chars else row.label[: max_chars - 1] + "…"
        name = text(0, y + cell_h * 0.68, label, size=font, colour="#1d2430", weight=500)
        if row.href:
            name = Markup(f'<a href="{escape(row.href)}" class="chart-link">{name}</a>')
        parts.append(name)
        row_label = escape(row.label)
        for index, value in enumerate(row.values):
            parts.append(
                f'<rect x="{label_w + cell_w * index + 1:.1f}" y="{y + 1:.1f}" '
                f'width="{cell_w - 2:.1f}" height="{cell_h - 2:.1f}" rx="2" '
                f'fill="{escape(shade(value, maximum))}"><title>{row_label} · '
                f"{long_labels[index]}: {escape(counted(value, unit))}</title></rect>"
            )
    parts.append(closing)
    return Markup("".join(parts))
