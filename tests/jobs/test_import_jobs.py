"""Large imports as background jobs: a file above ``IMPORT_DIRECT_ROWS`` lines is kept and imported by a job, all or
nothing, with progress and cancel; the job's page says what was imported or which lines to correct.

The jobs are queued by the page and run here with ``run_job`` (as the thread and the worker do), so each test
decides what happens before the job runs. Whatever the suite's database (SQLite, or PostgreSQL with
scripts/with-fresh-postgres).
"""

import io
import os
import time

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.coverage.models import CommitteeCase
from impact.indicators.models import IndicatorValue
from impact.jobs import imports as import_jobs
from impact.jobs import running
from impact.jobs.models import Job, JobStatus
from tests import factories
from tests.conftest import csrf_token
from tests.jobs.helpers import job_row

KEY_FIGURES = "områdeskod;nyckeltalskod;nyckeltal;år;värde;källa\r\n"
CASES = "diarienummer;rubrik;nämnd;sammanträdesdatum\r\n"
ROWS = 12


def key_figures(rows: int = ROWS, bad: tuple[int, ...] = ()) -> bytes:
    """``rows`` figures of the municipality (one a year); the data lines in ``bad`` (2 is the first) are wrong."""
    lines = [
        f"1490;EKBIST;Ekonomiskt bistånd;{2000 + number};{'abc' if number + 2 in bad else '4,2'};Kolada\r\n"
        for number in range(rows)
    ]
    return (KEY_FIGURES + "".join(lines)).encode()


def cases(rows: int = ROWS) -> bytes:
    return (CASES + "".join(f"2026-{number:05d};Ärende;KS;2026-01-02\r\n" for number in range(rows))).encode()


@pytest.fixture
def queued(app, monkeypatch):
    """The jobs the pages queue are only noted (not run) and their uploads kept in the test's jobs folder."""
    app.config["IMPORT_DIRECT_ROWS"] = 5
    noted: list[int] = []
    monkeypatch.setattr(import_jobs.backends, "enqueue", noted.append)
    return noted


def upload(client, path: str, data: bytes, name: str):
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def run(app, job_id: int) -> Job:
    with app.app_context():
        running.run_job(job_id)
        db.session.remove()
    return job_row(app, job_id)


def figures(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))


def uploads(app) -> list[str]:
    with app.app_context():
        return [path.name for path in running.jobs_dir().iterdir() if path.name.endswith(running.UPLOAD_SUFFIX)]


def test_a_small_file_is_still_imported_at_once(app, client, login_as, queued):
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(rows=5), "small.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/indicators")
    assert figures(app) == 5 and queued == []


def test_a_large_file_is_imported_by_a_job_with_progress_and_the_audit_trail(app, client, login_as, queued):
    admin = login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert queued == [job_id] and figures(app) == 0 and len(uploads(app)) == 1
    with app.app_context():
        stored = db.session.get(Job, job_id).params["upload"]
        assert stored in uploads(app) and "nyckeltal" not in stored  # a random name, not the person's
    page = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "Inget importeras förrän hela filen" in page

    job = run(app, job_id)
    assert job.status == JobStatus.done and job.rows_total == job.rows_done == ROWS
    assert job.file_path is None and job.file_name == "nyckeltal.csv"
    assert figures(app) == ROWS and uploads(app) == []
    page = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "12 värden för 1 nyckeltal har importerats" in page
    assert f"/downloads/{job_id}/file" not in page
    assert client.get(f"/downloads/{job_id}/file").status_code == 404  # an import has no download
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/downloads/"), "next": "/downloads/"})
    assert "12 figures of 1 key figures imported" in client.get(f"/downloads/{job_id}").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "indicators.import")).one()
        assert event.actor_id == admin.id and event.changes["figures"] == ROWS


def test_a_bad_line_fails_the_job_with_its_line_numbers_and_imports_nothing(app, client, login_as, queued):
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(bad=(4, 9)), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    job = run(app, job_id)
    assert job.status == JobStatus.failed and job.error == "refused_input"
    assert figures(app) == 0 and uploads(app) == []
    problems = job.params["outcome"]["problems"]
    assert [problem["en"] for problem in problems] == [
        "Line 4: “abc” is not a number.",
        "Line 9: “abc” is not a number.",
    ]
    assert all(problem["sv"].startswith("Rad ") for problem in problems)
    page = client.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert problems[0]["sv"] in page and problems[1]["sv"] in page
    assert "Nothing was imported: 2 lines need correcting." in str(job.params["outcome"]["message"]["en"])


def test_cancel_while_running_imports_nothing(app, client, login_as, queued, monkeypatch):
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    advance = running.Progress.advance

    def cancel_at_the_fifth_row(progress, rows=1):
        if progress.done == 4:  # the person presses Cancel while the file is read
            with db.engine.begin() as connection:
                connection.execute(sa.update(Job).where(Job.id == job_id).values(status=JobStatus.cancelled))
            progress._last = 0.0
        advance(progress, rows)

    monkeypatch.setattr(running.Progress, "advance", cancel_at_the_fifth_row)
    job = run(app, job_id)
    assert job.status == JobStatus.cancelled
    assert figures(app) == 0 and uploads(app) == []
    assert "Importen avbröts. Inget importerades." in client.get(f"/downloads/{job_id}").get_data(as_text=True)


def test_cancel_before_it_runs_removes_the_file(app, client, login_as, queued):
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    cancelled = client.post(f"/downloads/{job_id}/cancel", data={"csrf_token": csrf_token(client, "/downloads/")})
    assert cancelled.status_code == 302 and uploads(app) == []
    assert "Importen avbröts. Inget importerades." in client.get(cancelled.headers["Location"]).get_data(as_text=True)
    assert run(app, job_id).status == JobStatus.cancelled and figures(app) == 0


def test_an_admin_no_more_when_the_job_runs_imports_nothing(app, client, login_as, queued):
    admin = login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        db.session.get(factories.User, admin.id).roles = {"case_officer"}
        db.session.commit()
    job = run(app, job_id)
    assert job.status == JobStatus.failed and job.error == "refused_import"
    assert figures(app) == 0 and uploads(app) == []


def test_a_large_list_of_cases_is_imported_by_a_job(app, client, login_as, queued):
    secretary = login_as("committee_secretary")
    response = upload(client, "/coverage/import", cases(), "lista.csv")
    assert response.status_code == 302 and "/downloads/" in response.headers["Location"]
    job = run(app, queued[0])
    assert job.status == JobStatus.done and job.rows_done == ROWS
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CommitteeCase)) == ROWS
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "committee_cases.import")).one()
        assert event.actor_id == secretary.id
    page = client.get(f"/downloads/{job.id}").get_data(as_text=True)
    assert "12 ärenden lades till" in page, page
    assert uploads(app) == []


def test_the_import_job_runs_in_a_thread_too(app, client, login_as):
    """Without the note-only fixture: the page hands the job to the thread backend, which imports it."""
    app.config["IMPORT_DIRECT_ROWS"] = 5
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    from impact.jobs import backends

    with app.app_context():
        backends.backend(app).wait(job_id)
    assert job_row(app, job_id).status == JobStatus.done and figures(app) == ROWS


def test_the_sweep_keeps_a_waiting_upload_and_removes_one_left_behind(app, client, login_as, queued):
    """An upload older than the sweep's hour of grace stays while its job waits; once the job has ended without
    removing it (its worker killed), the next sweep removes it."""
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        (stored,) = [running.jobs_dir() / name for name in uploads(app)]
        os.utime(stored, (time.time() - 7200, time.time() - 7200))
        running.sweep()
        assert stored.exists()
        running.fail(job_id, "stopped")
        running.sweep()
        assert not stored.exists()


def test_an_upload_gone_before_the_job_runs_fails_it_in_plain_words(app, client, login_as, queued):
    login_as("admin")
    response = upload(client, "/admin/indicators/import", key_figures(), "nyckeltal.csv")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        for name in uploads(app):
            (running.jobs_dir() / name).unlink()
    job = run(app, job_id)
    assert job.status == JobStatus.failed and job.error == "error_import" and figures(app) == 0
    assert "Något gick fel under importen. Inget importerades." in client.get(f"/downloads/{job_id}").get_data(
        as_text=True
    )
