"""The scale-out proof's own checks (bench/scaleout_verify.py) catch what they are there to catch: a job taken twice,
a CSV with a row the user may not see or without one they may, a wrong number of rows per assessment."""

from collections import Counter

import sqlalchemy as sa

from bench.scaleout_users import Export, csv_rows_by_assessment
from bench.scaleout_verify import check_csv, read_worker_logs
from impact.assessments.models import Assessment
from impact.core.db import db
from impact.grounds.models import Ground
from tests import factories

RQ_LOG = """\
2026-11-30 11:24:30,076 INFO rq.worker: Worker 39da: impact-scaleout-c1: impact.jobs.worker.perform(3) (impact-job-3)
2026-11-30 11:24:30,341 INFO impact.jobs.running: job 3 (register_csv): 4266 rows in 0.6 s
2026-11-30 11:24:30,361 INFO rq.worker: Successfully completed impact.jobs.worker.perform(3) job in 0:00:00.65s
2026-11-30 11:24:31,076 INFO rq.worker: Worker 39da: impact-scaleout-c1: impact.jobs.worker.perform(4) (impact-job-4)
2026-11-30 11:24:31,080 INFO impact.jobs.running: job 4: not queued any more (cancelled, or taken by another worker)
"""


def test_the_worker_logs_count_a_job_run_once_however_it_was_taken_and_stopped(tmp_path):
    first, second = tmp_path / "worker0.log", tmp_path / "worker1.log"
    first.write_text(RQ_LOG)
    second.write_text(
        "... impact.jobs.worker.perform(4) (impact-job-4)\n"
        "... impact.jobs.worker.perform(5) (impact-job-5)\n"
        "WARNING rq.worker: Worker 3b57: job impact-job-5 stopped by user, moving job to FailedJobRegistry\n"
        "... impact.jobs.worker.perform(3) (impact-job-3)\n"
        "... impact.jobs.worker.perform(6) (impact-job-6)\n"
        "INFO impact.jobs.running: job 6: not queued any more (cancelled, or taken by another worker)\n"
        "WARNING rq.worker: Worker 3b57: job impact-job-6 stopped by user, moving job to FailedJobRegistry\n"
    )
    logs = read_worker_logs([first, second])
    assert logs.taken == {3: [1, 2], 4: [1, 2], 5: [2], 6: [2]}  # "Successfully completed" is not a second take
    assert logs.finished == Counter({3: 1})
    assert logs.runs(3, started=True) == 2  # taken twice, and both takes found it queued: caught
    assert logs.runs(4, started=True) == 1  # one of two takes found it no longer queued
    assert logs.runs(5, started=False) == 0  # stopped by a cancel before its work claimed it
    assert logs.runs(5, started=True) == 1  # stopped while it ran
    # A cancel pressed as a worker took it: the take found it gone and was sent the stop too; it never ran.
    assert logs.runs(6, started=False) == 0


def test_csv_rows_by_assessment_reads_the_register_csv():
    text = '\ufeffAssessment id;Title\r\n7;"A; quoted\r\ntitle"\r\n7;B\r\n9;C\r\n'
    assert csv_rows_by_assessment(text) == Counter({7: 2, 9: 1})


def test_check_csv_refuses_a_missing_row_a_leaked_row_and_a_wrong_count(app):
    with app.app_context():
        auditor = factories.create_user(roles=("auditor",), department="SLK", municipality_wide=True)
        officer = factories.create_user(roles=("case_officer",), department="GSF")
        approved = factories.create_assessment(status="approved", department="FFF")
        draft_elsewhere = factories.create_assessment(status="draft", department="FFF")
        own_draft = factories.create_assessment(status="draft", department="GSF")
        db.session.commit()
        grounds = db.session.scalar(sa.select(sa.func.count()).select_from(Ground))
        grounds_of = {number: grounds for number in db.session.scalars(sa.select(Assessment.id))}
        seeded_up_to = max(grounds_of)

        def check(user, rows: dict, filters: dict | None = None) -> str | None:
            export = Export(1, user.email, "csv", filters or {}, 1, 2, 0.0, rows_by_assessment=Counter(rows))
            return check_csv(export, user, seeded_up_to, grounds_of)

        assert check(auditor, {approved.id: grounds}) is None
        assert check(officer, {own_draft.id: grounds}) is None
        assert check(officer, {own_draft.id: grounds}, {"department": "FFF"}) is None  # held to their own
        assert check(auditor, {approved.id: grounds}, {"status": ["draft"]}) is not None  # not a draft
        assert "missing" in check(auditor, {})
        assert "may not see" in check(auditor, {approved.id: grounds, draft_elsewhere.id: grounds})
        assert "may not see" in check(officer, {own_draft.id: grounds, approved.id: grounds})
        assert "wrong number of rows" in check(officer, {own_draft.id: grounds - 1})
