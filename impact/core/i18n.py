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
    """The language of this request.

    Swedish (``BABEL_DEFAULT_LOCALE``) unless the person chose otherwise: a logged-in user gets the language stored
    on their account (chosen with the language switch on any device, or on the profile page), else the choice made
    in this browser, else Swedish; the browser's Accept-Language does not count for them. A visitor who has not
    logged in gets the choice made in this browser, else the best match for Accept-Language, else Swedish.
    """
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return default
    logged_in = bool(current_user and current_user.is_authenticated)
    if logged_in and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    if logged_in:
        return default
    return request.accept_languages.best_match(languages) or default


def adopt_browser_choice(user) -> None:
    """At login: a language chosen in this browser before logging in becomes the account's, unless the account
    already has one (the browser may be shared; the account's own choice wins)."""
    chosen = session.get("locale")
    if user.locale is None and chosen in current_app.config["LANGUAGES"]:
        user.locale = chosen
