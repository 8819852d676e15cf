"""A case officer says at the screening that the proposal concerns children, then assesses the child's best
interests with two rights of the Convention, one weakened with compensating measures, by visible labels, in both
languages, and sees it on the check-your-answers page."""

import sqlalchemy as sa
from playwright.sync_api import expect

from impact.assessments.child_rights import ChildRights
from impact.assessments.enums import MinorityAnswer
from impact.assessments.models import Involvement
from impact.auth.models import User
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "affects": "Påverkar förslaget människor, direkt eller indirekt?",
        "children_question": "Berör förslaget barn (under 18 år), direkt eller indirekt?",
        "yes": "Ja",
        "no": "Nej",
        "continue": "Spara och fortsätt",
        "task": "Prövning av barnets bästa",
        "heading": "Prövning av barnets bästa",
        "which": "Vilka barn berör förslaget?",
        "art3": "Artikel 3: Barnets bästa",
        "art31": "Artikel 31: Lek, vila och fritid",
        "show": "Spara och beskriv konsekvenserna",
        "effect": "Hur påverkar förslaget den här rättigheten?",
        "strengthened": "Stärks",
        "weakened": "Försvagas",
        "short": "På kort sikt",
        "long": "På lång sikt",
        "heard": "Har barn fått komma till tals?",
        "why_not": "Varför har inga barn fått komma till tals?",
        "knowledge": "Annan kunskap: statistik, forskning, erfarenhet",
        "conclusion": "Slutsats om barnets bästa",
        "against": "Varför genomförs förslaget trots att en rättighet försvagas?",
        "compensating": "Kompenserande åtgärder",
        "feedback": "Hur får barnen veta om beslutet?",
        "done": "Klar",
        "check": "Kontrollera dina svar och skicka för granskning",
        "check_heading": "Kontrollera dina svar",
        "table": "Konsekvenser för barnen",
    },
    "en": {
        "affects": "Does the proposal affect people, directly or indirectly?",
        "children_question": "Does the proposal concern children (under 18), directly or indirectly?",
        "yes": "Yes",
        "no": "No",
        "continue": "Save and continue",
        "task": "Child-rights assessment",
        "heading": "The best interests of the child",
        "which": "Which children does the proposal concern?",
        "art3": "Article 3: The best interests of the child",
        "art31": "Article 31: Play, rest and leisure",
        "show": "Save and describe the consequences",
        "effect": "What does the proposal do to this right?",
        "strengthened": "Strengthened",
        "weakened": "Weakened",
        "short": "In the short term",
        "long": "In the long term",
        "heard": "Were children heard?",
        "why_not": "Why were no children heard?",
        "knowledge": "Other knowledge: statistics, research, experience",
        "conclusion": "Conclusion on the child's best interests",
        "against": "Why go ahead although a right is weakened?",
        "compensating": "Compensating measures",
        "feedback": "How will the children be told about the decision?",
        "done": "Done",
        "check": "Check your answers and send for review",
        "check_heading": "Check your answers",
        "table": "Consequences for the children",
    },
}


def test_an_officer_assesses_the_childs_best_interests_and_sees_it_on_the_check_page(app, page, make_user, language):
    text = TEXT[language]
    email = make_user("case_officer")
    with app.app_context():
        author = db.session.scalar(sa.select(User).where(User.email == email))
        assessment = factories.create_assessment(
            author=author,
            title="Nya öppettider i simhallarna",
            answers={"age": "neutral"},
            affects_people=None,
            involvement=Involvement(required=True, minorities=[], national_minority=MinorityAnswer.no),
            child_rights=ChildRights(required=True),
        )
        db.session.commit()
        assessment_id = assessment.id

    browser_login(page, email, language=language)
    page.goto(f"/assessments/{assessment_id}/screening")
    page.get_by_role("group", name=text["affects"]).get_by_label(text["yes"], exact=True).check()
    page.get_by_role("group", name=text["children_question"]).get_by_label(text["yes"], exact=True).check()
    assert_accessible(page, "screening with the question on children")
    page.get_by_role("button", name=text["continue"]).click()

    page.get_by_role("link", name=text["task"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["heading"])
    assert_accessible(page, "child-rights page")
    page.get_by_label(text["which"]).fill("Barn 6–15 år som simmar, omkring 1 500.")
    page.get_by_label(text["art3"], exact=True).check()
    page.get_by_label(text["art31"], exact=True).check()
    page.get_by_role("button", name=text["show"]).click()

    best_interests = page.get_by_role("group", name=text["art3"])
    best_interests.get_by_role("group", name=text["effect"]).get_by_label(text["strengthened"]).check()
    best_interests.get_by_label(text["short"]).fill("Barnens behov styr tiderna.")
    play = page.get_by_role("group", name=text["art31"])
    play.get_by_role("group", name=text["effect"]).get_by_label(text["weakened"]).check()
    play.get_by_label(text["long"]).fill("Färre simtider på helger.")
    page.get_by_role("group", name=text["heard"]).get_by_label(text["no"], exact=True).check()
    page.get_by_label(text["why_not"]).fill("Beslutet är brådskande; elevråden hörs vid uppföljningen.")
    page.get_by_label(text["knowledge"]).fill("Besöksstatistik 2025.")
    page.get_by_label(text["conclusion"]).fill("Lovsim behålls för barnen.")
    page.get_by_label(text["against"]).fill("Budgetramen kräver kortare öppettider.")
    page.get_by_label(text["compensating"]).fill("Gratis lovsim i Norrby.")
    page.get_by_label(text["feedback"]).fill("Via skolorna.")
    assert_accessible(page, "child-rights page filled in")
    screenshot(page, f"child-rights-{language}")
    page.get_by_role("button", name=text["continue"]).click()

    task = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=text["task"])).last
    expect(task).to_contain_text(text["done"])
    page.get_by_role("link", name=text["check"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["check_heading"])
    consequences = page.get_by_role("table", name=text["table"])
    expect(consequences).to_contain_text(text["art31"])
    expect(consequences).to_contain_text(text["weakened"])
    expect(page.locator("main")).to_contain_text("Gratis lovsim i Norrby.")
    assert_accessible(page, "check your answers with the child-rights assessment")
