"""Personal API tokens: created and revoked on the profile page or by command, stored only as a hash."""

import re

import sqlalchemy as sa

from impact.api.models import ApiToken, hash_token
from impact.audit.models import AuditEvent
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

SHOWN_TOKEN = re.compile(r'id="new-token">(imp_[A-Za-z0-9_-]+)<')


def create_on_profile(client, name="Statistiksystemet"):
    return client.post("/profile/tokens", data={"name": name, "csrf_token": csrf_token(client, "/profile/")})


def test_profile_creates_a_token_shown_once_and_stores_only_its_hash(app, client, login_as):
    login_as("auditor", department="KS")
    response = create_on_profile(client)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    plain = SHOWN_TOKEN.search(response.get_data(as_text=True)).group(1)
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert token.token_hash == hash_token(plain) and plain not in (token.token_hash, token.prefix)
        assert plain.startswith(token.prefix)
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_type == "api_tokens"))
    again = client.get("/profile/").get_data(as_text=True)
    assert plain not in again and "Statistiksystemet" in again
    assert client.get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"}).status_code == 200


def test_a_token_needs_a_name(client, login_as):
    login_as()
    response = create_on_profile(client, name="  ")
    assert response.status_code == 400
    assert "Skriv vad nyckeln ska användas till" in response.get_data(as_text=True)


def test_revoked_tokens_stop_working(app, client, login_as):
    login_as("reviewer")
    plain = SHOWN_TOKEN.search(create_on_profile(client).get_data(as_text=True)).group(1)
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/assessments", headers=headers).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    response = client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/profile/")})
    assert response.status_code == 302
    assert client.get("/api/v1/assessments", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_nobody_revokes_someone_elses_token(app, client, login_as):
    with app.app_context():
        other = factories.create_user()
        token, _plain = ApiToken.issue(other, "theirs")
        db.session.commit()
        token_id = token.id
    login_as("admin")
    response = client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/profile/")})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_revoke_needs_csrf(app, client, login_as):
    user = login_as()
    with app.app_context():
        token, _plain = ApiToken.issue(db.session.get(factories.User, user.id), "mine")
        db.session.commit()
        token_id = token.id
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 400


def test_inactive_users_tokens_stop_working(app, client):
    with app.app_context():
        user = factories.create_user(roles=("auditor",))
        _token, plain = ApiToken.issue(user, "x")
        user.active = False
        db.session.commit()
    assert client.get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_create_token_command(app, runner, client):
    with app.app_context():
        factories.create_user(roles=("auditor",), email="revisor@test.example.com")
        db.session.commit()
    result = runner.invoke(args=["create-token", "Revisor@test.example.com", "--name", "Power BI"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip().splitlines()[0]
    assert plain.startswith("imp_")
    assert client.get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(ApiToken.name)) == "Power BI"


def test_create_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "nobody@test.example.com"])
    assert result.exit_code != 0 and "nobody@test.example.com" in result.output


def test_last_used_is_recorded(app, client):
    with app.app_context():
        _token, plain = ApiToken.issue(factories.create_user(), "x")
        db.session.commit()
    client.get("/api/v1/grounds", headers={"Authorization": f"Bearer {plain}"})
    with app.app_context():
        assert db.session.scalar(sa.select(ApiToken.last_used_at)) is not None
