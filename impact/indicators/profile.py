"""A district's or an area's profile: its key figures over the years, and the approved assessments that touched it
with how their impacts fell per ground, year by year. Counts of assessments are public records: shown as they are."""

from collections import defaultdict

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import login_required

from impact.assessments.enums import IN_FORCE, Impact
from impact.assessments.models import Assessment, GroundAnswer, assessment_areas, assessment_districts
from impact.core.db import db
from impact.grounds.models import Ground, reportable_ground_names
from impact.indicators import bp
from impact.indicators.models import Indicator, IndicatorValue, Sex
from impact.org.models import Area, District

CLASSES = {
    Impact.significantly_negative: "negative",
    Impact.negative: "negative",
    Impact.neutral: "neutral",
    Impact.positive: "positive",
    Impact.significantly_positive: "positive",
}
LISTED = 200


@bp.get("/")
@login_required
def index():
    districts = db.session.scalars(sa.select(District).where(District.active).order_by(District.name)).all()
    areas = defaultdict(list)
    for area in db.session.scalars(sa.select(Area).where(Area.active).order_by(Area.name)):
        areas[area.district_id].append(area)
    return render_template("indicators/index.html", districts=districts, areas=areas)


def _figures(place: str) -> list[tuple[Indicator, list[int], list[Sex], dict, dict]]:
    """Per indicator with figures for ``place``: (indicator, years newest first, the sexes given, the place's
    figures by (year, sex), the municipality's by (year, sex))."""
    given_here = sa.select(IndicatorValue.indicator_id).where(IndicatorValue.place == place)
    values = db.session.scalars(
        sa.select(IndicatorValue)
        .join(IndicatorValue.indicator)
        .options(sa.orm.contains_eager(IndicatorValue.indicator))
        .where(
            IndicatorValue.indicator_id.in_(given_here),
            IndicatorValue.place.in_([place, "municipality"]),
        )
        .order_by(Indicator.name_sv, IndicatorValue.year.desc())
    ).all()
    tables: dict[int, tuple] = {}
    for value in values:
        indicator, years, sexes, own, municipality = tables.setdefault(
            value.indicator_id, (value.indicator, [], [], {}, {})
        )
        if value.place == place:
            own[(value.year, value.sex)] = value
            if value.year not in years:
                years.append(value.year)
            if value.sex not in sexes:
                sexes.append(value.sex)
        else:
            municipality[(value.year, value.sex)] = value
    order = list(Sex)
    for _indicator, _years, sexes, _own, _municipality in tables.values():
        sexes.sort(key=order.index)
    return list(tables.values())


def _touching(level: str, place_id: int):
    link = assessment_areas if level == "area" else assessment_districts
    column = link.c.area_id if level == "area" else link.c.district_id
    return sa.select(link.c.assessment_id).where(column == place_id)


def _impacts(level: str, place_id: int) -> tuple[list[int], dict]:
    """The years with approved assessments that touched the place, and {(ground key, year): {class: count}}."""
    year = sa.extract("year", Assessment.decided_at)
    rows = db.session.execute(
        sa.select(Ground.key, year.label("year"), GroundAnswer.impact, sa.func.count())
        .select_from(GroundAnswer)
        .join(Assessment, Assessment.id == GroundAnswer.assessment_id)
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .where(
            Assessment.status.in_(IN_FORCE),
            Assessment.id.in_(_touching(level, place_id)),
            GroundAnswer.impact.in_(list(CLASSES)),
        )
        .group_by(Ground.key, year, GroundAnswer.impact)
    ).all()
    counts: dict = defaultdict(lambda: {"negative": 0, "neutral": 0, "positive": 0})
    years = set()
    for key, found_year, impact, count in rows:
        counts[(key, int(found_year))][CLASSES[impact]] += count
        years.add(int(found_year))
    return sorted(years), counts


@bp.get("/<any(district, area):level>/<int:place_id>")
@login_required
def profile(level: str, place_id: int):
    place = db.session.get(Area if level == "area" else District, place_id)
    if place is None:
        abort(404)
    assessments = db.session.execute(
        sa.select(Assessment.id, Assessment.case_number, Assessment.title, Assessment.decided_at)
        .where(Assessment.status.in_(IN_FORCE), Assessment.id.in_(_touching(level, place_id)))
        .order_by(Assessment.decided_at.desc(), Assessment.id.desc())
        .limit(LISTED)
    ).all()
    total = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Assessment)
        .where(Assessment.status.in_(IN_FORCE), Assessment.id.in_(_touching(level, place_id)))
    )
    years, counts = _impacts(level, place_id)
    areas = (
        db.session.scalars(sa.select(Area).where(Area.district_id == place_id).order_by(Area.name)).all()
        if level == "district"
        else []
    )
    return render_template(
        "indicators/profile.html",
        place=place,
        level=level,
        areas=areas,
        figures=_figures(f"{level}:{place_id}"),
        assessments=assessments,
        total=total,
        listed=LISTED,
        years=years,
        counts=counts,
        grounds=[(key, name) for key, name in reportable_ground_names() if any((key, y) in counts for y in years)],
    )
