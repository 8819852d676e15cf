"""An auditor imports a committee's list of cases and finds the case without an assessment, in both languages."""

from pathlib import Path

from playwright.sync_api import expect

from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-list.csv"
TEXT = {
    "sv": {
        "menu": "Täckning",
        "import": "Importera en ärendelista",
        "file": "Listan över ärenden (CSV)",
        "button": "Importera",
        "done": "3 ärenden lades till",
        "problem": "Det finns ett problem",
        "line": "Rad 2",
    },
    "en": {
        "menu": "Coverage",
        "import": "Import a list of cases",
        "file": "The list of cases (CSV)",
        "button": "Import",
        "done": "3 cases added",
        "problem": "There is a problem",
        "line": "Line 2",
    },
}


def test_an_auditor_imports_a_case_list_and_sees_the_missing_case(app, page, make_user, language, tmp_path):
    text = TEXT[language]
    with app.app_context():
        factories.create_assessment("decided", case_number="2026-00401", title="Nya öppettider i simhallarna")
        factories.create_assessment("approved", case_number="2026-00424", title="Stöd till föreningar")
        db.session.commit()
    auditor = make_user("auditor", department="SLK", municipality_wide=True)
    browser_login(page, auditor, language=language)
    page.get_by_role("link", name=text["menu"]).first.click()
    page.get_by_role("link", name=text["import"]).click()

    bad = tmp_path / "fel.csv"
    bad.write_text("diarienummer;rubrik;nämnd;sammanträdesdatum\n2026-1;Ärende;Nämnd;21/10/2026\n", encoding="utf-8")
    page.get_by_label(text["file"]).set_input_files(str(bad))
    page.get_by_role("button", name=text["button"], exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(text["problem"])
    expect(page.get_by_text(text["line"])).to_be_visible()
    assert_accessible(page, "case list refused")

    page.get_by_label(text["file"]).set_input_files(str(EXAMPLE))
    page.get_by_role("button", name=text["button"], exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(text["done"])
    expect(page.get_by_role("cell", name="2026-00990")).to_be_visible()
    expect(page.get_by_role("cell", name="2026-00401")).to_have_count(0)
    assert_accessible(page, "coverage")
    screenshot(page, f"coverage-{language}")
