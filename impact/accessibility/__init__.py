"""The public accessibility statement (tillgänglighetsredogörelse) and the form to report an accessibility problem."""

from flask import Blueprint

bp = Blueprint("accessibility", __name__, url_prefix="/accessibility")

from impact.accessibility import views  # noqa: E402,F401
