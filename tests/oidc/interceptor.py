"""A proxy between Impact and the provider's token endpoint that spoils the ID token on purpose.

Why it exists: Impact must refuse an ID token with a bad signature, a changed payload, another audience, an expired
one, one with another nonce, and a token response without one. A conformant provider, such as the oidc-provider the
tests run, never hands these out, so for those tests Impact reads the provider's discovery document through this
proxy, which changes only ``token_endpoint`` to point here. The sign-in itself (the login page, the code, PKCE, the
client's secret) happens at the real provider; the proxy forwards the code exchange to it and rewrites the
``id_token`` of its answer. Tokens that should fail only one check are signed again with the provider's own key.
"""

import base64
import json
import threading
import time

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.oidc.provider import NodeProvider, signing_key

FAULTS = ("bad_signature", "tampered", "wrong_audience", "expired", "wrong_nonce", "no_id_token")


class TokenInterceptor:
    """``fault`` (one of FAULTS) says what to do to the next ID tokens."""

    def __init__(self, provider: NodeProvider) -> None:
        self.provider = provider
        self.fault: str | None = None
        self.impostor = signing_key(provider.key.kid)  # another key under the provider's key id
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "TokenInterceptor":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            metadata = requests.get(self.provider.discovery_url, timeout=5).json()
            response = _json({**metadata, "token_endpoint": f"{self.url}/token"}, 200)
        elif request.path == "/token" and request.method == "POST":
            response = self.token(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def token(self, request: Request) -> Response:
        headers = {name: request.headers[name] for name in ("Authorization", "Content-Type") if name in request.headers}
        answer = requests.post(f"{self.provider.url}/token", data=request.get_data(), headers=headers, timeout=5)
        body = answer.json()
        if answer.ok and "id_token" in body:
            if self.fault == "no_id_token":
                del body["id_token"]
            else:
                body["id_token"] = self.spoil(body["id_token"])
        return _json(body, answer.status_code)

    def spoil(self, id_token: str) -> str:
        header, payload, signature = id_token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        now = int(time.time())
        key: RSAKey = self.provider.key
        if self.fault == "tampered":  # the groups of an auditor, the provider's signature kept
            claims["groups"] = ["impact-revisorer"]
            changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            return f"{header}.{changed}.{signature}"
        if self.fault == "bad_signature":
            key = self.impostor
        elif self.fault == "wrong_audience":
            claims["aud"] = "someone-else"
        elif self.fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif self.fault == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)


def _json(body: dict, status: int) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})
