"""Only administrators reach the admin area: every admin endpoint, derived from the URL map, for every role."""

import re

import pytest
from flask import Flask

from impact import create_app
from tests.conftest import csrf_token

_ANY = re.compile(r"<any\(([^)]*)\):(\w+)>")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _admin_requests() -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every admin route and method; path parts get a first valid value."""
    app: Flask = create_app("testing")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = _ANY.sub(lambda m: m.group(1).split(",")[0].strip(), rule.rule)
        url = _CONVERTER.sub("1", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url))
    return sorted(found)


ADMIN_REQUESTS = _admin_requests()


def test_the_admin_area_has_the_expected_kinds_of_endpoint():
    endpoints = {endpoint for endpoint, _method, _url in ADMIN_REQUESTS}
    assert {"admin.home", "admin.users", "admin.new_user", "admin.templates", "admin.settings"} <= endpoints
    assert len(ADMIN_REQUESTS) >= 25


@pytest.mark.parametrize(("endpoint", "method", "url"), ADMIN_REQUESTS, ids=[f"{m} {u}" for _e, m, u in ADMIN_REQUESTS])
def test_other_roles_get_403(client, login_as, auth, endpoint, method, url):
    # Every role but admin, and all of them together, in one test per endpoint (an app per test is the cost).
    for roles in (("case_officer",), ("reviewer",), ("auditor",), ("case_officer", "reviewer", "auditor")):
        login_as(*roles, municipality_wide=True)
        # A valid CSRF token, so the refusal comes from the role check and not from the CSRF check.
        data = {"csrf_token": csrf_token(client, "/")} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, f"{roles} reached {method} {url}"
        auth.logout()


@pytest.mark.parametrize(("endpoint", "method", "url"), ADMIN_REQUESTS, ids=[f"{m} {u}" for _e, m, u in ADMIN_REQUESTS])
def test_anonymous_is_sent_to_login(client, endpoint, method, url):
    data = {"csrf_token": csrf_token(client, "/login")} if method == "POST" else None
    response = client.open(url, method=method, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("endpoint", "method", "url"),
    [r for r in ADMIN_REQUESTS if r[1] == "GET"],
    ids=[f"{m} {u}" for _e, m, u in ADMIN_REQUESTS if m == "GET"],
)
def test_admins_are_let_in(client, login_as, endpoint, method, url):
    login_as("admin")
    response = client.get(url)
    assert response.status_code in (200, 302, 404)  # 404 only where the sample id does not exist
    assert not response.headers.get("Location", "").startswith("/login")


def test_admin_menu_entry_only_for_admins(client, login_as):
    login_as("case_officer")
    assert 'href="/admin/"' not in client.get("/").get_data(as_text=True)


def test_admin_menu_entry_and_card_for_admins(client, login_as):
    login_as("admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in page
    assert "Administration" in page
