"""What background work there is: each kind says who may have it made, and how it is made.

A feature above this one (the register exports in ``impact/reports``) registers its kinds when it is imported; the
jobs folder itself knows no export, so the layers stay as docs/architecture.md draws them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

# (user, params) -> the remit the file is made under, e.g. "department:FFF", or None when the user may not have it.
ScopeCheck = Callable[[Any, dict], str | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    title: object  # a lazy string: what is being made, e.g. "The register as Excel (XLSX)"
    scope: ScopeCheck
    # (job, progress, path) -> the name the browser saves the file as; writes the whole file at ``path``.
    run: Callable[[Any, Any, Path], str]
    mimetype: str
    back_endpoint: str  # where the person asked for it (the progress page links back there)
    back_text: object = _l("Back to the dashboard")
    # False for work that changes the database instead of making a file (an import): ``run`` then returns what was
    # done, in plain words in both languages (``impact.jobs.running.in_both_languages``), and the job has no download.
    makes_file: bool = True
    # (job) -> None, called before each download is sent: a file as sensitive as the backup writes the audit trail.
    on_download: Callable[[Any], None] | None = None


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> JobKind | None:
    return KINDS.get(name)


@dataclass(frozen=True)
class PeriodicTask:
    """Work the worker queues on a schedule, e.g. the daily reminders; ``run`` is called in an app context and
    commits its own work. It must be safe to run twice: a schedule is kept per Redis, not per clock tick."""

    name: str
    every_seconds: int
    run: Callable[[], object]


PERIODIC: dict[str, PeriodicTask] = {}


def register_periodic(task: PeriodicTask) -> None:
    PERIODIC[task.name] = task
