"""Axis arithmetic: round tick values and the labels that fit under a row of columns."""

from __future__ import annotations

import math


def nice_ticks(maximum: float, *, count: int = 4) -> list[int]:
    """Whole-number ticks from 0 to at least `maximum`, on a 1-2-5 step, about `count` of them."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    step = max(1, int(step))
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def label_every(count: int, *, available: float, label_width: float) -> int:
    """Show every n-th of `count` labels so that labels `label_width` wide do not collide."""
    if count <= 0:
        return 1
    fitting = max(1, int(available // label_width))
    return max(1, math.ceil(count / fitting))


def number(value: float) -> str:
    """A count as people read it: 1,234 (and no trailing .0)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def percent(share: float) -> str:
    """A share of 1 as a percentage: whole numbers, one decimal below 10%, "<1%" when tiny."""
    value = share * 100
    if value == 0:
        return "0%"
    if value < 1:
        return "<1%"
    if value < 10:
        return f"{value:.1f}%".replace(".0%", "%")
    return f"{value:.0f}%"


def counted(value: int, unit: str) -> str:
    """ "1 statement", "2 statements": the unit is given in the plural."""
    return f"{number(value)} {unit.removesuffix('s') if value == 1 else unit}"
