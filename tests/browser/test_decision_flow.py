"""A committee secretary records the committee's decision and corrects it, by visible labels, in both languages;
the pages reflow on a phone."""

import pytest
from playwright.sync_api import expect

from impact.assessments.models import Assessment
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, assert_reflows, browser_login, screenshot

COMMITTEE = "Fritids- och folkhälsonämnden"
TEXT = {
    "sv": {
        "menu": "Nämndbeslut",
        "meeting": "Sammanträdesdatum",
        "paragraph": "Paragraf i protokollet",
        "outcome": "Bifall med ändringar",
        "changed": "Ändrade analysen förslaget?",
        "yes": "Ja",
        "how": "Hur ändrade den förslaget?",
        "record": "Registrera beslutet",
        "recorded": "Nämndens beslut är registrerat.",
        "problem": "Det finns ett problem",
        "correct": "Rätta beslutet",
        "why": "Varför rättas beslutet?",
        "save": "Spara rättelsen",
        "corrected": "Beslutet är rättat.",
        "decided": "Beslutad",
    },
    "en": {
        "menu": "Committee decisions",
        "meeting": "Date of the meeting",
        "paragraph": "Paragraph in the minutes",
        "outcome": "Approved with changes",
        "changed": "Did the analysis change the proposal?",
        "yes": "Yes",
        "how": "How did it change the proposal?",
        "record": "Record the decision",
        "recorded": "The committee's decision is recorded.",
        "problem": "There is a problem",
        "correct": "Correct the decision",
        "why": "Why is the decision corrected?",
        "save": "Save the correction",
        "corrected": "The decision is corrected.",
        "decided": "Decided",
    },
}


def test_a_secretary_records_and_corrects_the_decision(app, page, make_user, language):
    text = TEXT[language]
    secretary = make_user("committee_secretary", department="SLK", committees=[COMMITTEE])
    with app.app_context():
        assessment = factories.create_assessment("approved", title="Nya öppettider i simhallen")
        db.session.commit()
        assessment_id = assessment.id

    browser_login(page, secretary, language=language)
    page.get_by_role("link", name=text["menu"]).first.click()
    assert_accessible(page, "the secretary's list")
    page.get_by_role("link", name="Nya öppettider i simhallen").click()
    page.get_by_role("button", name=text["record"]).click()
    expect(page.get_by_role("alert")).to_contain_text(text["problem"])
    assert_accessible(page, "decision form with errors")
    screenshot(page, f"decision-errors-{language}")

    page.get_by_label(text["meeting"]).fill("2026-11-18")
    page.get_by_label(text["paragraph"]).fill("§ 45")
    page.get_by_label(text["outcome"]).check()
    page.get_by_role("group", name=text["changed"]).get_by_label(text["yes"], exact=True).check()
    page.get_by_label(text["how"]).fill("Morgonsimmet för äldre behölls.")
    page.get_by_role("button", name=text["record"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["recorded"])
    expect(page.locator("#decision")).to_contain_text("§ 45")
    expect(page.get_by_text(text["decided"], exact=True).first).to_be_visible()
    assert_accessible(page, "decided assessment")
    screenshot(page, f"decision-recorded-{language}")

    page.get_by_role("link", name=text["correct"]).click()
    page.get_by_label(text["paragraph"]).fill("§ 46")
    page.get_by_label(text["why"]).fill("Fel paragraf i protokollet.")
    page.get_by_role("button", name=text["save"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["corrected"])
    expect(page.locator("#decision")).to_contain_text("§ 46")
    with app.app_context():
        decision = db.session.get(Assessment, assessment_id).committee_decision
        assert (decision.paragraph, decision.analysis_change) == ("§ 46", "Morgonsimmet för äldre behölls.")


@pytest.mark.parametrize("width", [390])
def test_the_decision_form_reflows_on_a_phone(app, page, make_user, width):
    with app.app_context():
        author = factories.create_user(department="FFF")
        assessment = factories.create_assessment("approved", author=author)
        db.session.commit()
        email, assessment_id = author.email, assessment.id
    page.set_viewport_size({"width": width, "height": 844})
    browser_login(page, email)
    page.goto(f"/assessments/{assessment_id}/decision")
    assert_reflows(page, "decision form on a phone")
    assert_accessible(page, "decision form on a phone")
