"""Voices and rights in figures: among the assessments a page counts, how many concern children, in how many children
were heard, in how many a right of the child is weakened, and how many heard nobody; and the consultations per kind
of group. The voices page counts them per department and year of creation among the assessments sent for review;
the dashboard counts them among the assessments its filters select, and the district view per district among the
approved ones.

Counted by the database: one query for the assessments, one for the consultations, whatever their number. Each
figure has the filters of the assessment list that shows the assessments behind it (``link_args`` or the figure's
own filter value), and counts exactly what that list shows: a figure's own filter (``children`` or
``involvement``) is replaced by the figure's value, the other filters kept, as the link does.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from impact.assessments import access
from impact.assessments.enums import IN_FORCE
from impact.assessments.filters import AssessmentFilterForm, children_is, involvement_is
from impact.assessments.models import Assessment, Consultation, GroupKind, assessment_districts
from impact.core.db import db
from impact.grounds.models import localized
from impact.org.models import Department, District
from impact.reports.quality import REVIEWED_STATES, DepartmentYear, year_created

# The filters each figure sets itself: the statements leave them out and each count puts them back (``_counts``).
OWN_FILTERS = {"children": "", "involvement": ""}
# The figures after the number of assessments: (filter, value) of the list behind each, in VoicesFigures' order.
FIGURES = (("children", "concerns"), ("children", "heard"), ("children", "weakened"), ("involvement", "none"))
IN_FORCE_VALUES = [state.value for state in IN_FORCE]


@dataclass(frozen=True)
class VoicesFigures:
    """The voices figures of one set of assessments (``assessments``)."""

    assessments: int
    concerns_children: int
    children_heard: int
    right_weakened: int
    nobody_heard: int

    share = DepartmentYear.share


NO_VOICES = VoicesFigures(0, 0, 0, 0, 0)


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


def _condition(name: str, value: str) -> sa.ColumnElement[bool]:
    return children_is(value) if name == "children" else involvement_is(value)


def _counts(filters: AssessmentFilterForm) -> list[sa.ColumnElement[int]]:
    """The assessments, then the four figures (``FIGURES``), in a statement filtered without ``OWN_FILTERS``: each
    counts the assessments that meet the filters with its own filter set to its value."""
    chosen = {name: filters.value(name) for name in OWN_FILTERS}

    def count(**figure) -> sa.ColumnElement[int]:
        values = {**chosen, **figure}
        conditions = [_condition(name, value) for name, value in values.items() if value]
        return sa.func.count(sa.case((sa.and_(sa.true(), *conditions), 1)))

    return [count(), *(count(**{name: value}) for name, value in FIGURES)]


def _visible(filters: AssessmentFilterForm, user, statement: sa.Select, **overrides) -> sa.Select:
    """``statement`` held to the assessments ``user`` may see that the filters (but ``OWN_FILTERS``) select."""
    return filters.apply(statement.where(access.visible_filter(user)), **{**OWN_FILTERS, **overrides})


def _scoped(filters: AssessmentFilterForm, user, statement: sa.Select) -> sa.Select:
    return _visible(filters, user, statement.where(Assessment.status.in_(REVIEWED_STATES)))


def voices_rows(filters: AssessmentFilterForm, user) -> list[VoicesRow]:
    """Per department and year of creation, among the assessments sent for review."""
    year = year_created().label("year")
    statement = (
        sa.select(Department.name, Department.code, year, *_counts(filters))
        .join(Department, Department.id == Assessment.department_id)
        .group_by(Department.name, Department.code, year)
        .order_by(Department.name, year.desc())
    )
    return [VoicesRow(*row) for row in db.session.execute(_scoped(filters, user, statement)) if row[3]]


def voices_totals(filters: AssessmentFilterForm, user) -> VoicesFigures:
    """For the dashboard: among every assessment the filters select (one query)."""
    statement = _visible(filters, user, sa.select(*_counts(filters)).select_from(Assessment))
    return VoicesFigures(*db.session.execute(statement).one())


def district_voices(filters: AssessmentFilterForm, user) -> dict[str, VoicesFigures]:
    """For the district view: per district, among the approved assessments (approved or decided) that touch it, as
    the view's other figures (one query). Districts without any are left out."""
    statement = (
        sa.select(District.name, *_counts(filters))
        .select_from(Assessment)
        .join(assessment_districts, assessment_districts.c.assessment_id == Assessment.id)
        .join(District, District.id == assessment_districts.c.district_id)
        .group_by(District.name)
    )
    rows = db.session.execute(_visible(filters, user, statement, status=IN_FORCE_VALUES))
    return {name: VoicesFigures(*counts) for name, *counts in rows if counts[0]}


def _kinds(*group_by) -> sa.Select:
    """Consultations and their assessments per kind of group (and ``group_by``), the most heard first. A kind's
    assessments are those of its list (``involvement=kind-<id>``), which the involvement filter would narrow: the
    statement is for ``_visible``, which leaves it out."""
    return (
        sa.select(
            *group_by,
            GroupKind.id,
            GroupKind.name_sv,
            GroupKind.name_en,
            sa.func.count(Consultation.id),
            sa.func.count(sa.distinct(Consultation.assessment_id)),
        )
        .select_from(Consultation)
        .join(Assessment, Assessment.id == Consultation.assessment_id)
        .outerjoin(GroupKind, GroupKind.id == Consultation.group_kind_id)
        .group_by(*group_by, GroupKind.id, GroupKind.name_sv, GroupKind.name_en)
        .order_by(*group_by, sa.func.count(Consultation.id).desc(), GroupKind.name_sv)
    )


def _kind_row(kind_id, name_sv, name_en, consultations, assessments) -> KindRow:
    return KindRow(kind_id, localized(name_sv, name_en) if kind_id is not None else "", consultations, assessments)


def _with_children_filter(filters: AssessmentFilterForm, statement: sa.Select) -> sa.Select:
    """The children filter back on a statement made by ``_visible`` (only the involvement filter is the kinds' own)."""
    if children := filters.value("children"):
        statement = statement.where(children_is(children))
    return statement


def kind_rows(filters: AssessmentFilterForm, user, reviewed: bool = True) -> list[KindRow]:
    """Consultations per kind of group in the assessments the filters select (only those sent for review when
    ``reviewed``), the most heard first."""
    statement = _with_children_filter(filters, _kinds())
    statement = _scoped(filters, user, statement) if reviewed else _visible(filters, user, statement)
    return [_kind_row(*row) for row in db.session.execute(statement)]


def district_kind_rows(filters: AssessmentFilterForm, user) -> dict[str, list[KindRow]]:
    """Per district, consultations per kind of group in the approved assessments that touch it (one query)."""
    statement = (
        _kinds(District.name)
        .join(assessment_districts, assessment_districts.c.assessment_id == Assessment.id)
        .join(District, District.id == assessment_districts.c.district_id)
    )
    statement = _visible(filters, user, _with_children_filter(filters, statement), status=IN_FORCE_VALUES)
    by_district: dict[str, list[KindRow]] = {}
    for name, *kind in db.session.execute(statement):
        by_district.setdefault(name, []).append(_kind_row(*kind))
    return by_district
