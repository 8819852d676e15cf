"""A cache that lives as long as the current request."""

from flask import g, has_request_context, request


def request_cache(name: str) -> dict:
    """A dict that lives as long as the current request, for what several partials of one page all read.

    Tied to the request object rather than to ``g`` alone: a test that holds one app context across requests
    shares ``g`` between them. Every view that writes redirects (POST/redirect/GET), so nothing read here is
    changed later in the same request. Outside a request the dict is new on every call.
    """
    if not has_request_context():
        return {}  # outside a request (a command, a test helper) nothing is kept
    owner = request._get_current_object()
    stored = g.get("_impact_request_cache")
    if stored is None or stored[0] is not owner:
        stored = (owner, {})
        g._impact_request_cache = stored
    return stored[1].setdefault(name, {})
