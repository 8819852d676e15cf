"""Loading an assessment for a view, with the access check, and what its page shows beside it."""

from collections.abc import Sequence

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, lazyload, selectinload

from impact.assessments import access
from impact.assessments.child_rights import ChildRights
from impact.assessments.models import Assessment, Consultation, GroundAnswer, Mitigation
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.core.db import db
from impact.core.request_cache import request_cache
from impact.grounds.models import Ground, TemplateVersion
from impact.org.models import Area

# People shown by name and department (impact/auth/people.py): the department joined, the roles not loaded.
PERSON = (lazyload(User.role_rows), joinedload(User.department, innerjoin=True))


def page_options() -> tuple:
    """Everything the assessment page shows, in a fixed number of queries whatever the number of answers.

    The assessment comes with its department, template version and involvement answers in one query; the grounds,
    the authors, the districts, the consultations with their kinds of group, the answers with the actions that
    address them, the answers' districts, and the action plan with its owners in one each.
    """
    return (
        joinedload(Assessment.department, innerjoin=True),
        joinedload(Assessment.involvement),
        joinedload(Assessment.child_rights).selectinload(ChildRights.effects),
        joinedload(Assessment.child_rights).selectinload(ChildRights.districts),
        selectinload(Assessment.consultations).joinedload(Consultation.group_kind),
        joinedload(Assessment.template_version, innerjoin=True)
        .selectinload(TemplateVersion.grounds)
        .lazyload(Ground.questions),  # the page shows ground names, never their guiding questions
        # Not joined: SQLite would build the whole authors ⨝ users join first (140 ms at 100,000 assessments).
        selectinload(Assessment.authors).options(*PERSON),
        selectinload(Assessment.districts),
        selectinload(Assessment.areas).joinedload(Area.district, innerjoin=True),
        selectinload(Assessment.answers).options(
            selectinload(GroundAnswer.mitigations),
            selectinload(GroundAnswer.districts),
            selectinload(GroundAnswer.areas).joinedload(Area.district, innerjoin=True),
        ),
        # The action plan with the grounds each action addresses (the answers above) and its owner.
        selectinload(Assessment.actions).options(
            selectinload(Mitigation.answers), joinedload(Mitigation.owner).options(*PERSON)
        ),
    )


def get_assessment_or_404(assessment_id: int, need: str = "view", options: Sequence = ()) -> Assessment:
    """The assessment, if ``current_user`` may ``need`` ("view", "edit" or "review") it.

    ``options`` are loader options (``page_options()``) for what the caller will show.
    404 when the user may not know it exists; 403 when they may see it but not do what they asked.
    """
    assessment = db.session.get(Assessment, assessment_id, options=options)
    if assessment is None or not access.can_view(assessment, current_user):
        abort(404)
    if need == "edit" and not access.can_edit(assessment, current_user):
        abort(403)
    if need == "review" and not access.can_review(assessment, current_user):
        abort(403)
    return assessment


def load_for_page(assessment: Assessment) -> None:
    """Load what ``page_options()`` loads onto an assessment fetched without them, in a fixed number of queries.

    Costs nothing when the view used ``page_options()``; otherwise a query for what is still missing (the
    review and check-your-answers pages load the assessment plainly and may already have read its answers).
    """
    loaded = {
        "answers",
        "authors",
        "districts",
        "areas",
        "template_version",
        "consultations",
        "involvement",
        "child_rights",
        "actions",
    }
    if loaded & sa.inspect(assessment).unloaded:
        db.session.scalars(
            sa.select(Assessment).where(Assessment.id == assessment.id).options(*page_options())
        ).unique().all()
    if any({"mitigations", "districts", "areas"} & sa.inspect(answer).unloaded for answer in assessment.answers):
        db.session.scalars(
            sa.select(GroundAnswer)
            .where(GroundAnswer.assessment_id == assessment.id)
            .options(
                selectinload(GroundAnswer.mitigations),
                selectinload(GroundAnswer.districts),
                selectinload(GroundAnswer.areas).joinedload(Area.district, innerjoin=True),
            )
        ).all()


def history_of(assessment: Assessment) -> list[AuditEvent]:
    """The assessment's audit events with their actors, oldest first; read once per request (page and panel)."""
    cache = request_cache("history")
    if assessment.id not in cache:
        cache[assessment.id] = list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.assessment_id == assessment.id)
                .options(joinedload(AuditEvent.actor).options(*PERSON))
                .order_by(AuditEvent.id)
            )
        )
    return cache[assessment.id]
