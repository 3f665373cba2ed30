"""SVG bar charts drawn from hand-written numbers: lengths follow the values, text is escaped."""

import html
import re

from stames_sf.discovery.charts import BAR_SPACE, PLOT_HEIGHT, bars, columns
from stames_sf.discovery.document import Chart, table_of


def _chart(categories, series, values, over_time=False) -> Chart:
    return Chart(
        "Test", tuple(categories), tuple(series), tuple(map(tuple, values)), table_of(["x"], []), over_time
    )


def _rects(svg: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'(\w+)="([^"]*)"', attributes)) for attributes in re.findall(r"<rect ([^>]*)>", svg)
    ]


def test_bar_lengths_are_proportional_and_the_longest_fills_the_space():
    svg = bars(_chart(["a", "b"], ["Files"], [[1], [4]]), html.escape)
    widths = [float(rect["width"]) for rect in _rects(svg)]
    assert widths == [BAR_SPACE / 4, BAR_SPACE]
    assert "<title>a: 1</title>" in svg


def test_stacked_parts_sit_end_to_end_with_a_legend_and_zero_parts_left_out():
    svg = bars(_chart(["open"], ["high", "low", "none"], [[3, 0, 1]]), html.escape)
    parts = [rect for rect in _rects(svg) if "fill" in rect and rect.get("width") != "12"]
    assert len(parts) == 2
    assert float(parts[0]["x"]) + float(parts[0]["width"]) == float(parts[1]["x"])
    assert "<title>open · high: 3</title>" in svg
    assert ">high</text>" in svg and ">none</text>" in svg  # the legend


def test_months_are_columns_with_their_height_and_empty_months_as_gaps():
    months = ["2023-11", "2023-12", "2024-01", "2024-02"]
    svg = columns(_chart(months, ["email"], [[2], [0], [0], [1]], True), html.escape)
    heights = [float(rect["height"]) for rect in _rects(svg)]
    assert heights == [PLOT_HEIGHT, PLOT_HEIGHT / 2]
    assert ">2023</text>" in svg and ">2024</text>" in svg  # each year labelled at its first month


def test_labels_are_escaped_by_the_writer_given_escape():
    svg = bars(_chart(['<script>alert("x")</script>'], ["n"], [[1]]), html.escape)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
