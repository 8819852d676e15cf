"""Accessible SVG charts drawn by the app: role="img" with a title and description, values written as text.

Colour is never the only carrier of meaning: every bar and cell has its number printed beside or in it, and the
two series of the trend chart differ by pattern as well as colour. The same data is always in a table too.
"""

from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
ROW = 28
LABEL_WIDTH = 230
BAR_WIDTH = 420


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


def bars(items: list[tuple[str, int]], title: str, desc: str) -> Markup:
    """Horizontal bars, one per (label, value), the value printed after each bar."""
    top = max((value for _label_text, value in items), default=0) or 1
    height = ROW * len(items) + 10
    body = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * ROW
        width = round(BAR_WIDTH * value / top)
        body.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">'
            f"{escape(_label(label))}</text>"
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW - 8}"/>'
            f'<text class="chart__value" x="{LABEL_WIDTH + width + 6}" y="{y + 18}">{value}</text>'
        )
    return _frame(LABEL_WIDTH + BAR_WIDTH + 60, height, title, desc, body)


def heat_map(rows: list[str], columns: list[str], values: dict[tuple[int, int], int], title: str, desc: str) -> Markup:
    """A grid whose cells darken with their value; every cell also prints its number."""
    cell_w, cell_h, head = 64, 30, 150
    top = max(values.values(), default=0) or 1
    width = LABEL_WIDTH + cell_w * len(columns) + 10
    height = head + cell_h * len(rows) + 10
    body = []
    for column, name in enumerate(columns):
        x = LABEL_WIDTH + column * cell_w + cell_w / 2
        body.append(
            f'<text class="chart__label" transform="translate({x + 4},{head - 6}) rotate(-55)">'
            f"{escape(_label(name, 24))}</text>"
        )
    for row, name in enumerate(rows):
        y = head + row * cell_h
        body.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 20}" text-anchor="end">'
            f"{escape(_label(name))}</text>"
        )
        for column in range(len(columns)):
            value = values.get((row, column), 0)
            level = 0 if value == 0 else 1 + min(3, int(4 * value / (top + 1)))
            x = LABEL_WIDTH + column * cell_w
            body.append(
                f'<rect class="chart__cell chart__cell--{level}" x="{x}" y="{y}" '
                f'width="{cell_w - 2}" height="{cell_h - 2}"/>'
                f'<text class="chart__cell-text chart__cell-text--{level}" x="{x + cell_w / 2 - 1}" y="{y + 19}" '
                f'text-anchor="middle">{value}</text>'
            )
    return _frame(width, height, title, desc, body)


def grouped_bars(groups: list[str], series: list[tuple[str, list[int]]], title: str, desc: str) -> Markup:
    """Vertical bars per group (e.g. quarter), two series told apart by pattern and a legend, values on top."""
    bar_w, gap, plot_h, base = 22, 18, 180, 230
    top = max((value for _name, values in series for value in values), default=0) or 1
    width = max(360, 50 + len(groups) * (bar_w * len(series) + gap))
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
        x = 50 + number * 220
        fill = 'class="chart__bar"' if number == 0 else 'class="chart__bar--alt" fill="url(#HATCH)"'
        body.append(
            f'<rect {fill} x="{x}" y="{base + 32}" width="16" height="16"/>'
            f'<text class="chart__label" x="{x + 22}" y="{base + 45}">{escape(name)}</text>'
        )
    return _frame(width, base + 60, title, desc, body)
