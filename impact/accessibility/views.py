"""The public accessibility statement and the problem report form (no login needed)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from impact.accessibility import bp
from impact.accessibility.forms import ReportProblemForm
from impact.accessibility.models import AccessibilityReport
from impact.accessibility.statement import DIGG_URL, render_statement, statement_text
from impact.audit import trail
from impact.core.db import db
from impact.settings.models import Setting, get_setting


def _render(form: ReportProblemForm):
    language = get_locale().language if get_locale() else "sv"
    key = f"accessibility_statement_{'en' if language == 'en' else 'sv'}"
    updated = db.session.get(Setting, key)
    text = statement_text(language, get_setting("municipality_name"))
    return render_template(
        "accessibility/statement.html",
        statement=render_statement(text),
        updated_at=updated.updated_at if updated else None,
        form=form,
        digg_url=DIGG_URL,
    )


@bp.route("/", methods=["GET", "POST"])
def statement():
    form = ReportProblemForm()
    if form.validate_on_submit():
        report = AccessibilityReport(
            description=form.description.data,
            page=form.page.data or None,
            name=form.name.data or None,
            contact=(form.contact.data or "").lower() or None,
            reported_by_id=current_user.id if current_user.is_authenticated else None,
        )
        db.session.add(report)
        trail.record("accessibility_report.create", report, actor=current_user)
        db.session.commit()
        flash(_("Thank you. Your report has been sent to the administrators of Impact."), "success")
        return redirect(url_for("accessibility.statement", _anchor="report"))
    return _render(form)
