"""Key figures: the indicators imported, which grounds show each and below how many individuals a figure is shown
only as "fewer than", and importing a CSV file of figures."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectMultipleField, StringField, ValidationError

from impact.admin import bp
from impact.audit import trail
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.grounds.models import reportable_ground_names
from impact.indicators.imports import IndicatorImportError, import_indicators
from impact.indicators.models import Indicator, IndicatorGround, IndicatorValue
from impact.jobs.imports import import_kind, read_or_queue
from impact.jobs.kinds import register_kind


class IndicatorImportForm(ImpactForm):
    file = FileField(_l("Key figures (CSV)"), validators=[FileRequired(_l("Choose a CSV file to import."))])


class IndicatorGroundsForm(ImpactForm):
    grounds = SelectMultipleField(_l("Grounds whose pages show this key figure"), validate_choice=True)
    # Text, not an IntegerField: its own message says how to fix "abc" or "2,5", in the user's language.
    few_below = StringField(
        _l("Show figures resting on fewer individuals than (optional)"), render_kw={"inputmode": "numeric"}
    )
    value_counts_people = BooleanField(_l("The value is itself a number of people"))

    def validate_few_below(self, field) -> None:
        text = (field.data or "").replace(" ", "")
        if not text:
            field.data = None
            return
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_THRESHOLD:
            raise ValidationError(_l("Enter a whole number of 1 or more, or leave the field empty"))
        field.data = int(text)


MAX_THRESHOLD = 1_000_000


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


def imported_text(result):
    return _l(
        "%(figures)d figures of %(indicators)d key figures imported; %(replaced)d earlier figures replaced.",
        figures=result.figures,
        indicators=result.indicators,
        replaced=result.replaced,
    )


def admin_scope(user, params: dict) -> str | None:
    """The role the import page requires (every admin route's ``admins_only``), asked again when the job runs."""
    return "admin" if user.is_admin else None


IMPORT_KIND = import_kind(
    "indicators_import",
    _l("Import of key figures"),
    admin_scope,
    import_indicators,
    imported_text,
    "admin.import_indicator_file",
)
register_kind(IMPORT_KIND)


@bp.route("/indicators/import", methods=["GET", "POST"])
def import_indicator_file():
    form = IndicatorImportForm()
    problems: list = []  # a refused file's bad lines, listed under the error

    def save(data: bytes):
        try:
            return import_indicators(data, current_user)
        except IndicatorImportError as error:
            problems.extend(error.problems)
            raise

    if form.validate_on_submit():
        data, queued = read_or_queue(form.file.data, IMPORT_KIND)
        if queued is not None:  # a large file: imported by a job, followed on its progress page
            return queued
        done, result = form.commit(lambda: save(data))
        if done:
            flash(str(imported_text(result)), "success")
            return redirect(url_for("admin.indicators"))
    status = 422 if form.errors else 200
    return render_template("admin/indicators/import.html", form=form, problems=problems), status


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
def indicator(indicator_id: int):
    item = db.get_or_404(Indicator, indicator_id)
    form = IndicatorGroundsForm(
        grounds=item.ground_keys,
        few_below="" if item.few_below is None else str(item.few_below),
        value_counts_people=item.value_counts_people,
    )
    names = reportable_ground_names()
    known = {key for key, _name in names}
    # A ground no longer in use that the indicator still names stays offered, so saving does not fail on it.
    form.grounds.choices = names + [(key, key) for key in item.ground_keys if key not in known]
    if form.validate_on_submit():
        before = {
            "grounds": item.ground_keys,
            "few_below": item.few_below,
            "value_counts_people": item.value_counts_people,
        }
        chosen = sorted(set(form.grounds.data or []))
        item.ground_links = [IndicatorGround(ground_key=key) for key in chosen]
        item.few_below = form.few_below.data
        item.value_counts_people = form.value_counts_people.data
        db.session.flush()
        after = {"grounds": chosen, "few_below": item.few_below, "value_counts_people": item.value_counts_people}
        changes = {key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}
        if changes:
            trail.record("indicator.update", item, actor=current_user, changes=changes)
        db.session.commit()
        flash(_("%(name)s has been saved.", name=item.name), "success")
        return redirect(url_for("admin.indicators"))
    status = 422 if form.errors else 200
    return render_template("admin/indicators/edit.html", form=form, item=item), status
