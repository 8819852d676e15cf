"""Two people with the same name are never shown as one: on the audit trail, in the history, on the review page
and in the PDF each is named with their department, and with their email address when the name is shared."""

import io
import re

import pytest
from pypdf import PdfReader

from impact.assessments import lifecycle
from impact.core.db import db
from impact.demo.assessments import STAFF
from impact.demo.users import DEMO_USERS
from impact.review import operations as review_operations
from tests import factories

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English

NAME = "Elin Nordin"


def _approved_by_a_namesake(officer_department: str, reviewer_department: str) -> dict:
    """An assessment written by one Elin Nordin and approved (with a comment) by another."""
    officer = factories.create_user(
        roles=("case_officer",), department=officer_department, name=NAME, email="elin.nordin@boras.example.com"
    )
    reviewer = factories.create_user(
        roles=("reviewer",),
        department=reviewer_department,
        name=NAME,
        email="elin.nordin2@boras.example.com",
        municipality_wide=True,
    )
    auditor = factories.create_user(roles=("auditor",), department="SLK", municipality_wide=True)
    assessment = factories.create_assessment(department=officer_department, author=officer, answers={"age": "neutral"})
    lifecycle.submit(assessment, officer)
    ground = assessment.answers[0].ground
    review_operations.approve(assessment, reviewer, [(ground, "Bra underlag")])
    db.session.commit()
    return {
        "id": assessment.id,
        "auditor": auditor.email,
        "officer": (officer.department.name, officer.email),
        "reviewer": (reviewer.department.name, reviewer.email),
    }


def _cells(html: str, table_start: str) -> list[str]:
    table = html[html.index(table_start) :]
    table = table[: table.index("</table>")]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<td>(.*?)</td>", table, re.S)
    ]


@pytest.mark.parametrize(
    "officer_department,reviewer_department", [("GSF", "FSF"), ("GSF", "GSF")], ids=["other", "same"]
)
def test_namesakes_are_told_apart_on_the_trail_history_review_page_and_pdf(
    app, client, auth, officer_department, reviewer_department
):
    with app.app_context():
        story = _approved_by_a_namesake(officer_department, reviewer_department)
    officer = f"{NAME} ({story['officer'][0]}) {story['officer'][1]}"
    reviewer = f"{NAME} ({story['reviewer'][0]}) {story['reviewer'][1]}"
    assert auth.login(story["auditor"]).status_code == 302

    trail = _cells(client.get(f"/audit/?assessment={story['id']}").get_data(as_text=True), "<table")
    assert officer in trail and reviewer in trail  # the "Who" cells of the submission and of the approval
    page = client.get(f"/assessments/{story['id']}").get_data(as_text=True)
    history = _cells(page, '<table class="table history">')
    assert officer in history and reviewer in history
    assert f'title="{story["officer"][1]}"' in page  # the address is also in the title of every name
    comments = re.findall(r'<p class="review-comment__meta">(.*?)</p>', page, re.S)
    assert comments and story["reviewer"][1] in comments[0]

    pdf = PdfReader(io.BytesIO(client.get(f"/reports/assessments/{story['id']}.pdf").get_data()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    flat = re.sub(r"\s+", " ", text)
    assert story["officer"][1] in flat and story["reviewer"][1] in flat


def test_a_name_nobody_else_has_is_shown_with_the_department_only(app, client, login_as):
    login_as("auditor", department="SLK", municipality_wide=True)
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",), name="Unik Person", email="unik@boras.example.com")
        assessment = factories.create_assessment(author=officer)
        lifecycle.submit(assessment, officer)
        db.session.commit()
        assessment_id = assessment.id
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    history = _cells(page, '<table class="table history">')
    assert "Unik Person (Fritids- och folkhälsoförvaltningen)" in history  # the email only in the title
    trail = _cells(client.get("/audit/").get_data(as_text=True), "<table")
    assert "Unik Person (Fritids- och folkhälsoförvaltningen) unik@boras.example.com" in trail  # always on the trail


def test_no_two_demo_users_share_a_name():
    names = [user[1] for user in DEMO_USERS] + [name for pair in STAFF.values() for name in pair]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)


def test_accessibility_reports_name_the_handler_and_show_stockholm_time(app, client, login_as):
    from datetime import UTC, datetime

    from impact.accessibility.models import AccessibilityReport

    admin = login_as("admin", department="SLK", name=NAME)
    with app.app_context():
        factories.create_user(roles=("case_officer",), department="GSF", name=NAME)
        report = AccessibilityReport(
            description="Knappen går inte att nå med tangentbordet.",
            created_at=datetime(2026, 11, 29, 23, 30, tzinfo=UTC),  # 00:30 on 30 November in Stockholm
            handled_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
            handled_by_id=admin.id,
        )
        db.session.add(report)
        db.session.commit()
    page = client.get("/admin/accessibility-reports").get_data(as_text=True)
    assert "2026-11-30 00:30" in page and "2026-11-29" not in page
    assert f"{NAME} (Stadsledningskansliet), {admin.email}" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
