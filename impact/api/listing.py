"""The API's list of assessments, read lean: the columns an item shows, not whole rows and their relationships.

Three queries whatever the page holds: the total, the page's assessments (with their department joined), and the
page's ground answers (four narrow columns with the ground's key). ``assessment_item`` in ``impact.api.serialize``
gives the same JSON from loaded objects (the single assessment uses it); ``tests/api/test_api_list_lean.py``
proves the two equal.
"""

from collections import defaultdict

import sqlalchemy as sa

from impact.assessments import access
from impact.assessments.enums import Outcome
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import Department


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def list_page(filters: AssessmentFilterForm, user, page: int, per_page: int) -> tuple[list[dict], int]:
    """The items of page ``page`` (newest first) of what ``user`` may see under ``filters``, and their total."""
    visible = access.visible_filter(user)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(filters.apply(sa.select(Assessment.id).where(visible)).subquery())
    )
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
                "grounds": grounds[aid],
            }
        )
    return items, total
