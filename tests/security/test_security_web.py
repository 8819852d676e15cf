"""Web security over the whole URL map: headers, cookies, CSRF on every state change, no open redirect, 413."""

import io
import re
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from impact import create_app
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token
from tests.databases import snapshot

ALL_ROLES = ("case_officer", "reviewer", "auditor", "admin")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _get_routes_without_arguments(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def _state_changing_rules(app: Flask):
    """Every rule taking a method other than GET/HEAD/OPTIONS; /api/ is token-authenticated and read-only."""
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - SAFE_METHODS)
        if methods and not rule.rule.startswith("/api/"):
            yield rule, methods


def _existing_ids() -> dict[str, int]:
    """An existing id per table name, to fill path arguments such as <int:assessment_id> or <int:user_id>."""
    assessment = factories.create_assessment(answers={"age": {"impact": "negative", "mitigations": [{}]}})
    db.session.commit()
    ids = {}
    for table in db.metadata.sorted_tables:
        if "id" in table.columns:
            found = db.session.execute(sa.select(table.c.id).limit(1)).scalar()
            if found is not None:
                ids[table.name] = found
    ids.setdefault("assessments", assessment.id)
    return ids


def _fill(rule, ids: dict[str, int]) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]  # the converter tells an int id from a string
        table = name.removesuffix("_id")
        table_id = ids.get(table + "s", ids.get(table, ids["assessments"]))
        if type(converter).__name__ == "IntegerConverter":
            values[name] = table_id
        elif type(converter).__name__ == "AnyConverter":
            values[name] = sorted(converter.items)[0]  # any(up, down, ...): one of its words
        else:
            values[name] = {"code": "en", "locale": "en"}.get(name, str(table_id))
    return rule.build(values, append_unknown=False)[1]


def _check_headers(response, path: str, production: bool) -> None:
    response.close()  # static files are streamed from an open file
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert "default-src 'self'" in csp, path
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "same-origin", path
    if production:
        assert headers.get("Strict-Transport-Security", "").startswith("max-age="), path
    else:
        assert "Strict-Transport-Security" not in headers, path


def test_every_get_route_carries_the_security_headers_anonymous_and_logged_in(app, client, login_as):
    paths = _get_routes_without_arguments(app)
    assert "/login" in paths and "/" in paths
    for path in paths:
        _check_headers(client.get(path), path, production=False)
    login_as(*ALL_ROLES)
    for path in [*paths, "/no-such-page", "/static/css/impact.css"]:
        _check_headers(client.get(path), path, production=False)


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite'}")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    production = create_app("production")
    with production.app_context():
        db.create_all()
        factories.create_user(roles=ALL_ROLES, email="prod@test.example.com")
        db.session.commit()
    yield production
    with production.app_context():
        db.engine.dispose()


def test_production_sends_hsts_and_secure_httponly_samesite_cookies(production_app):
    client = production_app.test_client()
    base = "https://impact.test"
    paths = _get_routes_without_arguments(production_app)
    for path in paths:
        _check_headers(client.get(path, base_url=base), path, production=True)
    page = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        base_url=base,
        data={"email": "prod@test.example.com", "password": factories.PASSWORD, "csrf_token": token},
        headers={"Referer": f"{base}/login"},
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(cookie for cookie in cookies if cookie.startswith("session="))
    assert "Secure" in session_cookie
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    _check_headers(response, "/login POST", production=True)


def test_every_state_changing_route_refuses_a_request_without_a_valid_csrf_token(app, client, login_as):
    """Generic over the URL map: a route added later is covered without touching this test."""
    with app.app_context():
        ids = _existing_ids()
    login_as(*ALL_ROLES)
    rules = list(_state_changing_rules(app))
    assert {rule.rule for rule, _ in rules} >= {"/login", "/logout", "/language/<code>"}
    with app.app_context():
        before = snapshot()
    for rule, methods in rules:
        path = _fill(rule, ids)
        # Form pages that keep what was typed answer a same-site failure by stashing the input and sending the
        # user back to the page; they still change nothing else, and refuse a cross-site post outright.
        keeps_input = getattr(app.view_functions[rule.endpoint], "keeps_input_on_expiry", False)
        for method in methods:
            for data in ({}, {"csrf_token": "forged-token"}):
                response = client.open(path, method=method, data=data)
                if keeps_input and method == "POST":
                    assert response.status_code in (302, 303), f"{method} {path}: {response.status_code}"
                    assert urlsplit(response.headers["Location"]).path == path
                    response = client.open(path, method=method, data=data, headers={"Origin": "https://evil.example"})
                assert response.status_code == 400, f"{method} {path} with {data}: {response.status_code}"
                assert "Formuläret har gått ut" in response.get_data(as_text=True) or method != "POST"
    with app.app_context():
        after = snapshot()
    after.pop("form_stashes"), before.pop("form_stashes")
    assert after == before
    assert client.get("/").status_code == 200  # still logged in: nothing was logged out without a token


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "http:/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "/\x01/evil.example",
    ],
)
def test_the_language_switch_does_not_redirect_off_site(client, target):
    response = client.post("/language/en", data={"csrf_token": csrf_token(client), "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_language_switch_returns_to_a_path_on_this_site(client):
    response = client.post("/language/en", data={"csrf_token": csrf_token(client), "next": "/login?x=1"})
    assert response.headers["Location"] == "/login?x=1"


@pytest.mark.parametrize("path", ["/login", "/language/en"])
def test_a_body_over_the_limit_gets_413_with_the_friendly_page(app, client, path):
    limit = app.config["MAX_CONTENT_LENGTH"]
    token = csrf_token(client)
    response = client.post(path, data={"csrf_token": token, "email": "a" * (limit + 1), "password": "x"})
    assert response.status_code == 413
    assert "För mycket data" in response.get_data(as_text=True)
    _check_headers(response, path, production=False)


def _send_chunked(client, path: str, body: bytes, method: str = "POST", headers: dict | None = None):
    """Send ``body`` without Content-Length, as chunked transfer encoding reaches the app from gunicorn."""
    return client.open(
        path,
        method=method,
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked", **(headers or {})},
        environ_overrides={"wsgi.input_terminated": True},
    )


def _login_body(client, email: str, padding: int = 0) -> bytes:
    fields = {"csrf_token": csrf_token(client), "email": email, "password": factories.PASSWORD}
    return (urlencode(fields) + "&padding=" + "x" * padding).encode()


def _user_email(app) -> str:
    with app.app_context():
        email = factories.create_user(roles=("case_officer",)).email
        db.session.commit()
    return email


def test_a_chunked_form_post_over_the_limit_gets_413_and_is_not_processed(app, client):
    """A complete login cut off at the limit would log in; the whole body is over the limit, so it is refused."""
    body = _login_body(client, _user_email(app), padding=app.config["MAX_CONTENT_LENGTH"])
    response = _send_chunked(client, "/login", body)
    assert response.status_code == 413
    assert "För mycket data" in response.get_data(as_text=True)
    assert client.get("/assessments/").status_code == 302  # not logged in


def test_a_chunked_form_post_within_the_limit_is_read_whole(app, client):
    body = _login_body(client, _user_email(app), padding=1000)
    assert _send_chunked(client, "/login", body).status_code == 302
    assert client.get("/assessments/").status_code == 200


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_an_api_request_with_a_body_over_the_limit_gets_413_json(app, client, chunked):
    from impact.api.models import ApiToken

    with app.app_context():
        user = factories.create_user(roles=("auditor",), municipality_wide=True)
        _token, plain = ApiToken.issue(user, "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    if chunked:
        response = _send_chunked(client, "/api/v1/grounds", body, method="GET", headers=headers)
    else:
        response = client.get("/api/v1/grounds", data=body, headers=headers)
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413
    assert client.get("/api/v1/grounds", headers=headers).status_code == 200
