"""Security headers on every response."""

from urllib.parse import urlsplit

from flask import Flask, Response

# Everything is served by the app itself: no inline script or style, no third-party origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def content_security_policy(config) -> str:
    """The policy, with the sign-in provider's origin allowed as a form target when one is configured: logging out
    is a form post that the provider's sign-out (on the discovery document's origin) finishes."""
    discovery = urlsplit(config.get("OIDC_DISCOVERY_URL") or "")
    if not (discovery.scheme in ("http", "https") and discovery.netloc):
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {discovery.scheme}://{discovery.netloc}"
    )


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(app.config))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
