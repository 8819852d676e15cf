"""Background jobs in thread mode (no Redis): the register exports, progress, cancel, failure, expiry, permissions.

The same code runs in the RQ worker (tests/jobs/test_worker.py); here the jobs run in threads of the test's app.
"""

import csv
import io
import os
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.jobs import backends
from impact.jobs.models import Job, JobStatus
from impact.jobs.running import create_job, run_job, sweep
from tests import factories
from tests.conftest import csrf_token
from tests.jobs.helpers import SLOW_ROWS, job_row, register_test_kinds, unregister_test_kinds, wait_for


@pytest.fixture
def test_kinds():
    register_test_kinds()
    yield
    unregister_test_kinds()


@pytest.fixture
def auditor(login_as, seeded):
    return login_as("auditor", department="KS", municipality_wide=True)


def ask(client, path: str = "/reports/register.csv/job") -> int:
    """Ask for an export as the dashboard's button does; returns the job's id from the progress page's URL."""
    response = client.post(path, data={"csrf_token": csrf_token(client, "/downloads/")})
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/downloads/")
    return int(location.rsplit("/", 1)[1])


def finish(app, job_id: int) -> Job:
    with app.app_context():
        backends.backend(app).wait(job_id)
    return job_row(app, job_id)


def start_job(app, user_id: int, kind: str, **params) -> int:
    """A queued job for ``user_id`` handed to the thread backend, as the export view does."""
    with app.app_context():
        job = create_job(db.session.get(factories.User, user_id), kind, params, "sv")
        db.session.commit()
        backends.enqueue(job.id)
        return job.id


def fetch(client, job_id: int):
    """GET the job's file; the response is closed (the file behind it too) and its body kept."""
    response = client.get(f"/downloads/{job_id}/file")
    response.body = response.get_data()
    response.close()
    return response


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_register_csv_job_makes_the_same_file_as_the_direct_export(app, client, auditor):
    query = "?department=SOF&status=approved"
    job_id = ask(client, "/reports/register.csv/job" + query)
    job = finish(app, job_id)
    assert job.status == JobStatus.done
    direct = read_csv(client.get("/reports/register.csv" + query).get_data())
    assert job.rows_total == job.rows_done == len(direct) - 1 > 0
    page = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert f"/downloads/{job_id}/file" in page
    response = fetch(client, job_id)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert read_csv(response.body) == direct
    assert "Diarienummer" in direct[0]  # made in the asker's language (Swedish)


def test_register_xlsx_job_matches_the_direct_export(app, client, auditor):
    job = finish(app, ask(client, "/reports/register.xlsx/job"))
    assert job.status == JobStatus.done
    assert job.file_name.endswith(".xlsx")
    made = openpyxl.load_workbook(io.BytesIO(fetch(client, job.id).body), read_only=True)
    direct = openpyxl.load_workbook(io.BytesIO(client.get("/reports/register.xlsx").get_data()), read_only=True)
    assert made.sheetnames == direct.sheetnames
    sheets = [[tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in made.worksheets]
    assert sheets == [[tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in direct.worksheets]
    # Progress counts the rows of every sheet: the register, its actions and its districts.
    assert sum(len(rows) - 1 for rows in sheets) == job.rows_total == job.rows_done


def test_job_speaks_the_language_of_the_person_who_asked(app, client, english, auditor):
    job = finish(app, ask(client))
    assert job.locale == "en"
    assert "Case number" in read_csv(fetch(client, job.id).body)[0]


def test_progress_page_and_status_report_rows_done_of_total(app, client, login_as, test_kinds):
    user = login_as("case_officer")
    job_id = start_job(app, user.id, "test_slow")
    wait_for(app, job_id, lambda job: job.status == JobStatus.running and job.rows_done > 0)
    status = client.get(f"/downloads/{job_id}/status").get_json()
    assert status["status"] == "running" and status["active"]
    assert status["rows_total"] == SLOW_ROWS and 0 < status["rows_done"] <= SLOW_ROWS
    assert f"av {SLOW_ROWS}" in status["text"]
    page = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "<progress" in page and "Uppdatera" in page and "Avbryt" in page
    job = finish(app, job_id)
    assert job.status == JobStatus.done and job.rows_done == SLOW_ROWS
    assert client.get(f"/downloads/{job_id}/status").get_json()["percent"] == 100


def test_cancel_stops_the_work_and_keeps_no_file(app, client, login_as, test_kinds, jobs_dir):
    user = login_as("case_officer")
    before = set(os.listdir(jobs_dir))
    job_id = start_job(app, user.id, "test_slow")
    wait_for(app, job_id, lambda job: job.rows_done > 0)
    response = client.post(f"/downloads/{job_id}/cancel", data={"csrf_token": csrf_token(client, "/downloads/")})
    assert response.status_code == 302
    job = finish(app, job_id)
    assert job.status == JobStatus.cancelled
    assert job.rows_done < SLOW_ROWS and job.file_path is None
    assert set(os.listdir(jobs_dir)) == before, "neither the file nor its temporary name is left"
    assert fetch(client, job_id).status_code == 404
    assert "avbröts" in client.get(f"/downloads/{job_id}").get_data(as_text=True)


def test_a_job_cancelled_before_it_starts_never_runs(app, login_as, test_kinds):
    user = login_as("case_officer")
    with app.app_context():
        job = create_job(db.session.get(factories.User, user.id), "test_slow", {}, "sv")
        job.status = JobStatus.cancelled
        db.session.commit()
        run_job(job.id)
        assert db.session.get(Job, job.id).started_at is None


def test_a_cancel_as_the_file_is_finished_keeps_no_file_and_logs_no_finished_file(
    app, login_as, test_kinds, jobs_dir, caplog
):
    """The person cancels between the last row and the job's row saying done: the cancel wins, the finished file is
    removed, and the log says so rather than that a file was made (the scale-out proof counts those lines)."""
    user = login_as("case_officer")
    before = set(os.listdir(jobs_dir))
    with app.app_context():
        job = create_job(db.session.get(factories.User, user.id), "test_late_cancel", {}, "sv")
        db.session.commit()
        caplog.set_level("INFO", logger="impact.jobs.running")
        run_job(job.id)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert job.status == JobStatus.cancelled and job.file_path is None
    assert set(os.listdir(jobs_dir)) == before
    assert f"job {job.id}: cancelled as it ended, after 3 rows; nothing kept" in caplog.text
    assert "rows in" not in caplog.text


def test_a_failed_job_says_so_and_offers_no_partial_file(app, client, login_as, test_kinds, jobs_dir):
    user = login_as("case_officer")
    before = set(os.listdir(jobs_dir))
    job = finish(app, start_job(app, user.id, "test_failing"))
    assert job.status == JobStatus.failed and job.error == "error"
    assert job.file_path is None
    assert set(os.listdir(jobs_dir)) == before
    page = client.get(f"/downloads/{job.id}").get_data(as_text=True)
    assert "Filen kunde inte skapas" in page and "Ingen fil sparades" in page
    assert "/file" not in page
    assert fetch(client, job.id).status_code == 404


def test_finished_files_expire_and_are_removed(app, client, login_as, test_kinds, jobs_dir):
    user = login_as("case_officer")
    job = finish(app, start_job(app, user.id, "test_slow", delay=0))
    path = os.path.join(jobs_dir, job.file_path)
    assert os.path.isfile(path)
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    with app.app_context():
        db.session.execute(sa.update(Job).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert fetch(client, job.id).status_code == 404  # expired, even before the sweep
    assert client.get("/downloads/").status_code == 200  # the page sweeps
    assert not os.path.exists(path)
    with app.app_context():
        assert db.session.get(Job, job.id) is None


def test_a_running_job_without_heartbeat_is_marked_failed(app, client, login_as, test_kinds):
    user = login_as("case_officer")
    with app.app_context():
        job = create_job(db.session.get(factories.User, user.id), "test_slow", {}, "sv")
        old = utcnow() - timedelta(minutes=10)
        job.status, job.started_at, job.heartbeat_at = JobStatus.running, old, old
        db.session.commit()
        assert sweep()["stopped"] == 1
        job = db.session.get(Job, job.id)
        assert job.status == JobStatus.failed and job.error == "stopped"
    assert "servern startades om" in client.get(f"/downloads/{job.id}").get_data(as_text=True)


def test_another_user_gets_404_for_every_job_page(app, client, auth, login_as, test_kinds):
    owner = login_as("case_officer")
    job = finish(app, start_job(app, owner.id, "test_slow", delay=0))
    auth.logout()
    login_as("admin", department="KS", municipality_wide=True)
    for path in (f"/downloads/{job.id}", f"/downloads/{job.id}/status", f"/downloads/{job.id}/file"):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/downloads/")
    assert client.post(f"/downloads/{job.id}/cancel", data={"csrf_token": token}).status_code == 404
    assert job.file_name not in client.get("/downloads/").get_data(as_text=True)


def test_a_case_officer_gets_only_their_department_and_loses_the_file_with_it(app, client, login_as, seeded):
    officer = login_as("case_officer", department="FFF")
    job = finish(app, ask(client, "/reports/register.csv/job?department=SOF"))  # another department: not granted
    assert job.scope == "department:FFF"
    departments = {row[3] for row in read_csv(fetch(client, job.id).body)[1:]}
    assert departments <= {"Fritids- och folkhälsoförvaltningen"}
    with app.app_context():
        db.session.get(factories.User, officer.id).department = factories.ensure_department("SOF")
        db.session.commit()
    assert fetch(client, job.id).status_code == 403


def test_a_role_removed_between_asking_and_downloading_refuses_the_file(app, client, login_as, seeded):
    officer = login_as("case_officer")
    job = finish(app, ask(client))
    assert fetch(client, job.id).status_code == 200
    with app.app_context():
        db.session.get(factories.User, officer.id).roles = set()
        db.session.commit()
    assert fetch(client, job.id).status_code == 403


def test_a_role_removed_before_the_job_runs_makes_no_file(app, client, login_as, seeded):
    officer = login_as("reviewer")
    with app.app_context():
        job = create_job(db.session.get(factories.User, officer.id), "register_csv", {}, "sv")
        db.session.get(factories.User, officer.id).roles = {Role.case_officer}
        db.session.get(factories.User, officer.id).roles = set()
        db.session.commit()
        run_job(job.id)
        job = db.session.get(Job, job.id)
        assert job.status == JobStatus.failed and job.error == "refused" and job.file_path is None


def test_my_downloads_lists_the_users_files(app, client, auditor):
    job = finish(app, ask(client))
    page = client.get("/downloads/").get_data(as_text=True)
    assert "Mina nedladdningar" in page and job.file_name in page and "Registret som CSV" in page
    assert 'href="/downloads/"' in client.get("/").get_data(as_text=True)  # in the user menu on every page


def test_asking_needs_a_role_and_a_post(app, client, login_as):
    login_as("case_officer")
    assert client.get("/reports/register.csv/job").status_code == 405
