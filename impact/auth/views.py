"""Login and logout."""

import logging

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from impact.audit import trail
from impact.auth import bp
from impact.auth.forms import LoginForm
from impact.auth.models import User
from impact.auth.passwords import burn_equal_time, hash_password, needs_rehash, verify_password
from impact.core.db import db, utcnow
from impact.core.forms import EmptyForm
from impact.core.redirects import safe_next_url
from impact.ratelimit import login_rate_limit

log = logging.getLogger(__name__)


def _authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == email.lower()))
    if user is None:
        burn_equal_time(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@bp.route("/login", methods=["GET", "POST"])
@login_rate_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = _authenticate(form.email.data, form.password.data)
        if user is None:
            log.info("Failed login for %s", form.email.data)
            form.password.errors.append(_("The email address or password is incorrect."))
        elif not user.active:
            form.email.errors.append(_("This account has been deactivated. Contact your administrator."))
        else:
            login_user(user)
            user.last_login_at = utcnow()
            trail.record("user.login", user, actor=user)
            db.session.commit()
            return redirect(safe_next_url(form.next.data) or url_for("core.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You have been logged out."), "success")
    return redirect(url_for("auth.login"))
