"""Charts drawn on the server as SVG: pure functions from plain data to escaped markup.

One module per chart kind (`stacked_bars`, `comparison_bars`, `heatmap`), sharing the
colour `palette`, the `axis` arithmetic and the `frame` every chart sits in: a title, a
description, a wide and a narrow drawing (so text stays readable on a phone) and a data
table for readers who cannot see the drawing. Nothing here touches the database or the
web framework, and every string that reaches the markup goes through `markupsafe.escape`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Series:
    """One coloured layer of a chart: a speaker's or a theme's values, one per bucket."""

    key: str
    label: str
    values: tuple[int, ...]
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Bucket:
    """One column of a time chart: `label` under the axis, `long_label` in tooltips."""

    label: str
    long_label: str
    href: str | None = None
