"""The language switch in a real browser: <html lang> follows, and the choice is remembered."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_login, switch_language


def test_choice_made_before_login_carries_into_the_session(page, make_user):
    page.goto("/login")
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Log in to Impact")).to_be_visible()
    page.get_by_label("Email address").fill(make_user("reviewer"))
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Svenska").get_attribute("lang") == "sv"


def test_choice_is_remembered_on_the_account_in_a_new_browser(page, chromium, live_server, make_user):
    email = make_user("case_officer")
    browser_login(page, email, language="sv")
    switch_language(page, "en")
    # A different browser with a Swedish Accept-Language: the account's choice wins after login.
    other = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    try:
        fresh = other.new_page()
        fresh.goto("/login")
        assert fresh.locator("html").get_attribute("lang") == "sv"
        fresh.get_by_label("E-postadress").fill(email)
        fresh.get_by_label("Lösenord").fill("correct horse battery staple")
        fresh.get_by_role("button", name="Logga in").click()
        assert fresh.locator("html").get_attribute("lang") == "en"
        expect(fresh.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        other.close()


def test_switching_back_stays_on_the_same_page(page, make_user):
    browser_login(page, make_user("auditor"), language="en")
    page.goto("/no-such-page")
    switch_language(page, "sv")
    expect(page.get_by_role("heading", name="Sidan hittades inte")).to_be_visible()
    assert page.title().startswith("Sidan hittades inte")
    assert_accessible(page)
