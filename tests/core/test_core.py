"""Health check, error pages, security headers, configuration."""

import logging

import pytest
import sqlalchemy as sa

import config
from impact import create_app
from impact.core.db import db


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_check_answers_503_when_the_database_does_not(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_404_page_is_friendly_and_translated(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.get_data(as_text=True)
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_403_page(app, client, login_as):
    from flask import abort

    @app.get("/test-forbidden")
    def forbidden():
        abort(403)

    login_as("case_officer")
    response = client.get("/test-forbidden")
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_500_rolls_back_logs_and_shows_a_friendly_page(app, client, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-crash")
    def crash():
        db.session.execute(sa.text("SELECT 1"))
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        response = client.get("/test-crash")
    assert response.status_code == 500
    assert "Något gick fel" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
    assert any("boom" in (record.exc_text or str(record.exc_info)) for record in caplog.records)


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_with_a_secret_has_secure_cookies_and_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    with app.app_context():
        db.create_all()
    assert "Strict-Transport-Security" in app.test_client().get("/healthz").headers


def test_development_generates_and_keeps_a_secret_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = config.DevelopmentConfig.secret_key(str(tmp_path))
    assert len(first) >= 32
    assert config.DevelopmentConfig.secret_key(str(tmp_path)) == first
    assert config.DevelopmentConfig.database_url(str(tmp_path)).startswith("sqlite:///")


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config.BaseConfig.database_url("/x") == "postgresql+psycopg://u@h/db"
