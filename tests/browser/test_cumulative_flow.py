"""An auditor opens the cumulative view from the menu, narrows it to one ground, and follows a district's figure to
the assessments behind it — in Swedish and English, axe-checked, on a desktop and a phone."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from impact.core.db import db
from impact.core.timefmt import local_today
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "menu": "Samlad påverkan",
        "filters": "Filter",
        "ground": "Grund",
        "gender": "Kön",
        "show": "Visa siffror",
        "table": "Konsekvensanalyser med negativ påverkan per kommundel och grund, godkända {year}",
        "list": "2 konsekvensanalyser",
    },
    "en": {
        "menu": "Cumulative impact",
        "filters": "Filters",
        "ground": "Ground",
        "gender": "Gender",
        "show": "Show figures",
        "table": "Assessments with a negative impact per district and ground, approved in {year}",
        "list": "2 assessments",
    },
}


def seed(app) -> None:
    """Two approved assessments negative on gender in Norrby this year: one names the district, one only an area
    within it."""
    with app.app_context():
        decided = datetime(local_today().year, 1, 10, 12, 0, tzinfo=UTC)
        area = factories.ensure_area("OMR-HASSLE", "Hässleholmen", "Norrby")
        for number, places in enumerate(({"districts": ("Norrby",)}, {"districts": (), "areas": [area]})):
            assessment = factories.create_assessment(
                "approved",
                title=f"Ändrade öppettider {number}",
                answers={"gender": "negative", "age": "neutral"},
                **places,
            )
            assessment.decided_at = decided
        db.session.commit()


def test_auditor_follows_a_cumulative_figure_to_its_assessments(app, page, make_user, language):
    seed(app)
    words = TEXT[language]
    year = local_today().year
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True), language=language)
    page.get_by_role("navigation").get_by_role("link", name=words["menu"], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["menu"]
    assert_accessible(page, f"cumulative-{language}")

    page.get_by_text(words["filters"], exact=True).click()  # the filters are folded, the figures first
    page.get_by_label(words["ground"], exact=True).select_option("gender")
    page.get_by_role("button", name=words["show"]).click()
    assert "ground=gender" in page.url
    table = page.get_by_role("table", name=words["table"].format(year=year))
    norrby = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Norrby", exact=True))
    expect(norrby.get_by_role("cell").first).to_have_text("2")
    screenshot(page, f"cumulative-{language}-desktop")

    # On a phone the table scrolls in its own labelled region; the page itself does not scroll sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.get_by_role("region", name=words["table"].format(year=year))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, f"cumulative-{language} (phone)")
    screenshot(page, f"cumulative-{language}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    norrby.get_by_role("link", name="2").first.click()
    expect(page.locator("caption").first).to_contain_text(words["list"])
    expect(page.get_by_role("link", name="Ändrade öppettider 0")).to_be_visible()
    expect(page.get_by_role("link", name="Ändrade öppettider 1")).to_be_visible()
    assert_accessible(page, f"cumulative-list-{language}")
