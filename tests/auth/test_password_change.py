"""Changing one's own password, and the forced change after an admin reset or a "change at first login" account."""

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.passwords import verify_password
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

NEW = "blåbär och lingon i skogen"


@pytest.fixture
def forced(app):
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com", name="Olle Olsson", must_change_password=True)
        db.session.commit()
        return user.email


def _change(client, **data):
    data.setdefault("csrf_token", csrf_token(client, "/password"))
    return client.post("/password?next=/assessments/", data=data)


def test_login_with_must_change_password_goes_to_the_change_page(client, auth, forced):
    response = auth.login(forced, next_url="/assessments/")
    assert response.headers["Location"] == "/password?next=/assessments/"


@pytest.mark.parametrize("path", ["/", "/assessments/", "/admin/"])
def test_every_page_leads_to_the_change_page_until_changed(client, auth, forced, path):
    auth.login(forced)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/password")


def test_the_accessibility_statement_and_logout_stay_reachable(client, auth, forced):
    auth.login(forced)
    assert client.get("/accessibility/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/password")})
    assert response.headers["Location"] == "/login"


def test_changing_the_password_clears_the_flag_and_is_audited(app, client, auth, forced):
    auth.login(forced)
    response = _change(client, current_password=factories.PASSWORD, new_password=NEW, confirm_password=NEW)
    assert response.headers["Location"] == "/assessments/"
    assert client.get("/").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == forced))
        assert not user.must_change_password and verify_password(user.password_hash, NEW)
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password_change"))
        assert event.actor_id == user.id and event.changes["must_change_password"]["after"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"current_password": "fel lösenord här", "new_password": NEW, "confirm_password": NEW},
            "nuvarande lösenordet är fel",
        ),
        ({"new_password": NEW, "confirm_password": NEW + "x"}, "inte likadana"),
        ({"new_password": "password123456", "confirm_password": "password123456"}, "för vanligt"),
        ({"new_password": "olle olsson 2026!", "confirm_password": "olle olsson 2026!"}, "inte innehålla ditt namn"),
        (
            {"new_password": factories.PASSWORD, "confirm_password": factories.PASSWORD},
            "skiljer sig från det nuvarande",
        ),
    ],
)
def test_bad_new_passwords_are_refused_with_a_reason(app, client, auth, forced, data, message):
    auth.login(forced)
    page = _change(client, **{"current_password": factories.PASSWORD, **data}).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(sa.select(User.must_change_password).where(User.email == forced))


def test_any_user_can_change_their_password_from_the_menu(client, login_as):
    login_as("case_officer")
    assert 'href="/password"' in client.get("/").get_data(as_text=True)
    response = _change(client, current_password=factories.PASSWORD, new_password=NEW, confirm_password=NEW)
    assert response.status_code == 302
