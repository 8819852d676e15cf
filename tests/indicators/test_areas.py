"""Areas within districts: admins keep them beside the districts; the proposal and each ground offer them; an area
chosen counts for its district wherever assessments are counted or filtered by district."""

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment, assessment_areas
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.org.models import Area
from tests import factories
from tests.assessment_helpers import PROPOSAL, neutral_ground, own_draft, post_page
from tests.conftest import csrf_token


@pytest.fixture
def hassleholmen(app) -> dict:
    with app.app_context():
        area = factories.ensure_area()
        factories.ensure_district("Sjöbo")
        db.session.commit()
        return {"area": area.id, "district": area.district_id}


def test_an_admin_creates_changes_and_deactivates_an_area(app, client, login_as):
    login_as("admin")
    with app.app_context():
        norrby = factories.ensure_district("Norrby").id
        db.session.commit()
    token = csrf_token(client, "/admin/areas/new")
    data = {"csrf_token": token, "district_id": norrby, "code": "omr-1", "name": "Hässleholmen"}
    assert client.post("/admin/areas/new", data=data).status_code == 302
    page = client.get("/admin/districts").get_data(as_text=True)
    assert "Hässleholmen" in page and "OMR-1" in page
    # The code is unique (in any case); an empty name or no district is refused next to its field.
    data["name"] = "Annat"
    refused = client.post("/admin/areas/new", data={**data, "code": "Omr-1"}).get_data(as_text=True)
    assert "OMR-1" in page and 'id="code-error"' in refused
    assert client.post("/admin/areas/new", data={**data, "code": "OMR-2", "district_id": "0"}).status_code == 200
    with app.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == "OMR-1"))
        area_id = area.id
        assert db.session.scalar(sa.select(sa.func.count(Area.id))) == 1
    data = {"csrf_token": csrf_token(client, f"/admin/areas/{area_id}"), "district_id": norrby, "code": "OMR-1"}
    assert client.post(f"/admin/areas/{area_id}", data={**data, "name": "Hässleholmen C"}).status_code == 302
    token = csrf_token(client, "/admin/districts")
    assert client.post(f"/admin/areas/{area_id}/deactivate", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        area = db.session.get(Area, area_id)
        assert (area.name, area.active) == ("Hässleholmen C", False)
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "areas")).all()
        assert sorted(actions) == ["area.create", "area.deactivate", "area.update"]


def test_an_area_chosen_on_the_proposal_counts_for_its_district(app, client, login_as, hassleholmen):
    officer = login_as("case_officer")
    assessment_id = own_draft(app, officer, districts=("Sjöbo",))
    path = f"/assessments/{assessment_id}/proposal"
    page = client.get(path).get_data(as_text=True)
    assert "Hässleholmen (Norrby)" in page
    data = {**PROPOSAL, "whole_municipality": "", "districts": [], "areas": [str(hassleholmen["area"])]}
    assert post_page(client, path, data).status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert [area.name for area in assessment.areas] == ["Hässleholmen"]
        assert [district.name for district in assessment.districts] == ["Norrby"]  # the area's district, chosen
    # Opened again, the proposal page shows what is saved ticked, so saving it unchanged keeps the places.
    page = client.get(path).get_data(as_text=True)
    assert f'name="areas" value="{hassleholmen["area"]}" checked' in page
    assert f'name="districts" value="{hassleholmen["district"]}" checked' in page
    assert page.count(" checked") == 2  # nothing else: not the whole municipality, not Sjöbo (no longer chosen)
    # The list filtered by the district finds it; the assessment page names the area.
    listing = client.get("/assessments/?district=Norrby").get_data(as_text=True)
    assert f"/assessments/{assessment_id}" in listing
    assert "Hässleholmen (Norrby)" in client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    # The whole municipality clears the areas as it clears the districts.
    assert post_page(client, path, {**PROPOSAL, "areas": [str(hassleholmen["area"])]}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(assessment_areas)) == 0


def test_a_ground_keeps_the_areas_affected_differently_and_their_districts(app, client, login_as, hassleholmen):
    officer = login_as("case_officer")
    assessment_id = own_draft(app, officer)
    path = f"/assessments/{assessment_id}/grounds/age"
    data = {**neutral_ground(), "areas": [str(hassleholmen["area"])]}
    assert post_page(client, path, data).status_code == 302
    with app.app_context():
        answer = db.session.get(Assessment, assessment_id).answers[0]
        assert [a.name for a in answer.areas] == ["Hässleholmen"] and [d.name for d in answer.districts] == ["Norrby"]
    page = client.get(path).get_data(as_text=True)
    assert f'name="areas" value="{hassleholmen["area"]}" checked' in page


def test_a_new_version_keeps_the_areas(app, hassleholmen):
    from impact.review.operations import amend

    with app.app_context():
        area = db.session.get(Area, hassleholmen["area"])
        assessment = factories.create_assessment("approved", answers={"age": "neutral"})
        assessment.areas = [area]
        assessment.answers[0].areas = [area]
        db.session.flush()
        copy = amend(assessment, assessment.authors[0])
        assert [a.code for a in copy.areas] == ["OMR-HASSLEHOLMEN"]
        assert [a.code for a in copy.answers[0].areas] == ["OMR-HASSLEHOLMEN"]
        db.session.rollback()
