"""What every chart sits in: the SVG element itself, the legend, and the data table.

A chart is drawn twice, wide (desktop) and narrow (phone), and CSS shows one of them:
scaling one drawing down to 390 px would shrink its text below reading size. Each
drawing carries its own <title> and <desc>; the table in a <details> below holds the
same numbers for screen readers and for anyone who wants to copy them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.charts.axis import number

FONT = "Inter, 'Segoe UI', system-ui, -apple-system, sans-serif"


@dataclass(frozen=True, slots=True)
class LegendItem:
    label: str
    colour: str
    href: str | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """The chart's numbers: a caption, column headers, and rows whose first cell names them."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str | int | float]]


def svg(
    *, chart_id: str, variant: str, width: int, height: int, title: str, description: str
) -> tuple[Markup, Markup]:
    """The opening and closing of one drawing, labelled by its own title and description."""
    ident = escape(f"{chart_id}-{variant}")
    opening = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{escape(variant)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT)}" '
        'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return opening, Markup("</svg>")


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    colour: str = "#6b7482",
    weight: int = 400,
    extra: str = "",
) -> Markup:
    """An SVG <text>: numbers are written as numbers, `content` is escaped, `extra` is
    attribute markup the chart code wrote itself."""
    return Markup(
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{escape(size)}" text-anchor="{escape(anchor)}" '
        f'fill="{escape(colour)}" font-weight="{escape(weight)}"{extra}>{escape(content)}</text>'
    )


def legend(items: Sequence[LegendItem]) -> Markup:
    """An HTML legend: swatch, name (a link to its page when there is one), total."""
    parts = []
    for item in items:
        name = (
            f'<a href="{escape(item.href)}">{escape(item.label)}</a>'
            if item.href
            else escape(item.label)
        )
        total = (
            f' <span class="legend-total">{number(item.total)}</span>'
            if item.total is not None
            else ""
        )
        parts.append(
            f'<li><span class="swatch" style="background:{escape(item.colour)}" '
            f'aria-hidden="true"></span>{name}{total}</li>'
        )
    return Markup(f'<ul class="legend">{"".join(parts)}</ul>')


def _cell(value: str | int | float) -> str:
    return number(value) if isinstance(value, int | float) else escape(value)


def data_table(table: Table) -> Markup:
    """The numbers behind the chart, for screen readers and for copying."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="num">{_cell(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in table.rows
    )
    return Markup(
        '<details class="chart-data"><summary>Show the numbers</summary>'
        '<div class="table-scroll"><table class="table compact">'
        f"<caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )


def figure(
    *,
    chart_id: str,
    title: str,
    wide: Markup,
    narrow: Markup,
    table: Table,
    legend_items: Sequence[LegendItem] = (),
    note: str | Markup | None = None,
    scroll: bool = False,
) -> Markup:
    """The whole chart block: heading, both drawings, legend, note and data table."""
    classes = "chart" + (" chart-scroll" if scroll else "")
    legend_markup = legend(legend_items) if legend_items else ""
    note_markup = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return Markup(
        f'<figure class="{classes}" id="{escape(chart_id)}">'
        f'<figcaption class="chart-title">{escape(title)}</figcaption>'
        f'<div class="chart-canvas">{escape(wide)}{escape(narrow)}</div>'
        f"{legend_markup}{note_markup}{data_table(table)}</figure>"
    )
