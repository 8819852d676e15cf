"""The cumulative picture for auditors: per year of approval, district and ground, how many assessments in force
(approved or decided) were negative on the ground and touched the district, named or through an area within it.

Each assessment counts once per district, ground and year, however many of the district's areas it names. These
are counts of assessments, public records once approved, so they are shown as they are. One grouped query on the
derived table ``negative_impacts`` (impact/assessments/cumulative.py) gives every cell and every total; each
cell's link opens the assessment list under the same conditions (``link_args``), so the list shows the same
assessments.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField
from wtforms.validators import Optional, ValidationError

from impact.assessments import access
from impact.assessments.cumulative import NegativeImpact
from impact.assessments.enums import IN_FORCE
from impact.assessments.models import Assessment
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.core.timefmt import day_start, local_today
from impact.grounds.models import reportable_ground_names
from impact.org.models import Area, Department, District
from impact.reports.scope import own_department_only

ROLES = (Role.auditor, Role.reviewer, Role.admin)
FIRST_YEAR = 2000  # before any assessment in Impact; a year earlier is a typing error
SHOWN_YEARS = 3  # the default: this year and the two before
MOST_YEARS = 10  # one table a year: a page of more is no longer read
IN_FORCE_VALUES = [state.value for state in IN_FORCE]


def may_see_cumulative(user) -> bool:
    """Auditors, reviewers and admins read the cumulative view (their remit's figures, as on the dashboard)."""
    return user.has_role(*ROLES)


class CumulativeForm(ImpactForm):
    """Read from the query string (GET, no CSRF). Build with ``cumulative_form(user, request.args)``."""

    class Meta:
        csrf = False

    year_from = IntegerField(_l("From year"), validators=[Optional()])
    year_to = IntegerField(_l("To year"), validators=[Optional()])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=True)
    ground = SelectField(_l("Ground"), validators=[Optional()], validate_choice=True)
    district = SelectField(_l("District"), validators=[Optional()], validate_choice=True)

    def _check_year(self, field) -> None:
        last = local_today().year
        if field.data is not None and not FIRST_YEAR <= field.data <= last:
            raise ValidationError(_l("Enter a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=last))

    def validate_year_from(self, field) -> None:
        self._check_year(field)

    def validate_year_to(self, field) -> None:
        self._check_year(field)
        start = self.year_from.data
        if field.data is None or start is None or self.year_from.errors:
            return
        if field.data < start:
            raise ValidationError(_l("The last year must be the first year or later."))
        if field.data - start >= MOST_YEARS:
            raise ValidationError(_l("Choose at most %(num)d years.", num=MOST_YEARS))

    def years(self) -> list[int]:
        """The years asked for, newest first: by default this year and the two before; the default also stands in
        for a year that did not validate (the page then says why)."""
        last = local_today().year
        start = self.year_from.data if self.year_from.data is not None and not self.year_from.errors else None
        end = self.year_to.data if self.year_to.data is not None and not self.year_to.errors else None
        if end is None:
            end = last if start is None else min(last, start + SHOWN_YEARS - 1)
        if start is None or start > end or end - start >= MOST_YEARS:
            start = max(FIRST_YEAR, end - SHOWN_YEARS + 1)
        return list(range(end, start - 1, -1))

    def value(self, name: str) -> str | None:
        """A select's value, or None when it is empty or did not validate."""
        chosen = self[name]
        return chosen.data if chosen.data and not chosen.errors else None


def cumulative_form(user, args, districts: list[tuple[int, str, bool]]) -> CumulativeForm:
    """The form read from ``args``, held to the user's remit as the dashboard's filters are (a user whose figures
    are their own department's gets only that department)."""
    args = MultiDict(args)
    own = own_department_only(user)
    if own:
        args.setlist("department", [user.department.code])
    form = CumulativeForm(formdata=args)
    if own:
        form.department.choices = [(user.department.code, user.department.name)]
    else:
        departments = db.session.execute(sa.select(Department.code, Department.name).order_by(Department.name))
        form.department.choices = [("", _l("All departments")), *departments.tuples()]
    form.ground.choices = [("", _l("All grounds")), *reportable_ground_names()]
    form.district.choices = [("", _l("All districts")), *((name, name) for _id, name, _active in districts)]
    form.validate()
    # The years shown stand in the boxes left empty, so the form says what the tables show.
    years = form.years()
    for box, year in ((form.year_from, years[-1]), (form.year_to, years[0])):
        if not box.raw_data or box.raw_data == [""]:
            box.data = year
    return form


@dataclass
class YearFigures:
    """One year's table: assessments per (district id, ground key), per district over any ground, per ground over
    the districts, and over both; each assessment once in each figure."""

    year: int
    cells: dict[tuple[int, str], int] = field(default_factory=dict)
    by_district: dict[int, int] = field(default_factory=dict)
    by_ground: dict[str, int] = field(default_factory=dict)
    total: int = 0


def cumulative_figures(form: CumulativeForm, user) -> dict[int, YearFigures]:
    """The figures of each year ``form`` asks for, for what ``user`` may see, in one query."""
    years = form.years()
    first, last = min(years), max(years)
    # The same day boundaries (local midnights) as the list's "approved from/to" filters, so the counts agree.
    year = sa.case(*((Assessment.decided_at < day_start(date(y + 1, 1, 1)), y) for y in range(first, last + 1)))
    # negative_impacts holds each assessment in force per ground it was negative on and per place its proposal
    # names (the ground pages' notice reads it too); an area counts for the district it lies in today.
    negative = NegativeImpact.__table__
    district = sa.case((negative.c.place_kind == "area", Area.district_id), else_=negative.c.place_id)
    conditions = [
        negative.c.decided_at >= day_start(date(first, 1, 1)),
        negative.c.decided_at < day_start(date(last + 1, 1, 1)),
        access.visible_filter(user),
    ]
    if code := form.value("department"):
        conditions.append(Assessment.department_id == _id_of(Department, Department.code, code))
    if key := form.value("ground"):
        conditions.append(negative.c.ground_key == key)
    if name := form.value("district"):
        conditions.append(district == _id_of(District, District.name, name))
    year = sa.case(*((negative.c.decided_at < day_start(date(y + 1, 1, 1)), y) for y in range(first, last + 1)))
    hits = (
        sa.select(
            year.label("year"),
            district.label("district_id"),
            negative.c.ground_key.label("ground"),
            negative.c.assessment_id.label("assessment_id"),
        )
        .select_from(negative)
        .join(Assessment, Assessment.id == negative.c.assessment_id)
        .outerjoin(Area, sa.and_(negative.c.place_kind == "area", Area.id == negative.c.place_id))
        .where(*conditions)
        .cte("hits")
    )
    n = sa.func.count(sa.distinct(hits.c.assessment_id))
    no_district, no_ground = sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String)
    groupings = sa.union_all(
        sa.select(hits.c.year, hits.c.district_id, hits.c.ground, n).group_by(
            hits.c.year, hits.c.district_id, hits.c.ground
        ),
        sa.select(hits.c.year, hits.c.district_id, no_ground, n).group_by(hits.c.year, hits.c.district_id),
        sa.select(hits.c.year, no_district, hits.c.ground, n).group_by(hits.c.year, hits.c.ground),
        sa.select(hits.c.year, no_district, no_ground, n).group_by(hits.c.year),
    )
    figures = {y: YearFigures(y) for y in years}
    for found_year, district_id, ground_key, count in db.session.execute(groupings):
        table = figures[int(found_year)]
        if district_id is not None and ground_key is not None:
            table.cells[(district_id, ground_key)] = count
        elif district_id is not None:
            table.by_district[district_id] = count
        elif ground_key is not None:
            table.by_ground[ground_key] = count
        else:
            table.total = count
    return figures


def _id_of(model, column, value) -> sa.ScalarSelect:
    return sa.select(model.id).where(column == value).scalar_subquery()


def all_districts() -> list[tuple[int, str, bool]]:
    """Every district as (id, name, active), by name."""
    return list(db.session.execute(sa.select(District.id, District.name, District.active).order_by(District.name)))


def shown_districts(
    form: CumulativeForm, districts: list[tuple[int, str, bool]], figures: dict[int, YearFigures]
) -> list[tuple[int, str]]:
    """The table's rows: the chosen district, else every active district and any inactive one with a figure."""
    counted = {district_id for table in figures.values() for district_id in table.by_district}
    chosen = form.value("district")
    return [
        (district_id, name)
        for district_id, name, active in districts
        if (name == chosen if chosen else active or district_id in counted)
    ]


def link_args(form: CumulativeForm, year: int, district: str | None = None, ground: str | None = None) -> dict:
    """The assessment list's filters that select exactly the assessments behind a figure."""
    args = {
        "status": IN_FORCE_VALUES,
        "impact": "negative",
        "decided_from": date(year, 1, 1).isoformat(),
        "decided_to": date(year, 12, 31).isoformat(),
        "department": form.value("department"),
        "district": district,
        "ground": ground or form.value("ground"),
    }
    return {key: value for key, value in args.items() if value}


def list_links(form: CumulativeForm) -> Callable[..., str]:
    """``link(year, district=None, ground=None)``: the URL of the list behind a figure (the route resolved once)."""
    base = url_for("assessments.index")

    def link(year: int, district: str | None = None, ground: str | None = None) -> str:
        return f"{base}?{urlencode(link_args(form, year, district, ground), doseq=True)}"

    return link


def csv_rows(
    form: CumulativeForm,
    figures: dict[int, YearFigures],
    districts: list[tuple[int, str]],
    grounds: list[tuple[str, str]],
    everywhere: str,
    any_ground: str,
) -> list[tuple]:
    """The page's figures as (year, district, ground, assessments), every cell and every total, zeros included."""
    rows = []
    for year in form.years():
        table = figures[year]
        for district_id, name in districts:
            for key, ground in grounds:
                rows.append((year, name, ground, table.cells.get((district_id, key), 0)))
            rows.append((year, name, any_ground, table.by_district.get(district_id, 0)))
        for key, ground in grounds:
            rows.append((year, everywhere, ground, table.by_ground.get(key, 0)))
        rows.append((year, everywhere, any_ground, table.total))
    return rows
