"""Configuration for Impact: one class per environment, values from environment variables.

Select the class with ``IMPACT_ENV`` (``development``, ``testing`` or ``production``); ``create_app`` reads it.
"""

import os
import secrets
from pathlib import Path


def _database_url(default: str) -> str:
    return normalize_database_url(os.environ.get("DATABASE_URL", default))


def normalize_database_url(url: str) -> str:
    """Give PostgreSQL URLs the psycopg 3 driver; leave every other URL as it is."""
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver, and we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class BaseConfig:
    ENV_NAME = "base"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; expiry is the session's job
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600))
    MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Borås Stad")
    # The municipality's code in Kolada and SCB (kommunkod): key figures for the whole municipality carry it.
    MUNICIPALITY_CODE = os.environ.get("MUNICIPALITY_CODE", "1490")
    # Borås writes case numbers as 2026-00123, optionally followed by a filing code such as 1.1.2.25.
    CASE_NUMBER_PATTERN = os.environ.get("CASE_NUMBER_PATTERN", r"^\d{4}-\d{5}( \d+(\.\d+)*)?$")
    # Shown beside the case-number field; must match CASE_NUMBER_PATTERN.
    CASE_NUMBER_EXAMPLE = os.environ.get("CASE_NUMBER_EXAMPLE", "2026-00123")
    # Days before a planned follow-up date that its reminder appears.
    FOLLOW_UP_REMINDER_DAYS = int(os.environ.get("FOLLOW_UP_REMINDER_DAYS", 14))
    # Argon2id parameters (argon2-cffi defaults: RFC 9106 low-memory profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    HSTS = False
    REDIS_URL = os.environ.get("REDIS_URL")
    # Background jobs (exports; README "Background jobs"). With Redis they queue for `flask --app impact worker`;
    # without, they run in threads of the app process.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL") or REDIS_URL
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "impact-jobs")
    JOBS_DIR = os.environ.get("JOBS_DIR")  # finished files; default: "jobs" in the instance folder
    JOBS_KEEP_HOURS = float(os.environ.get("JOBS_KEEP_HOURS", 24))
    JOBS_THREADS = int(os.environ.get("JOBS_THREADS", 2))  # without Redis: jobs at once per app process
    JOBS_TIMEOUT_SECONDS = int(os.environ.get("JOBS_TIMEOUT_SECONDS", 3600))
    JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", 5))
    # A running job without a heartbeat for this long was killed with its worker: it is marked failed.
    JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", 60))
    JOBS_QUEUED_HOURS = float(os.environ.get("JOBS_QUEUED_HOURS", 6))  # queued longer: reported as not started
    JOBS_SWEEP_SECONDS = int(os.environ.get("JOBS_SWEEP_SECONDS", 300))  # the worker's sweep of stale and expired jobs
    # The register's direct download URLs answer in the request up to this many assessments; a larger register is
    # made as a background job (the progress page, then the download), so no request outlasts gunicorn's timeout.
    REGISTER_DIRECT_ASSESSMENTS = int(os.environ.get("REGISTER_DIRECT_ASSESSMENTS", 2000))
    # A file to import (key figures, a list of cases) of more lines than this is imported by a background job.
    IMPORT_DIRECT_ROWS = int(os.environ.get("IMPORT_DIRECT_ROWS", 5000))
    # Login attempts that fail, per posted email and per client address (limits notation; see README).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # If Redis goes away, keep limiting in memory (per process) rather than failing logins.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # A moving window counts the last minute at every moment: a fixed window would allow twice the limit across
    # a minute boundary, and would forget a burst made just before one.
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour")
    # Generous: a whole town hall may reach us from one NAT address.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute; 300 per hour")
    # Pages of the public register (no login) per client address: enough for a person reading, not for a scraper.
    PUBLIC_LIMIT_PER_ADDRESS = os.environ.get("PUBLIC_LIMIT_PER_ADDRESS", "120 per minute; 2000 per hour")
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", 0))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Sign-in with the municipality's own account (OpenID Connect, README "Signing in with the municipality's
    # account"). Without OIDC_DISCOVERY_URL only local passwords exist, as before.
    OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
    OIDC_SUBJECT_CLAIM = os.environ.get("OIDC_SUBJECT_CLAIM", "sub")
    # false: the password form is gone from the login page; administrators can still use it at /login?local=1
    # (break-glass, for when the provider is down or misconfigured).
    OIDC_LOCAL_PASSWORDS = _env_bool("OIDC_LOCAL_PASSWORDS", True)
    # Seconds to wait for the provider's discovery document, keys and token endpoint.
    OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", 10))
    # Notification mail over SMTP; without MAIL_SERVER notifications are only shown in the app.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "impact@localhost")

    @classmethod
    def load(cls, instance_path: str) -> dict:
        """Return the settings of this environment as a dict; raises RuntimeError when one is missing."""
        values = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        values["SQLALCHEMY_DATABASE_URI"] = cls.database_url(instance_path)
        values["SECRET_KEY"] = cls.secret_key(instance_path)
        return values

    @classmethod
    def database_url(cls, instance_path: str) -> str:
        return _database_url(f"sqlite:///{Path(instance_path) / 'impact.sqlite'}")

    @classmethod
    def secret_key(cls, instance_path: str) -> str:
        key = os.environ.get("SECRET_KEY")
        if key:
            return key
        # Development convenience: generate a key once and keep it in the instance folder, so that
        # sessions survive restarts without anyone having to invent a secret.
        path = Path(instance_path) / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    MAIL_CAPTURE = True


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    # Cheap hashing keeps the suite fast; production keeps the defaults above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    MAIL_CAPTURE = True
    RATELIMIT_ENABLED = False  # the rate-limit tests switch it on for their own app

    @classmethod
    def database_url(cls, instance_path: str) -> str:
        return _database_url("sqlite://")

    @classmethod
    def secret_key(cls, instance_path: str) -> str:
        return "testing-secret-key-not-for-production"


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = True
    MAIL_CAPTURE = False

    @classmethod
    def secret_key(cls, instance_path: str) -> str:
        key = os.environ.get("SECRET_KEY", "")
        if len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production, "
                'for example: python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        return key


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
