"""An auditor opens the dashboard, the district view and the profile in Swedish and English; axe-checked."""

import pytest
from playwright.sync_api import expect

from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

HEADINGS = {
    "sv": {
        "dashboard": "Översikt",
        "districts": "Kommundelar",
        "profile": "Profil",
        "filter": "Visa siffror",
        "voices": "Samråd och dialoger per typ av grupp",
        "youth": "Ungdomsrådet",
        "district_voices": "Samråd och dialoger per kommundel och typ av grupp, i de godkända analyserna",
    },
    "en": {
        "dashboard": "Dashboard",
        "districts": "Districts",
        "profile": "Profile",
        "filter": "Show figures",
        "voices": "Consultations per kind of group",
        "youth": "The youth council",
        "district_voices": "Consultations per district and kind of group, in the approved assessments",
    },
}


def seed(app) -> None:
    from impact.assessments.enums import ConsultationMethod
    from impact.assessments.models import Consultation

    with app.app_context():
        factories.seed_report_data()
        # The voices figures with rows: children concerned and heard, the youth council and a named group consulted.
        factories.create_assessment(
            "approved",
            department="GSF",
            child_rights=factories.full_child_rights(),
            consultations=[
                Consultation(group_kind=factories.ensure_group_kind(), method=ConsultationMethod.meeting),
                Consultation(group_name="Föräldrar i Norrby", method=ConsultationMethod.survey),
            ],
        )
        db.session.commit()


def check_both_sizes(page, name: str) -> None:
    assert_accessible(page, name)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    # Wide tables scroll inside their own box; the page itself never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, f"{name} (phone)")
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_auditor_reads_the_dashboard_and_districts(app, page, make_user, language):
    seed(app)
    words = HEADINGS[language]
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True), language=language)
    page.get_by_role("navigation").get_by_role("link", name=words["dashboard"], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["dashboard"]
    assert page.get_by_role("img").count() >= 3  # the three charts, each with a title and description
    expect(page.get_by_role("table", name=words["voices"])).to_contain_text(words["youth"])
    check_both_sizes(page, f"reports-dashboard-{language}")

    # Filter by ground as a person would (the filters are folded), then follow a figure to the list behind it.
    page.get_by_text("Filter" if language == "sv" else "Filters", exact=True).click()
    page.get_by_label("Grund" if language == "sv" else "Ground", exact=True).select_option("gender")
    page.get_by_role("button", name=words["filter"]).click()
    assert "ground=gender" in page.url
    total = page.locator(".key-figure dd a").first
    number = total.inner_text()
    total.click()
    assert number in page.locator("caption").first.inner_text()

    page.get_by_role("navigation").get_by_role("link", name=words["districts"], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["districts"]
    # Counts of assessments (public records, not people) are shown as they are, each a link.
    expect(page.get_by_text("< 5")).to_have_count(0)
    expect(page.get_by_role("table", name=words["district_voices"])).to_contain_text("Norrby")
    check_both_sizes(page, f"reports-districts-{language}")


def test_profile_creates_and_revokes_a_token(page, make_user):
    browser_login(page, make_user("auditor"))
    page.get_by_role("navigation").get_by_role("link", name="Profil", exact=True).click()
    page.get_by_label("Vad ska nyckeln användas till?").fill("Statistik")
    page.get_by_role("button", name="Skapa nyckel").click()
    assert page.locator("#new-token").inner_text().startswith("imp_")
    assert_accessible(page, "profile with new token")
    page.get_by_role("button", name="Återkalla Statistik").click()
    expect(page.get_by_text("är återkallad")).to_be_visible()
    assert_accessible(page, "profile after revoking")
    screenshot(page, "profile-sv-desktop")


def _scrolling_sideways(page) -> list[str]:
    """The labels of the page's tables that scroll sideways, and "page" if the page itself does."""
    return page.evaluate(
        """() => [...document.querySelectorAll("main .table-wrap")]
          .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute("aria-label"))
          .concat(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ["page"] : [])"""
    )


def test_chart_labels_fit_inside_their_charts_and_the_tables_fit_a_desktop(page, make_user, demo_data):
    """With Borås's demo data (every department, long names): no label of a chart is cut at its edge (long ground
    names, the trend legend), and no table, the heat table included, scrolls sideways at 1280 px."""
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True))
    page.goto("/reports/")
    clipped = page.evaluate(
        """() => Array.from(document.querySelectorAll("svg.chart")).flatMap((svg) => {
          const box = svg.getBoundingClientRect();
          return Array.from(svg.querySelectorAll("text")).filter((text) => {
            const r = text.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
          }).map((text) => text.textContent);
        })"""
    )
    assert clipped == []
    assert "…" not in page.locator("svg.chart").first.inner_html()  # Swedish ground names are written in full
    assert _scrolling_sideways(page) == [], "tables scroll sideways at 1280 px"
    # Each count is preceded by a word, not a bare "0" that reads as part of the number, and the legend is above.
    cell = page.locator("table.table--heat tbody td").first
    assert [sign.strip() for sign in cell.locator(".heat__sign").all_inner_texts()] == ["neg.", "neutr.", "pos."]
    expect(page.locator(".heat-legend")).to_contain_text("neutr. neutral")


@pytest.mark.parametrize("path", ["/reports/cumulative", "/reports/committees", "/reports/quality"])
def test_the_reports_with_a_column_per_ground_or_figure_fit_a_desktop(page, make_user, demo_data, path):
    """Their tables are wider than the text column: at 1280 px they take room beside it and show every column; on
    a narrower window they keep to the text column and scroll inside their own box, never the page."""
    browser_login(page, make_user("auditor", department="KS", municipality_wide=True))
    page.goto(path)
    wide, heading = page.locator("main .table-wrap--wide").first, page.locator("main h1")
    assert _scrolling_sideways(page) == []
    assert 0 <= wide.bounding_box()["x"] < heading.bounding_box()["x"]  # wider than the text column, on screen
    page.set_viewport_size({"width": 1024, "height": 800})
    assert "page" not in _scrolling_sideways(page)
    assert wide.bounding_box()["x"] == heading.bounding_box()["x"]
