"""What the audit trail, the history and the notifications show of an assessment the reader may not open:
the event (who, what kind, when) without its content (title, field changes, comments) and without a link."""

import re

import pytest

from impact.assessments import lifecycle
from impact.assessments import operations as assessment_operations
from impact.core.db import db
from impact.review import operations as review_operations
from tests import factories

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English

SECRET_TITLE = "Hemligt utkast om hemtjänsten"
SECRET_TEXT = "Känslig beskrivning som bara förvaltningen ser"


def _draft_with_a_change(department: str = "VAF") -> tuple[int, str]:
    """A draft of ``department`` whose proposal was changed once; returns its id and its author's name."""
    officer = factories.create_user(roles=("case_officer",), department=department, name="Lena Persson")
    assessment = factories.create_assessment(department=department, author=officer, title=SECRET_TITLE)
    assessment_operations.save_proposal(
        assessment,
        officer,
        {"title": SECRET_TITLE, "case_number": assessment.case_number, "description": SECRET_TEXT},
        None,
    )
    db.session.commit()
    return assessment.id, officer.name


def _trail_row(page: str, assessment_id: int) -> str:
    """The trail's rows that concern ``assessment_id`` (by the number shown in the assessment column)."""
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    return "\n".join(row for row in rows if re.search(rf"(?:\(|>\s*){assessment_id}\b", row))


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_trail_shows_another_departments_draft_without_content_or_link(app, client, login_as, role):
    login_as(role, department="SLK", municipality_wide=True)
    with app.app_context():
        assessment_id, author = _draft_with_a_change()
    page = client.get(f"/audit/?assessment={assessment_id}").get_data(as_text=True)
    assert "1 event" in page
    rows = _trail_row(page, assessment_id)
    assert author in rows and "Assessment changed" in rows  # who and what kind
    assert "not open to you" in rows
    assert SECRET_TITLE not in page and SECRET_TEXT not in page  # no content
    assert f"/assessments/{assessment_id}" not in page  # no link that would answer 404
    assert client.get(f"/assessments/{assessment_id}").status_code == 404


def test_trail_shows_an_assessment_the_reader_may_open_in_full_with_a_working_link(app, client, login_as):
    login_as("auditor", department="VAF")
    with app.app_context():
        assessment_id, _author = _draft_with_a_change("VAF")
    page = client.get(f"/audit/?assessment={assessment_id}").get_data(as_text=True)
    assert SECRET_TITLE in page and SECRET_TEXT in page
    link = f'href="/assessments/{assessment_id}"'
    assert link in page
    assert client.get(f"/assessments/{assessment_id}").status_code == 200


def test_trail_links_submitted_and_approved_assessments_for_a_municipality_wide_auditor(app, client, login_as):
    login_as("auditor", department="SLK", municipality_wide=True)
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",), department="VAF")
        reviewer = factories.create_user(roles=("reviewer",), department="VAF")
        submitted = factories.create_assessment(department="VAF", author=officer, title="Inskickad analys")
        lifecycle.submit(submitted, officer)
        approved = factories.create_assessment(department="VAF", author=officer, title="Godkänd analys")
        lifecycle.submit(approved, officer)
        review_operations.approve(approved, reviewer)
        db.session.commit()
        ids = submitted.id, approved.id
    page = client.get("/audit/").get_data(as_text=True)
    for assessment_id, title in zip(ids, ("Inskickad analys", "Godkänd analys"), strict=True):
        assert f'href="/assessments/{assessment_id}"' in page and title in page
        assert client.get(f"/assessments/{assessment_id}").status_code == 200


def test_trail_hides_a_submission_once_it_is_returned_to_its_department(app, client, login_as):
    """Visibility is decided when the trail is read: the events of an assessment that has left the reader's remit
    lose their content, including the reviewer's comment."""
    login_as("auditor", department="SLK", municipality_wide=True)
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",), department="VAF")
        reviewer = factories.create_user(roles=("reviewer",), department="VAF")
        assessment = factories.create_assessment(department="VAF", author=officer, title=SECRET_TITLE)
        lifecycle.submit(assessment, officer)
        review_operations.return_for_changes(assessment, reviewer, "Kommentaren är också innehåll")
        db.session.commit()
        assessment_id = assessment.id
    page = client.get(f"/audit/?assessment={assessment_id}").get_data(as_text=True)
    assert "Returned for changes" in page and "Reviewer&#39;s comment" in page
    assert SECRET_TITLE not in page and "Kommentaren är också innehåll" not in page
    assert f"/assessments/{assessment_id}" not in page


def test_notifications_about_an_assessment_no_longer_open_keep_no_title_or_link(app, client, login_as):
    reviewer = login_as("reviewer", department="SLK", municipality_wide=True)
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",), department="VAF")
        assessment = factories.create_assessment(department="VAF", author=officer, title=SECRET_TITLE)
        lifecycle.submit(assessment, officer)  # notifies the municipality-wide reviewer
        db.session.commit()
        assessment_id = assessment.id
    page = client.get("/notifications/").get_data(as_text=True)
    assert SECRET_TITLE in page and f"/assessments/{assessment_id}" in page
    with app.app_context():
        department_reviewer = factories.create_user(roles=("reviewer",), department="VAF")
        assessment = db.session.get(type(assessment), assessment_id)
        review_operations.return_for_changes(assessment, department_reviewer, "Ändra")
        db.session.commit()
    page = client.get("/notifications/").get_data(as_text=True)
    assert SECRET_TITLE not in page and f"/assessments/{assessment_id}" not in page
    assert "An assessment you can no longer open." in page
    assert reviewer.name  # the page is the reviewer's own
