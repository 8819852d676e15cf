"""Login, start page, language switch and error pages in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_login, screenshot, switch_language


def test_login_page_is_accessible_in_both_languages(page, language):
    page.goto("/login")
    switch_language(page, language)
    assert_accessible(page)
    screenshot(page, f"login-{language}-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(page)
    screenshot(page, f"login-{language}-phone")


def test_wrong_password_shows_error_summary_focused(page, make_user):
    email = make_user("case_officer")
    browser_login(page, email, password="wrong password")
    summary = page.get_by_role("alert")
    assert "E-postadressen eller lösenordet är fel." in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("E-postadress").input_value() == email
    assert_accessible(page)


@pytest.mark.parametrize("role", ["case_officer", "reviewer", "auditor", "admin"])
def test_each_role_sees_an_accessible_start_page(page, make_user, role, language):
    email = make_user(role)
    browser_login(page, email, language=language)
    assert page.locator("h1").inner_text().startswith("Välkommen" if language == "sv" else "Welcome")
    assert_accessible(page)


def test_language_choice_sticks_across_pages(page, make_user):
    browser_login(page, make_user("auditor"))
    switch_language(page, "en")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_skip_link_is_first_in_focus_order_and_moves_to_main(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_logout_from_the_header(page, make_user):
    browser_login(page, make_user("reviewer"))
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()
    assert_accessible(page)
