"""The public register: approved and decided assessments, readable without logging in, when an admin opens it."""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/public")

from impact.public import views  # noqa: E402,F401
