"""Key figures (nyckeltal) per district and area: imported from CSV, shown beside the grounds they speak to, and
each place's profile over the years."""

from flask import Blueprint

bp = Blueprint("indicators", __name__, url_prefix="/areas")

from impact.indicators import profile, views  # noqa: E402,F401
