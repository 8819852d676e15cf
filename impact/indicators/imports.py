"""Reading key figures from CSV and importing them, all or nothing.

The long format in which Kolada and SCB tables export: one figure a row, with a header row naming the columns (in
any order, Swedish or English names). Required: area code (an area's code, a district's name, or the
municipality's code, 1490 for Borås), indicator code, indicator name in Swedish, year, value and source.
Optional: indicator name in English, unit, source link, sex (total/women/men; kvinnor/män/totalt; K/M/T), few
(the source marks the figure as resting on few individuals: ja/yes/x/1), individuals (how many individuals the
figure rests on, a whole number: what an admin's threshold for few individuals compares) and example (example
figures, not official statistics). Swedish Excel's semicolons, decimal commas and UTF-8 byte-order mark are
accepted, as are commas. A file with any bad row imports nothing and says which lines are wrong; importing a year
of an indicator again replaces what that year held.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.indicators.models import Indicator, IndicatorValue, Sex
from impact.org.models import Area, District

COLUMNS = {
    "area_code": ("områdeskod", "område", "områdes-id", "area code", "area_code", "area"),
    "indicator_code": ("nyckeltalskod", "nyckeltal-id", "indicator code", "indicator_code", "kpi"),
    "name_sv": ("nyckeltal", "namn", "nyckeltal (sv)", "namn (sv)", "indicator name sv", "indicator_name_sv"),
    "name_en": ("nyckeltal (en)", "namn (en)", "indicator name en", "indicator_name_en"),
    "year": ("år", "year", "period"),
    "value": ("värde", "value"),
    "unit": ("enhet", "unit"),
    "sex": ("kön", "sex", "gender"),
    "source": ("källa", "source"),
    "source_url": ("källänk", "länk", "source link", "source_url"),
    "few": ("få", "få individer", "few", "few individuals"),
    "individuals": ("antal individer", "individer", "individuals", "number of individuals"),
    "example": ("exempel", "example"),
}
REQUIRED = ("area_code", "indicator_code", "name_sv", "year", "value", "source")
LIMITS = {"area_code": 40, "indicator_code": 60, "name_sv": 300, "name_en": 300, "unit": 40, "source": 200}
LIMITS["source_url"] = 500
SEXES = {
    "": Sex.total,
    "t": Sex.total,
    "total": Sex.total,
    "totalt": Sex.total,
    "alla": Sex.total,
    "k": Sex.women,
    "kvinnor": Sex.women,
    "women": Sex.women,
    "w": Sex.women,
    "f": Sex.women,
    "m": Sex.men,
    "män": Sex.men,
    "men": Sex.men,
}
YES = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
NO = {"", "nej", "n", "no", "0", "false", "falskt"}
MAX_ROWS = 100_000
MAX_PROBLEMS = 50


class IndicatorImportError(Refusal):
    """The file cannot be imported; ``problems`` lists what is wrong, line by line (at most the first 50)."""

    def __init__(self, message, problems: list | None = None):
        super().__init__(message, field="file")
        self.problems = problems or []


@dataclass(frozen=True)
class ImportResult:
    figures: int
    indicators: int
    new_indicators: int
    replaced: int  # figures of the same indicators and years there were before, now replaced


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorImportError(_l("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")) from None


def read_rows(data: bytes, on_row: Callable[[], None] | None = None) -> list[tuple[int, dict]]:
    """The rows of the file as (line, dict of the columns); raises IndicatorImportError naming every bad line.
    ``on_row`` is called after each row read (a background import's progress, which may stop it there).

    Checks each row on its own (numbers, years, lengths, the sex and the flags); the places and duplicates are
    checked against the database by ``import_indicators``.
    """
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise IndicatorImportError(_l("The file is empty."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    positions = {}
    for key, names in COLUMNS.items():
        found = [number for number, cell in enumerate(header) if cell in names]
        if found:
            positions[key] = found[0]
        elif key in REQUIRED:
            raise IndicatorImportError(
                _l("The header row has no column for %(column)s.", column=_column_name(key)),
                [
                    _l(
                        "Expected columns: områdeskod; nyckeltalskod; nyckeltal; år; värde; källa (and optionally "
                        "nyckeltal (en); enhet; kön; källänk; få; antal individer)."
                    )
                ],
            )
    rows, problems = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # an empty line, as spreadsheets leave at the end
        row, wrong = _row(cells, positions, decimal_comma=delimiter == ";")
        problems += [_l("Line %(line)d: %(problem)s", line=line, problem=problem) for problem in wrong]
        rows.append((line, row))
        if on_row is not None:
            on_row()
        if len(rows) > MAX_ROWS:
            raise IndicatorImportError(_l("The file has more than %(max)d figures; split it.", max=MAX_ROWS))
    if problems:
        raise _refusal(problems)
    if not rows:
        raise IndicatorImportError(_l("The file has a header row but no figures."))
    return rows


def _refusal(problems: list) -> IndicatorImportError:
    return IndicatorImportError(
        _l("Nothing was imported: %(count)d lines need correcting.", count=len(problems)), problems[:MAX_PROBLEMS]
    )


def _cell(cells: list[str], positions: dict[str, int], key: str) -> str:
    position = positions.get(key)
    return cells[position].strip() if position is not None and position < len(cells) else ""


def _number(text: str, decimal_comma: bool) -> float | None:
    """The value as a number; spaces (thousands) are ignored, and a decimal comma is read as a point."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if decimal_comma or ("," in cleaned and "." not in cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() and abs(number) < Decimal(10) ** 15 else None


def _row(cells: list[str], positions: dict[str, int], *, decimal_comma: bool) -> tuple[dict, list]:
    row = {key: _cell(cells, positions, key) for key in COLUMNS}
    wrong = []
    for key in REQUIRED:
        if key != "value" and not row[key]:
            wrong.append(_l("%(column)s is missing.", column=_column_name(key)))
    for key, limit in LIMITS.items():
        if len(row[key]) > limit:
            wrong.append(_l("%(column)s is longer than %(max)d characters.", column=_column_name(key), max=limit))
    if row["year"]:
        if row["year"].isdigit() and 1900 <= int(row["year"]) <= 2200:
            row["year"] = int(row["year"])
        else:
            wrong.append(_l("“%(value)s” is not a year like 2025.", value=row["year"][:40]))
    for flag in ("few", "example"):
        text = row[flag].lower()
        if text not in YES | NO:
            wrong.append(_l("“%(value)s” is not yes or no (ja or nej).", value=row[flag][:40]))
        row[flag] = text in YES
    sex = SEXES.get(row["sex"].lower())
    if sex is None:
        wrong.append(_l("“%(value)s” is not a sex the import knows: total, kvinnor or män.", value=row["sex"][:40]))
    row["sex"] = sex
    if row["individuals"]:
        count = row["individuals"].replace("\u00a0", "").replace(" ", "")
        if count.isascii() and count.isdigit() and len(count) <= 9:
            row["individuals"] = int(count)
        else:
            wrong.append(_l("“%(value)s” is not a whole number of individuals.", value=row["individuals"][:40]))
    else:
        row["individuals"] = None
    row["shown"] = row["value"][:40]
    if not row["value"]:
        row["value"] = None
        if not row["few"]:
            wrong.append(
                _l("The value is missing. Mark a figure the source leaves out for few individuals in the column “få”.")
            )
    else:
        number = _number(row["value"], decimal_comma)
        if number is None and not row["few"]:
            wrong.append(_l("“%(value)s” is not a number.", value=row["value"][:40]))
        row["value"] = number
    if row["source_url"] and not row["source_url"].startswith(("https://", "http://")):
        wrong.append(_l("The source link must start with https://."))
    return row, wrong


def _column_name(key: str):
    return {
        "area_code": _l("the area code"),
        "indicator_code": _l("the indicator code"),
        "name_sv": _l("the indicator's name in Swedish"),
        "name_en": _l("the indicator's name in English"),
        "year": _l("the year"),
        "value": _l("the value"),
        "unit": _l("the unit"),
        "sex": _l("the sex"),
        "source": _l("the source"),
        "source_url": _l("the source link"),
        "few": _l("few individuals"),
        "individuals": _l("the number of individuals"),
        "example": _l("example"),
    }[key]


def _places() -> dict[str, tuple[str, int | None, int | None]]:
    """Every code a file may use for a place, folded to lower case: → (place key, area id, district id)."""
    places = {current_app.config["MUNICIPALITY_CODE"].lower(): ("municipality", None, None)}
    for district_id, name in db.session.execute(sa.select(District.id, District.name)):
        places[name.lower()] = (f"district:{district_id}", None, district_id)
    for area_id, code in db.session.execute(sa.select(Area.id, Area.code)):
        places[code.lower()] = (f"area:{area_id}", area_id, None)
    return places


def import_indicators(data: bytes, actor, on_row: Callable[[], None] | None = None) -> ImportResult:
    """Import the figures of the file (the caller commits): new indicators are created, their names, unit and source
    updated, and each indicator's years in the file replace what those years held. Raises IndicatorImportError."""
    rows = read_rows(data, on_row)
    places = _places()
    problems, seen = [], {}
    for line, row in rows:
        place = places.get(row["area_code"].lower())
        if place is None:
            problems.append(
                _l(
                    "Line %(line)d: no area, district or municipality has the code “%(code)s”.",
                    line=line,
                    code=row["area_code"][:40],
                )
            )
            continue
        row["place"], row["area_id"], row["district_id"] = place
        key = (row["indicator_code"], row["year"], row["sex"], row["place"])
        if key in seen:
            problems.append(_l("Line %(line)d: the same figure as on line %(first)d.", line=line, first=seen[key]))
        seen.setdefault(key, line)
    if problems:
        raise _refusal(problems)

    codes = sorted({row["indicator_code"] for _line, row in rows})
    indicators = {
        indicator.code: indicator
        for indicator in db.session.scalars(sa.select(Indicator).where(Indicator.code.in_(codes)))
    }
    new, named = 0, set()
    for _line, row in rows:  # the first row of each indicator names it
        if row["indicator_code"] in named:
            continue
        named.add(row["indicator_code"])
        indicator = indicators.get(row["indicator_code"])
        if indicator is None:
            indicator = Indicator(code=row["indicator_code"])
            db.session.add(indicator)
            indicators[indicator.code] = indicator
            new += 1
        indicator.name_sv, indicator.name_en = row["name_sv"], row["name_en"]
        indicator.unit, indicator.source, indicator.source_url = row["unit"], row["source"], row["source_url"]
    db.session.flush()

    years = {(indicators[row["indicator_code"]].id, row["year"]) for _line, row in rows}
    replaced = 0
    for indicator_id in {indicator_id for indicator_id, _year in years}:
        these = sorted(year for other, year in years if other == indicator_id)
        result = db.session.execute(
            sa.delete(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.year.in_(these))
        )
        replaced += result.rowcount or 0
    actor_id = getattr(actor, "id", None)
    db.session.execute(
        sa.insert(IndicatorValue),
        [
            {
                "indicator_id": indicators[row["indicator_code"]].id,
                "area_id": row["area_id"],
                "district_id": row["district_id"],
                "place": row["place"],
                "year": row["year"],
                "sex": row["sex"],
                "value": row["value"],
                "shown": row["shown"],
                "few": row["few"],
                "individuals": row["individuals"],
                "example": row["example"],
                "imported_by_id": actor_id,
            }
            for _line, row in rows
        ],
    )
    result = ImportResult(figures=len(rows), indicators=len(codes), new_indicators=new, replaced=replaced)
    trail.record(
        "indicators.import",
        actor=actor,
        changes={
            "figures": result.figures,
            "replaced": result.replaced,
            "indicators": codes[:100],
            "years": sorted({year for _indicator, year in years}),
        },
    )
    return result
