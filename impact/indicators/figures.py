"""The key figures a ground page shows: for each place the proposal touches and each indicator chosen for the
ground, the latest year's figure beside the previous year's and the municipality's (two queries in all)."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from impact.core.db import db
from impact.indicators.models import Indicator, IndicatorGround, IndicatorValue, Sex
from impact.org.models import Area, District

# A place: ("area" or "district", its id, its name).
Place = tuple[str, int, str]


def shown(value: IndicatorValue | None) -> str:
    """A figure as the page shows it: a number in the reader's language; for a figure the source marks as resting
    on few individuals, exactly what the source wrote; for one below the admin's threshold, "fewer than <n>" (the
    number is never shown, nor anything computed from it)."""
    if value is None:
        return ""
    if value.few or value.value is None:
        return value.shown or ".."
    if value.indicator.below_threshold(value):
        return _("fewer than %(num)d", num=value.indicator.few_below)
    return format_decimal(round(value.value, 4))


@dataclass(frozen=True)
class FigureRow:
    figure: IndicatorValue
    place: str
    previous: IndicatorValue | None
    municipality: IndicatorValue | None

    @property
    def indicator(self) -> Indicator:
        return self.figure.indicator

    @property
    def place_label(self) -> str:
        if self.figure.sex == Sex.total:
            return self.place
        return f"{self.place}, {self.figure.sex.label.lower()}"

    @property
    def copy_text(self) -> str:
        """What "copy into the evidence" adds: "<indicator> <place> <year>: <value> <unit> (källa: <source>)"."""
        # A mark ("..", "fewer than 5") is not a number of the unit.
        unit = f" {self.indicator.unit}" if self.indicator.unit and not self.figure.rests_on_few else ""
        text = _(
            "%(indicator)s %(place)s %(year)d: %(value)s%(unit)s (source: %(source)s)",
            indicator=self.indicator.name,
            place=self.place_label,
            year=self.figure.year,
            value=shown(self.figure),
            unit=unit,
            source=self.indicator.source,
        )
        if self.figure.example:
            text += " " + _("[example figure, not official statistics]")
        return text


def places_of(*records) -> list[Place]:
    """The districts and areas named by ``records`` (an assessment, a ground answer), each once, districts first.
    An area is named with its district, "Hässleholmen (Norrby)", as the form's lists name it: an area may share
    its district's name (Sjöbo in Sjöbo), and a table, chart or copied figure must say which place it is."""
    districts: dict[int, str] = {}
    area_ids: set[int] = set()
    for record in records:
        if record is None:
            continue
        districts.update((district.id, district.name) for district in record.districts)
        area_ids.update(area.id for area in record.areas)
    labels: dict[int, str] = {}
    if area_ids:  # the areas with their districts in one query, for their labels
        statement = sa.select(Area).options(sa.orm.joinedload(Area.district)).where(Area.id.in_(sorted(area_ids)))
        labels = {area.id: area.label for area in db.session.scalars(statement)}
    return [("district", key, name) for key, name in sorted(districts.items(), key=lambda item: item[1])] + [
        ("area", key, name) for key, name in sorted(labels.items(), key=lambda item: item[1])
    ]


def _place_key(kind: str, key: int) -> str:
    return f"{kind}:{key}"


def figure_rows(ground_key: str | None, places: Iterable[Place]) -> list[FigureRow]:
    """The rows of the ground's table of key figures for ``places``: per indicator chosen for the ground (for any
    ground when ``ground_key`` is None: the proposal's overview), place and sex, the latest year there is a figure
    for."""
    places = list(places)
    if not places:
        return []
    names = {_place_key(kind, key): name for kind, key, name in places}
    indicator_ids = sa.select(IndicatorGround.indicator_id)
    if ground_key is not None:
        indicator_ids = indicator_ids.where(IndicatorGround.ground_key == ground_key)
    values = db.session.scalars(
        sa.select(IndicatorValue)
        .join(IndicatorValue.indicator)
        .options(sa.orm.contains_eager(IndicatorValue.indicator))
        .where(
            IndicatorValue.indicator_id.in_(indicator_ids),
            IndicatorValue.place.in_([*names, "municipality"]),
        )
        .order_by(Indicator.name_sv, IndicatorValue.year.desc())
    ).all()
    by_key = {(v.indicator_id, v.place, v.sex, v.year): v for v in values}
    latest: dict[tuple, IndicatorValue] = {}
    for value in values:  # newest first
        latest.setdefault((value.indicator_id, value.place, value.sex), value)
    rows = []
    for (indicator_id, place, sex), value in latest.items():
        if place == "municipality":
            continue
        previous = next(
            (
                v
                for v in values
                if (v.indicator_id, v.place, v.sex) == (indicator_id, place, sex) and v.year < value.year
            ),
            None,
        )
        rows.append(
            FigureRow(value, names[place], previous, by_key.get((indicator_id, "municipality", sex, value.year)))
        )
    order = {key: position for position, key in enumerate(names)}
    sexes = list(Sex)
    rows.sort(key=lambda row: (row.indicator.name, order[row.figure.place], sexes.index(row.figure.sex)))
    return rows


def place_of(kind: str, key: int) -> District | Area | None:
    return db.session.get(District if kind == "district" else Area, key)
