"""Flask extensions, created unbound here and initialised in create_app()."""

from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from impact.core.db import db


class SessionLoginManager(LoginManager):
    """Flask-Login with its "strong" session protection applied only to sessions that carry a login.

    Flask-Login also applies it to a visitor's session (which holds the CSRF token and the chosen language) and
    then rewrites that cookie on every request, static files included. A request still in flight with the old
    cookie (the browser's favicon, say) then overwrote what the request before it had just set: the language
    chosen on the login page, or the login itself, was lost.
    """

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


migrate = Migrate()
login_manager = SessionLoginManager()
csrf = CSRFProtect()
babel = Babel()
# No default limits: only the routes decorated in impact.ratelimit are limited. Storage comes from the app config.
limiter = Limiter(key_func=get_remote_address, key_prefix="impact", strategy="fixed-window")

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
