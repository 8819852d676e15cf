"""A reviewer comments on the child-rights step on the review page and returns the assessment; the author finds the
comment on the task list and on the child-rights page, by visible labels, in both languages."""

from playwright.sync_api import expect

from impact.assessments.enums import MinorityAnswer
from impact.assessments.models import Involvement
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "contents": "Prövning av barnets bästa",
        "comment_box": "Kommentar om prövning av barnets bästa",
        "return": "Återsänd till författarna för ändringar",
        "decision_comment": "Kommentar till beslutet",
        "send": "Skicka beslutet",
        "returned": "Konsekvensanalysen är återsänd",
        "task": "Prövning av barnets bästa",
        "heading": "Prövning av barnets bästa",
        "comments": "Granskarens kommentarer",
        "one_comment": "1 kommentar från granskaren",
    },
    "en": {
        "contents": "The best interests of the child",
        "comment_box": "Comment on the best interests of the child",
        "return": "Return to the authors for changes",
        "decision_comment": "Comment on the decision",
        "send": "Send the decision",
        "returned": "The assessment is returned",
        "task": "Child-rights assessment",
        "heading": "The best interests of the child",
        "comments": "The reviewer's comments",
        "one_comment": "1 reviewer comment",
    },
}
COMMENT = "Beskriv hur barnen i Norrby får veta om beslutet, och hör elevrådet innan beslutet."


def test_a_reviewer_comments_on_the_child_rights_step_and_the_author_sees_it(app, page, make_user, language):
    text = TEXT[language]
    reviewer = make_user("reviewer")
    with app.app_context():
        author = factories.create_user(roles=("case_officer",))
        assessment = factories.create_assessment(
            "submitted",
            author=author,
            title="Nya öppettider i simhallarna",
            answers={"age": "neutral"},
            involvement=Involvement(required=True, minorities=[], national_minority=MinorityAnswer.no),
            child_rights=factories.full_child_rights(),
        )
        db.session.commit()
        assessment_id, author_email = assessment.id, author.email

    browser_login(page, reviewer, language=language)
    page.goto(f"/review/{assessment_id}")
    page.get_by_role("navigation").get_by_role("link", name=text["contents"]).click()
    expect(page.get_by_role("heading", name=text["heading"], level=2)).to_be_visible()
    page.get_by_label(text["comment_box"]).fill(COMMENT)
    page.get_by_label(text["return"]).check()
    page.get_by_label(text["decision_comment"]).fill("Se kommentaren om barnets bästa.")
    assert_accessible(page, "review page with a comment on the child-rights step")
    page.get_by_role("button", name=text["send"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["returned"])

    page.context.clear_cookies()
    browser_login(page, author_email, language=language)
    page.goto(f"/assessments/{assessment_id}/tasks")
    task = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=text["task"])).last
    expect(task).to_contain_text(text["one_comment"])
    task.get_by_role("link", name=text["task"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["heading"])
    comments = page.get_by_role("complementary", name=text["comments"])
    expect(comments).to_contain_text(COMMENT)
    assert_accessible(page, "child-rights page with the reviewer's comment")
    screenshot(page, f"child-rights-review-comment-{language}")
