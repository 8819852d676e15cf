"""Login rate limiting with Flask-Limiter: per account (the posted email) and per client address.

Both limits count only failed attempts (a successful login is not held against anyone), and an unknown email is
counted exactly like a known one, so a 429 says nothing about whether an account exists. Storage is Redis when
``REDIS_URL`` is set, so every app process shares the counts; in-memory (one process) otherwise.
"""

from flask import Flask, Response, current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from impact.extensions import limiter


def account_key() -> str:
    """The posted email, normalised as the login normalises it; unknown emails get a key like any other."""
    email = request.form.get("email", "")  # the key must exist before the form is validated
    return "login-account:" + email.strip().lower()[:254]


def address_key() -> str:
    """The client address; behind a reverse proxy, wrap the app in ProxyFix so this is the real client."""
    return "login-address:" + (get_remote_address() or "unknown")


def per_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def per_address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def failed_attempt(response: Response) -> bool:
    """Count the attempt unless it logged someone in (a successful login redirects)."""
    return response.status_code != 302


def login_rate_limit(view):
    """Decorate the login view: POSTs are limited per account and per address, GETs never."""
    view = limiter.limit(per_account_limit, key_func=account_key, methods=["POST"], deduct_when=failed_attempt)(view)
    return limiter.limit(per_address_limit, key_func=address_key, methods=["POST"], deduct_when=failed_attempt)(view)


def init_rate_limiting(app: Flask) -> None:
    """Bind the limiter to ``app``: Redis when REDIS_URL is set, else memory; off when RATELIMIT_ENABLED is false."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Behind a reverse proxy every request comes from the proxy: take the client address (and https) from
        # the X-Forwarded-* headers that exactly ``hops`` trusted proxies add, and nothing further out.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
