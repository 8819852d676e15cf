"""Login, logout and changing one's password (forced after an admin reset)."""

import logging

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from impact.audit import trail
from impact.auth import bp, oidc, sessions
from impact.auth.forms import ChangePasswordForm, LoginForm
from impact.auth.models import User
from impact.auth.passwords import burn_equal_time, hash_password, needs_rehash, verify_password
from impact.core.db import db, utcnow
from impact.core.forms import EmptyForm
from impact.core.i18n import adopt_browser_choice
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
    # With the municipality's sign-in and local passwords turned off, the password form is for break-glass use by
    # administrators only, at /login?local=1 (README "Signing in with the municipality's account").
    admins_only = not oidc.local_passwords()
    if form.validate_on_submit():
        user = _authenticate(form.email.data, form.password.data)
        if user is None or (admins_only and not user.is_admin):
            log.info("Failed login for %s", form.email.data)
            form.password.errors.append(_("The email address or password is incorrect."))
        elif not user.active:
            form.email.errors.append(_("This account has been deactivated. Contact your administrator."))
        else:
            session.pop(oidc.SIGN_OUT_HINT, None)
            user.last_login_at = utcnow()
            adopt_browser_choice(user)
            sessions.open_session(user)
            trail.record("user.login", user, actor=user)
            db.session.commit()
            # Only after the commit: if it fails (database gone) the error page must not carry a logged-in session
            # whose login is missing from the audit trail.
            login_user(user)
            next_url = safe_next_url(form.next.data)
            if user.must_change_password:
                return redirect(url_for("auth.change_password", next=next_url))
            return redirect(next_url or url_for("core.home"))
    return render_template(
        "auth/login.html",
        form=form,
        oidc_enabled=oidc.enabled(),
        show_password_form=not admins_only or request.args.get("local") == "1" or request.method == "POST",
    )


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        # Ended on the server, so a copy of the cookie taken before logging out opens nothing afterwards.
        sessions.end_current()
        db.session.commit()
        logout_user()
        flash(_("You have been logged out."), "success")
        # Signed in with the municipality's account: its provider ends its own session too, then sends them back.
        provider_logout = oidc.end_session_url(session.pop(oidc.SIGN_OUT_HINT, None))
        if provider_logout:
            return redirect(provider_logout)
    return redirect(url_for("auth.login"))


# Pages a user who must change their password may still reach: the change itself, logging out, the language
# switch, the public accessibility statement and static files.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "core.set_language", "core.healthz", "static"}


@bp.before_app_request
def keep_session_alive():
    """Record that the session is in use; runs before any view, so its commit holds nothing else."""
    if request.blueprint != "api" and current_user.is_authenticated:
        sessions.touch_current()


@bp.before_app_request
def force_password_change():
    """After an admin reset (or a "change at first login" account) every page leads to the change-password page."""
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    endpoint = request.endpoint or ""
    if endpoint in _ALLOWED_BEFORE_PASSWORD_CHANGE or endpoint.startswith("accessibility."):
        return None
    if request.blueprint == "api":
        return None  # the API answers with its own errors; it never redirects to a page
    return redirect(url_for("auth.change_password", next=request.full_path if request.method == "GET" else None))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is incorrect."))
        elif verify_password(current_user.password_hash, form.new_password.data):
            form.new_password.errors.append(_("Choose a password that is different from the current one."))
        else:
            was_forced = current_user.must_change_password
            current_user.password_hash = hash_password(form.new_password.data)
            current_user.must_change_password = False
            # Every other session of this user ends (and copies of this one): this one goes on under a new key.
            sessions.end_all(current_user)
            trail.record(
                "user.password_change",
                current_user,
                actor=current_user,
                changes={"must_change_password": {"before": was_forced, "after": False}},
            )
            db.session.commit()
            flash(_("Your new password has been saved."), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("core.home"))
    return render_template("auth/change_password.html", form=form, forced=current_user.must_change_password)
