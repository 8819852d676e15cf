"""Login rate limiting: per account and per address, counted failures only, no account enumeration."""

import os
import subprocess
import sys
import uuid

import pytest
import redis

from impact import create_app
from impact.core.db import db
from impact.extensions import limiter
from tests import factories
from tests.conftest import csrf_token

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _limited_app(database_url: str, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
        "LOGIN_LIMIT_PER_ADDRESS": "10 per minute",
        **overrides,
    }
    # Flask-Limiter keeps "the storage is down" on the Limiter object across init_app, and here one limiter
    # serves many apps: forget what the unreachable-Redis test taught it, as a fresh process would.
    limiter._storage_dead = False
    created = create_app("testing", config)
    _APPS.append(created)
    return created


_APPS: list = []


@pytest.fixture(autouse=True)
def _limits_off_again(database_url):
    """After each test: close the extra apps' connections, and bind the shared limiter to a limit-free app again."""
    yield
    while _APPS:
        with _APPS.pop().app_context():
            db.session.remove()
            db.engine.dispose()
    create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture
def limited(app, database_url):
    """A client of an app with the login limits on (memory storage) and a fresh client address per test."""
    limited_app = _limited_app(database_url, RATELIMIT_STORAGE_URI="memory://")
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return limited_app, client


def _attempt(client, email: str, password: str = "wrong password"):  # noqa: S107
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def _user(app, email: str | None = None) -> str:
    with app.app_context():
        user = factories.create_user(email=email)
        db.session.commit()
        return user.email


def test_failed_attempts_per_account_are_limited_with_a_clear_message(limited):
    app, client = limited
    email = _user(app)
    for _ in range(3):
        assert _attempt(client, email).status_code == 200
    response = _attempt(client, email, password=factories.PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "För många försök" in page
    assert email not in page
    data = {"email": email, "password": "x", "csrf_token": csrf_token(client)}
    english = client.post("/login", data=data, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Too many attempts. Wait a few minutes and try again." in english, english


def test_the_account_key_is_the_normalised_email(limited):
    app, client = limited
    email = _user(app)
    for variant in (email, email.upper(), f"  {email} "):
        _attempt(client, variant)
    assert _attempt(client, email).status_code == 429


def test_unknown_emails_are_limited_exactly_like_known_ones(limited):
    app, client = limited
    known, unknown = _user(app), f"nobody-{uuid.uuid4().hex[:8]}@test.example.com"
    known_codes = [_attempt(client, known).status_code for _ in range(4)]
    unknown_codes = [_attempt(client, unknown).status_code for _ in range(4)]
    assert known_codes == unknown_codes == [200, 200, 200, 429]
    assert _attempt(client, known).get_data(as_text=True) == _attempt(client, unknown).get_data(as_text=True)


def test_wrong_passwords_on_the_backup_page_are_limited_per_admin(limited):
    """The backup holds every password hash: its password check must not be a way round the login's limit."""
    app, client = limited
    with app.app_context():
        admin = factories.create_user(roles=("admin",))
        db.session.commit()
        email = admin.email
    assert _attempt(client, email, password=factories.PASSWORD).status_code == 302

    def confirm(password: str):
        return client.post("/admin/backup/", data={"password": password, "csrf_token": csrf_token(client, "/admin/")})

    assert [confirm("wrong password").status_code for _ in range(4)] == [422, 422, 422, 429]
    assert confirm(factories.PASSWORD).status_code == 429  # not even the right one, until the limit has passed


def test_one_limited_account_does_not_lock_out_another(limited):
    app, client = limited
    victim, other = _user(app), _user(app)
    for _ in range(3):
        _attempt(client, victim)
    assert _attempt(client, victim).status_code == 429
    response = _attempt(client, other, password=factories.PASSWORD)
    assert response.status_code == 302


def test_successful_logins_do_not_count(limited):
    app, client = limited
    email = _user(app)
    for _ in range(5):
        assert _attempt(client, email, password=factories.PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert _attempt(client, email).status_code == 200


def test_one_address_is_limited_across_accounts(limited):
    app, client = limited
    codes = [_attempt(client, f"spray{n}@test.example.com").status_code for n in range(11)]
    assert codes == [200] * 10 + [429]
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    assert _attempt(other_address, "spray0@test.example.com").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_limited(app, database_url):
    proxied = _limited_app(database_url, RATELIMIT_STORAGE_URI="memory://", PROXY_HOPS=1)
    client = proxied.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # the proxy

    def attempt(client_address: str):
        data = {"email": f"x{uuid.uuid4().hex[:6]}@test.example.com", "password": "x", "csrf_token": csrf_token(client)}
        return client.post("/login", data=data, headers={"X-Forwarded-For": client_address})

    assert [attempt("203.0.113.5").status_code for _ in range(11)][-1] == 429
    assert attempt("203.0.113.6").status_code == 200
    # A client cannot escape by forging an extra X-Forwarded-For entry: only the proxy's last hop is trusted.
    assert attempt("1.2.3.4, 203.0.113.5").status_code == 429


def test_only_posts_to_login_are_limited(limited):
    app, client = limited
    email = _user(app)
    for _ in range(4):
        _attempt(client, email)
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_limits_are_off_in_the_testing_configuration(client):
    assert limiter.enabled is False
    for _ in range(8):
        response = client.post("/login", data={"email": "a@test.example.com", "password": "x"})
        assert response.status_code != 429


def test_redis_is_the_storage_when_redis_url_is_set(database_url, app):
    shared = _limited_app(database_url, REDIS_URL=REDIS_URL)
    assert shared.config["RATELIMIT_STORAGE_URI"] == REDIS_URL


def test_logins_keep_working_and_limited_when_redis_is_unreachable(app, database_url):
    unreachable = _limited_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    client = unreachable.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.200"
    email = _user(unreachable)
    codes = [_attempt(client, email).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert _attempt(client, _user(unreachable), password=factories.PASSWORD).status_code == 302


_OTHER_PROCESS = """
import sys
from impact import create_app
from tests.conftest import csrf_token
app = create_app("testing", {
    "SQLALCHEMY_DATABASE_URI": sys.argv[1], "REDIS_URL": sys.argv[2], "RATELIMIT_ENABLED": True,
    "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_ADDRESS": "10 per minute",
})
client = app.test_client()
client.environ_base["REMOTE_ADDR"] = sys.argv[4]
for _ in range(3):
    response = client.post("/login", data={"email": sys.argv[3], "password": "wrong", "csrf_token": csrf_token(client)})
    assert response.status_code == 200, response.status_code
"""


def test_processes_share_the_limit_through_redis(app, database_url):
    """Three failures in another process exhaust the account for this one: the count lives in Redis."""
    email = f"shared-{uuid.uuid4().hex[:10]}@test.example.com"
    address = "198.51.100.9"
    server = redis.Redis.from_url(REDIS_URL)
    try:
        subprocess.run(  # noqa: S603  (our own interpreter, fixed script)
            [sys.executable, "-c", _OTHER_PROCESS, database_url, REDIS_URL, email, address],
            check=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
            capture_output=True,
            timeout=120,
        )
        keys = [key.decode() for key in server.scan_iter(f"*/impact/login-account:{email}/*")]
        assert keys, "the other process left no count in Redis"
        shared_app = _limited_app(database_url, REDIS_URL=REDIS_URL)
        client = shared_app.test_client()
        client.environ_base["REMOTE_ADDR"] = "198.51.100.10"
        assert _attempt(client, email).status_code == 429
        assert _attempt(client, f"other-{email}").status_code == 200
    finally:
        for pattern in (f"*/impact/login-account:*{email}/*", "*/impact/login-address:198.51.100.*"):
            for key in server.scan_iter(pattern):
                server.delete(key)
        server.close()
