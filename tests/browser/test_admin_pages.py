"""An admin at work in a real browser, by visible labels, in Swedish and English, every page checked with axe-core."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from impact.auth.models import User
from impact.core.db import db
from impact.grounds.models import TemplateVersion
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "admin": "Administration",
        "users": "Användare",
        "create": "Skapa en användare",
        "name": "Namn",
        "email": "E-postadress",
        "department": "Förvaltning",
        "reviewer": "Granskare",
        "password": "Första lösenord",
        "submit": "Skapa användaren",
        "created": "Kontot för Nina Ny har skapats.",
        "grounds": "Grunder och frågor",
        "draft": "Skapa ett nytt utkast",
        "guidance": "Vägledning på svenska",
        "save": "Spara grunden",
        "publish": "Publicera version 2",
        "ground": "Funktionsnedsättning",
        "problem": "Det finns ett problem",
    },
    "en": {
        "admin": "Administration",
        "users": "Users",
        "create": "Create a user",
        "name": "Name",
        "email": "Email address",
        "department": "Department",
        "reviewer": "Reviewer",
        "password": "Initial password",
        "submit": "Create user",
        "created": "The account for Nina Ny has been created.",
        "grounds": "Grounds and questions",
        "draft": "Start a new draft version",
        "guidance": "Guidance in Swedish",
        "save": "Save ground",
        "publish": "Publish version 2",
        "ground": "Disability",
        "problem": "There is a problem",
    },
}


def test_admin_creates_a_user_and_edits_a_grounds_guidance(page, make_user, app, language):
    text = TEXT[language]
    make_user("case_officer", department="FFF")  # the department exists to choose
    browser_login(page, make_user("admin", department="SLK"), language=language)
    page.get_by_role("link", name=text["admin"], exact=True).first.click()
    assert_accessible(page, "admin home")
    screenshot(page, f"admin-home-{language}")

    page.locator(".admin-nav").get_by_role("link", name=text["users"], exact=True).click()
    assert_accessible(page, "user list")
    page.get_by_role("link", name=text["create"]).click()
    page.get_by_label(text["name"], exact=True).fill("Nina Ny")
    page.get_by_label(text["email"], exact=True).fill("nina.ny@boras.example.com")
    page.get_by_label(text["department"], exact=True).select_option(label="Fritids- och folkhälsoförvaltningen")
    page.get_by_label(text["reviewer"]).check()
    page.get_by_label(text["password"]).fill("password123456")
    page.get_by_role("button", name=text["submit"]).click()
    # A common password: the error summary and the message next to the field, what was typed kept.
    assert text["problem"] in page.get_by_role("alert").inner_text()
    assert page.get_by_label(text["name"], exact=True).input_value() == "Nina Ny"
    assert_accessible(page, "user form with errors")
    screenshot(page, f"admin-new-user-error-{language}")
    page.get_by_label(text["password"]).fill("tre glada kaniner hoppar")
    page.get_by_role("button", name=text["submit"]).click()
    expect(page.get_by_text(text["created"])).to_be_visible()
    assert_accessible(page, "user page")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nina.ny@boras.example.com"))
        assert {role.value for role in user.roles} == {"reviewer"}

    page.locator(".admin-nav").get_by_role("link", name=text["grounds"]).click()
    assert_accessible(page, "template versions")
    page.get_by_role("button", name=text["draft"]).click()
    assert_accessible(page, "draft version")
    screenshot(page, f"admin-draft-{language}")
    page.get_by_role("link", name=text["ground"], exact=True).click()
    guidance = page.get_by_label(text["guidance"])
    guidance.fill("Tänk på fysisk, psykisk och intellektuell funktionsnedsättning.")
    assert_accessible(page, "ground form")
    screenshot(page, f"admin-ground-{language}")
    page.get_by_role("button", name=text["save"]).click()
    page.get_by_role("button", name=text["publish"]).click()
    assert_accessible(page, "after publishing")
    with app.app_context():
        current = TemplateVersion.current()
        assert current.number == 2
        disability = next(g for g in current.grounds if g.key == "disability")
        assert disability.guidance_sv.startswith("Tänk på fysisk")
        assert re.search("Socioekonomisk", current.grounds[0].name_sv)


def test_the_accessibility_statement_and_report_form_are_accessible(page, language):
    page.goto("/accessibility/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    assert_accessible(page, "accessibility statement")
    screenshot(page, f"accessibility-statement-{language}")
    label = "Beskriv problemet" if language == "sv" else "Describe the problem"
    page.get_by_role("button", name="Skicka rapport" if language == "sv" else "Send report").click()
    assert_accessible(page, "report form with error")
    page.get_by_label(label).fill("Fokus syns inte på länkarna i sidfoten.")
    page.get_by_role("button", name="Skicka rapport" if language == "sv" else "Send report").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page, "report sent")
