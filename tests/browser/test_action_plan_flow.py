"""A case officer plans one action for two negative grounds, owned by a person of another department, gives the
impact that remains on each, records the actual impact at follow-up, and sees on the dashboard that the prediction
held; by visible labels, in both languages, on a desktop."""

from datetime import date, timedelta

from playwright.sync_api import expect

from impact.assessments.enums import AssessmentStatus, Impact
from impact.assessments.models import Assessment
from impact.core.db import db, utcnow
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "plan": "Åtgärdsplan",
        "what": "Vad ska göras",
        "who": "Vem är ansvarig",
        "by_when": "Senast när",
        "cost": "Kostnad eller resurser (frivilligt)",
        "grounds": "Grunder som åtgärden gäller",
        "age": "Ålder",
        "gender": "Kön",
        "remaining": "Påverkan som kvarstår efter åtgärderna: {ground}",
        "neutral_after": "Neutral efter åtgärderna",
        "negative_after": "Negativ efter åtgärderna",
        "continue": "Spara och fortsätt",
        "shown": "Negativ → neutral efter åtgärder",
        "actual": "Faktisk påverkan",
        "neutral": "Neutral",
        "comment": "Kommentar om den faktiska påverkan (frivilligt)",
        "save": "Spara uppföljningen",
        "saved": "Uppföljningen är sparad.",
        "as_predicted": "Neutral, som förutsett",
        "held": "Förutsägelser som höll: 1 av 2 grunder med registrerad faktisk påverkan",
    },
    "en": {
        "plan": "Action plan",
        "what": "What will be done",
        "who": "Who is responsible",
        "by_when": "By when",
        "cost": "Cost or resources (optional)",
        "grounds": "Grounds the action addresses",
        "age": "Age",
        "gender": "Gender",
        "remaining": "Impact that remains after the actions: {ground}",
        "neutral_after": "Neutral after the actions",
        "negative_after": "Negative after the actions",
        "continue": "Save and continue",
        "shown": "Negative → neutral after actions",
        "actual": "Actual impact",
        "neutral": "Neutral",
        "comment": "Comment on the actual impact (optional)",
        "save": "Save the follow-up",
        "saved": "The follow-up is saved.",
        "as_predicted": "Neutral, as predicted",
        "held": "Predictions that held: 1 of 2 grounds with an actual impact recorded",
    },
}


def test_an_officer_plans_one_action_for_two_grounds_and_follows_it_up(app, page, make_user, language):
    text = TEXT[language]
    email = make_user("case_officer")
    with app.app_context():
        author = db.session.scalar(db.select(factories.User).where(factories.User.email == email))
        # The owner works in another department: the technical department runs the buses.
        owner = factories.create_user(roles=("case_officer",), department="TKF", name="Tove Teknik")
        answer = {"impact": "negative", "confidence": "medium"}
        assessment = factories.create_assessment(
            author=author, title="Nya öppettider i simhallen", answers={"age": answer, "gender": dict(answer)}
        )
        db.session.commit()
        assessment_id, owner_id = assessment.id, owner.id

    browser_login(page, email, language=language)
    page.goto(f"/assessments/{assessment_id}/tasks")
    page.get_by_role("link", name=text["plan"], exact=True).click()
    expect(page.get_by_role("heading", name=text["plan"], level=1)).to_be_visible()
    page.get_by_label(text["what"]).fill("Seniorsim och tjejsim på förmiddagar, med anpassad busslinje.")
    page.get_by_label(text["who"], exact=True).select_option(str(owner_id))
    page.get_by_label(text["by_when"]).fill((date.today() + timedelta(days=90)).isoformat())
    page.get_by_label(text["cost"]).fill("120 000 kronor per år")
    grounds = page.get_by_role("group", name=text["grounds"])
    grounds.get_by_label(text["age"], exact=True).check()
    grounds.get_by_label(text["gender"], exact=True).check()
    page.get_by_role("group", name=text["remaining"].format(ground=text["age"])).get_by_label(
        text["neutral_after"], exact=True
    ).check()
    page.get_by_role("group", name=text["remaining"].format(ground=text["gender"])).get_by_label(
        text["negative_after"], exact=True
    ).check()
    assert_accessible(page, "the action plan")
    screenshot(page, f"action-plan-{language}")
    page.get_by_role("button", name=text["continue"]).click()
    page.wait_for_load_state()
    page.goto(f"/assessments/{assessment_id}")
    expect(page.get_by_text(text["shown"]).first).to_be_visible()
    row = page.locator("tr[id^='action-']").filter(has_text="Seniorsim och tjejsim")
    expect(row).to_contain_text("Tove Teknik")
    expect(row).to_contain_text(text["age"])
    expect(row).to_contain_text(text["gender"])
    expect(row).to_contain_text("120 000 kronor per år")

    # The reviewer approves it (outside this test's concern); then the authors follow it up.
    with app.app_context():
        reviewer = factories.create_user(roles=("reviewer",))
        approved = db.session.get(Assessment, assessment_id)
        remaining = {answer.ground.key: answer.remaining_impact for answer in approved.answers}
        assert remaining == {"age": Impact.neutral, "gender": Impact.negative}
        assert len(approved.actions) == 1 and len(approved.actions[0].answers) == 2
        assert approved.actions[0].owner_id == owner_id
        approved.status, approved.submitted_at, approved.decided_at = AssessmentStatus.approved, utcnow(), utcnow()
        approved.decided_by = reviewer
        db.session.commit()
    page.goto(f"/review/{assessment_id}/follow-up")
    for ground in (text["age"], text["gender"]):
        section = page.locator("section.ground-answer", has=page.get_by_role("heading", name=ground, exact=True))
        section.get_by_role("group", name=text["actual"]).get_by_label(text["neutral"], exact=True).check()
    page.get_by_label(text["comment"]).first.fill("Seniorsimmet fyllde luckan.")
    assert_accessible(page, "follow-up with the actual impact")
    page.get_by_role("button", name=text["save"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["saved"])
    screenshot(page, f"actual-impact-{language}")
    page.goto(f"/assessments/{assessment_id}")
    expect(page.get_by_text(text["as_predicted"]).first).to_be_visible()

    # Age was predicted neutral and was; gender was predicted to stay negative but became neutral.
    page.goto("/reports/")
    expect(page.get_by_text(text["held"])).to_be_visible()
    assert_accessible(page, "dashboard with the predictions that held")
