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


@dataclass(frozen=True)
class Earlier:
    """The approved assessments negative for the ground that touched one place: (id, case number, title)."""

    place: str
    assessments: list[tuple[int, str, str]]


def earlier_negatives(assessment: Assessment, ground_key: str, places: list[tuple[str, int, str]]) -> list[Earlier]:
    """For each place (kind "district" or "area", id, name) the proposal touches, the assessments approved (or
    decided) in the last twelve months whose answer on ``ground_key`` was negative and that named the place; the
    assessment itself and the version it amends are left out. One query."""
    if not places:
        return []
    district_ids = [key for kind, key, _name in places if kind == "district"]
    area_ids = [key for kind, key, _name in places if kind == "area"]
    negative = (
        sa.select(GroundAnswer.assessment_id)
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .where(Ground.key == ground_key, GroundAnswer.impact.in_(NEGATIVE))
    )
    others = [Assessment.id != assessment.id]
    if assessment.amends_id is not None:
        others.append(Assessment.id != assessment.amends_id)
    touched = sa.union_all(
        sa.select(
            assessment_districts.c.assessment_id.label("assessment_id"),
            sa.literal("district").label("kind"),
            assessment_districts.c.district_id.label("place_id"),
        ).where(assessment_districts.c.district_id.in_(district_ids or [-1])),
        sa.select(
            assessment_areas.c.assessment_id,
            sa.literal("area"),
            assessment_areas.c.area_id,
        ).where(assessment_areas.c.area_id.in_(area_ids or [-1])),
    ).subquery()
    rows = db.session.execute(
        sa.select(touched.c.kind, touched.c.place_id, Assessment.id, Assessment.case_number, Assessment.title)
        .join(Assessment, Assessment.id == touched.c.assessment_id)
        .where(
            Assessment.status.in_(IN_FORCE),
            Assessment.decided_at >= utcnow() - WINDOW,
            Assessment.id.in_(negative),
            *others,
        )
        .order_by(Assessment.decided_at, Assessment.id)
    ).all()
    found: dict[tuple[str, int], list] = {}
    for kind, place_id, assessment_id, case_number, title in rows:
        found.setdefault((kind, place_id), []).append((assessment_id, case_number, title))
    return [Earlier(name, found[(kind, key)]) for kind, key, name in places if (kind, key) in found]
