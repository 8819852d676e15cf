"""Shared machinery: database base, enums, forms, permissions, errors, security headers, the start page."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from impact.core import views  # noqa: E402,F401  (registers the routes on bp)
