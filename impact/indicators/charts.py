"""Small SVG charts beside the tables of key figures, drawn on the server in the house style of the reports' charts
(``impact/reports/charts.py``, which this layer may not import): role="img" with a title and a description that
says every figure in words, and every bar with its figure printed after it.

The charts are narrow (a phone's width) and draw one bar a row, its label above it, so they stay legible on a
phone. The municipality's bars are hatched as well as coloured, so colour is never the only difference. A figure
resting on few individuals is never drawn: its row prints the mark ("..", "fewer than 5") instead of a bar. The
table beside each chart stays the full, accessible source.
"""

from itertools import count

from flask_babel import gettext as _
from markupsafe import Markup, escape

from impact.indicators.figures import FigureRow, shown
from impact.indicators.models import Indicator, IndicatorValue, Sex

_ids = count(1)
WIDTH = 360
BAR_MAX = 230  # px for the largest figure; the rest of the width holds its printed value
BAR = 18
LINE = 16  # a label's line above its bar
GAP = 10
LEGEND_ROW = 22
CHART_YEARS = 6  # the profile's chart draws the latest six years (a phone's screen of bars); the table has them all


def _frame(height: int, title: str, desc: str, body: list[str]) -> Markup:
    number = next(_ids)
    # Every piece of text in the SVG went through escape(); the rest is numbers and fixed markup.
    return Markup(  # noqa: S704  # nosec B704
        f'<svg class="figure-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="figure-chart-title-{number} figure-chart-desc-{number}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="figure-chart-title-{number}">{escape(title)}</title>'
        f'<desc id="figure-chart-desc-{number}">{escape(desc)}</desc>'
        f'<defs><pattern id="figure-hatch-{number}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="figure-chart__hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="figure-chart__hatch-line"/></pattern></defs>'
        + "".join(body).replace("HATCH", f"figure-hatch-{number}")
        + "</svg>"
    )


def _label(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _drawn(value: IndicatorValue | None) -> bool:
    return value is not None and not value.rests_on_few


def _said(value: IndicatorValue | None, unit: str) -> str:
    """The figure as the chart prints it: the number and unit, the mark for few individuals, or "no figure"."""
    if value is None:
        return _("no figure")
    text = shown(value) + (f" {unit}" if unit and not value.rests_on_few else "")
    return text + " " + _("(few individuals)") if value.rests_on_few else text


def _bar(y: int, value: IndicatorValue | None, top: float, unit: str, municipality: bool) -> str:
    """One row's bar and its printed figure at ``y``; a figure resting on few individuals gets its mark only."""
    text = escape(_said(value, unit))
    if not _drawn(value):
        return f'<text class="figure-chart__value" x="0" y="{y + 14}">{text}</text>'
    width = max(1, round(BAR_MAX * max(value.value, 0) / top)) if top else 1
    fill = 'class="figure-chart__bar--alt" fill="url(#HATCH)"' if municipality else 'class="figure-chart__bar"'
    return (
        f'<rect {fill} x="0" y="{y}" width="{width}" height="{BAR}"/>'
        f'<text class="figure-chart__value" x="{width + 6}" y="{y + 14}">{text}</text>'
    )


def _top(values) -> float:
    return max((value.value for value in values if _drawn(value)), default=0) or 0


def comparison(rows: list[FigureRow]) -> Markup | None:
    """Bars of one indicator's latest year for the places of a ground page, then the municipality's: None when
    there is nothing to compare (one figure, or none that can be drawn)."""
    totals = [row for row in rows if row.figure.sex == Sex.total]
    if not totals:
        return None
    year = max(row.figure.year for row in totals)
    totals = [row for row in totals if row.figure.year == year]
    indicator: Indicator = totals[0].indicator
    municipality = totals[0].municipality
    items = [(row.place, row.figure, False) for row in totals]
    if municipality is not None:
        items.append((_("The municipality"), municipality, True))
    if len(items) < 2 or not any(_drawn(value) for _label_text, value, _alt in items):
        return None
    top = _top(value for _label_text, value, _alt in items)
    body, y = [], 0
    for label, value, alt in items:
        body.append(f'<text class="figure-chart__label" x="0" y="{y + 12}">{escape(_label(label))}</text>')
        body.append(_bar(y + LINE, value, top, indicator.unit, alt))
        y += LINE + BAR + GAP
    title = _("%(indicator)s %(year)d: the places compared with the municipality", indicator=indicator.name, year=year)
    desc = "; ".join(f"{label}: {_said(value, indicator.unit)}" for label, value, _alt in items) + "."
    return _frame(y, title, desc, body)


def over_years(
    indicator: Indicator, place: str, years: list[int], sexes: list[Sex], own: dict, municipality: dict
) -> Markup | None:
    """Bars per year (oldest first) of the place's total figure and the municipality's, with a legend: None when
    fewer than two years have a figure that can be drawn."""
    sex = Sex.total if Sex.total in sexes else (sexes[0] if sexes else Sex.total)
    years = sorted(years)[-CHART_YEARS:]
    pairs = [(year, own.get((year, sex)), municipality.get((year, sex))) for year in years]
    if sum(1 for _year, value, _other in pairs if _drawn(value)) < 2:
        return None
    top = _top(value for _year, here, there in pairs for value in (here, there))
    name = place if sex == Sex.total else f"{place}, {sex.label.lower()}"
    body = []
    for number, (label, alt) in enumerate(((name, False), (_("The municipality"), True))):
        y = number * LEGEND_ROW
        fill = (
            'class="figure-chart__bar--alt figure-chart__key" fill="url(#HATCH)"'
            if alt
            else 'class="figure-chart__bar figure-chart__key"'
        )
        body.append(
            f'<rect {fill} x="0" y="{y}" width="16" height="16"/>'
            f'<text class="figure-chart__label" x="22" y="{y + 13}">{escape(_label(label, 42))}</text>'
        )
    y = 2 * LEGEND_ROW + GAP
    for year, here, there in pairs:
        body.append(f'<text class="figure-chart__label figure-chart__year" x="0" y="{y + 12}">{year}</text>')
        body.append(_bar(y + LINE, here, top, indicator.unit, False))
        body.append(_bar(y + LINE + BAR + 4, there, top, indicator.unit, True))
        y += LINE + 2 * BAR + 4 + GAP
    title = _(
        "%(indicator)s in %(place)s and the municipality, %(first)d–%(last)d",
        indicator=indicator.name,
        place=name,
        first=years[0],
        last=years[-1],
    )
    desc = " ".join(
        _(
            "%(year)d: %(place)s %(here)s, the municipality %(there)s.",
            year=year,
            place=name,
            here=_said(here, indicator.unit),
            there=_said(there, indicator.unit),
        )
        for year, here, there in pairs
    )
    return _frame(y, title, desc, body)
