"""Login sessions live on the server: logging out, a new password or an admin's change ends them for good.

A copy of the session cookie (taken from a shared computer, a proxy log, a stolen laptop) must open nothing once
the session has ended, and a person's other sessions end when their password, roles or account status change.
API tokens are not sessions and are unaffected.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from impact.api.models import ApiToken
from impact.auth.models import User
from impact.auth.sessions import TOUCH_SECONDS, LoginSession
from impact.core.db import db, utcnow
from tests import factories
from tests.conftest import AuthActions, csrf_token

NEW = "blåbär och lingon i skogen"
COOKIE = "session"


def _browser(app: Flask, email: str) -> FlaskClient:
    """A separate browser (its own cookie jar), logged in as ``email``."""
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    return client


def _copy_cookie(source: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of ``source``'s session cookie, as someone who copied it would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, source.get_cookie(COOKIE).value)
    return thief


def _logged_in(client: FlaskClient) -> bool:
    """Whether the browser's session still opens pages (a forced password change counts as logged in)."""
    response = client.get("/assessments/")
    assert response.status_code in (200, 302)
    return not response.headers.get("Location", "").startswith("/login")


def _post(client: FlaskClient, url: str, **data):
    data.setdefault("csrf_token", csrf_token(client, "/"))
    return client.post(url, data=data)


@pytest.fixture
def officer(app) -> tuple[int, str]:
    with app.app_context():
        user = factories.create_user(email="olle@test.example.com", name="Olle Olsson")
        db.session.commit()
        return user.id, user.email


@pytest.fixture
def admin_client(app) -> FlaskClient:
    with app.app_context():
        factories.create_user(roles=("admin",), department="SLK", email="ada@test.example.com")
        db.session.commit()
    return _browser(app, "ada@test.example.com")


def _sessions(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).where(LoginSession.user_id == user_id))


def test_the_cookie_holds_no_user_id_and_the_server_stores_only_a_hash(app, officer):
    user_id, email = officer
    browser = _browser(app, email)
    with browser.session_transaction() as session:
        key = session["_user_id"]
    assert key != str(user_id) and len(key) >= 40
    with app.app_context():
        row = db.session.scalar(sa.select(LoginSession).where(LoginSession.user_id == user_id))
        assert row.key_hash != key and len(row.key_hash) == 64


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, officer):
    _user_id, email = officer
    browser = _browser(app, email)
    copy = _copy_cookie(browser, app)
    assert _logged_in(copy)
    assert AuthActions(browser).logout().status_code == 302
    response = copy.get("/assessments/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not _logged_in(browser)


def test_logout_ends_only_this_session(app, officer):
    user_id, email = officer
    first, second = _browser(app, email), _browser(app, email)
    assert _sessions(app, user_id) == 2
    AuthActions(first).logout()
    assert not _logged_in(first)
    assert _logged_in(second)
    assert _sessions(app, user_id) == 1


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one_under_a_new_key(app, officer):
    user_id, email = officer
    here, elsewhere = _browser(app, email), _browser(app, email)
    copy_of_here = _copy_cookie(here, app)
    data = {"current_password": factories.PASSWORD, "new_password": NEW, "confirm_password": NEW}
    response = _post(here, "/password", csrf_token=csrf_token(here, "/password"), **data)
    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    assert not _logged_in(copy_of_here)  # re-issued: a copy taken before the change is dead too
    assert _sessions(app, user_id) == 1


def test_an_admin_password_reset_ends_the_persons_sessions(app, officer, admin_client):
    user_id, email = officer
    browser = _browser(app, email)
    assert _post(admin_client, f"/admin/users/{user_id}/reset-password").status_code == 200
    assert not _logged_in(browser)
    assert _logged_in(admin_client)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app, officer, admin_client):
    user_id, email = officer
    browser = _browser(app, email)
    assert _post(admin_client, f"/admin/users/{user_id}/deactivate").status_code == 302
    assert _sessions(app, user_id) == 0
    assert _post(admin_client, f"/admin/users/{user_id}/reactivate").status_code == 302
    assert not _logged_in(browser)
    assert _logged_in(_browser(app, email))  # logging in again works


def _edit(admin_client, user_id: int, **changes):
    with admin_client.application.app_context():
        user = db.session.get(User, user_id)
        data = {
            "name": user.name,
            "email": user.email,
            "department": str(user.department_id),
            "roles": sorted(role.value for role in user.roles),
            **changes,
        }
        if user.municipality_wide:
            data.setdefault("municipality_wide", "y")
    return _post(admin_client, f"/admin/users/{user_id}", **data)


def test_a_role_change_ends_the_persons_sessions(app, officer, admin_client):
    user_id, email = officer
    browser = _browser(app, email)
    assert _edit(admin_client, user_id, roles=["case_officer", "reviewer"]).status_code == 302
    assert not _logged_in(browser)


def test_a_change_of_name_alone_keeps_the_sessions(app, officer, admin_client):
    user_id, email = officer
    browser = _browser(app, email)
    assert _edit(admin_client, user_id, name="Olle Olsson-Berg").status_code == 302
    assert _logged_in(browser)


def test_an_admin_changing_their_own_roles_keeps_working(app, admin_client):
    with app.app_context():
        admin_id = db.session.scalar(sa.select(User.id).where(User.email == "ada@test.example.com"))
    other = _browser(app, "ada@test.example.com")
    assert _edit(admin_client, admin_id, roles=["admin", "auditor"]).status_code == 302
    assert _logged_in(admin_client)
    assert not _logged_in(other)


def test_a_session_unused_for_longer_than_the_lifetime_has_ended(app, officer):
    user_id, email = officer
    browser = _browser(app, email)
    with app.app_context():
        db.session.execute(
            sa.update(LoginSession)
            .where(LoginSession.user_id == user_id)
            .values(last_seen_at=utcnow() - app.permanent_session_lifetime - timedelta(minutes=1))
        )
        db.session.commit()
    assert not _logged_in(browser)


def test_use_keeps_a_session_alive(app, officer):
    user_id, email = officer
    browser = _browser(app, email)
    earlier = utcnow() - timedelta(seconds=TOUCH_SECONDS + 1)
    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen_at=earlier))
        db.session.commit()
    assert _logged_in(browser)
    with app.app_context():
        row = db.session.scalar(sa.select(LoginSession).where(LoginSession.user_id == user_id))
        assert row.last_seen_at > earlier + timedelta(seconds=TOUCH_SECONDS)


def test_api_tokens_are_unaffected_by_logout_and_password_change(app, officer):
    user_id, email = officer
    with app.app_context():
        _token, plain = ApiToken.issue(db.session.get(User, user_id), "script")
        db.session.commit()
    browser = _browser(app, email)
    data = {"current_password": factories.PASSWORD, "new_password": NEW, "confirm_password": NEW}
    _post(browser, "/password", csrf_token=csrf_token(browser, "/password"), **data)
    AuthActions(browser).logout()
    response = app.test_client().get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200


def test_users_compare_by_id_whatever_session_they_were_loaded_for(app, officer):
    """Flask-Login's UserMixin compares get_id(), which is now a session key; a user is still one person."""
    user_id, _email = officer
    with app.app_context():
        user = db.session.get(User, user_id)
        other = User(id=user_id)
        other.session_key = "another session"
        assert user == other
        assert user != db.session.get(User, factories.create_user().id)
        assert user in [other]


# --- The cookie is written only when the session changes ------------------------------------------------------
# A browser sends several requests at once (a page, its favicon, its scripts). Were every response to rewrite the
# cookie, one still in flight with the old cookie would undo what the request before it had just set.


def test_a_visitors_requests_leave_the_cookie_alone_until_something_changes(client):
    assert client.get("/login").headers.getlist("Set-Cookie")  # the CSRF token starts the session
    for path in ("/login", "/static/favicon.svg", "/accessibility"):
        assert client.get(path).headers.getlist("Set-Cookie") == [], path


def test_a_request_in_flight_with_the_old_cookie_does_not_undo_a_language_choice(app, client):
    token = csrf_token(client, "/login")
    before = client.get_cookie(COOKIE).value
    assert client.post("/language/en", data={"csrf_token": token, "next": "/login"}).status_code == 302
    stale = app.test_client()  # the favicon request the browser sent before the choice
    stale.set_cookie(COOKIE, before)
    assert stale.get("/static/favicon.svg").headers.getlist("Set-Cookie") == []
    assert '<html lang="en"' in client.get("/login").get_data(as_text=True)


def test_a_logged_in_users_pages_leave_the_cookie_alone(app, officer):
    browser = _browser(app, officer[1])
    for path in ("/", "/assessments/", "/static/favicon.svg"):
        assert browser.get(path).headers.getlist("Set-Cookie") == [], path


def test_a_login_cookie_moved_to_another_browser_is_refused(app, officer):
    browser = _browser(app, officer[1])
    thief = _copy_cookie(browser, app)
    thief.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    thief.environ_base["HTTP_USER_AGENT"] = "Another browser"
    assert not _logged_in(thief)
    assert _logged_in(browser)
