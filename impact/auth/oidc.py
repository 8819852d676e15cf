"""Signing in with the municipality's own account: OpenID Connect, authorization code flow with PKCE.

Authlib's Flask client does the protocol: ``state`` (kept in the signed session cookie, single use), PKCE
(``S256``), the ``nonce``, and the ID token's signature against the provider's published keys, its issuer,
audience and expiry. Impact adds that an ID token must be there at all (Authlib only checks one if it comes), and
that every failure ends on the login page with a message and an audit event, never an error page.
"""

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from joserfc.errors import JoseError

from impact.audit import trail
from impact.auth import bp, sessions
from impact.auth.oidc_accounts import Identity, Outcome, sign_in
from impact.core.db import db, utcnow
from impact.core.i18n import adopt_browser_choice
from impact.core.redirects import safe_next_url
from impact.settings.models import setting_for_display

log = logging.getLogger(__name__)

PROVIDER = "municipality"
_NEXT = "oidc_next"
SIGN_OUT_HINT = "oidc_id_token"  # kept for the provider's sign-out (id_token_hint)
# Clock difference allowed between Impact and the provider when checking the ID token's times.
LEEWAY_SECONDS = 60
MAX_HINT_LENGTH = 2000


def enabled() -> bool:
    return bool(current_app.config.get("OIDC_DISCOVERY_URL"))


def local_passwords() -> bool:
    """Whether the login page offers the password form to everyone (always, without OIDC)."""
    return not enabled() or bool(current_app.config.get("OIDC_LOCAL_PASSWORDS", True))


def client():
    """The Authlib client for the configured provider, made once per app and configuration."""
    config = current_app.config
    key = tuple(
        config.get(name)
        for name in ("OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES", "OIDC_TIMEOUT")
    )
    cached = current_app.extensions.get("impact.oidc")
    if cached is None or cached[0] != key:
        oauth = OAuth(current_app._get_current_object())
        oauth.register(
            PROVIDER,
            server_metadata_url=config["OIDC_DISCOVERY_URL"],
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            client_kwargs={
                "scope": config["OIDC_SCOPES"],
                "code_challenge_method": "S256",
                "timeout": config["OIDC_TIMEOUT"],
            },
        )
        cached = current_app.extensions["impact.oidc"] = (key, oauth.create_client(PROVIDER))
    return cached[1]


def _refuse(reason: str, message: str, user=None):
    """Record a failed sign-in, commit it and go back to the login page with ``message``."""
    db.session.rollback()
    trail.record("user.login_failed", user, changes={"via": "oidc", "reason": reason})
    db.session.commit()
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.get("/login/oidc")
def oidc_login():
    if not enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    session[_NEXT] = safe_next_url(request.args.get("next"))
    try:
        return client().authorize_redirect(url_for("auth.oidc_callback", _external=True))
    except (requests.RequestException, ValueError, AuthlibBaseError) as error:
        log.warning("The sign-in provider could not be reached: %s", error)
        return _refuse("provider_unreachable", _unreachable_message())


def _unreachable_message() -> str:
    return _(
        "%(name)s's sign-in service is not answering just now. Try again in a few minutes; if it goes on, "
        "contact the IT service desk.",
        name=_municipality(),
    )


@bp.get("/login/oidc/callback")
def oidc_callback():
    if not enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    failed = _("The sign-in with your %(name)s account did not succeed. Try again.", name=_municipality())
    try:
        token = client().authorize_access_token(leeway=LEEWAY_SECONDS)
    except MismatchingStateError:
        return _refuse("state", failed)
    except OAuthError as error:
        log.info("The provider refused the sign-in: %s", error)
        return _refuse("provider_error", failed)
    except requests.RequestException as error:
        log.warning("The sign-in provider could not be reached: %s", error)
        return _refuse("provider_unreachable", _unreachable_message())
    except (JoseError, AuthlibBaseError, ValueError) as error:
        log.warning("An ID token was refused: %s", error)
        return _refuse("id_token", failed)
    claims = token.get("userinfo")
    if not claims:  # Authlib checks an ID token only when there is one: without one nobody is signed in
        return _refuse("id_token", failed)
    try:
        identity = Identity.from_claims(dict(claims))
    except ValueError as error:
        log.warning("An ID token was refused: %s", error)
        return _refuse("id_token", failed)

    outcome, user = sign_in(identity)
    if outcome == Outcome.deactivated:
        return _refuse("deactivated", _("This account has been deactivated. Contact your administrator."), user)
    if outcome == Outcome.email_taken:
        return _refuse(
            "email_taken",
            _(
                "Impact already has an account with your email address. Ask an administrator to let your %(name)s "
                "account sign in to it.",
                name=_municipality(),
            ),
            user,
        )
    if outcome == Outcome.no_access:
        trail.record("user.login_failed", user, changes={"via": "oidc", "reason": "no_access"})
        db.session.commit()
        return render_template("auth/no_access.html"), 403

    user.last_login_at = utcnow()
    adopt_browser_choice(user)
    sessions.open_session(user)
    trail.record("user.login", user, actor=user, changes={"via": "oidc"})
    db.session.commit()
    login_user(user)
    # The session is a cookie (about 4 kB at most): a token with a long list of groups would not fit, so then the
    # provider's sign-out goes by client id alone.
    id_token = token.get("id_token") or ""
    session[SIGN_OUT_HINT] = id_token if len(id_token) <= MAX_HINT_LENGTH else ""
    return redirect(session.pop(_NEXT, None) or url_for("core.home"))


def _municipality() -> str:
    return str(setting_for_display("municipality_name"))


def end_session_url(id_token: str | None) -> str | None:
    """Where to send the browser so the provider ends its session too, or None when it has no such endpoint or the
    person did not sign in with it (``id_token`` None; an empty one: signed in, but the token was too long to keep)."""
    if not enabled() or id_token is None:
        return None
    try:
        metadata = client().load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        log.warning("The provider's sign-out could not be found: %s", error)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    return client().create_logout_url(
        post_logout_redirect_uri=url_for("auth.login", _external=True),
        id_token_hint=id_token or None,
        client_id=current_app.config["OIDC_CLIENT_ID"],
    )["url"]
