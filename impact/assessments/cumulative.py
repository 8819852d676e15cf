"""Combined effects across decisions: the approved assessments of the last twelve months that were also negative
for a ground in the same district or area, so that an officer weighs them, not only the one proposal at hand.

Every ground page asks this for every district and area its question offers, so it is read from a small table,
``negative_impacts``: one row per assessment in force, ground it was negative on and place its proposal names, with
the moment it was approved. ``impact/reports/negative_impacts.py`` keeps the table exact in the transaction of every
change, as it keeps the dashboard's summary tables; the page then reads a year's rows of one ground by its key,
however many assessments there are in all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.assessments.enums import IN_FORCE, Impact
from impact.assessments.models import Assessment, GroundAnswer, assessment_areas, assessment_districts
from impact.core.db import UTCDateTime, db, utcnow
from impact.grounds.models import Ground

NEGATIVE = (Impact.negative, Impact.significantly_negative)
WINDOW = timedelta(days=365)


SHOWN = 10  # per place; the count says how many there are in all
PLACE_KINDS = ("district", "area")


class NegativeImpact(db.Model):
    """An assessment in force whose relevant answer on a ground was negative, at a place its proposal names.

    The primary key leads with what the notice asks (a ground, approvals since a moment) and holds every column
    the notice reads, so PostgreSQL answers it from the index alone. ``n`` is 1 while the row holds; a row that
    falls to 0 (the assessment was superseded, deleted, answered otherwise, moved) is removed at once. The
    assessment id has no foreign key on purpose: the row of a deleted assessment is removed at the commit that
    deletes it, by the same subtraction as any other change (a cascade would remove it first and the subtraction
    would then write a row of -1).
    """

    __tablename__ = "negative_impacts"

    ground_key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    place_kind: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    place_id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def negative_impact_rows(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """What the assessments ``where`` selects (all when None) contribute to ``negative_impacts``, grouped by its key:
    each assessment in force, each ground key its relevant answer was negative on and each district and area its
    proposal names."""
    places = sa.union_all(
        sa.select(
            assessment_districts.c.assessment_id,
            sa.literal("district").label("place_kind"),
            assessment_districts.c.district_id.label("place_id"),
        ),
        sa.select(
            assessment_areas.c.assessment_id,
            sa.literal("area").label("place_kind"),
            assessment_areas.c.area_id.label("place_id"),
        ),
    ).subquery("places")
    key = (Ground.key, Assessment.decided_at, places.c.place_kind, places.c.place_id, Assessment.id)
    statement = (
        sa.select(*key, sa.func.count().label("n"))
        .select_from(Assessment)
        .join(GroundAnswer, GroundAnswer.assessment_id == Assessment.id)
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .join(places, places.c.assessment_id == Assessment.id)
        .where(
            Assessment.status.in_(IN_FORCE),
            Assessment.decided_at.is_not(None),
            GroundAnswer.relevant.is_(True),
            GroundAnswer.impact.in_(NEGATIVE),
        )
        .group_by(*key)
    )
    return statement if where is None else statement.where(where)


@dataclass(frozen=True)
class Earlier:
    """The approved assessments negative for the ground that touched one place (kind "district" or "area", its id
    and name): how many, and the latest SHOWN of them as (id, case number, title)."""

    kind: str
    place_id: int
    place: str
    count: int
    assessments: list[tuple[int, str, str]]


def earlier_negatives(assessment: Assessment, ground_key: str, places: list[tuple[str, int, str]]) -> list[Earlier]:
    """For each place (kind "district" or "area", id, name) the proposal touches, the assessments approved (or
    decided) in the last twelve months whose relevant answer on ``ground_key`` was negative and whose proposal named
    the place; the assessment itself and the version it amends are left out. One query on ``negative_impacts``."""
    if not places:
        return []
    unique: dict[tuple[str, int], str] = {}  # each place once, by the name it first came with
    for kind, key, name in places:
        unique.setdefault((kind, key), name)
    places = [(kind, key, name) for (kind, key), name in unique.items()]
    table = NegativeImpact.__table__
    others = [assessment.id] if assessment.id is not None else []
    if assessment.amends_id is not None:
        others.append(assessment.amends_id)
    in_places = sa.or_(
        *(
            sa.and_(table.c.place_kind == kind, table.c.place_id.in_(ids))
            for kind in PLACE_KINDS
            if (ids := [key for place_kind, key, _name in places if place_kind == kind])
        )
    )
    place = (table.c.place_kind, table.c.place_id)
    # Per place, how many there are and the newest SHOWN of them: counted and cut by the database, so a page
    # asking about every district and area receives a few rows per place, however many assessments there were.
    ranked = (
        sa.select(
            *place,
            table.c.assessment_id,
            sa.func.count().over(partition_by=place).label("total"),
            sa.func.row_number()
            .over(partition_by=place, order_by=(table.c.decided_at.desc(), table.c.assessment_id.desc()))
            .label("position"),
        )
        .where(
            table.c.ground_key == ground_key,
            table.c.decided_at >= utcnow() - WINDOW,
            table.c.assessment_id.not_in(others),
            in_places,
        )
        .subquery("ranked")
    )
    rows = db.session.execute(
        sa.select(
            ranked.c.place_kind,
            ranked.c.place_id,
            Assessment.id,
            Assessment.case_number,
            Assessment.title,
            ranked.c.total,
        )
        .select_from(ranked)
        .join(Assessment, Assessment.id == ranked.c.assessment_id)
        .where(ranked.c.position <= SHOWN)
        .order_by(ranked.c.place_kind, ranked.c.place_id, ranked.c.position)
    ).all()
    found: dict[tuple[str, int], list] = {}
    totals: dict[tuple[str, int], int] = {}
    for kind, place_id, assessment_id, case_number, title, total in rows:
        found.setdefault((kind, place_id), []).append((assessment_id, case_number, title))
        totals[(kind, place_id)] = total
    return [
        Earlier(kind, key, name, totals[(kind, key)], found[(kind, key)])
        for kind, key, name in places
        if (kind, key) in found
    ]


@dataclass(frozen=True)
class Part:
    """One place's part of the notice on the page: ``reveal`` is the page's rule for showing it once the place is
    ticked on the ground (None for a place the proposal names: always shown), ``hidden`` whether it starts hidden."""

    earlier: Earlier
    reveal: str | None
    hidden: bool


@dataclass(frozen=True)
class Notice:
    parts: list[Part]
    reveal: str | None  # shown once any of its parts is; None when one always is
    hidden: bool


FIELDS = {"district": "districts", "area": "areas"}


def notice(earlier: list[Earlier], fixed: set[tuple[str, int]], ticked: dict[str, list[int]]) -> Notice | None:
    """How the page shows ``earlier``: a place the proposal names always; another place once the officer ticks it on
    the ground's question (``ticked`` by kind: what is saved or was just sent), so the notice is there the moment
    the officer names the place, not only after a save."""
    if not earlier:
        return None
    parts = []
    for found in earlier:
        if (found.kind, found.place_id) in fixed:
            parts.append(Part(found, None, False))
        else:
            rule = f"{FIELDS[found.kind]}={found.place_id}"
            parts.append(Part(found, rule, found.place_id not in (ticked.get(found.kind) or [])))
    if any(part.reveal is None for part in parts):
        return Notice(parts, None, False)
    ids: dict[str, list[str]] = {}
    for part in parts:
        ids.setdefault(FIELDS[part.earlier.kind], []).append(str(part.earlier.place_id))
    rule = ";".join(f"{field}={','.join(values)}" for field, values in ids.items())
    return Notice(parts, rule, all(part.hidden for part in parts))
