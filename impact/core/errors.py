"""Friendly error pages in the user's language; JSON for API requests."""

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from impact.core.db import db
from impact.core.params import BadParameter
from impact.core.retry import DatabaseBusy


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        if isinstance(error, BadParameter):  # says which value to change
            return _render(400, _("Bad request"), error.description)
        return _render(400, _("Bad request"), _("The request could not be understood. Go back and try again."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from impact.core.stash import stash_request_form, wants_stash

        if wants_stash():
            # Keep what was typed: back to the same page (via login when the session has ended), restored there.
            stash_request_form(current_user.id if current_user.is_authenticated else None)
            flash(_("Your session had expired, so nothing was saved yet. What you typed has been kept."), "warning")
            return redirect(request.full_path if request.query_string else request.path)
        return _render(
            400,
            _("The form has expired"),
            _("For your security the form expired. Go back, reload the page and send it again."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _render(403, _("You do not have access"), _("You do not have permission to do this."))

    @app.errorhandler(404)
    def not_found(error):
        return _render(
            404,
            _("Page not found"),
            _("If you typed the web address, check it is correct. If you followed a link, it may be out of date."),
        )

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _render(405, _("Not allowed"), _("This page cannot be used that way."))

    @app.errorhandler(413)
    def too_large(error):
        # The body was refused unread; the forms of the page layout must not try to parse it again (that raises 413
        # once more, inside this handler).
        request.form = request.files = ImmutableMultiDict()
        return _render(413, _("Too much data"), _("What you sent is too large. Shorten the text and try again."))

    @app.errorhandler(429)
    def too_many(error):
        return _render(429, _("Too many attempts"), _("Too many attempts. Wait a few minutes and try again."))

    @app.errorhandler(DatabaseBusy)
    def database_busy(error):
        # The request ran several times and lost a race in the database each time; nothing of it was saved.
        from impact.core.stash import stash_request_form, wants_stash

        db.session.rollback()
        if wants_stash():
            stash_request_form(current_user.id if current_user.is_authenticated else None)
            flash(
                _("Impact was too busy to save your changes. What you typed is still in the form: save it again."),
                "warning",
            )
            return redirect(request.full_path if request.query_string else request.path)
        response, status = _render(
            503,
            _("Impact is busy"),
            _("Impact was too busy to do this just now and nothing was changed. Wait a moment and try again."),
        )
        return response, status, {"Retry-After": "5"}

    @app.errorhandler(500)
    def server_error(error):
        # Flask has already logged the traceback; undo whatever the failed request left in the session.
        db.session.rollback()
        return _render(
            500,
            _("Sorry, something went wrong"),
            _("Nothing you had saved is lost. Try again in a moment; if it keeps happening, contact support."),
        )

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        return _render(error.code or 500, error.name, error.description or "")
