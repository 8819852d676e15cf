"""Administration → Backup: an admin has the whole database written to a backup file by a background job.

The file holds every table, password hashes and the audit trail included, so the admin confirms their password
on the page first (failed attempts are limited like the login's), the request and each download go to the audit
trail, and only that admin may download the file, for the usual time (``impact.jobs``). The job asks again when it
runs, and the download once more, that its person is still an admin.
"""

from pathlib import Path

from flask import current_app, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from impact.admin.views import admins_only
from impact.audit import trail
from impact.auth.passwords import verify_password
from impact.backup import bp
from impact.backup.operations import count_rows, export_all
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.core.timefmt import local_today
from impact.extensions import limiter
from impact.jobs import backends
from impact.jobs.kinds import JobKind, register_kind
from impact.jobs.running import create_job, sweep

ZIP_TYPE = "application/zip"


class BackupForm(ImpactForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
        filters=[],
    )


def admin_scope(user, params: dict) -> str | None:
    return "admin" if user.is_admin else None


def make_backup(job, progress, path: Path) -> str:
    """The same file as ``flask --app impact export-all``; the progress counts the rows of every table."""
    progress.total(count_rows())
    export_all(path, on_row=progress.advance)
    return f"impact-backup-{local_today().isoformat()}.zip"


def record_download(job) -> None:
    trail.record("backup.download", actor=current_user, changes={"job": job.id, "file": job.file_name})
    db.session.commit()


BACKUP_KIND = JobKind(
    "backup",
    _l("Backup of the whole database"),
    admin_scope,
    make_backup,
    ZIP_TYPE,
    "backup.index",
    back_text=_l("Back to the backup page"),
    on_download=record_download,
)
register_kind(BACKUP_KIND)


# Like every admin route: log in first, then administrators only (403 for everyone else).
bp.before_request(admins_only)


def per_admin_key() -> str:
    return f"backup-password:{current_user.get_id()}"


def per_admin_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def refused(response) -> bool:
    """A wrong password counts against the limit; a started backup (a redirect) does not."""
    return response.status_code != 302


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(per_admin_limit, key_func=per_admin_key, methods=["POST"], deduct_when=refused)
def index():
    form = BackupForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            sweep()
            job = create_job(current_user, BACKUP_KIND.name, {}, str(get_locale()))
            trail.record("backup.request", actor=current_user, changes={"job": job.id})
            db.session.commit()
            backends.enqueue(job.id)
            return redirect(url_for("jobs.progress", job_id=job.id))
        form.password.errors.append(_l("The password is incorrect."))
    status = 422 if form.errors else 200
    return render_template("backup/index.html", form=form, keep_hours=current_app.config["JOBS_KEEP_HOURS"]), status
