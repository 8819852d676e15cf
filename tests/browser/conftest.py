"""Browser tests: Playwright drives Debian's Chromium against the app served on a local port.

The browser is never downloaded. Without Chromium the tests fail with a message saying how to install it
(`make test` installs it when it can); they are never skipped.
"""

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from impact.core.db import db
from tests import factories

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"
# The WCAG 2.1 A and AA rules of axe-core; none is disabled.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM_PATH}. Install Debian's package with "
            "`sudo apt-get install chromium` (make test does this when run as root), or set CHROMIUM_PATH.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with LiveServer(app) as server:
        yield server


@pytest.fixture(params=["sv", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies) whose Accept-Language is Swedish."""
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A failed page load is the test's to judge; a failed asset (CSS, script, image) is always an error.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript or CSP errors in the browser: {errors}"


_axe = Axe()


def assert_accessible(page, name: str | None = None) -> None:
    """Run axe-core's WCAG 2.1 A/AA rules on the current page; fail listing every violation."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {name or page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots for people to review."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def switch_language(page, language: str) -> None:
    """Use the header's language switch, as a person would, if the page is not already in ``language``."""
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name="English" if language == "en" else "Svenska").click()
        assert page.locator("html").get_attribute("lang") == language


def browser_login(page, email: str, password: str = factories.PASSWORD, language: str = "sv") -> None:
    page.goto("/login")
    switch_language(page, language)
    page.get_by_label("E-postadress" if language == "sv" else "Email address").fill(email)
    page.get_by_label("Lösenord" if language == "sv" else "Password").fill(password)
    page.get_by_role("button", name="Logga in" if language == "sv" else "Log in").click()
    page.wait_for_load_state()


@pytest.fixture
def make_user(app):
    """Create a user committed to the database the live server reads; returns its email."""

    def _make_user(*roles: str, department: str = "FFF", **fields) -> str:
        with app.app_context():
            user = factories.create_user(roles=roles or ("case_officer",), department=department, **fields)
            db.session.commit()
            return user.email

    return _make_user
