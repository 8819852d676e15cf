"""Settings, the accessibility statement's text, the guidance for the child-rights step and the accessibility
reports."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.accessibility.models import AccessibilityReport
from impact.accessibility.statement import DEFAULT_STATEMENT, SETTING_KEYS, statement_text
from impact.admin import bp
from impact.admin.forms import AccessibilityStatementForm, ChildRightsGuidanceForm, SettingsForm
from impact.assessments.child_rights import GUIDANCE_KEYS
from impact.audit import trail
from impact.core.db import db, utcnow
from impact.core.forms import EmptyForm
from impact.public.publication import register_open, set_register_open
from impact.settings.models import get_setting
from impact.settings.operations import set_settings

SETTING_FIELDS = ("municipality_name", "case_number_pattern", "case_number_example", "follow_up_reminder_days")


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    if _is_get():
        values = {key: get_setting(key) for key in SETTING_FIELDS}
        form = SettingsForm(data={**values, "public_register": register_open()})
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        changes = set_settings({key: str(form[key].data) for key in SETTING_FIELDS}, current_user)
        # Opening or closing the public register is an event of its own in the audit trail.
        changes = set_register_open(form.public_register.data, current_user) or changes
        db.session.commit()
        flash(_("The settings have been saved.") if changes else _("Nothing was changed."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)


def _is_get() -> bool:
    return request.method == "GET"


@bp.route("/accessibility-statement", methods=["GET", "POST"])
def accessibility_statement():
    municipality = get_setting("municipality_name")
    if _is_get():
        form = AccessibilityStatementForm(
            data={f"statement_{lang}": statement_text(lang, municipality) for lang in SETTING_KEYS}
        )
    else:
        form = AccessibilityStatementForm()
    if form.validate_on_submit():
        values = {SETTING_KEYS[lang]: form[f"statement_{lang}"].data for lang in SETTING_KEYS}
        defaults = {
            key: DEFAULT_STATEMENT[lang].replace("{municipality}", municipality) for lang, key in SETTING_KEYS.items()
        }
        # Saving the default text unchanged keeps following the default (and the municipality name in it).
        current = {key: get_setting(key, default="") or defaults[key] for key in values}
        changed = {
            key: value
            for key, value in values.items()
            if value.replace("\r\n", "\n") != current[key].replace("\r\n", "\n")
        }
        set_settings({key: value.replace("\r\n", "\n") for key, value in changed.items()}, current_user)
        db.session.commit()
        flash(_("The accessibility statement has been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("admin.accessibility_statement"))
    return render_template("admin/accessibility_statement.html", form=form)


@bp.route("/child-rights-guidance", methods=["GET", "POST"])
def child_rights_guidance():
    """The admins' own guidance for the child-rights step, in Swedish and English; empty shows none."""
    keys = {f"guidance_{lang}": key for lang, key in GUIDANCE_KEYS.items()}
    if _is_get():
        form = ChildRightsGuidanceForm(data={name: get_setting(key, default="") for name, key in keys.items()})
    else:
        form = ChildRightsGuidanceForm()
    if form.validate_on_submit():
        values = {key: (form[name].data or "").replace("\r\n", "\n") for name, key in keys.items()}
        changes = set_settings(values, current_user)
        db.session.commit()
        flash(_("The guidance has been saved.") if changes else _("Nothing was changed."), "success")
        return redirect(url_for("admin.child_rights_guidance"))
    return render_template("admin/child_rights_guidance.html", form=form)


@bp.get("/accessibility-reports")
def accessibility_reports():
    reports = db.session.scalars(
        sa.select(AccessibilityReport)
        .options(
            sa.orm.selectinload(AccessibilityReport.reported_by), sa.orm.selectinload(AccessibilityReport.handled_by)
        )
        .order_by(AccessibilityReport.handled_at.is_not(None), AccessibilityReport.created_at.desc())
    ).all()
    return render_template("admin/accessibility_reports.html", reports=reports, action_form=EmptyForm())


@bp.post("/accessibility-reports/<int:report_id>/handled")
def mark_report_handled(report_id: int):
    report = db.get_or_404(AccessibilityReport, report_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if report.handled_at is None:
        report.handled_at, report.handled_by_id = utcnow(), current_user.id
        trail.record(
            "accessibility_report.handled",
            report,
            actor=current_user,
            changes={"handled": {"before": False, "after": True}},
        )
        db.session.commit()
        flash(_("The report is marked as handled."), "success")
    return redirect(url_for("admin.accessibility_reports"))
