"""An admin imports the example key figures and shows one on the geographic ground; a case officer sees it for the
area the proposal touches, marked as example figures, and copies it into the evidence — in both languages."""

import re

from playwright.sync_api import expect

from impact.core.db import db
from impact.demo.indicators import EXAMPLE_FILE
from impact.demo.organisation import ensure_areas, ensure_districts
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login

TEXT = {
    "sv": {
        "file": "Nyckeltal (CSV)",
        "button": "Importera",
        "done": "384 värden för 6 nyckeltal har importerats",
        "indicator": "Invånare med ekonomiskt bistånd (exempel)",
        "ground": "Geografisk hemvist",
        "save": "Spara",
        "relevant": "Ja, relevant",
        "example": "Exempelsiffror",
        "copy": re.compile(r"^Kopiera till underlaget\s*: Hässleholmen \(Norrby\), 2025$"),
        "copied": "Invånare med ekonomiskt bistånd (exempel) Hässleholmen (Norrby) 2025:",
    },
    "en": {
        "file": "Key figures (CSV)",
        "button": "Import",
        "done": "384 figures of 6 key figures imported",
        "indicator": "Residents receiving economic assistance (example)",
        "ground": "Geographic residence (district)",
        "save": "Save",
        "relevant": "Yes, relevant",
        "example": "Example figures",
        "copy": re.compile(r"^Copy into the evidence\s*: Hässleholmen \(Norrby\), 2025$"),
        "copied": "Residents receiving economic assistance (example) Hässleholmen (Norrby) 2025:",
    },
}


def test_an_admin_imports_key_figures_and_an_officer_copies_one_into_the_evidence(app, page, make_user, language):
    text = TEXT[language]
    with app.app_context():
        areas = ensure_areas(ensure_districts())
        officer = factories.create_user(roles=("case_officer",), department="FFF")
        draft = factories.create_assessment("draft", author=officer, districts=("Norrby",))
        draft.areas = [areas["OMR-HASSLEHOLMEN"]]
        db.session.commit()
        officer_email, draft_id = officer.email, draft.id
    browser_login(page, make_user("admin"), language=language)
    page.goto("/admin/indicators/import")
    page.get_by_label(text["file"]).set_input_files(str(EXAMPLE_FILE))
    page.get_by_role("button", name=text["button"], exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(text["done"])
    page.get_by_role("link", name=text["indicator"]).click()
    page.get_by_label(text["ground"]).check()
    page.get_by_role("button", name=text["save"], exact=True).click()
    assert_accessible(page, "key figures")

    page.context.clear_cookies()
    browser_login(page, officer_email, language=language)
    page.goto(f"/assessments/{draft_id}/grounds/geographic_residence")
    page.get_by_label(text["relevant"]).check()
    expect(page.get_by_role("table", name=text["indicator"])).to_contain_text(text["example"])
    evidence = page.locator("textarea[name=evidence]")
    evidence.fill("Dialog med boende.")
    page.get_by_role("button", name=text["copy"]).click()
    assert evidence.input_value().startswith("Dialog med boende.\n" + text["copied"])
    assert page.url.endswith("/grounds/geographic_residence")  # added in place, nothing sent
    expect(page.locator("#figures-status")).to_contain_text(text["copied"])
    assert_accessible(page, "ground with key figures")
