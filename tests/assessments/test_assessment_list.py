"""The assessment list and page show only what the user may see."""

from impact.core.db import db
from tests import factories


def test_list_shows_own_department_and_public_records_only(app, client, login_as):
    user = login_as("case_officer", department="GSF")
    with app.app_context():
        factories.create_assessment(title="Eget utkast", department="GSF")
        factories.create_assessment(title="Annans utkast", department="FFF")
        factories.create_assessment(title="Godkänd simhall", department="FFF", status="approved")
        db.session.commit()
    page = client.get("/assessments/").get_data(as_text=True)
    assert "Eget utkast" in page
    assert "Godkänd simhall" in page
    assert "Annans utkast" not in page
    assert user.department.code == "GSF"


def test_another_departments_draft_is_404_and_own_is_shown(app, client, login_as):
    login_as("case_officer", department="GSF")
    with app.app_context():
        hidden = factories.create_assessment(department="FFF").id
        mine = factories.create_assessment(department="GSF", title="Skolskjuts").id
        db.session.commit()
    assert client.get(f"/assessments/{hidden}").status_code == 404
    response = client.get(f"/assessments/{mine}")
    assert response.status_code == 200
    assert "Skolskjuts" in response.get_data(as_text=True)
