"""Error states in a real browser: errors tied to their fields, the summary focused, its links moving focus."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, switch_language


def described_by_text(page, field_id: str) -> str:
    """The text a screen reader reads after the field's label: every element named in aria-describedby."""
    return page.evaluate(
        """(id) => (document.getElementById(id).getAttribute("aria-describedby") || "").split(/\\s+/)
             .map((ref) => document.getElementById(ref)?.textContent || "").join(" ")""",
        field_id,
    )


def test_empty_login_ties_each_error_to_its_field_and_focuses_the_summary(page, language):
    page.goto("/login")
    switch_language(page, language)
    page.get_by_role("button", name="Logga in" if language == "sv" else "Log in").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # waits for the page to load and the script to move focus
    expected = {
        "email": "Ange din e-postadress" if language == "sv" else "Enter your email address",
        "password": "Ange ditt lösenord" if language == "sv" else "Enter your password",
    }
    for field_id, message in expected.items():
        expect(summary.get_by_role("link", name=message)).to_be_visible()
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true"
        assert message in described_by_text(page, field_id)
    assert_accessible(page)

    summary.get_by_role("link", name=expected["password"]).click()
    expect(page.locator("#password")).to_be_focused()
    summary.get_by_role("link", name=expected["email"]).click()
    expect(page.locator("#email")).to_be_focused()


def test_what_was_typed_stays_and_the_error_goes_once_fixed(page):
    page.goto("/login")
    page.get_by_label("E-postadress").fill("someone@boras.example.com")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_by_label("E-postadress").input_value() == "someone@boras.example.com"
    assert page.locator("#email").get_attribute("aria-invalid") is None
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    assert page.locator(".error-summary a").all_inner_texts() == ["Ange ditt lösenord"]


def test_a_summary_link_to_a_group_of_radios_focuses_its_first_option(page):
    """Fieldsets (radio groups) carry the field id; the link focuses the first option, or the checked one."""
    page.goto("/login")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    # The login form has no radio group, so add one the way the `choices` macro renders it.
    page.evaluate(
        """() => {
          const group = document.createElement("fieldset");
          group.id = "affects";
          group.innerHTML = '<legend>Q</legend><input type="radio" id="affects-1" name="a" value="y">' +
            '<label for="affects-1">Yes</label><input type="radio" id="affects-2" name="a" value="n" checked>' +
            '<label for="affects-2">No</label>';
          document.querySelector("main form").append(group);
          const item = document.createElement("li");
          item.innerHTML = '<a href="#affects">Choose one</a>';
          document.querySelector(".error-summary__list").append(item);
        }"""
    )
    page.get_by_role("link", name="Choose one").click()
    expect(page.locator("#affects-2")).to_be_focused()
    page.evaluate("document.getElementById('affects-2').checked = false")
    page.get_by_role("link", name="Choose one").click()
    expect(page.locator("#affects-1")).to_be_focused()
