"""Flask extensions, created unbound here and initialised in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from impact.core.db import db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No default limits: only the routes decorated in impact.ratelimit are limited. Storage comes from the app config.
limiter = Limiter(key_func=get_remote_address, key_prefix="impact", strategy="fixed-window")

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
