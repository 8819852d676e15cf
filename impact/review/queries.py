"""The review feature's queries: the reviewer's queue (with its filters) and what is overdue in follow-up.

Views render what these return; the start page counts from the same statements.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Length, Optional

from impact.assessments import access, due
from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.models import Assessment, Mitigation, assessment_authors
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.core.params import on_or_after, on_or_before
from impact.org.models import Department


class QueueFilterForm(ImpactForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Title or case number"), validators=[Optional(), Length(max=200)])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=True)
    submitted_from = DateField(_l("Submitted from"), validators=[Optional()])
    submitted_to = DateField(_l("Submitted to"), validators=[Optional()])


def queue_statement(user, filters: QueueFilterForm | None = None) -> sa.Select:
    """Submitted assessments ``user`` may decide (their remit, not their own), oldest first."""
    authored = sa.exists().where(
        assessment_authors.c.assessment_id == Assessment.id, assessment_authors.c.user_id == user.id
    )
    statement = sa.select(Assessment).where(Assessment.status == AssessmentStatus.submitted, ~authored)
    if not user.municipality_wide:
        statement = statement.where(Assessment.department_id == user.department_id)
    if filters is not None:
        valid = {f.name: f.data for f in filters if f.data not in (None, "") and not f.errors}
        if text := valid.get("q"):
            pattern = f"%{text.lower()}%"
            statement = statement.where(
                sa.or_(
                    sa.func.lower(Assessment.title).like(pattern), sa.func.lower(Assessment.case_number).like(pattern)
                )
            )
        if code := valid.get("department"):
            statement = statement.where(
                Assessment.department_id == sa.select(Department.id).where(Department.code == code).scalar_subquery()
            )
        if start := valid.get("submitted_from"):
            statement = statement.where(on_or_after(Assessment.submitted_at, start))
        if end := valid.get("submitted_to"):
            statement = statement.where(on_or_before(Assessment.submitted_at, end))
    return statement.options(sa.orm.joinedload(Assessment.department)).order_by(Assessment.submitted_at, Assessment.id)


def overdue_work(user, today: date) -> dict[str, dict[str, list]]:
    """Overdue mitigations and follow-ups of approved assessments ``user`` may see, per department name (sorted):
    {"mitigations": [(mitigation, assessment), ...], "follow_ups": [assessment, ...]}. Two queries."""
    visible = access.visible_filter(user)
    mitigations = db.session.execute(
        sa.select(Mitigation, Assessment)
        .join(Assessment, Mitigation.assessment_id == Assessment.id)
        .where(visible, Assessment.status.in_(IN_FORCE), due.overdue_mitigation(today))
        .options(sa.orm.joinedload(Assessment.department), sa.orm.joinedload(Mitigation.owner))
        .order_by(Assessment.department_id, Mitigation.due_date, Mitigation.id)
    ).all()
    follow_ups = db.session.scalars(
        sa.select(Assessment)
        .where(visible, due.overdue_follow_up(today))
        .options(sa.orm.joinedload(Assessment.department))
        .order_by(Assessment.department_id, Assessment.follow_up_date, Assessment.id)
    ).all()
    departments: dict[str, dict[str, list]] = {}
    for item, assessment in mitigations:
        departments.setdefault(assessment.department.name, {"mitigations": [], "follow_ups": []})["mitigations"].append(
            (item, assessment)
        )
    for assessment in follow_ups:
        departments.setdefault(assessment.department.name, {"mitigations": [], "follow_ups": []})["follow_ups"].append(
            assessment
        )
    return dict(sorted(departments.items()))
