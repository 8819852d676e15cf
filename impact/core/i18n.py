"""Language selection and the per-feature translation catalogues.

Source strings are English; every feature folder keeps its Swedish catalogue in ``<feature>/translations``,
and Flask-Babel merges them all.
"""

from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_login import current_user

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    return sorted(str(path) for path in PACKAGE_DIR.glob("*/translations") if path.is_dir())


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
