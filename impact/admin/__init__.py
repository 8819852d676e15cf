"""Administration: users, departments, districts, grounds and their template versions, settings."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
NAVIGATION: list = []

from impact.admin import views  # noqa: E402,F401
