"""Combined effects across decisions: the approved assessments of the last twelve months that were also negative
for a ground in the same district or area, so that an officer weighs them, not only the one proposal at hand."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from impact.assessments.enums import IN_FORCE, Impact
from impact.assessments.models import Assessment, GroundAnswer, assessment_areas, assessment_districts
from impact.core.db import db, utcnow
from impact.grounds.models import Ground

NEGATIVE = (Impact.negative, Impact.significantly_negative)
WINDOW = timedelta(days=365)


SHOWN = 10  # per place; the count says how many there are in all


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
    decided) in the last twelve months whose answer on ``ground_key`` was negative and that named the place; the
    assessment itself and the version it amends are left out. Two queries (the ground's ids, then the rest), driven
    by the index on (status, decided_at): a year's approved assessments, not all a district's."""
    if not places:
        return []
    unique: dict[tuple[str, int], str] = {}  # each place once, by the name it first came with
    for kind, key, name in places:
        unique.setdefault((kind, key), name)
    places = [(kind, key, name) for (kind, key), name in unique.items()]
    ground_ids = db.session.scalars(sa.select(Ground.id).where(Ground.key == ground_key)).all()
    negative = (
        sa.exists()
        .where(
            GroundAnswer.assessment_id == Assessment.id,
            GroundAnswer.ground_id.in_(ground_ids),
            GroundAnswer.impact.in_(NEGATIVE),
        )
        .correlate(Assessment)
    )
    others = [Assessment.id != assessment.id]
    if assessment.amends_id is not None:
        others.append(Assessment.id != assessment.amends_id)
    # A year's approved assessments negative for the ground (by the index on status and decided_at), once; then
    # which of them named each place.
    candidates = (
        sa.select(Assessment.id, Assessment.case_number, Assessment.title, Assessment.decided_at)
        .where(Assessment.status.in_(IN_FORCE), Assessment.decided_at >= utcnow() - WINDOW, negative, *others)
        .cte("candidates")
    )
    district_ids = [key for kind, key, _name in places if kind == "district"]
    area_ids = [key for kind, key, _name in places if kind == "area"]
    parts = []
    for kind, link, column, ids in (
        ("district", assessment_districts, assessment_districts.c.district_id, district_ids),
        ("area", assessment_areas, assessment_areas.c.area_id, area_ids),
    ):
        if ids:
            parts.append(
                sa.select(sa.literal(kind).label("kind"), column.label("place_id"), candidates)
                .join(link, link.c.assessment_id == candidates.c.id)
                .where(column.in_(ids))
            )
    # Per place, how many there are and the newest SHOWN of them: counted and cut by the database, so a page
    # asking about every district and area receives a few rows per place, however many assessments there were.
    named = sa.union_all(*parts).subquery("named")
    place = (named.c.kind, named.c.place_id)
    ranked = sa.select(
        *place,
        named.c.id,
        named.c.case_number,
        named.c.title,
        sa.func.count().over(partition_by=place).label("total"),
        sa.func.row_number()
        .over(partition_by=place, order_by=(named.c.decided_at.desc(), named.c.id.desc()))
        .label("position"),
    ).subquery("ranked")
    rows = db.session.execute(
        sa.select(ranked.c.kind, ranked.c.place_id, ranked.c.id, ranked.c.case_number, ranked.c.title, ranked.c.total)
        .where(ranked.c.position <= SHOWN)
        .order_by(ranked.c.kind, ranked.c.place_id, ranked.c.position)
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
