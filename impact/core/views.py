"""The start page, the language switch and the health check."""

import logging

import sqlalchemy as sa
from flask import current_app, jsonify, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from impact.core import bp
from impact.core.db import db
from impact.core.forms import LanguageForm
from impact.core.navigation import start_sections
from impact.core.redirects import safe_next_url

log = logging.getLogger(__name__)


@bp.get("/")
@login_required
def home():
    """The start page: the sections the features contribute (the user's work, key figures), then the cards."""
    return render_template("core/home.html", sections=start_sections(current_user))


@bp.post("/language/<code>")
def set_language(code: str):
    """Switch the interface language; remembered in the session and, once logged in, on the user."""
    form = LanguageForm()
    if form.validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next_url(form.next.data) or url_for("core.home"))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("Health check: the database does not answer")
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok"})
