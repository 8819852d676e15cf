"""Backup and restore of the whole database: ``flask --app impact export-all FILE`` / ``import-all FILE``, and the
admin page where an admin has the backup made by a background job (``impact/backup/views.py``)."""

from flask import Blueprint

bp = Blueprint("backup", __name__, url_prefix="/admin/backup")

from impact.backup import views  # noqa: E402,F401
