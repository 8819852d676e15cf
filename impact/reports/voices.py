"""Voices and rights for auditors: per department and year of creation, among the assessments sent for review,
how many concern children, in how many children were heard, in how many a right of the child is weakened, and how
many heard nobody; and the consultations per kind of group.

Counted by the database: one query for the assessments, one for the consultations, whatever their number. Each
figure has the filters of the assessment list that shows the assessments behind it (``link_args``).
"""

from dataclasses import dataclass

import sqlalchemy as sa

from impact.assessments import access
from impact.assessments.filters import AssessmentFilterForm, children_is, involvement_is
from impact.assessments.models import Assessment, Consultation, GroupKind
from impact.core.db import db
from impact.grounds.models import localized
from impact.org.models import Department
from impact.reports.quality import REVIEWED_STATES, DepartmentYear, year_created


@dataclass(frozen=True)
class VoicesRow(DepartmentYear):
    department: str
    code: str
    year: int
    assessments: int
    concerns_children: int
    children_heard: int
    right_weakened: int
    nobody_heard: int


@dataclass(frozen=True)
class KindRow:
    """Consultations of one kind of group (``kind_id`` None: groups the officers named themselves)."""

    kind_id: int | None
    name: str
    consultations: int
    assessments: int

    @property
    def involvement(self) -> str | None:
        return f"kind-{self.kind_id}" if self.kind_id is not None else None


def _scoped(filters: AssessmentFilterForm, user, statement: sa.Select) -> sa.Select:
    return filters.apply(statement.where(access.visible_filter(user), Assessment.status.in_(REVIEWED_STATES)))


def voices_rows(filters: AssessmentFilterForm, user) -> list[VoicesRow]:
    year = year_created().label("year")

    def count(condition) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((condition, 1)))

    statement = (
        sa.select(
            Department.name,
            Department.code,
            year,
            sa.func.count().label("assessments"),
            count(children_is("concerns")),
            count(children_is("heard")),
            count(children_is("weakened")),
            count(involvement_is("none")),
        )
        .join(Department, Department.id == Assessment.department_id)
        .group_by(Department.name, Department.code, year)
        .order_by(Department.name, year.desc())
    )
    return [VoicesRow(*row) for row in db.session.execute(_scoped(filters, user, statement))]


def kind_rows(filters: AssessmentFilterForm, user) -> list[KindRow]:
    """Consultations per kind of group in the assessments the filters select, the most heard first."""
    statement = (
        sa.select(
            GroupKind.id,
            GroupKind.name_sv,
            GroupKind.name_en,
            sa.func.count(Consultation.id),
            sa.func.count(sa.distinct(Consultation.assessment_id)),
        )
        .select_from(Consultation)
        .join(Assessment, Assessment.id == Consultation.assessment_id)
        .outerjoin(GroupKind, GroupKind.id == Consultation.group_kind_id)
        .group_by(GroupKind.id, GroupKind.name_sv, GroupKind.name_en)
        .order_by(sa.func.count(Consultation.id).desc(), GroupKind.name_sv)
    )
    rows = db.session.execute(_scoped(filters, user, statement))
    return [
        KindRow(kind_id, localized(name_sv, name_en) if kind_id is not None else "", consultations, assessments)
        for kind_id, name_sv, name_en, consultations, assessments in rows
    ]
