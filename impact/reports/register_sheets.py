"""The register's further sheets: one row per action (mitigation) and one row per assessment and district, with
the areas within that district the assessment names.

Both read the same assessments as the register (``register.visible_ids``) and stream like it: one query each,
fetched in batches, labels translated once per export.
"""

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from impact.assessments.enums import AssessmentStatus, MitigationStatus
from impact.assessments.models import (
    Assessment,
    GroundAnswer,
    Mitigation,
    assessment_areas,
    assessment_districts,
    mitigation_grounds,
)
from impact.auth.models import User
from impact.core.db import db
from impact.org.models import Area, Department, District
from impact.reports import register

ACTION_COLUMNS = (
    ("assessment_id", _l("Assessment id")),
    ("case_number", _l("Case number")),
    ("title", _l("Title")),
    ("department", _l("Department")),
    ("grounds", _l("Grounds")),
    ("description", _l("Action")),
    ("responsible", _l("Responsible")),
    ("owner", _l("Owner")),
    ("owner_department", _l("Owner's department")),
    ("due_date", _l("Due date")),
    ("status", _l("Status")),
    ("done", _l("What has been done")),
    ("dropped_reason", _l("Why it was dropped")),
)
DISTRICT_COLUMNS = (
    ("assessment_id", _l("Assessment id")),
    ("case_number", _l("Case number")),
    ("title", _l("Title")),
    ("department", _l("Department")),
    ("status", _l("Status")),
    ("created_at", _l("Created")),
    ("district", _l("District")),
    ("areas", _l("Areas within the district")),
)
# Between area names while they are gathered; sorted and joined with ", " afterwards (aggregation has no order).
_SEPARATOR = "\x1f"


def actions_statement(ids: sa.Select) -> sa.Select:
    """One row per action of the assessments in ``ids``, in the register's order.

    The grounds an action addresses are one text of ground ids separated by commas, gathered per action.
    """
    owner, owner_department = aliased(User), aliased(Department)
    grounds = (
        sa.select(sa.func.aggregate_strings(sa.cast(GroundAnswer.ground_id, sa.String), ","))
        .join(mitigation_grounds, mitigation_grounds.c.ground_answer_id == GroundAnswer.id)
        .where(mitigation_grounds.c.mitigation_id == Mitigation.id)
        .correlate(Mitigation)
        .scalar_subquery()
    )
    return (
        sa.select(
            Assessment.id,
            Assessment.case_number,
            Assessment.title,
            Department.name,
            grounds,
            Mitigation.description,
            Mitigation.responsible,
            owner.name,
            owner_department.name,
            Mitigation.due_date,
            sa.type_coerce(Mitigation.status, sa.String),
            Mitigation.outcome,
            Mitigation.dropped_reason,
        )
        .select_from(Mitigation)
        .join(Assessment, Assessment.id == Mitigation.assessment_id)
        .join(Department, Department.id == Assessment.department_id)
        .outerjoin(owner, owner.id == Mitigation.owner_id)
        .outerjoin(owner_department, owner_department.id == owner.department_id)
        .where(Assessment.id.in_(ids))
        .order_by(Assessment.created_at, Assessment.id, Mitigation.id)
    )


def action_rows(ids: sa.Select) -> Iterator[tuple]:
    """The actions sheet's rows, as tuples in ``ACTION_COLUMNS`` order (run when first read)."""
    statement = actions_statement(ids).execution_options(yield_per=register.BATCH)
    return _action_rows(statement)


def _action_rows(statement: sa.Select) -> Iterator[tuple]:
    statuses = {status.value: str(status.label) for status in MitigationStatus}
    grounds = register.GroundNames()
    for row in db.session.connection().execute(statement):
        (aid, case, title, department, ground_ids, description, responsible, owner, owner_department) = row[:9]
        (due, status, done, dropped) = row[9:]
        ordered = sorted(int(ground_id) for ground_id in (ground_ids or "").split(",") if ground_id)
        names = ", ".join(grounds[ground_id][1] for ground_id in ordered)
        yield (
            aid,
            case,
            title,
            department,
            names,
            description,
            responsible,
            owner,
            owner_department,
            due,
            statuses[status],
            done,
            dropped,
        )


def districts_statement(ids: sa.Select) -> sa.Select:
    """One row per assessment in ``ids`` and district it concerns (named, or through an area within it: areas roll
    up to their district), with the areas within that district it names; one row for an assessment about the whole
    municipality, or one that names no district yet.

    One row per district rather than per area, so that the rows under a district are the assessments that touch
    it, each once, as the district view counts them; the areas are the detail beside it."""
    places = sa.union(
        sa.select(assessment_districts.c.assessment_id, assessment_districts.c.district_id),
        sa.select(assessment_areas.c.assessment_id, Area.district_id).join(Area, Area.id == assessment_areas.c.area_id),
    ).subquery("places")
    areas = (
        sa.select(sa.func.aggregate_strings(Area.name, _SEPARATOR))
        .join(assessment_areas, assessment_areas.c.area_id == Area.id)
        .where(assessment_areas.c.assessment_id == Assessment.id, Area.district_id == District.id)
        .correlate(Assessment, District)
        .scalar_subquery()
    )
    return (
        sa.select(
            Assessment.id,
            Assessment.case_number,
            Assessment.title,
            Department.name,
            sa.type_coerce(Assessment.status, sa.String),
            Assessment.created_at,
            District.name,
            areas,
            Assessment.whole_municipality,
        )
        .join(Department, Department.id == Assessment.department_id)
        .outerjoin(places, places.c.assessment_id == Assessment.id)
        .outerjoin(District, District.id == places.c.district_id)
        .where(Assessment.id.in_(ids))
        .order_by(Assessment.created_at, Assessment.id, District.name)
    )


def district_rows(ids: sa.Select) -> Iterator[tuple]:
    """The districts sheet's rows, as tuples in ``DISTRICT_COLUMNS`` order (run when first read)."""
    statement = districts_statement(ids).execution_options(yield_per=register.BATCH)
    return _district_rows(statement)


def _district_rows(statement: sa.Select) -> Iterator[tuple]:
    statuses = {status.value: str(status.label) for status in AssessmentStatus}
    whole = _("The whole municipality")
    for aid, case, title, department, status, created, district, areas, everywhere in db.session.connection().execute(
        statement
    ):
        named = ", ".join(sorted(areas.split(_SEPARATOR))) if areas else None
        yield (
            aid,
            case,
            title,
            department,
            statuses[status],
            created,
            district or (whole if everywhere else None),
            named,
        )
