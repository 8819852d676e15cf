"""Reflow (WCAG 1.4.10): no sideways scrolling at 320 px or at 200% zoom; screenshots at phone and desktop width."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, assert_reflows, browser_login, screenshot, switch_language


@pytest.mark.parametrize("path", ["/login", "/no-such-page"])
def test_public_pages_reflow(page, path, language):
    page.goto(path)
    switch_language(page, language)
    assert_reflows(page)


def test_start_page_reflows_in_both_languages(page, make_user, demo_data, language):
    """Each role's start page is also checked by the crawl (test_a11y_crawl); here with a long double-barrelled
    name, and with the viewport-only screenshots the README shows."""
    browser_login(page, make_user("case_officer", "reviewer", name="Anna-Karin Johansson-Lindqvist"), language=language)
    assert_reflows(page)
    screenshot(page, f"start-{language}-desktop", full_page=False)
    page.set_viewport_size(PHONE)
    screenshot(page, f"start-{language}-phone", full_page=False)
    page.set_viewport_size(DESKTOP)


def test_login_error_state_screenshots(page, language):
    page.goto("/login")
    switch_language(page, language)
    page.get_by_role("button", name="Logga in" if language == "sv" else "Log in").click()
    expect(page.locator(".error-summary")).to_be_visible()  # the answer to the post, not the page it replaced
    assert_reflows(page)
    page.set_viewport_size(PHONE)
    screenshot(page, f"login-error-{language}-phone", full_page=False)
    page.set_viewport_size(DESKTOP)


def test_long_unbroken_words_do_not_widen_the_page(page, make_user):
    """Names and case numbers without spaces wrap instead of pushing the page wider than a phone."""
    browser_login(page, make_user("case_officer", name="Konsekvensanalyshandläggare" * 3))
    assert_reflows(page)


def test_print_hides_the_menu_and_buttons(page, make_user):
    browser_login(page, make_user("admin"))
    page.emulate_media(media="print")
    assert page.locator("nav[aria-label]").first.is_hidden()
    assert page.get_by_role("button", name="Logga ut").is_hidden()
    expect(page.locator("h1")).to_be_visible()
    colour = page.evaluate("getComputedStyle(document.body).color")
    assert colour == "rgb(0, 0, 0)"
