"""Charts are pure functions from data to SVG: escaped, labelled, legible, with their numbers."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from app.charts import Bucket, Series
from app.charts.axis import counted, label_every, nice_ticks, percent
from app.charts.comparison_bars import ShareRow, comparison_bars
from app.charts.heatmap import NARROW_COLUMNS, HeatmapRow, heatmap
from app.charts.palette import OTHER, PALETTE, PagePalette, assign_colours, colour_for
from app.charts.stacked_bars import stacked_bars

HOSTILE = '<script>alert("x")</script> & Co'


def months(count: int) -> list[Bucket]:
    return [Bucket(f"M{i}", f"Month {i}", f"/statements?m={i}&x=1") for i in range(count)]


def svgs(markup: str) -> list[ElementTree.Element]:
    """Every <svg> in the markup, parsed as XML: proof that the drawing is well formed."""
    return [ElementTree.fromstring(found) for found in re.findall(r"<svg.*?</svg>", markup, re.S)]


def volume_chart() -> str:
    return stacked_bars(
        chart_id="volume",
        title="Statements over time",
        description="Three months of statements",
        buckets=months(3),
        series=[
            Series("sergey-lavrov", HOSTILE, (1, 0, 4), "/speakers/sergey-lavrov"),
            Series("other", "Other speakers", (2, 2, 0)),
        ],
    )


def test_stacked_bars_escape_every_label_and_stay_well_formed_svg():
    markup = volume_chart()
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert len(svgs(markup)) == 2, "a wide and a narrow drawing"


def test_every_drawing_is_labelled_by_its_own_title_and_description():
    markup = volume_chart()
    for variant in ("wide", "narrow"):
        assert f'aria-labelledby="volume-{variant}-title volume-{variant}-desc"' in markup
        assert f'<title id="volume-{variant}-title">Statements over time</title>' in markup
        assert f'<desc id="volume-{variant}-desc">Three months of statements</desc>' in markup


def test_stacked_bars_carry_a_data_table_with_totals_and_a_linked_legend():
    markup = volume_chart()
    table = markup[markup.index("<table") :]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert re.findall(r">([^<>]+)</t[hd]>", rows[1]) == ["Month 0", "1", "2", "3"]
    assert re.findall(r">([^<>]+)</t[hd]>", rows[3]) == ["Month 2", "4", "0", "4"]
    assert '<a href="/speakers/sergey-lavrov">' in markup
    assert 'href="/statements?m=0&amp;x=1"' in markup, "columns link to their period, escaped"


def test_an_empty_chart_says_so_instead_of_drawing_nothing():
    markup = stacked_bars(
        chart_id="empty", title="Nothing", description="none", buckets=[], series=[]
    )
    assert "No dated statements" in markup


def test_comparison_bars_mark_the_baseline_and_explain_it():
    markup = comparison_bars(
        chart_id="shares",
        title="Speakers it quotes",
        description="shares",
        rows=[ShareRow("maria-zakharova", "Maria Zakharova", 1, 0.5, 1 / 6, "/speakers/m")],
    )
    assert "<title>average of all outlets: 17%</title>" in markup
    assert "The dark mark on each bar is the average of all outlets." in markup
    assert "<title>Maria Zakharova: 1 statement, 50%</title>" in markup
    assert len(svgs(markup)) == 2


def test_heatmap_shades_by_count_and_shows_the_newest_months_on_a_phone():
    columns = months(NARROW_COLUMNS + 6)
    markup = heatmap(
        chart_id="heat",
        title="Themes month by month",
        description="themes",
        columns=columns,
        rows=[HeatmapRow("sanctions", "Sanctions", tuple(range(len(columns))), "/themes/s")],
    )
    wide, narrow = svgs(markup)
    namespace = "{http://www.w3.org/2000/svg}"
    assert len(wide.findall(f".//{namespace}rect")) == len(columns)
    assert len(narrow.findall(f".//{namespace}rect")) == NARROW_COLUMNS
    assert "Sanctions · Month 17: 17 statements" in markup
    assert "the darkest holds 17" in markup


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (9, [0, 5, 10]),
        (23, [0, 10, 20, 30]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_ticks_are_round_numbers_covering_the_maximum(maximum, ticks):
    assert nice_ticks(maximum, count=4) == ticks


def test_labels_are_thinned_so_they_never_collide():
    assert label_every(36, available=360, label_width=50) == 6
    assert label_every(3, available=360, label_width=50) == 1


@pytest.mark.parametrize(
    ("share", "shown"), [(0, "0%"), (0.004, "<1%"), (0.056, "5.6%"), (0.05, "5%"), (0.333, "33%")]
)
def test_percentages_read_as_people_write_them(share, shown):
    assert percent(share) == shown


def test_units_agree_with_their_number():
    assert counted(1, "statements") == "1 statement"
    assert counted(1200, "statements") == "1,200 statements"


def test_a_name_keeps_its_colour_and_one_chart_never_repeats_a_colour():
    assert colour_for("sergey-lavrov") == colour_for("sergey-lavrov")
    keys = [f"speaker-{i}" for i in range(len(PALETTE))]
    colours = assign_colours(keys)
    assert len(set(colours.values())) == len(PALETTE)
    assert assign_colours(["other"]) == {"other": OTHER}


def test_a_page_palette_gives_each_name_one_colour_and_no_two_names_the_same():
    palette = PagePalette()
    first = [palette.colour("speaker", f"speaker-{i}") for i in range(6)]
    assert len(set(first)) == 6
    assert palette.colour("speaker", "speaker-3") == first[3], "the same name keeps its colour"
    assert palette.colour("theme", "speaker-3") == colour_for("speaker-3"), "kinds are separate"
