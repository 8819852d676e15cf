"""Impact: equality impact assessments for a municipality."""

import logging
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS
from impact.core.retry import RetryingFlask

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for ``config_name`` (default: $IMPACT_ENV, else development)."""
    app = RetryingFlask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        instance_path=os.environ.get("IMPACT_INSTANCE_PATH") or str(PROJECT_DIR / "instance"),
    )
    config_class = CONFIGS[config_name or os.environ.get("IMPACT_ENV", "development")]
    app.config.from_mapping(config_class.load(app.instance_path))
    app.config.from_mapping(overrides or {})

    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_request_hooks(app)
    return app


def register_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("impact").setLevel(app.config["LOG_LEVEL"])


def register_extensions(app: Flask) -> None:
    import impact.models  # noqa: F401  (every table on the metadata)
    from impact.auth import LOGIN_MESSAGE, sessions
    from impact.auth.models import AnonymousUser
    from impact.core.db import configure_engine_events
    from impact.core.i18n import select_locale, translation_directories
    from impact.extensions import babel, csrf, db, login_manager, migrate
    from impact.ratelimit import init_rate_limiting

    db.init_app(app)
    configure_engine_events(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    init_rate_limiting(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks are extracted with whitespace trimmed (impact/core/catalogues.py); look them up the same way.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.anonymous_user = AnonymousUser

    # The cookie holds a server-side session's key, not a user id: a session ended on the server opens nothing.
    login_manager.user_loader(sessions.load_user)


def register_blueprints(app: Flask) -> None:
    from impact.core.params import IdConverter

    # Before any route is added: every <int:...> id is held to what the database can hold.
    app.url_map.converters["int"] = IdConverter

    from impact import (
        accessibility,
        admin,
        api,
        assessments,
        audit,
        auth,
        backup,
        core,
        coverage,
        decisions,
        indicators,
        jobs,
        notifications,
        profile,
        public,
        reports,
        review,
    )
    from impact.core.navigation import register_navigation, register_start_sections

    features = (
        core,
        auth,
        assessments,
        review,
        decisions,
        reports,
        coverage,
        indicators,
        admin,
        backup,
        api,
        audit,
        notifications,
        profile,
        accessibility,
        jobs,
        public,
    )
    for feature in features:
        app.register_blueprint(feature.bp)
        register_navigation(app, getattr(feature, "NAVIGATION", []))
        register_start_sections(app, getattr(feature, "START", []))


def register_commands(app: Flask) -> None:
    from impact.cli import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from flask_babel import get_locale

    from impact.core.errors import init_error_handlers
    from impact.core.forms import EmptyForm, LanguageForm
    from impact.core.html import html_datetime
    from impact.core.navigation import home_cards, main_menu
    from impact.core.request_body import init_request_body_limit
    from impact.core.security import init_security_headers
    from impact.core.timefmt import init_app as init_time_filters
    from impact.settings.models import setting_for_display

    init_error_handlers(app)
    init_security_headers(app)
    init_request_body_limit(app)

    app.add_template_filter(html_datetime)
    init_time_filters(app)

    @app.context_processor
    def template_globals() -> dict:
        return {
            "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            "language_form": LanguageForm(),
            "empty_form": EmptyForm(),
            "municipality_name": setting_for_display("municipality_name"),
            "main_menu": main_menu,
            "home_cards": home_cards,
        }
