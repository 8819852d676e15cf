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
from playwright.sync_api import expect
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
    # Generous: CI runs on 2 cores, and a slow page is not what these tests are about (bench/ measures speed).
    context.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # expect() waits on its own clock (5 s by default)
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
    page.wait_for_load_state()  # a click may still be navigating: axe needs the new document, not none
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {name or page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot (full page unless told otherwise) under test-output/screenshots for people to review."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def switch_language(page, language: str) -> None:
    """Use the header's language switch, as a person would, if the page is not already in ``language``."""
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name="English" if language == "en" else "Svenska").click()
        expect(page.locator("html")).to_have_attribute("lang", language)  # waits for the new page


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


# --- Keyboard and layout helpers -------------------------------------------------------------------------------

# A close-enough accessible name for the focused element: aria-labelledby, aria-label, <label>, text, value, title.
_FOCUSED_NAME_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const byIds = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent || "").join(" ");
  let name = "";
  if (el.getAttribute("aria-labelledby")) name = byIds(el.getAttribute("aria-labelledby"));
  if (!name && el.getAttribute("aria-label")) name = el.getAttribute("aria-label");
  if (!name && el.labels && el.labels.length) name = Array.from(el.labels).map((l) => l.textContent).join(" ");
  if (!name) name = el.innerText || el.textContent || "";
  if (!name && el.value && ["submit", "button"].includes(el.type)) name = el.value;
  if (!name) name = el.getAttribute("title") || "";
  return name.replace(/\\s+/g, " ").trim();
}"""

# True when the focused element draws a focus indicator: a visible outline or a box shadow.
_FOCUS_VISIBLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && !/rgba\\(.*,\\s*0\\)$/.test(style.outlineColor) && style.outlineColor !== "transparent";
  return outline || (style.boxShadow && style.boxShadow !== "none");
}"""


def focused_name(page) -> str | None:
    """The accessible name (close enough) of the element that has keyboard focus, None when nothing has."""
    return page.evaluate(_FOCUSED_NAME_JS)


def focus_is_visible(page) -> bool:
    """Whether the focused element shows a focus indicator (outline or box shadow)."""
    return page.evaluate(_FOCUS_VISIBLE_JS)


def tab_to(page, name: str | re.Pattern, max_presses: int = 60, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until the focused element's accessible name matches; fail after ``max_presses``.

    ``name`` is an exact string (whitespace-normalised) or a compiled regular expression. Every stop on the way
    must show a visible focus indicator.
    """
    seen = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        current = focused_name(page)
        seen.append(current)
        if current is not None:
            assert focus_is_visible(page), f"No visible focus on {current!r} at {page.url}"
        matched = name.search(current or "") if isinstance(name, re.Pattern) else current == name
        if matched:
            return
    pytest.fail(f"{name!r} not reached with {max_presses} presses of {key} on {page.url}; focus went: {seen}")


def page_overflows(page) -> bool:
    """Whether the page scrolls sideways (content wider than the viewport): a failure of reflow (WCAG 1.4.10)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


# Phone width, the narrowest width WCAG 1.4.10 asks for, and a 1280 px screen at 200% zoom (640 CSS pixels).
PHONE = {"width": 360, "height": 740}
NARROWEST = {"width": 320, "height": 640}
ZOOM_200 = {"width": 640, "height": 450}
DESKTOP = {"width": 1280, "height": 900}


# Boxes that scroll sideways but cannot be reached by keyboard or have no name (use the table_wrap macro).
_UNREACHABLE_SCROLLERS_JS = """() => Array.from(document.querySelectorAll("main *")).filter((el) => {
  const style = getComputedStyle(el);
  if (!["auto", "scroll"].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) return false;
  const named = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
  return !(el.tabIndex >= 0 && el.hasAttribute("tabindex") && named);
}).map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""))"""


def assert_reflows(page, name: str | None = None) -> None:
    """No horizontal scroll of the page at 320 px and at 200% zoom, and every box that scrolls sideways instead
    is a focusable, named region (WCAG 1.4.10, 2.1.1); restores the desktop viewport."""
    page.wait_for_load_state()  # a click may still be navigating: measure the new document, not none
    try:
        for size in (NARROWEST, ZOOM_200):
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert not page_overflows(page), f"{name or page.url} scrolls sideways at {size['width']} px ({width} px)"
            unreachable = page.evaluate(_UNREACHABLE_SCROLLERS_JS)
            assert unreachable == [], (
                f"{name or page.url} at {size['width']} px: boxes scroll sideways without tabindex=0 and a label "
                f"(use the table_wrap macro): {unreachable}"
            )
    finally:
        page.set_viewport_size(DESKTOP)


@pytest.fixture
def demo_data(app) -> None:
    """Borås's demo data (the real `flask seed-demo` command) in the database the live server reads."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
