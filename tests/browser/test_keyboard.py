"""Keyboard only: the skip link comes first, every control is reached in order with a visible focus, no trap."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_login, focus_is_visible, focused_name, tab_to

# Everything a keyboard user can land on, in the order the page has it.
INTERACTIVE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)


def tab_through(page) -> list[str]:
    """Tab from the top of the page until focus leaves it; every element must be reached once, visibly, in order."""
    # Tab stops once per radio group: on the checked option, or the first when none is checked.
    page.evaluate(
        f"""() => document.querySelectorAll("{INTERACTIVE}").forEach((el, i) => {{
              if (!el.getClientRects().length) return;
              if (el.type === "radio") {{
                const group = Array.from(el.form ? el.form.elements : []).filter((r) => r.name === el.name);
                const stop = group.find((r) => r.checked) || group[0];
                if (stop !== el) return;
              }}
              el.dataset.kbd = String(i); }})"""
    )
    expected = page.eval_on_selector_all("[data-kbd]", "els => els.map(el => el.dataset.kbd)")
    reached = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        current = page.evaluate("document.activeElement && document.activeElement.dataset.kbd || null")
        if current is None or (reached and current == reached[0]):
            break  # focus left the page (to the browser) or wrapped round: no trap
        assert current not in reached, f"Focus came back to an element before the page ended: {reached + [current]}"
        assert focus_is_visible(page), f"No visible focus on {focused_name(page)!r}"
        reached.append(current)
    else:
        pytest.fail(f"Focus never left the page: {reached}")
    assert reached == expected, "Tab order does not follow the page, or some control is unreachable"
    return reached


def test_login_page_by_keyboard(page):
    page.goto("/login")
    tab_through(page)
    page.goto("/login")
    tab_to(page, "Hoppa till huvudinnehållet", max_presses=1)
    tab_to(page, "E-postadress")
    page.keyboard.type("nobody@boras.example.com")
    tab_to(page, "Lösenord", max_presses=1)
    page.keyboard.type("wrong")
    tab_to(page, "Logga in", max_presses=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()


@pytest.mark.parametrize("role", ["case_officer", "reviewer", "auditor", "admin"])
def test_start_page_by_keyboard(page, make_user, role):
    browser_login(page, make_user(role))
    tab_through(page)


def test_language_switch_and_logout_by_keyboard(page, make_user):
    browser_login(page, make_user("case_officer"))
    tab_to(page, "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    tab_to(page, "Log out")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("You have been logged out.")).to_be_visible()


def test_tab_to_fails_clearly_when_the_name_is_not_on_the_page(page):
    page.goto("/login")
    with pytest.raises(pytest.fail.Exception, match="not reached"):
        tab_to(page, "No such control", max_presses=8)
