"""The API's list of assessments, read lean: the columns an item shows, not whole rows and their relationships.

A few small queries whatever the page holds: the total (from the dashboard's summary table when no filter is
given), the page's assessments (with their department joined), the page's ground answers (four narrow columns
with the ground's key), and the page's districts and areas (one query for both). ``assessment_item`` in
``impact.api.serialize`` gives the same JSON from loaded objects (the single assessment uses it);
``tests/api/test_api_list_lean.py`` proves the two equal.
"""

from collections import defaultdict

import sqlalchemy as sa

from impact.assessments import access
from impact.assessments.enums import Outcome
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import (
    Assessment,
    GroundAnswer,
    assessment_areas,
    assessment_authors,
    assessment_districts,
)
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import Area, Department, District
from impact.reports.assessment_counts import AssessmentCount


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _total(filters: AssessmentFilterForm, user, visible: sa.ColumnElement[bool]) -> int:
    """How many assessments ``user`` may see under ``filters``.

    Without filters, from the dashboard's summary table (kept exact in every transaction that changes an
    assessment's department or status): the departments and statuses the user may read, plus the assessments they
    co-author outside those, which are few and found through the authors' index. With filters, counted live.
    """
    if filters.to_args():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(filters.apply(sa.select(Assessment.id).where(visible)).subquery())
        )
    kept = sa.select(sa.func.coalesce(sa.func.sum(AssessmentCount.n), 0)).where(
        access.visible_by_status(user, AssessmentCount.status, AssessmentCount.department_id, as_text=True)
    )
    authored_elsewhere = (
        sa.select(sa.func.count())
        .select_from(assessment_authors)
        .join(Assessment, Assessment.id == assessment_authors.c.assessment_id)
        .where(
            assessment_authors.c.user_id == user.id,
            sa.not_(access.visible_by_status(user, Assessment.status, Assessment.department_id)),
        )
    )
    # One round trip for both.
    return int(db.session.scalar(sa.select(kept.scalar_subquery() + authored_elsewhere.scalar_subquery())))


def list_page(filters: AssessmentFilterForm, user, page: int, per_page: int) -> tuple[list[dict], int]:
    """The items of page ``page`` (newest first) of what ``user`` may see under ``filters``, and their total."""
    visible = access.visible_filter(user)
    total = _total(filters, user, visible)
    statement = (
        filters.apply(
            sa.select(
                Assessment.id,
                Assessment.title,
                Assessment.case_number,
                Department.code,
                Department.name,
                Assessment.status,
                Assessment.created_at,
                Assessment.updated_at,
                Assessment.submitted_at,
                Assessment.decided_at,
                Assessment.affects_people,
                Assessment.analysis_outcome,
            )
            .join(Department, Department.id == Assessment.department_id)
            .where(visible)
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = db.session.execute(statement).all()
    if not rows:
        return [], total
    grounds: dict[int, list[dict]] = defaultdict(list)
    answers = (
        sa.select(GroundAnswer.assessment_id, Ground.key, GroundAnswer.relevant, GroundAnswer.impact)
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .where(GroundAnswer.assessment_id.in_([row[0] for row in rows]))
        .order_by(GroundAnswer.id)
    )
    for assessment_id, key, relevant, impact in db.session.execute(answers):
        score = impact.score if impact is not None and relevant else None
        grounds[assessment_id].append({"key": key, "relevant": relevant, "score": score})
    districts, areas = _places([row[0] for row in rows])
    items = []
    for aid, title, case, code, name, status, created, updated, submitted, decided, affects, outcome in rows:
        # The outcome as reported (Assessment.outcome): screening only implies that no major change is needed.
        outcome = Outcome.no_major_change if affects is False else outcome
        items.append(
            {
                "id": aid,
                "title": title,
                "case_number": case,
                "department": {"code": code, "name": name},
                "status": status.value,
                "created_at": _iso(created),
                "updated_at": _iso(updated),
                "submitted_at": _iso(submitted),
                "decided_at": _iso(decided),
                "outcome": outcome.value if outcome else None,
                "districts": districts[aid],
                "areas": areas[aid],
                "grounds": grounds[aid],
            }
        )
    return items, total


def _places(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[dict]]]:
    """The districts (names) and areas (code, name, district) the assessments ``ids`` name, each in the order the
    whole object gives them (by name), from one query."""
    named = (
        sa.select(
            assessment_districts.c.assessment_id,
            sa.literal(None, sa.String).label("code"),
            District.name.label("name"),
            sa.literal(None, sa.String).label("district"),
        )
        .join(District, District.id == assessment_districts.c.district_id)
        .where(assessment_districts.c.assessment_id.in_(ids))
    )
    within = (
        sa.select(assessment_areas.c.assessment_id, Area.code, Area.name, District.name)
        .join(Area, Area.id == assessment_areas.c.area_id)
        .join(District, District.id == Area.district_id)
        .where(assessment_areas.c.assessment_id.in_(ids))
    )
    places = sa.union_all(named, within).subquery()
    districts: dict[int, list[str]] = defaultdict(list)
    areas: dict[int, list[dict]] = defaultdict(list)
    for assessment_id, code, name, district in db.session.execute(
        sa.select(places).order_by(places.c.name, places.c.code)
    ):
        if code is None:
            districts[assessment_id].append(name)
        else:
            areas[assessment_id].append({"code": code, "name": name, "district": district})
    return districts, areas
