"""Where things are on the review page and on a returned assessment's task list, as a person sees them."""

from playwright.sync_api import expect

from impact.assessments.models import Assessment
from impact.audit import trail
from impact.core.db import db
from impact.review import operations
from impact.review.models import ReviewComment, Section
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "to_decision": "Gå till beslutet",
        "return": "Återsänd till författarna för ändringar",
        "comment": "Kommentar till beslutet",
        "send": "Skicka beslutet",
        "history": "Ändringshistorik",
        "change": "Ändra konsekvensanalysen",
        "comment_marker": "1 kommentar från granskaren",
        "negative": "Negativ",
        "not_relevant": "Ej relevant",
        "age": "Ålder",
        "gender": "Kön",
        "disability": "Funktionsnedsättning",
        "proposal": "Förslaget",
        "screening": "Förprövning",
    },
    "en": {
        "to_decision": "Go to the decision",
        "return": "Return to the authors for changes",
        "comment": "Comment on the decision",
        "send": "Send the decision",
        "history": "History of changes",
        "change": "Change the assessment",
        "comment_marker": "1 reviewer comment",
        "negative": "Negative",
        "not_relevant": "Not relevant",
        "age": "Age",
        "gender": "Gender",
        "disability": "Disability",
        "proposal": "The proposal",
        "screening": "Screening",
    },
}


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def test_comment_boxes_sit_after_their_parts_history_is_folded_decision_is_one_link_away(
    app, page, make_user, language
):
    text = TEXT[language]
    reviewer = make_user("reviewer")
    with app.app_context():
        assessment = factories.create_assessment(
            status="submitted",
            title="Ny busslinje till Hässleholmen",
            answers={"age": "negative", "gender": "neutral", "sexual_orientation": "not_relevant"},
        )
        for number in range(40):  # a long history, as real assessments have
            trail.record("assessment.update", assessment, changes={"title": {"before": "", "after": f"{number}"}})
        db.session.commit()
        assessment_id = assessment.id

    browser_login(page, reviewer, language=language)
    page.goto(f"/review/{assessment_id}")
    assert_accessible(page, "review page")
    screenshot(page, f"review-layout-{language}")

    # The comment box for a ground is inside that ground's section, after its answers, before the next ground.
    age = page.locator('section[aria-labelledby="ground-age"]')
    expect(age.locator('textarea[name="ground_age"]')).to_have_count(1)
    heading, box, next_ground = (
        _box(page, "#ground-age"),
        _box(page, 'textarea[name="ground_age"]'),
        _box(page, "#ground-sexual_orientation"),
    )
    assert heading["y"] < box["y"] < next_ground["y"]
    assert (
        _box(page, "#proposal")["y"]
        < _box(page, 'textarea[name="section_proposal"]')["y"]
        < _box(page, "#screening")["y"]
    )
    conclusion_box = _box(page, 'textarea[name="section_conclusion"]')
    assert _box(page, "#conclusion")["y"] < conclusion_box["y"]

    # The history is folded: closed by default, and the decision comes before it.
    history = page.locator("details#history")
    expect(history).not_to_have_attribute("open", "")
    expect(history.locator("table")).to_be_hidden()
    assert _box(page, "#decide")["y"] < _box(page, "details#history")["y"]

    # The decision is one link away from the top of the page.
    link = page.get_by_role("link", name=text["to_decision"])
    expect(link).to_be_in_viewport()
    link.click()
    expect(page.get_by_label(text["return"])).to_be_in_viewport()

    # The history opens on demand, without JavaScript's help (a native disclosure).
    history.locator("summary").click()
    expect(history.locator("table")).to_be_visible()
    assert_accessible(page, "review page, history open")

    # One form: the ground comment written beside the ground is sent with the decision.
    page.locator('textarea[name="ground_age"]').fill("Hur påverkas äldre utan bil?")
    page.get_by_label(text["return"]).check()
    page.get_by_label(text["comment"]).fill("Komplettera konsekvenserna för äldre.")
    page.get_by_role("button", name=text["send"]).click()
    expect(page.get_by_role("status").first).to_be_visible()
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "returned"
        bodies = {
            (comment.ground.key if comment.ground else comment.section.value): comment.body
            for comment in db.session.scalars(db.select(ReviewComment))
        }
    assert bodies == {"age": "Hur påverkas äldre utan bil?", "overall": "Komplettera konsekvenserna för äldre."}


def test_returned_task_list_marks_the_commented_parts_and_shows_each_impact(app, page, language):
    text = TEXT[language]
    with app.app_context():
        author = factories.create_user(roles=("case_officer",))
        reviewer = factories.create_user(roles=("reviewer",))
        assessment = factories.create_assessment(
            status="submitted",
            author=author,
            title="Ändrade öppettider på biblioteket",
            answers={"age": "negative", "gender": "not_relevant"},
        )
        age = next(answer.ground for answer in assessment.answers if answer.ground.key == "age")
        operations.return_for_changes(
            assessment,
            reviewer,
            "Se kommentarerna.",
            [(age, "Hur påverkas äldre?"), (Section.proposal, "Ange diarienumret.")],
        )
        db.session.commit()
        assessment_id, email = assessment.id, author.email

    browser_login(page, email, language=language)
    page.goto(f"/assessments/{assessment_id}")
    # One click: the returned assessment becomes a draft and its task list opens.
    page.get_by_role("button", name=text["change"]).click()
    expect(page).to_have_url(f"{page.url.split('/assessments/')[0]}/assessments/{assessment_id}/tasks")
    assert_accessible(page, "returned task list")
    screenshot(page, f"returned-task-list-{language}")

    def item(name: str):
        return page.locator(".task-list__item").filter(has=page.get_by_role("link", name=name, exact=True))

    # Commented parts carry a visible marker with text, read out with the link (not colour alone).
    expect(item(text["age"])).to_contain_text(text["comment_marker"])
    expect(item(text["proposal"])).to_contain_text(text["comment_marker"])
    expect(item(text["screening"])).not_to_contain_text(text["comment_marker"])
    expect(item(text["gender"])).not_to_contain_text(text["comment_marker"])
    age_link = page.get_by_role("link", name=text["age"], exact=True)
    described = age_link.get_attribute("aria-describedby").split()
    assert len(described) == 3  # the status, the impact and the comments
    # Each ground shows its impact, not only whether it is done.
    expect(item(text["age"])).to_contain_text(text["negative"])
    expect(item(text["gender"])).to_contain_text(text["not_relevant"])
    expect(item(text["disability"])).not_to_contain_text(text["negative"])
    # The reviewer's words are on the ground's page.
    age_link.click()
    expect(page.locator("main")).to_contain_text("Hur påverkas äldre?")
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "draft"
