"""User administration: list and filters, create, edit, deactivate, reactivate, reset password, the admin rules."""

import re

import pytest
import sqlalchemy as sa

from impact.admin.users import UserChangeError, update_user
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.passwords import verify_password
from impact.auth.roles import Role
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

NEW_PASSWORD = "blåbär och lingon i skogen"


def post(client, url: str, **data):
    data.setdefault("csrf_token", csrf_token(client, "/"))
    return client.post(url, data=data)


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(
            db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )
        db.session.expunge_all()
        return events


@pytest.fixture
def admin(login_as):
    return login_as("admin", department="SLK", name="Ada Admin", email="ada@test.example.com")


@pytest.fixture
def fff_id(app):
    with app.app_context():
        dept = factories.ensure_department("FFF")
        db.session.commit()
        return dept.id


def test_list_searches_and_filters(app, client, admin):
    with app.app_context():
        factories.create_user(name="Karin Granskare", roles=("reviewer",), department="FFF")
        factories.create_user(name="Olle Handläggare", roles=("case_officer",), department="GRF")
        factories.create_user(name="Gammal Granskare", roles=("reviewer",), department="FFF", active=False)
        fff = factories.ensure_department("FFF").id
        db.session.commit()

    def listed(query: str) -> set[str]:
        return set(
            re.findall(r'/admin/users/\d+">([^<]+)</a>', client.get(f"/admin/users?{query}").get_data(as_text=True))
        )

    assert listed("q=granskare") == {"Karin Granskare", "Gammal Granskare"}
    assert listed("status=active&role=reviewer") == {"Karin Granskare"}
    assert listed("status=inactive") == {"Gammal Granskare"}
    assert listed(f"department={fff}") == {"Karin Granskare", "Gammal Granskare"}
    assert listed("q=ADA@TEST") == {"Ada Admin"}
    # A bad filter value is ignored, not an error page.
    assert client.get("/admin/users?role=king&department=x").status_code == 200


def test_list_is_paginated(app, client, admin):
    with app.app_context():
        for number in range(30):
            factories.create_user(name=f"Person {number:02d}")
        db.session.commit()
    first = client.get("/admin/users").get_data(as_text=True)
    assert "31 användare" in first and "Sida 1 av 2" in first
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Sida 2 av 2" in second


def test_create_user_with_roles_and_forced_password_change(app, client, admin, fff_id):
    response = post(
        client,
        "/admin/users/new",
        name="Nina Ny",
        email="Nina.Ny@Test.Example.com",
        department=str(fff_id),
        roles=["reviewer", "auditor"],
        municipality_wide="y",
        password="tre glada kaniner hoppar",
        must_change_password="y",
    )
    assert response.status_code == 302
    user = _user(app, "nina.ny@test.example.com")
    assert user.name == "Nina Ny" and user.municipality_wide and user.must_change_password
    assert {row.role for row in user.role_rows} == {Role.reviewer, Role.auditor}
    event = _events(app, "user.create")[-1]
    assert event.actor_id == admin.id and event.changes["roles"] == ["auditor", "reviewer"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "ada@test.example.com"}, "email", "En annan användare har redan den här e-postadressen"),
        ({"name": "   "}, "name", "Ange personens namn"),
        ({"roles": []}, "roles", "Välj minst en roll"),
        ({"password": "password123456"}, "password", "för vanligt"),
        ({"password": "kort"}, "password", "minst 12 tecken"),
        ({"password": "nina ny har ett lösen"}, "password", "inte innehålla ditt namn"),
        ({"email": "inte-en-adress"}, "email", "rätt format"),
    ],
)
def test_create_user_bad_input_errors_next_to_field_and_changes_nothing(
    app, client, admin, fff_id, changes, field, message
):
    data = {
        "name": "Nina Ny",
        "email": "nina@test.example.com",
        "department": str(fff_id),
        "roles": ["case_officer"],
        "password": "tre glada kaniner hoppar",
        **changes,
    }
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = post(client, "/admin/users/new", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error">.*{re.escape(message)}', page, re.S), page
    assert "Det finns ett problem" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before
    if field != "name":
        assert 'value="Nina Ny"' in page  # what the admin typed stays


def test_edit_roles_department_name_and_email_with_audit_diff(app, client, admin):
    with app.app_context():
        user = factories.create_user(name="Olle", email="olle@test.example.com", roles=("case_officer",))
        grf = factories.ensure_department("GRF")
        db.session.commit()
        user_id, grf_id = user.id, grf.id
    response = post(
        client,
        f"/admin/users/{user_id}",
        name="Olle Olsson",
        email="olle.olsson@test.example.com",
        department=str(grf_id),
        roles=["case_officer", "reviewer"],
    )
    assert response.status_code == 302
    user = _user(app, "olle.olsson@test.example.com")
    assert user.name == "Olle Olsson" and user.department_id == grf_id
    event = _events(app, "user.update")[-1]
    assert event.changes["roles"] == {"before": ["case_officer"], "after": ["case_officer", "reviewer"]}
    assert event.changes["department"] == {"before": "FFF", "after": "GRF"}
    assert event.changes["email"]["before"] == "olle@test.example.com"


def test_edit_refuses_an_email_another_user_has(app, client, admin):
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com")
        db.session.commit()
        user_id, dept = user.id, user.department_id
    page = post(
        client,
        f"/admin/users/{user_id}",
        name="Olle",
        email="ada@test.example.com",
        department=str(dept),
        roles=["case_officer"],
    ).get_data(as_text=True)
    assert "En annan användare har redan den här e-postadressen" in page
    assert _user(app, "olle@test.example.com") is not None


def test_admin_cannot_remove_own_admin_role(app, client, admin):
    page = post(
        client,
        f"/admin/users/{admin.id}",
        name="Ada Admin",
        email="ada@test.example.com",
        department=str(admin.department_id),
        roles=["reviewer"],
    ).get_data(as_text=True)
    assert "Du kan inte ta bort din egen administratörsroll" in page
    assert Role.admin in {row.role for row in _user(app, "ada@test.example.com").role_rows}


def test_admin_cannot_deactivate_themselves(app, client, admin):
    post(client, f"/admin/users/{admin.id}/deactivate")
    assert _user(app, "ada@test.example.com").active
    assert "Du kan inte inaktivera ditt eget konto" in client.get(f"/admin/users/{admin.id}").get_data(as_text=True)


def test_the_last_active_admin_cannot_lose_the_role(app):
    with app.app_context():
        only_admin = factories.create_user(roles=("admin",))
        other_admin = factories.create_user(roles=("admin",), active=False)  # deactivated admins do not count
        db.session.commit()
        with pytest.raises(UserChangeError, match="sista aktiva administratören"):
            update_user(
                only_admin,
                other_admin,
                email=only_admin.email,
                name=only_admin.name,
                department=only_admin.department,
                roles=[Role.case_officer],
                municipality_wide=False,
            )


def test_another_admin_may_remove_an_admin_role_when_one_remains(app, client, admin):
    with app.app_context():
        other = factories.create_user(roles=("admin",), email="bo@test.example.com")
        db.session.commit()
        other_id, dept = other.id, other.department_id
    post(
        client,
        f"/admin/users/{other_id}",
        name="Bo",
        email="bo@test.example.com",
        department=str(dept),
        roles=["auditor"],
    )
    assert {row.role for row in _user(app, "bo@test.example.com").role_rows} == {Role.auditor}


def test_deactivate_and_reactivate(app, client, auth, admin):
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com")
        db.session.commit()
        user_id = user.id
    post(client, f"/admin/users/{user_id}/deactivate")
    assert not _user(app, "olle@test.example.com").active
    assert [e.changes for e in _events(app, "user.deactivate")] == [{"active": {"before": True, "after": False}}]
    post(client, f"/admin/users/{user_id}/reactivate")
    assert _user(app, "olle@test.example.com").active
    assert len(_events(app, "user.reactivate")) == 1
    auth.logout()
    assert auth.login("olle@test.example.com").status_code == 302


def test_deactivated_user_cannot_log_in(app, client, auth, admin):
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com")
        db.session.commit()
        user_id = user.id
    post(client, f"/admin/users/{user_id}/deactivate")
    auth.logout()
    assert auth.login("olle@test.example.com").status_code == 200


def test_reset_password_shows_a_temporary_password_once_and_forces_a_change(app, client, auth, admin):
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com", name="Olle Olsson")
        db.session.commit()
        user_id = user.id
    response = post(client, f"/admin/users/{user_id}/reset-password")
    assert response.headers["Cache-Control"] == "no-store"
    temporary = re.search(r"<code>([a-z0-9-]{19})</code>", response.get_data(as_text=True)).group(1)
    user = _user(app, "olle@test.example.com")
    with app.app_context():
        assert user.must_change_password and verify_password(user.password_hash, temporary)
        assert not verify_password(user.password_hash, factories.PASSWORD)
    event = _events(app, "user.password_reset")[-1]
    assert temporary not in str(event.changes)  # the password is never written to the audit trail
    assert temporary not in client.get(f"/admin/users/{user_id}").get_data(as_text=True)

    auth.logout()
    response = auth.login("olle@test.example.com", temporary)
    assert response.headers["Location"].startswith("/password")


def _queries_for(app, client, url: str) -> int:
    from sqlalchemy import event

    count = 0

    def _count(*_args, **_kwargs):
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return count


@pytest.mark.parametrize("url", ["/admin/users", "/admin/departments", "/admin/districts", "/admin/"])
def test_admin_lists_make_the_same_number_of_queries_for_more_rows(app, client, admin, url):
    def add(number: int) -> None:
        with app.app_context():
            for index in range(number):
                code = f"D{len(str(index))}{index}"
                factories.create_user(roles=("reviewer", "auditor"), department=code)
                factories.ensure_district(f"Kommundel {code}")
            db.session.commit()

    add(3)
    few = _queries_for(app, client, url)
    add(20)
    assert _queries_for(app, client, url) == few
