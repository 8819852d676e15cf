"""A visitor without an account reads the public register: searches, filters, opens an assessment, switches
language; every page axe-checked at desktop and phone width, in Swedish and English."""

from playwright.sync_api import expect

from impact.core.db import db
from impact.public.publication import set_register_open
from tests import factories
from tests.browser.conftest import assert_accessible, assert_reflows, screenshot, switch_language

WORDS = {
    "sv": {
        "h1": "Offentligt register över konsekvensanalyser för jämlikhet",
        "title": "Titeln innehåller",
        "show": "Visa konsekvensanalyser",
        "department": "Förvaltning",
        "back": "Alla publicerade",
    },
    "en": {
        "h1": "Public register of equality impact assessments",
        "title": "Title contains",
        "show": "Show assessments",
        "department": "Department",
        "back": "All published",
    },
}


def check(page, name: str) -> None:
    assert_accessible(page, name)
    assert_reflows(page, name)
    screenshot(page, f"{name}-desktop")


def test_a_visitor_searches_and_reads_the_public_register(app, page, language):
    with app.app_context():
        factories.seed_report_data()
        factories.create_assessment(
            "decided", department="SOF", title="Ny lekplats i Norrby", answers={"age": "positive"}
        )
        set_register_open(True, factories.create_user(roles=("admin",), department="KS"))
        db.session.commit()
    words = WORDS[language]
    page.goto("/public/")
    switch_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["h1"])
    check(page, f"public-index-{language}")

    page.get_by_label(words["title"]).fill("lekplats")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Ny lekplats i Norrby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny lekplats i Norrby")
    check(page, f"public-assessment-{language}")

    page.get_by_role("link", name=words["back"]).click()
    page.get_by_label(words["department"]).select_option(label="Fritids- och folkhälsoförvaltningen")
    page.get_by_role("button", name=words["show"]).click()
    assert "department=FFF" in page.url
    check(page, f"public-filtered-{language}")
