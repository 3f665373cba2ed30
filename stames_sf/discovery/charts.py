"""Stacked bar charts as inline SVG for the HTML report: no script, nothing fetched.

Each bar carries a `<title>` with its numbers, which browsers show on hover without any script.
Text goes through the `escape` the HTML writer hands in, so escaping and the email safety net
stay in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stames_sf.discovery import formatting as fmt
from stames_sf.discovery.document import Chart

Escape = Callable[[str], str]

PALETTE = ("#0b5cab", "#f28b00", "#2e844a", "#c23934", "#7f56d9", "#8a6d3b", "#00a1e0", "#6b7785")
FONT = 'font-family="system-ui,sans-serif" font-size="11" fill="#1d2733"'
LEGEND_ROW = 18
# Horizontal bars (categories such as statuses or size buckets).
LABEL_WIDTH = 150
BAR_SPACE = 300
VALUE_SPACE = 70
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_CHARS = 24
# Columns over time (months).
AXIS_WIDTH = 56
PLOT_HEIGHT = 200
AXIS_LABELS_HEIGHT = 18
TIME_WIDTH = 480
YEAR_LABEL_GAP = 34


def colour(series_index: int) -> str:
    return PALETTE[series_index % len(PALETTE)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _legend(series: Sequence[str], width: int, escape: Escape) -> tuple[list[str], int]:
    """Coloured keys laid out in rows; none for a single series. Returns the parts and their height."""
    if len(series) < 2:
        return [], 0
    parts: list[str] = []
    x, y = 0, 0
    for index, name in enumerate(series):
        item_width = 12 + 6 + 7 * len(_short(name)) + 14
        if x and x + item_width > width:
            x, y = 0, y + LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y + 2}" width="12" height="12" fill="{colour(index)}"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 12}" {FONT}>{escape(_short(name))}</text>')
        x += item_width
    return parts, y + LEGEND_ROW + 6


def _tooltip(chart: Chart, category: str, series: str, value: int, escape: Escape) -> str:
    where = category if len(chart.series) < 2 else f"{category} · {series}"
    return f"<title>{escape(where)}: {fmt.count(value)}</title>"


def _svg(title: str, width: int, height: int, parts: list[str], escape: Escape) -> str:
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>"
    )


def bars(chart: Chart, escape: Escape) -> str:
    """One horizontal bar per category, its series stacked left to right, the total at its end."""
    width = LABEL_WIDTH + BAR_SPACE + VALUE_SPACE
    parts, top = _legend(chart.series, width, escape)
    largest = max((sum(row) for row in chart.values), default=0) or 1
    for row_index, (category, row) in enumerate(zip(chart.categories, chart.values, strict=True)):
        y = top + row_index * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 3}" text-anchor="end" {FONT}>'
            f"{escape(_short(category))}</text>"
        )
        x = float(LABEL_WIDTH)
        for series_index, value in enumerate(row):
            if not value:
                continue
            length = max(value / largest * BAR_SPACE, 1.0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour(series_index)}">'
                f"{_tooltip(chart, category, chart.series[series_index], value, escape)}</rect>"
            )
            x += length
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 3}" {FONT}>{fmt.count(sum(row))}</text>')
    height = top + len(chart.categories) * ROW_HEIGHT
    return _svg(chart.title, width, height, parts, escape)


def columns(chart: Chart, escape: Escape) -> str:
    """One column per month, its series stacked bottom up; the first month of each year labelled."""
    count = len(chart.categories)
    step = max(2, min(24, TIME_WIDTH // max(count, 1)))
    width = AXIS_WIDTH + count * step + 10
    parts, top = _legend(chart.series, max(width, 300), escape)
    largest = max((sum(row) for row in chart.values), default=0) or 1
    base = top + PLOT_HEIGHT
    parts.append(
        f'<line x1="{AXIS_WIDTH}" y1="{top}" x2="{width}" y2="{top}" stroke="#d8dee6"/>'
        f'<line x1="{AXIS_WIDTH}" y1="{base}" x2="{width}" y2="{base}" stroke="#6b7785"/>'
        f'<text x="{AXIS_WIDTH - 6}" y="{top + 4}" text-anchor="end" {FONT}>{fmt.count(largest)}</text>'
        f'<text x="{AXIS_WIDTH - 6}" y="{base}" text-anchor="end" {FONT}>0</text>'
    )
    last_label = -YEAR_LABEL_GAP
    for index, (category, row) in enumerate(zip(chart.categories, chart.values, strict=True)):
        x = AXIS_WIDTH + index * step
        y = float(base)
        for series_index, value in enumerate(row):
            if not value:
                continue
            length = max(value / largest * PLOT_HEIGHT, 1.0)
            y -= length
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{max(step - 1, 1)}" height="{length:.1f}" '
                f'fill="{colour(series_index)}">'
                f"{_tooltip(chart, category, chart.series[series_index], value, escape)}</rect>"
            )
        new_year = index == 0 or category[:4] != chart.categories[index - 1][:4]
        if new_year and x - last_label >= YEAR_LABEL_GAP:
            label = category[:4] if category[:4].isdigit() else category
            parts.append(f'<text x="{x}" y="{base + 14}" {FONT}>{escape(label)}</text>')
            last_label = x
    return _svg(chart.title, max(width, 300), base + AXIS_LABELS_HEIGHT, parts, escape)


def svg_chart(chart: Chart, escape: Escape) -> str:
    return columns(chart, escape) if chart.over_time else bars(chart, escape)
