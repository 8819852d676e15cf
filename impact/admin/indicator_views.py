"""Key figures: the indicators imported, which grounds show each, and importing a CSV file of figures."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectMultipleField

from impact.admin import bp
from impact.audit import trail
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.grounds.models import reportable_ground_names
from impact.indicators.imports import IndicatorImportError, import_indicators
from impact.indicators.models import Indicator, IndicatorGround, IndicatorValue


class IndicatorImportForm(ImpactForm):
    file = FileField(_l("Key figures (CSV)"), validators=[FileRequired(_l("Choose a CSV file to import."))])


class IndicatorGroundsForm(ImpactForm):
    grounds = SelectMultipleField(_l("Grounds whose pages show this key figure"), validate_choice=True)


@bp.get("/indicators")
def indicators():
    items = db.session.scalars(
        sa.select(Indicator).options(sa.orm.selectinload(Indicator.ground_links)).order_by(Indicator.name_sv)
    ).all()
    stats = {
        row.indicator_id: row
        for row in db.session.execute(
            sa.select(
                IndicatorValue.indicator_id,
                sa.func.count().label("figures"),
                sa.func.min(IndicatorValue.year).label("first"),
                sa.func.max(IndicatorValue.year).label("last"),
                sa.func.max(sa.case((IndicatorValue.example, 1), else_=0)).label("example"),
            ).group_by(IndicatorValue.indicator_id)
        )
    }
    return render_template(
        "admin/indicators/index.html", indicators=items, stats=stats, ground_names=dict(reportable_ground_names())
    )


@bp.route("/indicators/import", methods=["GET", "POST"])
def import_indicator_file():
    form = IndicatorImportForm()
    problems: list = []  # a refused file's bad lines, listed under the error

    def save():
        try:
            return import_indicators(form.file.data.read(), current_user)
        except IndicatorImportError as error:
            problems.extend(error.problems)
            raise

    if form.validate_on_submit():
        done, result = form.commit(save)
        if done:
            message = _(
                "%(figures)d figures of %(indicators)d key figures imported; %(replaced)d earlier figures replaced.",
                figures=result.figures,
                indicators=result.indicators,
                replaced=result.replaced,
            )
            flash(message, "success")
            return redirect(url_for("admin.indicators"))
    status = 422 if form.errors else 200
    return render_template("admin/indicators/import.html", form=form, problems=problems), status


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
def indicator(indicator_id: int):
    item = db.get_or_404(Indicator, indicator_id)
    form = IndicatorGroundsForm(grounds=item.ground_keys)
    names = reportable_ground_names()
    known = {key for key, _name in names}
    # A ground no longer in use that the indicator still names stays offered, so saving does not fail on it.
    form.grounds.choices = names + [(key, key) for key in item.ground_keys if key not in known]
    if form.validate_on_submit():
        before = item.ground_keys
        chosen = sorted(set(form.grounds.data or []))
        item.ground_links = [IndicatorGround(ground_key=key) for key in chosen]
        db.session.flush()
        if before != chosen:
            trail.record(
                "indicator.update", item, actor=current_user, changes={"grounds": {"before": before, "after": chosen}}
            )
        db.session.commit()
        flash(_("%(name)s has been saved.", name=item.name), "success")
        return redirect(url_for("admin.indicators"))
    return render_template("admin/indicators/edit.html", form=form, item=item)
