"""Accessible SVG charts drawn by the app: role="img" with a title and description, values written as text.

Colour is never the only carrier of meaning: every bar and cell has its number printed beside or in it, and the
two series of the trend chart differ by pattern as well as colour. The same data is always in a table too.
"""

import math
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
ROW = 28
LABEL_WIDTH = 230
BAR_WIDTH = 420
# A generous width of one character of the 13 px labels: SVG text does not wrap or report its size on the
# server, so room for labels is reserved from their length, and a label is never clipped at the chart's edge.
CHAR_WIDTH = 7.5
# Column labels of the heat map are turned this much (degrees) so long ground names fit above narrow columns.
TILT = 55


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    number = next(_ids)
    # Every piece of text in the SVG went through escape(); the rest is numbers and fixed markup.
    return Markup(  # noqa: S704  # nosec B704
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title-{number} chart-desc-{number}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title-{number}">{escape(title)}</title><desc id="chart-desc-{number}">{escape(desc)}</desc>'
        '<defs><pattern id="hatch-' + str(number) + '" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="chart__hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="chart__hatch-line"/></pattern></defs>'
        + "".join(body).replace("HATCH", f"hatch-{number}")
        + "</svg>"
    )


def _label(text: str, limit: int = 32) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_width(texts, limit: int = 32) -> float:
    """The room (px) the longest of ``texts`` takes once shortened to ``limit`` characters."""
    return max((len(_label(text, limit)) for text in texts), default=0) * CHAR_WIDTH


def bars(items: list[tuple[str, int]], title: str, desc: str) -> Markup:
    """Horizontal bars, one per (label, value), the value printed after each bar."""
    top = max((value for _label_text, value in items), default=0) or 1
    label_width = max(LABEL_WIDTH, round(_text_width(label for label, _value in items)) + 16)
    height = ROW * len(items) + 10
    body = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * ROW
        width = round(BAR_WIDTH * value / top)
        body.append(
            f'<text class="chart__label" x="{label_width - 8}" y="{y + 18}" text-anchor="end">'
            f"{escape(_label(label))}</text>"
            f'<rect class="chart__bar" x="{label_width}" y="{y + 4}" width="{width}" height="{ROW - 8}"/>'
            f'<text class="chart__value" x="{label_width + width + 6}" y="{y + 18}">{value}</text>'
        )
    return _frame(label_width + BAR_WIDTH + 60, height, title, desc, body)


def heat_map(rows: list[str], columns: list[str], values: dict[tuple[int, int], int], title: str, desc: str) -> Markup:
    """A grid whose cells darken with their value; every cell also prints its number."""
    cell_w, cell_h, column_limit = 64, 30, 44
    # The turned column labels need room above the grid and, for the last columns, to the right of it.
    longest = _text_width(columns, column_limit)
    head = round(longest * math.sin(math.radians(TILT))) + 24
    overhang = round(longest * math.cos(math.radians(TILT)) - cell_w / 2) + 12
    label_width = round(_text_width(rows)) + 16
    top = max(values.values(), default=0) or 1
    width = label_width + cell_w * len(columns) + max(10, overhang)
    height = head + cell_h * len(rows) + 10
    body = []
    for column, name in enumerate(columns):
        x = label_width + column * cell_w + cell_w / 2
        body.append(
            f'<text class="chart__label" transform="translate({x + 4},{head - 6}) rotate(-{TILT})">'
            f"{escape(_label(name, column_limit))}</text>"
        )
    for row, name in enumerate(rows):
        y = head + row * cell_h
        body.append(
            f'<text class="chart__label" x="{label_width - 8}" y="{y + 20}" text-anchor="end">'
            f"{escape(_label(name))}</text>"
        )
        for column in range(len(columns)):
            value = values.get((row, column), 0)
            level = 0 if value == 0 else 1 + min(3, int(4 * value / (top + 1)))
            x = label_width + column * cell_w
            body.append(
                f'<rect class="chart__cell chart__cell--{level}" x="{x}" y="{y}" '
                f'width="{cell_w - 2}" height="{cell_h - 2}"/>'
                f'<text class="chart__cell-text chart__cell-text--{level}" x="{x + cell_w / 2 - 1}" y="{y + 19}" '
                f'text-anchor="middle">{value}</text>'
            )
    return _frame(width, height, title, desc, body)


def grouped_bars(groups: list[str], series: list[tuple[str, list[int]]], title: str, desc: str) -> Markup:
    """Vertical bars per group (e.g. quarter), two series told apart by pattern and a legend, values on top."""
    bar_w, gap, plot_h, base, legend_row = 22, 18, 180, 230, 24
    top = max((value for _name, values in series for value in values), default=0) or 1
    # The legend lists the series one under the other, below the axis, each wholly inside the chart.
    legend_width = 50 + 22 + _text_width((name for name, _values in series), 60) + 10
    width = round(max(360, 50 + len(groups) * (bar_w * len(series) + gap), legend_width))
    body = [
        f'<line class="chart__axis" x1="40" y1="{base}" x2="{width - 10}" y2="{base}"/>',
    ]
    for index, group in enumerate(groups):
        x0 = 50 + index * (bar_w * len(series) + gap)
        for number, (_name, values) in enumerate(series):
            value = values[index]
            h = round(plot_h * value / top)
            fill = 'class="chart__bar"' if number == 0 else 'class="chart__bar--alt" fill="url(#HATCH)"'
            x = x0 + number * bar_w
            body.append(
                f'<rect {fill} x="{x}" y="{base - h}" width="{bar_w - 2}" height="{h}"/>'
                f'<text class="chart__value" x="{x + bar_w / 2 - 1}" y="{base - h - 4}" '
                f'text-anchor="middle">{value}</text>'
            )
        body.append(
            f'<text class="chart__label" x="{x0 + bar_w * len(series) / 2}" y="{base + 18}" text-anchor="middle">'
            f"{escape(group)}</text>"
        )
    for number, (name, _values) in enumerate(series):
        y = base + 32 + number * legend_row
        fill = 'class="chart__bar"' if number == 0 else 'class="chart__bar--alt" fill="url(#HATCH)"'
        body.append(
            f'<rect {fill} x="50" y="{y}" width="16" height="16"/>'
            f'<text class="chart__label" x="72" y="{y + 13}">{escape(_label(name, 60))}</text>'
        )
    return _frame(width, base + 36 + len(series) * legend_row, title, desc, body)
