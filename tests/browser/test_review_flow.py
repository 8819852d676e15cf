"""A reviewer approves one assessment and returns another through the UI, by visible labels, in both languages."""

from impact.assessments.models import Assessment
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "queue": "Att granska",
        "review": "Granska",
        "approve": "Godkänn",
        "return": "Återsänd till författarna för ändringar",
        "send": "Skicka beslutet",
        "comment": "Kommentar till beslutet",
        "approved": "Konsekvensanalysen är godkänd.",
        "returned": "Konsekvensanalysen är återsänd",
        "problem": "Det finns ett problem",
        "notifications": "Aviseringar",
    },
    "en": {
        "queue": "To review",
        "review": "Review",
        "approve": "Approve",
        "return": "Return to the authors for changes",
        "send": "Send the decision",
        "comment": "Comment on the decision",
        "approved": "The assessment is approved.",
        "returned": "The assessment is returned",
        "problem": "There is a problem",
        "notifications": "Notifications",
    },
}

NEEDS = "som saknar bil och är beroende av kollektivtrafik för att nå vårdcentralen."


def test_reviewer_approves_and_returns_through_the_ui(app, page, make_user, language):
    text = TEXT[language]
    reviewer = make_user("reviewer")
    with app.app_context():
        first = factories.create_assessment(
            status="submitted", title="Nya öppettider i simhallen", answers={"age": "negative"}
        )
        second = factories.create_assessment(status="submitted", title="Ändrade busslinjer i Norrby")
        db.session.commit()
        ids = first.id, second.id

    browser_login(page, reviewer, language=language)
    page.get_by_role("link", name=text["queue"]).first.click()
    assert_accessible(page, "review queue")
    screenshot(page, f"review-queue-{language}")

    page.get_by_role("link", name="Nya öppettider i simhallen").click()
    assert_accessible(page, "review page")
    screenshot(page, f"review-page-{language}")
    page.get_by_label(text["approve"], exact=True).check()
    page.get_by_role("button", name=text["send"]).click()
    assert text["approved"] in page.get_by_role("status").first.inner_text()
    assert_accessible(page, "after approve")

    page.get_by_role("link", name="Ändrade busslinjer i Norrby").click()
    page.get_by_label(text["return"]).check()
    page.get_by_role("button", name=text["send"]).click()
    summary = page.get_by_role("alert")
    assert text["problem"] in summary.inner_text()
    assert_accessible(page, "return without comment")
    screenshot(page, f"review-return-error-{language}")
    assert page.get_by_label(text["return"]).is_checked()
    page.get_by_label(text["comment"]).fill("Beskriv hur äldre utan bil påverkas.")
    page.get_by_role("button", name=text["send"]).click()
    assert text["returned"] in page.get_by_role("status").first.inner_text()

    with app.app_context():
        assert db.session.get(Assessment, ids[0]).status.value == "approved"
        assert db.session.get(Assessment, ids[1]).status.value == "returned"


def test_author_is_told_and_reads_the_notification(app, page, make_user, language):
    text = TEXT[language]
    with app.app_context():
        author = factories.create_user(roles=("case_officer",))
        assessment = factories.create_assessment(status="submitted", author=author, title="Ny lekplats")
        reviewer = factories.create_user(roles=("reviewer",))
        from impact.review import operations

        operations.return_for_changes(assessment, reviewer, "Komplettera underlaget.")
        db.session.commit()
        email = author.email
    browser_login(page, email, language=language)
    page.get_by_role("link", name=text["notifications"]).first.click()
    assert "Ny lekplats" in page.locator("main").inner_text()
    assert_accessible(page, "notifications")


def test_versions_follow_up_and_audit_pages_are_accessible(app, page, language):
    from datetime import date, timedelta

    from impact.review import operations

    with app.app_context():
        author = factories.create_user(roles=("case_officer", "auditor"))
        original = factories.create_assessment(
            status="approved",
            author=author,
            follow_up_date=date.today() - timedelta(days=5),
            answers={
                "age": {
                    "impact": "negative",
                    "affected_groups": f"Äldre personer i Norrby {NEEDS}",
                    "mitigations": [
                        {"description": "Anropsstyrd trafik", "due_date": date.today() - timedelta(days=2)}
                    ],
                }
            },
        )
        copy = operations.amend(original, author)
        copy.answers[0].affected_groups = f"Äldre personer i Norrby och Hässleholmen {NEEDS}"
        db.session.commit()
        ids = original.id, copy.id, original.answers[0].mitigations[0].id
        email = author.email
    browser_login(page, email, language=language)
    page.goto(f"/review/{ids[1]}/compare")
    page.get_by_role("button", name="Visa skillnaderna" if language == "sv" else "Show the differences").click()
    assert page.locator("ins").first.inner_text().endswith("och Hässleholmen")
    assert_accessible(page, "compare")
    screenshot(page, f"review-compare-{language}")
    page.goto(f"/review/{ids[0]}/follow-up")
    assert_accessible(page, "follow-up")
    page.get_by_role(
        "link", name="Ändra Anropsstyrd trafik" if language == "sv" else "Change Anropsstyrd trafik"
    ).click()
    page.get_by_label("Status").select_option(label="Pågår" if language == "sv" else "In progress")
    page.get_by_role("button", name="Spara" if language == "sv" else "Save").click()
    assert_accessible(page, "follow-up after save")
    page.get_by_role("link", name="Försenad uppföljning" if language == "sv" else "Overdue follow-up").first.click()
    assert "Anropsstyrd trafik" in page.locator("main").inner_text()
    assert_accessible(page, "overdue")
    page.get_by_role("link", name="Händelselogg" if language == "sv" else "Audit trail").first.click()
    assert_accessible(page, "audit trail")
    screenshot(page, f"audit-trail-{language}")
