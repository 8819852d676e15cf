"""After the scale-out run: every export against the jobs table, the workers' logs, the queue and the files.

The rows a CSV must hold are worked out here from the assessments table with the visibility rules written out
plainly (not with the app's own query), so a file that leaks or drops rows is caught.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.scaleout_users import Export

# The workers' log lines the run-once check reads: RQ's when a worker takes a job from the queue and when it stops
# a job's work horse on a cancel; run_job's when the job was no longer queued, and when it finished a file.
DEQUEUED = re.compile(r"impact\.jobs\.worker\.perform\((\d+)\)\S* \(impact-job-\1\)")
STOPPED = re.compile(r"job impact-job-(\d+) stopped by user")
SKIPPED = re.compile(r"job (\d+): not queued any more")
FINISHED = re.compile(r"job (\d+) \(\w+\): \d+ rows in ")
WIDE_READS = ("approved", "decided", "archived", "submitted")  # what a municipality-wide auditor reads everywhere


@dataclass
class WorkerLogs:
    """Per job id: the numbers of the workers that took it from the queue, and how often it was found no longer
    queued (cancelled meanwhile: no work done), had its work horse stopped (cancelled), or finished a file."""

    taken: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    skipped: Counter = field(default_factory=Counter)
    stopped: Counter = field(default_factory=Counter)
    finished: Counter = field(default_factory=Counter)

    def runs(self, job_id: int, started: bool) -> int:
        """How often the job's work was done: every take but those that found it gone, and those stopped before
        the work claimed the job (it never started, so the stop came first). A cancel pressed while a worker takes
        the job can do both to one take (the work horse finds the job gone and is sent the stop as well), so a job
        that never started counts as run not at all, never fewer."""
        takes = len(self.taken.get(job_id, [])) - self.skipped[job_id]
        return takes if started else max(0, takes - self.stopped[job_id])


def read_worker_logs(logs: list[Path]) -> WorkerLogs:
    found = WorkerLogs()
    for number, log in enumerate(logs, start=1):
        for line in log.read_text(errors="replace").splitlines():
            if match := DEQUEUED.search(line):
                found.taken[int(match.group(1))].append(number)
            for pattern, counter in ((STOPPED, found.stopped), (SKIPPED, found.skipped), (FINISHED, found.finished)):
                if match := pattern.search(line):
                    counter[int(match.group(1))] += 1
    return found


def expected_ids(user, filters: dict, seeded_up_to: int) -> tuple[set[int], set[int]]:
    """(the ids a file must hold, the ids it may hold) for ``user`` under ``filters``: all that were there before
    the run, and any made during the run that the user may see now (their status only moves forward)."""
    from impact.assessments.models import Assessment
    from impact.auth.roles import Role
    from impact.org.models import Department

    wide = user.municipality_wide and user.has_role(Role.auditor, Role.reviewer, Role.admin)
    statement = sa.select(Assessment.id).join(Department, Department.id == Assessment.department_id)
    if wide:
        statement = statement.where(
            sa.or_(
                sa.type_coerce(Assessment.status, sa.String).in_(WIDE_READS),
                Assessment.department_id == user.department_id,
            )
        )
        if filters.get("department"):
            statement = statement.where(Department.code == filters["department"])
    else:  # a case officer's export is held to their own department whatever the filter says
        statement = statement.where(Assessment.department_id == user.department_id)
    if filters.get("status"):
        statement = statement.where(sa.type_coerce(Assessment.status, sa.String).in_(filters["status"]))
    from impact.core.db import db

    may = set(db.session.scalars(statement))
    return {number for number in may if number <= seeded_up_to}, may


def check_csv(export: Export, user, seeded_up_to: int, grounds_of: dict[int, int]) -> str | None:
    """What is wrong with a downloaded CSV, or None: its assessments and its rows (one per ground)."""
    held = export.rows_by_assessment
    must, may = expected_ids(user, export.filters, seeded_up_to)
    if missing := must - held.keys():
        return f"job {export.job_id}: {len(missing)} assessments missing, e.g. {sorted(missing)[:3]}"
    if extra := held.keys() - may:
        return f"job {export.job_id}: {len(extra)} assessments the user may not see, e.g. {sorted(extra)[:3]}"
    wrong = [number for number, rows in held.items() if rows != grounds_of[number]]
    if wrong:
        return f"job {export.job_id}: wrong number of rows for {len(wrong)} assessments, e.g. {wrong[:3]}"
    return None


def verify_jobs(exports: list[Export], worker_logs: list[Path], jobs_dir: Path, seeded_up_to: int) -> dict:
    """Figures of the check (in an app context on the proof's database); every count named in ``HARD`` must be 0."""
    from impact.assessments.models import Assessment
    from impact.auth.models import User
    from impact.core.db import db
    from impact.grounds.models import Ground
    from impact.jobs.models import Job
    from impact.jobs.running import PART_SUFFIX

    rows = {job.id: job for job in db.session.scalars(sa.select(Job))}
    asked = {export.job_id: export for export in exports}
    logs = read_worker_logs(worker_logs)
    users = {user.email: user for user in db.session.scalars(sa.select(User))}
    per_version = dict(
        db.session.execute(
            sa.select(Ground.template_version_id, sa.func.count()).group_by(Ground.template_version_id)
        ).all()
    )
    grounds_of = {
        number: per_version[version]
        for number, version in db.session.execute(sa.select(Assessment.id, Assessment.template_version_id))
    }
    figures: dict = defaultdict(int)
    problems: list[str] = []

    def problem(name: str, text: str) -> None:
        figures[name] += 1
        problems.append(text)

    for job_id in rows.keys() - asked.keys():
        problem("jobs_nobody_asked_for", f"job {job_id} is in the table but nobody asked for it")
    for job_id, export in asked.items():
        job = rows.get(job_id)
        if job is None:
            problem("jobs_missing", f"job {job_id} was asked for but has no row")
            continue
        state = job.status.value
        figures[f"{job.kind}:{state}"] += 1
        if state not in ("done", "failed", "cancelled"):
            problem("jobs_not_ended", f"job {job_id} is still {state}")
        if state == "cancelled":
            figures["cancelled_while_running" if job.started_at else "cancelled_before_start"] += 1
        if state == "failed":
            problem("jobs_failed", f"job {job_id} failed: {job.error}")
        if export.final_status != state:
            problem("status_disagrees", f"job {job_id}: the page said {export.final_status!r}, the row says {state}")
        runs = logs.runs(job_id, job.started_at is not None)
        if runs != (1 if job.started_at is not None else 0):
            problem("jobs_not_run_once", f"job {job_id} ({state}, started {job.started_at}) ran {runs} times")
        if logs.finished[job_id] != (1 if state == "done" else 0):
            problem("files_not_made_once", f"job {job_id} ({state}) finished a file {logs.finished[job_id]} times")
        figures["taken_more_than_once"] += len(logs.taken.get(job_id, [])) > 1
        figures["stopped_before_start"] += logs.stopped[job_id] > 0 and job.started_at is None
        owner_status = 200 if state == "done" else 404
        if export.download_status != owner_status:
            problem("downloads_wrong", f"job {job_id} ({state}): the owner's download gave {export.download_status}")
        if export.snoop_status != 404:
            problem("downloads_by_others", f"job {job_id}: another user's download gave {export.snoop_status}")
        for text in export.problems:
            problem("exporter_problems", f"job {job_id}: {text}")
        if export.rows_by_assessment is not None:
            figures["csv_files_checked"] += 1
            figures["csv_rows_checked"] += sum(export.rows_by_assessment.values())
            if text := check_csv(export, users[export.email], seeded_up_to, grounds_of):
                problem("csv_rows_wrong", text)
    active = [job.id for job in rows.values() if job.status.value in ("queued", "running")]
    figures["jobs_left_active"] = len(active)
    kept = {job.file_path for job in rows.values() if job.status.value == "done"}
    on_disk = {path.name for path in jobs_dir.iterdir()} if jobs_dir.is_dir() else set()
    # A cancel stops a running job's work horse at once (a long query included), which may leave the temporary
    # file behind for the sweep (an hour's grace): at most one per job cancelled while it ran, never a whole file.
    partial = {name for name in on_disk - kept if name.endswith(PART_SUFFIX)}
    figures["partial_files_left_for_the_sweep"] = len(partial)
    if len(partial) > figures["cancelled_while_running"]:
        problem("stray_files", f"{len(partial)} temporary files, more than the jobs cancelled while they ran")
    for name in on_disk - kept - partial:
        problem("stray_files", f"file {name} in the jobs folder belongs to no finished job")
    for name in kept - on_disk:
        problem("files_missing", f"the file {name} of a finished job is gone")
    # The jobs each worker worked on (its take was the last, the one that claimed the job).
    worked = [logs.taken[job_id][-1] for job_id, job in rows.items() if job.started_at and logs.taken.get(job_id)]
    figures["jobs_by_worker"] = dict(Counter(f"worker {number}" for number in worked))
    figures["jobs_requested"] = len(asked)
    for name in HARD:
        figures.setdefault(name, 0)
    return {"figures": dict(figures), "problems": problems}


# A run fails when any of these is not 0.
HARD = (
    "jobs_nobody_asked_for",
    "jobs_missing",
    "jobs_not_ended",
    "jobs_failed",
    "status_disagrees",
    "jobs_not_run_once",
    "files_not_made_once",
    "downloads_wrong",
    "downloads_by_others",
    "exporter_problems",
    "csv_rows_wrong",
    "jobs_left_active",
    "stray_files",
    "files_missing",
)
