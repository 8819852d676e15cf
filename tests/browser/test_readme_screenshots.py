"""The README's screenshots: the current UI in Swedish with Borås's demo data, at desktop (1280 px) and phone
(390 px) width. Saved under test-output/screenshots/readme-*.png like every screenshot; `scripts/readme-screenshots`
runs this file and copies them, made smaller, into docs/screenshots/.
"""

import sqlalchemy as sa
from playwright.sync_api import expect

from impact.assessments.enums import IN_FORCE
from impact.assessments.models import Assessment, Mitigation
from impact.core.db import db
from impact.demo.users import DEMO_PASSWORD
from impact.org.models import Department
from tests.browser.conftest import DESKTOP, browser_login, screenshot

PHONE_390 = {"width": 390, "height": 844}


def test_readme_screenshots(app, chromium, live_server, demo_data):
    with app.app_context():
        follow_up_id = db.session.scalar(
            sa.select(Assessment.id)
            .join(Mitigation, Mitigation.assessment_id == Assessment.id)
            .join(Department, Department.id == Assessment.department_id)
            .where(Assessment.status.in_(IN_FORCE), Department.code == "FFF")
            .order_by(Assessment.id)
            .limit(1)
        )
    assert follow_up_id, "the demo data has an approved assessment with actions in Sara Lindqvist's department"

    def session(email: str, viewport: dict):
        context = chromium.new_context(base_url=live_server.url, locale="sv-SE", viewport=viewport)
        context.set_default_timeout(30_000)
        page = context.new_page()
        browser_login(page, email, password=DEMO_PASSWORD)
        return context, page

    context, page = session("handlaggare@boras.example.com", DESKTOP)
    screenshot(page, "readme-start-desktop", full_page=False)
    page.get_by_role("navigation").get_by_role("link", name="Konsekvensanalyser", exact=True).click()
    screenshot(page, "readme-assessments-desktop", full_page=False)
    context.close()

    context, page = session("revisor@boras.example.com", DESKTOP)
    page.goto("/reports/")
    page.locator("#heat").evaluate("heading => heading.scrollIntoView()")  # the heat map at the top of the shot
    screenshot(page, "readme-dashboard-heat-desktop", full_page=False)
    context.close()

    context, page = session("handlaggare@boras.example.com", PHONE_390)
    screenshot(page, "readme-start-phone", full_page=False)
    page.get_by_text("Meny", exact=True).click()
    expect(page.locator(".nav__list--narrow")).to_be_visible()
    screenshot(page, "readme-menu-phone", full_page=False)
    context.close()

    context, page = session("revisor@boras.example.com", PHONE_390)
    page.goto("/reports/")
    screenshot(page, "readme-dashboard-phone", full_page=False)
    context.close()

    context, page = session("handlaggare@boras.example.com", PHONE_390)
    page.goto(f"/review/{follow_up_id}/follow-up")
    screenshot(page, "readme-follow-up-phone", full_page=False)
    context.close()

    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", viewport=PHONE_390)
    page = context.new_page()
    page.goto("/login")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    screenshot(page, "readme-login-errors-phone", full_page=False)
    context.close()
