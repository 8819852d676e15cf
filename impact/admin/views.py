"""The admin area's guard and start page."""

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from impact.accessibility.models import AccessibilityReport
from impact.admin import bp
from impact.auth.models import User
from impact.core.db import db
from impact.extensions import login_manager
from impact.grounds.models import TemplateVersion
from impact.grounds.operations import current_draft
from impact.org.models import Department, District


@bp.before_request
def admins_only():
    """Every admin route, present and future: log in first, then administrators only (403 for everyone else)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


@bp.get("/")
def home():
    counts = {
        "users": db.session.scalar(sa.select(sa.func.count(User.id)).where(User.active.is_(True))),
        "departments": db.session.scalar(sa.select(sa.func.count(Department.id)).where(Department.active.is_(True))),
        "districts": db.session.scalar(sa.select(sa.func.count(District.id)).where(District.active.is_(True))),
        "open_reports": db.session.scalar(
            sa.select(sa.func.count(AccessibilityReport.id)).where(AccessibilityReport.handled_at.is_(None))
        ),
    }
    return render_template("admin/home.html", counts=counts, current=TemplateVersion.current(), draft=current_draft())
