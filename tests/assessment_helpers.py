"""Helpers for the assessment form tests: post a page the way a browser does (CSRF token and lock version)."""

import re

from flask.testing import FlaskClient

from tests import factories
from tests.conftest import CSRF_INPUT

LOCK_INPUT = re.compile(r'name="lock_version" type="hidden" value="(\d*)"')


def post_page(client: FlaskClient, path: str, data: dict, action: str = "continue", follow: bool = False):
    """GET ``path``, then POST ``data`` with the page's CSRF token and lock version."""
    page = client.get(path).get_data(as_text=True)
    form = {"csrf_token": CSRF_INPUT.search(page).group(1), "action": action}
    lock = LOCK_INPUT.search(page)
    if lock:
        form["lock_version"] = lock.group(1)
    form.update(data)
    return client.post(path, data=form, follow_redirects=follow)


PROPOSAL = {
    "title": "Nya öppettider i simhallarna",
    "case_number": "2026-00123",
    "committee": "Fritids- och folkhälsonämnden",
    "decision_date": "2026-12-15",
    "description": "Simhallarna i Borås får kortare öppettider på helger.",
    "purpose": "Minska kostnaderna.",
    "concerns": "Barn, äldre och föreningar.",
    "districts": [],
    "whole_municipality": "y",
}


def neutral_ground() -> dict:
    return {
        "relevant": "yes",
        "impact": "neutral",
        "affected_groups": "Alla besökare påverkas lika.",
        "evidence": "Besöksstatistik 2025.",
        "confidence": "medium",
    }


def own_draft(app, user, **fields) -> int:
    """A draft assessment of ``user``'s, in their department; its id."""
    from impact.core.db import db

    with app.app_context():
        author = db.session.get(factories.User, user.id)
        assessment_id = factories.create_assessment(author=author, department=author.department.code, **fields).id
        db.session.commit()
    return assessment_id


def demo_assessments() -> list:
    """The demo's departments, districts, users and assessments, made in the current app context; the assessments."""
    import sqlalchemy as sa

    from impact.assessments.models import Assessment
    from impact.core.db import db
    from impact.demo.assessments import ensure_demo_assessments
    from impact.demo.organisation import ensure_departments, ensure_districts
    from impact.demo.users import ensure_demo_users

    departments = ensure_departments()
    ensure_districts()
    ensure_demo_users(departments)
    ensure_demo_assessments(departments)
    return db.session.scalars(sa.select(Assessment)).all()


def return_with_section_comment(
    client: FlaskClient, assessment_id: int, lock: int, section: str, text: str, author: str
):
    """As the signed-in reviewer, return the assessment with ``text`` on ``section``; then sign in as ``author`` (an
    email) and give the task list's page."""
    from tests.conftest import AuthActions, csrf_token

    data = {"csrf_token": csrf_token(client, "/"), "lock_version": lock, "decision": "return"}
    data.update({"comment": "Se kommentarerna.", f"section_{section}": text})
    assert client.post(f"/review/{assessment_id}", data=data).status_code == 302
    auth = AuthActions(client)
    auth.logout()
    auth.login(author)
    return client.get(f"/assessments/{assessment_id}/tasks").get_data(as_text=True)
