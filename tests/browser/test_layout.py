"""Reflow (WCAG 1.4.10): no sideways scrolling at 320 px or at 200% zoom; screenshots at phone and desktop width."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_reflows, browser_login, screenshot, switch_language


@pytest.mark.parametrize("path", ["/login", "/no-such-page"])
def test_public_pages_reflow(page, path, language):
    page.goto(path)
    switch_language(page, language)
    assert_reflows(page)


@pytest.mark.parametrize("role", ["case_officer", "reviewer", "auditor", "admin"])
def test_start_page_reflows_for_each_role(page, make_user, demo_data, role, language):
    browser_login(page, make_user(role, department="FFF", name="Anna-Karin Johansson-Lindqvist"), language=language)
    assert_reflows(page)
    screenshot(page, f"start-{role}-{language}-desktop", full_page=False)
    page.set_viewport_size(PHONE)
    screenshot(page, f"start-{role}-{language}-phone", full_page=False)
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
    assert page.locator("h1").is_visible()
    colour = page.evaluate("getComputedStyle(document.body).color")
    assert colour == "rgb(0, 0, 0)"
