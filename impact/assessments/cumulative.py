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
    """The approved assessments negative for the ground that touched one place: how many, and the latest SHOWN of
    them as (id, case number, title)."""

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
    union = sa.union_all(*parts).subquery()
    rows = db.session.execute(
        sa.select(union.c.kind, union.c.place_id, union.c.id, union.c.case_number, union.c.title).order_by(
            union.c.decided_at.desc(), union.c.id.desc()
        )
    ).all()
    found: dict[tuple[str, int], list] = {}
    for kind, place_id, assessment_id, case_number, title in rows:
        found.setdefault((kind, place_id), []).append((assessment_id, case_number, title))
    return [
        Earlier(name, len(found[(kind, key)]), found[(kind, key)][:SHOWN])
        for kind, key, name in places
        if (kind, key) in found
    ]
