"""Shares beside a baseline: how much of one outlet (or speaker) goes to each name,
with a mark at the average across all of them, so a reader sees what stands out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.charts.axis import counted, number, percent
from app.charts.frame import Table, figure, svg, text
from app.charts.palette import assign_colours

TRACK = "#eef0f4"
MARK = "#1d2430"


@dataclass(frozen=True, slots=True)
class ShareRow:
    """One name: its count here, its share here, and the baseline share (None: no baseline)."""

    key: str
    label: str
    count: int
    share: float
    baseline: float | None = None
    href: str | None = None


def comparison_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[ShareRow],
    baseline_label: str = "average of all outlets",
    unit: str = "statements",
    colours: dict[str, str] | None = None,
) -> Markup:
    """Horizontal bars of `share`, each with a tick at `baseline`, and the numbers."""
    colours = colours or assign_colours(row.key for row in rows)
    drawings = {
        variant: _draw(
            chart_id=chart_id,
            variant=variant,
            title=title,
            description=description,
            rows=rows,
            colours=colours,
            baseline_label=baseline_label,
            unit=unit,
        )
        for variant in ("wide", "narrow")
    }
    has_baseline = any(row.baseline is not None for row in rows)
    headers = ["Name", unit.capitalize(), "Share"] + (
        [baseline_label.capitalize()] if has_baseline else []
    )
    table = Table(
        caption=title,
        headers=headers,
        rows=[
            [row.label, row.count, percent(row.share)]
            + ([percent(row.baseline or 0)] if has_baseline else [])
            for row in rows
        ],
    )
    note = f"The dark mark on each bar is the {baseline_label}." if has_baseline and rows else None
    return figure(
        chart_id=chart_id,
        title=title,
        wide=drawings["wide"],
        narrow=drawings["narrow"],
        table=table,
        note=note,
    )


def _draw(
    *,
    chart_id: str,
    variant: str,
    title: str,
    description: str,
    rows: Sequence[ShareRow],
    colours: dict[str, str],
    baseline_label: str,
    unit: str,
) -> Markup:
    """Wide: name on the left, bar on the right. Narrow: name above its bar."""
    wide = variant == "wide"
    width, font = (560, 12.5) if wide else (340, 12)
    label_w = 170 if wide else 0
    value_w = 92
    row_h = 26 if wide else 40
    bar_h = 12
    height = max(row_h * len(rows), row_h) + 4
    opening, closing = svg(
        chart_id=chart_id,
        variant=variant,
        width=width,
        height=height,
        title=title,
        description=description,
    )
    parts: list[str] = [opening]
    scale_max = max([row.share for row in rows] + [row.baseline or 0 for row in rows] + [0.01])
    track_x = label_w
    track_w = width - label_w - value_w
    for index, row in enumerate(rows):
        top = index * row_h
        bar_y = top + (row_h - bar_h) / 2 + (0 if wide else 8)
        label_y = bar_y + bar_h * 0.8 if wide else top + font + 1
        label = row.label if len(row.label) <= 26 or not wide else row.label[:25] + "…"
        name = text(0, label_y, label, size=font, colour="#1d2430", weight=500)
        if row.href:
            name = Markup(f'<a href="{escape(row.href)}" class="chart-link">{name}</a>')
        parts.append(name)
        parts.append(
            f'<rect x="{track_x:.1f}" y="{bar_y:.1f}" width="{track_w:.1f}" '
            f'height="{escape(bar_h)}" rx="3" fill="{TRACK}" />'
        )
        parts.append(
            f'<rect x="{track_x:.1f}" y="{bar_y:.1f}" '
            f'width="{max(2.0, track_w * row.share / scale_max):.1f}" height="{escape(bar_h)}" '
            f'rx="3" fill="{escape(colours[row.key])}"><title>{escape(row.label)}: '
            f"{escape(counted(row.count, unit))}, {escape(percent(row.share))}</title></rect>"
        )
        if row.baseline is not None:
            mark_x = track_x + track_w * row.baseline / scale_max
            parts.append(
                f'<rect x="{mark_x - 1.25:.1f}" y="{bar_y - 3:.1f}" width="2.5" '
                f'height="{escape(bar_h + 6)}" fill="{MARK}"><title>{escape(baseline_label)}: '
                f"{escape(percent(row.baseline))}</title></rect>"
            )
        parts.append(
            text(
                width,
                bar_y + bar_h * 0.8,
                f"{percent(row.share)} · {number(row.count)}",
                size=font - 0.5,
                anchor="end",
                colour="#4b5565",
                extra=' style="font-variant-numeric:tabular-nums"',
            )
        )
    parts.append(closing)
    return Markup("".join(parts))
