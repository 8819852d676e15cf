"""The cumulative view (``/reports/cumulative``) and its figures as CSV."""

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from impact.auth.permissions import role_required
from impact.core.timefmt import local_today
from impact.grounds.models import reportable_ground_names
from impact.reports import bp
from impact.reports.cumulative import (
    ROLES,
    all_districts,
    csv_rows,
    cumulative_figures,
    cumulative_form,
    list_links,
    may_see_cumulative,
    shown_districts,
)
from impact.reports.register import csv_lines
from impact.reports.scope import own_department_only

CSV_TYPE = "text/csv; charset=utf-8"


@bp.app_template_global()
def cumulative_allowed(user) -> bool:
    """For the links to the view from other pages (the district and area profiles), shown to those it opens for."""
    return may_see_cumulative(user)


def _read():
    """The form, the figures, the rows (districts) and the columns (grounds) the request asks for."""
    districts = all_districts()
    form = cumulative_form(current_user, request.args, districts)
    figures = cumulative_figures(form, current_user)
    chosen = form.value("ground")
    grounds = [(key, name) for key, name in reportable_ground_names() if not chosen or key == chosen]
    return form, figures, shown_districts(form, districts, figures), grounds


@bp.get("/cumulative")
@role_required(*ROLES)
def cumulative():
    form, figures, districts, grounds = _read()
    page = render_template(
        "reports/cumulative.html",
        form=form,
        figures=figures,
        districts=districts,
        grounds=grounds,
        link=list_links(form),
        own_department_only=own_department_only(current_user),
        csv_args={key: value for key, value in request.args.items() if key in form.data},
    )
    # A year or choice that cannot be read is 400, with the page saying which and why (the default years shown).
    return page, 400 if form.errors else 200


@bp.get("/cumulative.csv")
@role_required(*ROLES)
def cumulative_csv():
    form, figures, districts, grounds = _read()
    if form.errors:
        problems = "; ".join(
            f"{form[name].label.text}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()
        )
        raise BadRequest(problems)
    header = [_("Year approved"), _("District"), _("Ground"), _("Assessments with a negative impact")]
    rows = csv_rows(form, figures, districts, grounds, _("All districts"), _("Any ground"))
    filename = f"impact-cumulative-{local_today().isoformat()}.csv"
    return Response(
        "".join(csv_lines(header, rows)),
        mimetype=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
