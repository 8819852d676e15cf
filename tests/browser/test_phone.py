"""Phones (390 × 844): the menu folds into a disclosure that works without JavaScript, content starts near the
top, the dashboard shows figures before its filters, and mitigation tables stack their rows as cards."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, page_overflows, screenshot

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    """A phone-sized page (Swedish) in a context made by the test's own request: with or without JavaScript."""
    contexts = []

    def open_page(javascript: bool = True):
        context = chromium.new_context(
            base_url=live_server.url, locale="sv-SE", viewport=PHONE_390, java_script_enabled=javascript
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_menu_opens_without_javascript_and_content_starts_near_the_top(phone, make_user, demo_data):
    # Without JavaScript, Playwright's locators still work but page.evaluate and axe-core do not: the accessibility
    # check of the open menu is in the next test.
    page = phone(javascript=False)
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True))
    assert page.locator("h1").bounding_box()["y"] < 200, "the header pushes the page's heading too far down"
    menu = page.get_by_role("navigation", name="Huvudmeny")
    dashboard = menu.get_by_role("link", name="Översikt", exact=True)
    expect(dashboard).to_be_hidden()  # folded: the links take no room until asked for
    toggle = menu.get_by_text("Meny", exact=True)
    toggle.focus()
    page.keyboard.press("Enter")  # a keyboard user opens it like a button
    expect(page.locator("details.nav__disclosure")).to_have_attribute("open", "")
    expect(dashboard).to_be_visible()
    screenshot(page, "menu-open-sv-phone", full_page=False)
    dashboard.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")


def test_open_menu_on_a_phone_is_accessible(phone, make_user):
    page = phone()
    browser_login(page, make_user("admin"))
    assert page.locator("h1").bounding_box()["y"] < 200
    page.get_by_role("navigation", name="Huvudmeny").get_by_text("Meny", exact=True).click()
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").first).to_be_visible()
    assert not page_overflows(page)
    assert_accessible(page, "start page with the menu open (phone)")


def test_desktop_shows_the_menu_as_a_list(page, make_user):
    browser_login(page, make_user("auditor"))
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_text("Meny", exact=True)).to_be_hidden()
    expect(menu.get_by_role("link", name="Översikt", exact=True)).to_be_visible()
    assert menu.get_by_role("link").count() == page.locator(".nav__list--wide a").count()  # one menu, not two


def test_dashboard_on_a_phone_shows_figures_before_the_filters(app, phone, make_user):
    with app.app_context():
        factories.seed_report_data()
        db.session.commit()
    page = phone()
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True))
    page.goto("/reports/")
    filters = page.locator("details.filters")
    assert not filters.evaluate("el => el.open")
    expect(page.get_by_label("Grund", exact=True)).to_be_hidden()
    folded = filters.bounding_box()
    assert folded["height"] < 100, "the folded filters take the room of the form"
    figures = page.locator("main .key-figures").bounding_box()
    assert figures["y"] < PHONE_390["height"] - 150, "no figure on the first screen"  # the first key figures show
    expect(page.locator("svg.chart").first).to_be_hidden()  # charts are tables on a phone
    assert not page_overflows(page)
    assert_accessible(page, "dashboard (phone)")
    screenshot(page, "dashboard-sv-phone", full_page=False)
    page.get_by_text("Filter", exact=True).click()
    expect(page.get_by_label("Grund", exact=True)).to_be_visible()
    page.get_by_label("Grund", exact=True).select_option("gender")
    page.get_by_role("button", name="Visa siffror").click()
    expect(page.locator(".filters__chosen")).to_have_text("(1 valt)")


def test_mitigation_tables_stack_as_cards_on_a_phone(app, phone):
    with app.app_context():
        author = factories.create_user(roles=("case_officer", "auditor"))
        assessment = factories.create_assessment(
            status="approved",
            author=author,
            follow_up_date=date.today() - timedelta(days=5),
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [
                        {
                            "description": "Anropsstyrd trafik till vårdcentralen i Norrby",
                            "responsible": "Tekniska förvaltningen",
                            "due_date": date.today() - timedelta(days=2),
                        }
                    ],
                }
            },
        )
        db.session.commit()
        assessment_id, email = assessment.id, author.email
    page = phone()
    browser_login(page, email)
    for path in (f"/review/{assessment_id}/follow-up", f"/assessments/{assessment_id}"):
        page.goto(path)
        table = page.locator("main table.table--stack").first
        expect(table).to_be_visible()
        widths = table.locator("tbody td").evaluate_all("cells => cells.map((c) => c.getBoundingClientRect().width)")
        assert widths and min(widths) >= 80, f"{path}: a cell is squeezed to {min(widths):.0f} px"
        # Each value is labelled by its column's name; the table stays a table with column headers for screen readers
        # (impact.js adds the explicit roles some browsers need once the display has changed).
        expect(table).to_have_attribute("role", "table")
        expect(table.get_by_role("columnheader", name="Status")).to_have_count(1)
        assert not page_overflows(page)
        assert_accessible(page, f"{path} (phone)")
    # The score column's header keeps "(−2 till +2)" on one line: two lines at most, not four.
    score = page.get_by_role("columnheader", name="Värde (−2 till +2)")
    assert score.bounding_box()["height"] < 80  # two lines of about 25 px and the padding; four were about 115
    page.goto(f"/review/{assessment_id}/follow-up")
    status = page.locator("main table.table--stack td[data-label='Status']").first
    assert "Status" in status.evaluate("el => getComputedStyle(el, '::before').content")
    screenshot(page, "follow-up-sv-phone", full_page=False)
