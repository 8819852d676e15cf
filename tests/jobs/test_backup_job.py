"""Administration → Backup: the whole-database backup made by a job, after the admin confirms their password;
downloadable by that admin alone, the request and each download in the audit trail. Whatever the suite's database
(SQLite, or PostgreSQL with scripts/with-fresh-postgres)."""

from pathlib import Path

import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.backup.archive import ArchiveReader
from impact.core.db import db
from impact.jobs import backends
from impact.jobs.models import Job, JobStatus
from impact.jobs.running import run_job
from tests import factories
from tests.conftest import csrf_token
from tests.jobs.helpers import job_row

PAGE = "/admin/backup/"


def ask(client, password: str = factories.PASSWORD):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "password": password})


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return found


def jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Job))


def made(app, client) -> int:
    response = ask(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        backends.backend(app).wait(job_id)
    return job_id


def test_the_page_says_what_the_file_holds_and_how_to_restore_it(client, login_as):
    login_as("admin")
    page = client.get(PAGE).get_data(as_text=True)
    assert "lösenordshash" in page and "import-all" in page
    assert 'autocomplete="current-password"' in page


def test_a_wrong_password_starts_nothing(app, client, login_as):
    login_as("admin")
    response = ask(client, "wrong password")
    assert response.status_code == 422
    assert "Lösenordet är fel." in response.get_data(as_text=True)
    assert jobs(app) == 0 and events(app, "backup.request") == []


def test_the_backup_is_made_and_downloadable_by_its_admin_alone(app, client, login_as):
    admin = login_as("admin")
    job_id = made(app, client)
    job = job_row(app, job_id)
    assert job.status == JobStatus.done and job.rows_done == job.rows_total > 0
    assert [event.actor_id for event in events(app, "backup.request")] == [admin.id]

    response = client.get(f"/downloads/{job_id}/file")
    data = response.get_data()
    response.close()
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    path = Path(app.config["JOBS_DIR"]) / "copy.zip"
    path.write_bytes(data)
    reader = ArchiveReader(path)
    try:
        users = list(reader.rows("users"))
        assert any(row["id"] == admin.id and row["password_hash"].startswith("$argon2") for row in users)
        assert reader.tables["audit_events"]["rows"] >= 1
    finally:
        reader.close()
    downloads = events(app, "backup.download")
    assert [(event.actor_id, event.changes["job"]) for event in downloads] == [(admin.id, job_id)]

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("admin")  # another admin
    assert client.get(f"/downloads/{job_id}/file").status_code == 404
    assert len(events(app, "backup.download")) == 1


def test_an_admin_no_more_may_not_download_it(app, client, login_as):
    admin = login_as("admin")
    job_id = made(app, client)
    with app.app_context():
        db.session.get(factories.User, admin.id).roles = {"case_officer"}
        db.session.commit()
    assert client.get(f"/downloads/{job_id}/file").status_code == 403
    assert events(app, "backup.download") == []


def test_only_admins_reach_the_page(client, login_as):
    login_as("auditor", department="SLK", municipality_wide=True)
    assert client.get(PAGE).status_code == 403
    assert ask(client).status_code == 403


def test_the_job_refuses_a_person_no_longer_an_admin(app, client, login_as, monkeypatch):
    admin = login_as("admin")
    noted: list[int] = []
    monkeypatch.setattr(backends, "enqueue", noted.append)
    response = ask(client)
    assert response.status_code == 302
    with app.app_context():
        db.session.get(factories.User, admin.id).roles = {"case_officer"}
        db.session.commit()
        run_job(noted[0])
        db.session.remove()
    job = job_row(app, noted[0])
    assert job.status == JobStatus.failed and job.error == "refused" and job.file_path is None
