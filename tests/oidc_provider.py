"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1 in a thread.

It speaks the protocol Impact's Authlib client talks to any provider: discovery, JWKS, the authorization endpoint
(code flow; PKCE S256 required), the token endpoint (client_secret_basic or _post; single-use codes bound to the
redirect URI and the PKCE verifier) and RP-initiated logout. ID tokens are RS256 JWTs signed with joserfc.

Written here rather than run from the ``oidc-provider`` npm package because the tests must make it misbehave on
purpose — sign with another key, address another client, hand out an expired token — which a conformant provider
will not do; and being in the test process, a test says who signs in next by setting ``provider.next_user``
instead of filling in a provider's login form.
"""

import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "impact-test"
CLIENT_SECRET = "impact-test-secret"  # noqa: S105  (a test provider's)
KID = "test-key-1"


@dataclass
class Person:
    subject: str
    email: str
    name: str
    groups: list[str] = field(default_factory=list)


class Provider:
    """``fault`` makes the next token wrong on purpose: bad_signature, wrong_audience, expired, wrong_nonce,
    no_id_token."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.next_user: Person | None = None
        self.fault: str | None = None
        self.logouts: list[dict] = []
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> "Provider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)

    def reset(self) -> None:
        self.codes.clear()
        self.next_user, self.fault = None, None
        self.logouts.clear()

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def config(self) -> dict:
        """The app settings that point Impact at this provider."""
        return {
            "OIDC_DISCOVERY_URL": self.discovery_url,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }

    # --- HTTP ------------------------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        handler = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/logout": self.logout,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, request: Request) -> Response:
        return _json(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "end_session_endpoint": f"{self.url}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
            }
        )

    def jwks(self, request: Request) -> Response:
        return _json(KeySet([self.key]).as_dict(private=False))

    def authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        if args.get("client_id") != CLIENT_ID or not redirect_uri.startswith(("http://localhost", "http://127.0.0.1")):
            return Response("unknown client or redirect URI", status=400)
        if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split():
            return Response("unsupported request", status=400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE (S256) is required", status=400)
        if self.next_user is None:
            return _redirect(redirect_uri, error="access_denied", state=args.get("state"))
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": redirect_uri,
            "nonce": args.get("nonce"),
            "challenge": args["code_challenge"],
            "person": self.next_user,
        }
        return _redirect(redirect_uri, code=code, state=args.get("state"))

    def _client_ok(self, request: Request) -> bool:
        auth = request.authorization
        if auth is not None:
            return auth.username == CLIENT_ID and auth.password == CLIENT_SECRET
        return request.form.get("client_id") == CLIENT_ID and request.form.get("client_secret") == CLIENT_SECRET

    def token(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(status=405)
        if not self._client_ok(request):
            return _json({"error": "invalid_client"}, 401)
        form = request.form
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if form.get("grant_type") != "authorization_code" or grant is None:
            return _json({"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        body = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
        if self.fault != "no_id_token":
            body["id_token"] = self.id_token(grant["person"], grant["nonce"])
        return _json(body)

    def id_token(self, person: Person, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": person.subject,
            "aud": "someone-else" if self.fault == "wrong_audience" else CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": "not-the-nonce" if self.fault == "wrong_nonce" else nonce,
            "email": person.email,
            "name": person.name,
            "groups": person.groups,
        }
        if self.fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        key = self.other_key if self.fault == "bad_signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": KID}, claims, key)

    def logout(self, request: Request) -> Response:
        self.logouts.append(dict(request.args))
        target = request.args.get("post_logout_redirect_uri")
        if target:
            return Response(status=302, headers={"Location": target})
        return Response("signed out")


def _json(body: dict, status: int = 200) -> Response:
    import json

    return Response(json.dumps(body), status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})


def _redirect(uri: str, **params) -> Response:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return Response(status=302, headers={"Location": f"{uri}{'&' if '?' in uri else '?'}{query}"})
