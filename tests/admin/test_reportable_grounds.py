"""Summaries, filters and the API show only the grounds of published template versions, never a draft's.

A ground added in an unpublished draft, or deactivated there, must not appear in the ground filters (assessment
list, dashboard, district view), the dashboard's charts and tables, or ``GET /api/v1/grounds`` until the draft is
published; a ground an earlier published version asked about stays, since old assessments answered it.
"""

import re

import pytest

from impact.api.models import ApiToken
from impact.core.db import db
from impact.grounds import operations
from impact.grounds.models import GROUND_KEYS, reportable_grounds
from tests import factories

DRAFT_KEY = "childrens_best_interests"
DRAFT_NAME = "Barnets bästa i utkastet"
PAGES = ["/assessments/", "/reports/", "/reports/districts"]


@pytest.fixture
def template(app):
    """v1 published (the nine grounds) with an approved assessment; a draft v2 that adds a ground and deactivates
    ``sexual_orientation``. Returns the ids needed to publish the draft later."""
    with app.app_context():
        admin = factories.create_user(roles=("admin",), department="KS")
        factories.create_assessment(status="approved", answers={"disability": "negative", "age": "positive"})
        draft = operations.create_draft(admin)
        operations.add_ground(draft, admin, key=DRAFT_KEY, name_sv=DRAFT_NAME, name_en="Draft child rights")
        operations.add_ground(draft, admin, key="never_published", name_sv="Aldrig publicerad", name_en="Never")
        for ground in draft.grounds:
            if ground.key in ("sexual_orientation", "never_published"):
                operations.set_ground_active(ground, admin, False)
        db.session.commit()
        return {"admin": admin.id, "draft": draft.id}


def _publish(app, template) -> None:
    with app.app_context():
        from impact.auth.models import User
        from impact.grounds.models import TemplateVersion

        operations.publish(db.session.get(TemplateVersion, template["draft"]), db.session.get(User, template["admin"]))
        db.session.commit()


def _ground_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="ground".*?</select>', html, re.S)
    assert select, "no ground filter on the page"
    return [value for value in re.findall(r'<option[^>]*value="([^"]*)"', select.group(0)) if value]


def test_the_helper_leaves_out_the_draft(app, template):
    with app.app_context():
        assert [key for key, _sv, _en in reportable_grounds()] == list(GROUND_KEYS)


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_no_draft_ground(client, login_as, template, path):
    login_as("auditor", department="KS", municipality_wide=True)
    html = client.get(path).get_data(as_text=True)
    assert _ground_options(html) == list(GROUND_KEYS)
    assert DRAFT_KEY not in html and DRAFT_NAME not in html
    assert "Aldrig publicerad" not in html


def test_dashboard_tables_have_a_column_per_published_ground_only(client, login_as, template):
    login_as("auditor", department="KS", municipality_wide=True)
    html = client.get("/reports/").get_data(as_text=True)
    # The heat map's table links every count to the list filtered by that ground.
    linked = set(re.findall(r"ground=([a-z_]+)", html))
    assert linked and linked <= set(GROUND_KEYS)


def test_api_grounds_leave_out_the_draft(app, client, template):
    with app.app_context():
        _token, plain = ApiToken.issue(factories.create_user(roles=("auditor",), municipality_wide=True), "t")
        db.session.commit()
    response = client.get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"})
    assert [ground["key"] for ground in response.get_json()["grounds"]] == list(GROUND_KEYS)
    response = client.get(f"/api/v1/assessments?ground={DRAFT_KEY}", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 400


def test_after_publishing_the_new_ground_appears_and_the_old_one_stays(app, client, login_as, template):
    _publish(app, template)
    with app.app_context():
        keys = [key for key, _sv, _en in reportable_grounds()]
    # The new version's order first; sexual orientation, asked only by v1, stays for the assessments that answered it.
    assert keys == [key for key in GROUND_KEYS if key != "sexual_orientation"] + [DRAFT_KEY, "sexual_orientation"]
    login_as("auditor", department="KS", municipality_wide=True)
    for path in PAGES:
        html = client.get(path).get_data(as_text=True)
        assert _ground_options(html) == keys, path
        assert "Aldrig publicerad" not in html
