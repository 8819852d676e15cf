"""Every page each role can reach, in Swedish and in English: axe-core WCAG 2.1 A/AA, one <h1>, a title, the
right <html lang>, no server error, no untranslated text in the page's frame; reflow and screenshots on the way.

The crawl starts at the start page and every GET page without parameters, follows same-origin links breadth
first, and visits at most two URLs of each pattern (digits replaced by N, any query string alike), so the pages
other features add are covered without changing this test.
"""

import os
import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from impact.core.catalogues import features
from impact.core.db import db
from tests import factories
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_reflows,
    browser_login,
    screenshot,
    switch_language,
)
from tests.crawling import NOT_A_PAGE, entry_points, url_pattern

PAGES_PER_ROLE = int(os.environ.get("IMPACT_CRAWL_LIMIT", "40"))
URLS_PER_PATTERN = 2
ROLES = ["case_officer", "reviewer", "auditor", "admin"]
PAGE_TYPES = ("text/html",)
# Where the interface frame's text lives: it must never be English on a Swedish page.
FRAME_SELECTOR = "header, nav, footer, h1, h2, label, legend, th, button, .tag, .skip-link, caption"
# Assessments in each state so lists, pages and summaries have something to show.
STATES = ["draft", "submitted", "returned", "approved"]


def english_only_strings() -> set[str]:
    """Every English source string whose Swedish differs (so seeing it on a Swedish page means it is untranslated),
    leaving out words that are also Swedish translations ("Filter" is Swedish for "Filters")."""
    found, swedish = set(), set()
    for feature in features():
        path = feature.po_path("sv")
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="sv")
        for message in catalog:
            translated = isinstance(message.id, str) and message.string and message.string != message.id
            if translated and "%" not in message.id and len(message.id) > 3:
                found.add(message.id)
            if isinstance(message.string, str):
                swedish.add(message.string)
    return found - swedish


def links_on(page, origin: str) -> list[str]:
    """Same-origin page links (fragments dropped) in document order."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        if not url.startswith(origin + "/"):
            continue
        path = url[len(origin) :]
        if NOT_A_PAGE.search(urlsplit(path).path):
            continue
        found.append(path)
    return found


def check_page(page, response, path: str, language: str, english: set[str]) -> None:
    """The checks every page must pass, in either language."""
    assert response is not None, f"No response for {path}"
    assert response.status < 400, f"{path} answered {response.status}"
    assert page.locator("html").get_attribute("lang") == language, f"<html lang> is not {language} on {path}"
    assert page.title().strip(), f"{path} has no <title>"
    assert page.locator("h1").count() == 1, f"{path} must have exactly one <h1>"
    if language == "sv":
        # Text marked as another language (the "English" switch has lang="en") is meant to be in that language.
        frame_lines = page.eval_on_selector_all(
            FRAME_SELECTOR, "nodes => nodes.flatMap(node => node.innerText.split('\\n')).map(t => t.trim())"
        )
        other_language = set(
            page.eval_on_selector_all('[lang]:not([lang="sv"])', "nodes => nodes.map(n => n.innerText.trim())")
        )
        untranslated = sorted({line for line in frame_lines if line in english} - other_language)
        assert untranslated == [], f"English text on the Swedish page {path}: {untranslated}"
    assert_accessible(page, f"{path} ({language})")


def crawl(page, origin: str, starts: list[str], language: str, english: set[str], role: str) -> list[str]:
    """Breadth-first walk from ``starts``; returns the visited paths. The first page of each pattern is also
    checked for reflow and photographed at phone and desktop width (once, in Swedish)."""
    queue = deque(starts)
    queued = set(starts)
    entry_only = set(starts) - {"/"}
    per_pattern: dict[str, int] = {}
    visited = []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        pattern = url_pattern(path)
        if per_pattern.get(pattern, 0) >= URLS_PER_PATTERN:
            continue
        head = page.request.head(origin + path, max_redirects=5)
        if head.headers.get("content-type", "").split(";")[0] not in PAGE_TYPES:
            continue  # a download or a machine endpoint, found by what the server says it is
        response = page.goto(path)
        if path in entry_only and response is not None and response.status in (403, 404):
            continue  # an unlinked page this role may not open is fine; a link to one is not
        final = urlsplit(page.url).path
        if final == "/login":  # a page the role may not open sends no one to the login form while logged in
            pytest.fail(f"{path} sent {role} to the login page")
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        visited.append(path)
        check_page(page, response, path, language, english)
        if per_pattern[pattern] == 1 and language == "sv":
            assert_reflows(page, path)
            name = f"{role}-{pattern.strip('/').replace('/', '-') or 'start'}"
            screenshot(page, f"{name}-desktop")
            page.set_viewport_size(PHONE)
            screenshot(page, f"{name}-phone")
            page.set_viewport_size(DESKTOP)
        for link in links_on(page, origin):
            entry_only.discard(link)  # linked from a page this role sees: it must open
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return visited


@pytest.fixture
def assessments_for_everyone(app, demo_data) -> None:
    """A few assessments in the demo department, in different states, so pages have content."""
    with app.app_context():
        author = factories.create_user(roles=("case_officer",), department="FFF", name="Karin Demo")
        for state in STATES:
            factories.create_assessment(status=state, department="FFF", author=author)
        db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_is_accessible_in_swedish_and_english(
    page, app, live_server, make_user, assessments_for_everyone, role
):
    started = time.monotonic()
    email = make_user(role, department="FFF")
    english = english_only_strings()
    browser_login(page, email, language="sv")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    starts = entry_points(app)
    visited_sv = crawl(page, live_server.url, starts, "sv", english, role)

    switch_language(page, "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    first_of_each: dict[str, str] = {}
    for path in visited_sv:
        first_of_each.setdefault(url_pattern(path), path)
    first_of_each = list(first_of_each.values())
    for path in first_of_each:
        check_page(page, page.goto(path), path, "en", english)

    patterns = sorted({url_pattern(path) for path in visited_sv})
    print(  # shown with -s; the report quotes these figures
        f"\n{role}: {len(visited_sv)} pages in Swedish, {len(first_of_each)} in English, "
        f"{len(patterns)} patterns in {time.monotonic() - started:.1f}s: {patterns}"
    )
    assert "/" in visited_sv
