"""Login, logout, inactive users, session handling and safe redirects."""

import pytest

from impact.audit.models import AuditEvent
from impact.core.db import db
from tests import factories


@pytest.fixture
def officer(app):
    with app.app_context():
        user = factories.create_user(email="officer@test.example.com", name="Olle Officer")
        db.session.commit()
        return user.email


def test_login_page_is_swedish_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page


def test_login_page_in_english_when_browser_asks(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in to Impact" in page


def test_login_success_shows_start_page_with_department_and_roles(client, auth, officer):
    response = auth.login(officer)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Olle Officer" in page
    assert "Fritids- och folkhälsoförvaltningen" in page
    assert "Handläggare" in page


def test_login_is_case_insensitive_on_email(client, auth, officer):
    assert auth.login(officer.upper()).status_code == 302


@pytest.mark.parametrize("email", ["officer@test.example.com", "nobody@test.example.com"])
def test_wrong_password_or_unknown_email_give_the_same_message(client, auth, officer, email):
    response = auth.login(email, "wrong password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är fel." in page
    assert "Det finns ett problem" in page  # the error summary
    assert f'value="{email}"' in page  # what the user typed stays


def test_empty_fields_are_reported_next_to_each_field(client):
    from tests.conftest import csrf_token

    page = client.post("/login", data={"csrf_token": csrf_token(client)}).get_data(as_text=True)
    assert "Ange din e-postadress" in page
    assert "Ange ditt lösenord" in page
    assert 'aria-describedby="email-error"' in page


def test_inactive_user_cannot_log_in(app, client, auth):
    with app.app_context():
        factories.create_user(email="gone@test.example.com", active=False)
        db.session.commit()
    response = auth.login("gone@test.example.com")
    assert response.status_code == 200
    assert "inaktiverat" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivated_user_is_logged_out_on_next_request(app, client, login_as):
    user = login_as("case_officer")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(factories.User, user.id).active = False
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_requires_post_and_ends_the_session(client, auth, login_as):
    login_as("reviewer")
    assert client.get("/logout").status_code == 405
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_pages_need_login_and_come_back_after_it(client, auth, officer):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2F"
    assert auth.login(officer, next_url="/healthz").headers["Location"] == "/healthz"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "http:/x",
        " //evil.example.com",
        "/\t/evil.example.com",
    ],
)
def test_next_is_followed_only_to_local_paths(client, auth, officer, next_url):
    response = auth.login(officer, next_url=next_url)
    assert response.headers["Location"] == "/"


def test_successful_login_is_recorded_in_the_audit_trail(app, auth, officer):
    auth.login(officer)
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent)).all()
    assert [event.action for event in events] == ["user.login"]


def test_login_without_csrf_token_is_refused(client, officer):
    response = client.post("/login", data={"email": officer, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_language_choice_sticks_for_the_user(app, client, login_as):
    from tests.conftest import csrf_token

    user = login_as("auditor")
    response = client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(factories.User, user.id).locale == "en"


def test_passwords_are_stored_as_argon2id(app, officer):
    with app.app_context():
        user = db.session.scalar(db.select(factories.User).where(factories.User.email == officer))
        assert user.password_hash.startswith("$argon2id$")
