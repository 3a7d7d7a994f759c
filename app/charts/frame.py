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
    ident = f"{chart_id}-{variant}"
    opening = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{variant}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{i}-title {i}-desc" font-family="{font}" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{i}-title">{title}</title><desc id="{i}-desc">{desc}</desc>'
    ).format(variant=variant, w=width, h=height, i=ident, font=FONT, title=title, desc=description)
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
    return Markup(
        '<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
        'font-weight="{weight}"{extra}>{content}</text>'
    ).format(
        x=x,
        y=y,
        size=size,
        anchor=anchor,
        colour=colour,
        weight=weight,
        extra=Markup(extra),
        content=content,
    )


def legend(items: Sequence[LegendItem]) -> Markup:
    """An HTML legend: swatch, name (a link to its page when there is one), total."""
    parts = []
    for item in items:
        name = (
            Markup('<a href="{}">{}</a>').format(item.href, item.label)
            if item.href
            else escape(item.label)
        )
        total = (
            Markup(' <span class="legend-total">{}</span>').format(number(item.total))
            if item.total is not None
            else ""
        )
        parts.append(
            Markup(
                '<li><span class="swatch" style="background:{}" aria-hidden="true"></span>{}{}</li>'
            ).format(item.colour, name, total)
        )
    return Markup('<ul class="legend">{}</ul>').format(Markup("").join(parts))


def data_table(table: Table) -> Markup:
    """The numbers behind the chart, for screen readers and for copying."""
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in table.headers)
    body = []
    for row in table.rows:
        cells = [Markup('<th scope="row">{}</th>').format(row[0])]
        cells.extend(
            Markup('<td class="num">{}</td>').format(
                number(cell) if isinstance(cell, int | float) else cell
            )
            for cell in row[1:]
        )
        body.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    return Markup(
        '<details class="chart-data"><summary>Show the numbers</summary>'
        '<div class="table-scroll"><table class="table compact"><caption>{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div></details>"
    ).format(table.caption, head, Markup("").join(body))


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
    return Markup(
        '<figure class="{classes}" id="{ident}"><figcaption class="chart-title">{title}</figcaption>'
        '<div class="chart-canvas">{wide}{narrow}</div>{legend}{note}{table}</figure>'
    ).format(
        classes=classes,
        ident=chart_id,
        title=title,
        wide=wide,
        narrow=narrow,
        legend=legend(legend_items) if legend_items else "",
        note=Markup('<p class="chart-note">{}</p>').format(note) if note else "",
        table=data_table(table),
    )
