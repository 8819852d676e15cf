"""Departments and districts: create, rename, deactivate, reactivate; never deleted, kept on old assessments."""

import pytest
import sqlalchemy as sa

from impact.admin.forms import department_choices
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.org.models import Department, District
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def admin(login_as):
    return login_as("admin", department="SLK")


def post(client, url: str, **data):
    data.setdefault("csrf_token", csrf_token(client, "/admin/"))
    return client.post(url, data=data)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_create_and_rename_a_department_with_audit(app, client, admin):
    response = post(client, "/admin/departments/new", name="Klimatförvaltningen", code="klf", committee="Klimatnämnden")
    assert response.status_code == 302
    with app.app_context():
        dept = db.session.scalar(sa.select(Department).where(Department.code == "KLF"))
        assert dept.name == "Klimatförvaltningen" and dept.committee == "Klimatnämnden" and dept.active
        dept_id = dept.id
    post(client, f"/admin/departments/{dept_id}", name="Miljö- och klimatförvaltningen", code="MKF", committee="")
    with app.app_context():
        dept = db.session.get(Department, dept_id)
        assert (dept.name, dept.code, dept.committee) == ("Miljö- och klimatförvaltningen", "MKF", None)
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "department.update"))
        assert event.changes["name"] == {"before": "Klimatförvaltningen", "after": "Miljö- och klimatförvaltningen"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "fritids- och folkhälsoförvaltningen", "code": "NEW"}, "name", "har redan det här namnet"),
        ({"name": "Ny förvaltning", "code": "fff"}, "code", "har redan den här koden"),
        ({"name": "  ", "code": "NEW"}, "name", "Ange förvaltningens namn"),
        ({"name": "Ny förvaltning", "code": ""}, "code", "Ange en kort kod"),
    ],
)
def test_department_bad_input_errors_next_to_field_and_changes_nothing(app, client, admin, data, field, message):
    with app.app_context():
        factories.ensure_department("FFF")
        db.session.commit()
    before = _count(app, Department)
    page = post(client, "/admin/departments/new", **data).get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert _count(app, Department) == before


def test_deactivated_department_stays_on_old_assessments_and_leaves_the_choices(app, client, admin):
    with app.app_context():
        assessment = factories.create_assessment(department="GRF")
        db.session.commit()
        dept_id, assessment_id = assessment.department_id, assessment.id
    post(client, f"/admin/departments/{dept_id}/deactivate")
    with app.app_context():
        assert not db.session.get(Department, dept_id).active
        assert str(dept_id) not in dict(department_choices())
        assert str(dept_id) in dict(department_choices(include_inactive_id=dept_id))
        assert db.session.get(type(assessment), assessment_id).department_id == dept_id
    assert "Inaktiverad" in client.get("/admin/departments").get_data(as_text=True)
    post(client, f"/admin/departments/{dept_id}/reactivate")
    with app.app_context():
        assert db.session.get(Department, dept_id).active
        actions = list(
            db.session.scalars(
                sa.select(AuditEvent.action).where(AuditEvent.object_type == "departments").order_by(AuditEvent.id)
            )
        )
        assert actions == ["department.deactivate", "department.reactivate"]


def test_create_rename_and_deactivate_a_district(app, client, admin):
    post(client, "/admin/districts/new", name="Viskafors")
    with app.app_context():
        district = db.session.scalar(sa.select(District).where(District.name == "Viskafors"))
        district_id = district.id
    post(client, f"/admin/districts/{district_id}", name="Viskafors tätort")
    post(client, f"/admin/districts/{district_id}/deactivate")
    with app.app_context():
        district = db.session.get(District, district_id)
        assert (district.name, district.active) == ("Viskafors tätort", False)
        actions = list(
            db.session.scalars(
                sa.select(AuditEvent.action).where(AuditEvent.object_type == "districts").order_by(AuditEvent.id)
            )
        )
        assert actions == ["district.create", "district.update", "district.deactivate"]


def test_a_deactivated_district_stays_on_old_assessments(app, client, admin):
    with app.app_context():
        assessment = factories.create_assessment(districts=("Norrby",))
        db.session.commit()
        district_id, assessment_id = assessment.districts[0].id, assessment.id
    post(client, f"/admin/districts/{district_id}/deactivate")
    with app.app_context():
        assessment = db.session.get(type(assessment), assessment_id)
        assert [d.name for d in assessment.districts] == ["Norrby"] and not assessment.districts[0].active


@pytest.mark.parametrize(("name", "message"), [("norrby", "har redan det här namnet"), ("", "Ange kommundelens namn")])
def test_district_bad_input(app, client, admin, name, message):
    with app.app_context():
        factories.ensure_district("Norrby")
        db.session.commit()
    before = _count(app, District)
    page = post(client, "/admin/districts/new", name=name).get_data(as_text=True)
    assert 'id="name-error"' in page and message in page
    assert _count(app, District) == before


def test_lists_show_every_department_and_district(app, client, admin):
    with app.app_context():
        factories.ensure_department("FFF")
        factories.ensure_district("Sjöbo")
        db.session.commit()
    assert "Fritids- och folkhälsoförvaltningen" in client.get("/admin/departments").get_data(as_text=True)
    assert "Sjöbo" in client.get("/admin/districts").get_data(as_text=True)
