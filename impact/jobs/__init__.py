"""Long work in the background, with progress: the job queue, the progress page and "My downloads"."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/downloads")

from impact.jobs import views  # noqa: E402,F401
