"""The evidence and the cumulative picture, end to end in both languages: an admin imports the example key figures
and shows one on the geographic ground; a case officer sees it for the places the proposal touches, in a table and
a chart, copies a figure into the evidence, marks the ground negative for an area and is told of the earlier
approved assessments that were also negative there, then opens a similar assessment from the proposal page."""

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
        "import": "Importera",
        "indicator": "Invånare med ekonomiskt bistånd (exempel)",
        "ground": "Geografisk hemvist",
        "save": "Spara",
        "threshold": "Visa värden som bygger på färre individer än (valfritt) som ”färre än”",
        "threshold_error": "Ange ett heltal som är 1 eller större, eller lämna fältet tomt",
        "relevant": "Ja, relevant",
        "chart": re.compile(r"^Invånare med ekonomiskt bistånd \(exempel\) 2025: områdena jämförda med kommunen"),
        "copy": re.compile(r"^Kopiera till underlaget\s*: Norrby, 2025$"),
        "copied": "Invånare med ekonomiskt bistånd (exempel) Norrby 2025: 10,7 %",
        "negative": "Negativ",
        "area": "Hässleholmen (Norrby)",
        "notice": "Samlade effekter: tidigare negativ påverkan på geografisk hemvist",
        "count": "2 godkända konsekvensanalyser under de senaste 12 månaderna var också negativa för geografisk "
        "hemvist i Hässleholmen (Norrby):",
        "in_district": "var också negativa för geografisk hemvist i Norrby:",
        "later": "Spara och gör klart senare",
        "similar": "Liknande konsekvensanalyser",
    },
    "en": {
        "file": "Key figures (CSV)",
        "import": "Import",
        "indicator": "Residents receiving economic assistance (example)",
        "ground": "Geographic residence (district)",
        "save": "Save",
        "threshold": "Show figures resting on fewer individuals than (optional)",
        "threshold_error": "Enter a whole number of 1 or more, or leave the field empty",
        "relevant": "Yes, relevant",
        "chart": re.compile(
            r"^Residents receiving economic assistance \(example\) 2025: the places compared with the municipality"
        ),
        "copy": re.compile(r"^Copy into the evidence\s*: Norrby, 2025$"),
        "copied": "Residents receiving economic assistance (example) Norrby 2025: 10.7 %",
        "negative": "Negative",
        "area": "Hässleholmen (Norrby)",
        "notice": "Combined effects: earlier negative impacts on geographic residence (district)",
        "count": "2 approved assessments of the last 12 months were also negative for geographic residence "
        "(district) in Hässleholmen (Norrby):",
        "in_district": "were also negative for geographic residence (district) in Norrby:",
        "later": "Save and come back later",
        "similar": "Similar assessments",
    },
}
CLOSED = "Förskolan Solgläntan i Hässleholmen stängs"
MOVED = "Vårdcentralen i Hässleholmen flyttar"


def _setup() -> tuple[str, int]:
    """A case officer's draft about a pre-school in Norrby, and two approved assessments of the last months, negative
    for the geographic ground in Hässleholmen, an area of Norrby (one of them also about a pre-school); the officer's
    email and the draft's id."""
    areas = ensure_areas(ensure_districts())
    hassleholmen = areas["OMR-HASSLEHOLMEN"]
    officer = factories.create_user(roles=("case_officer",), department="FFF")
    for title in (CLOSED, MOVED):
        earlier = factories.create_assessment(
            "approved", title=title, districts=("Norrby",), answers={"geographic_residence": "negative"}
        )
        earlier.areas = [hassleholmen]
    draft = factories.create_assessment(
        "draft",
        author=officer,
        title="Ny förskola i Hässleholmen",
        description="En ny förskola med sex avdelningar ersätter två mindre.",
        districts=("Norrby",),
    )
    db.session.commit()
    return officer.email, draft.id


def test_key_figures_into_the_evidence_the_combined_effects_and_a_similar_assessment(app, page, make_user, language):
    text = TEXT[language]
    with app.app_context():
        officer_email, draft_id = _setup()

    # The admin imports the example file and shows economic assistance on the geographic ground; a threshold that
    # is not a whole number is refused by its field.
    browser_login(page, make_user("admin"), language=language)
    page.goto("/admin/indicators/import")
    page.get_by_label(text["file"]).set_input_files(str(EXAMPLE_FILE))
    page.get_by_role("button", name=text["import"], exact=True).click()
    page.get_by_role("link", name=text["indicator"]).click()
    page.get_by_label(text["ground"]).check()
    page.get_by_label(text["threshold"]).fill("2,5")
    page.get_by_role("button", name=text["save"], exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(text["threshold_error"])
    expect(page.get_by_label(text["threshold"])).to_have_value("2,5")
    assert_accessible(page, "indicator with a wrong threshold")
    page.get_by_label(text["threshold"]).fill("")
    page.get_by_role("button", name=text["save"], exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(text["indicator"])

    # The officer sees the figures for the proposal's places, as a table and a chart, and copies one.
    page.context.clear_cookies()
    browser_login(page, officer_email, language=language)
    page.goto(f"/assessments/{draft_id}/grounds/geographic_residence")
    page.get_by_label(text["relevant"]).check()
    expect(page.get_by_role("table", name=text["indicator"])).to_be_visible()
    chart = page.get_by_role("img", name=text["chart"])  # Norrby beside the municipality
    expect(chart).to_be_visible()
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the chart fits, its text still 12 px or more
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] / 360 * 13 >= 12
    page.set_viewport_size(desktop)
    assert_accessible(page, "ground with key figures and their chart")
    evidence = page.get_by_role("textbox", name=re.compile("^(Vad grundar sig bedömningen på|What is the assessment)"))
    evidence.fill("Dialog med boende.")
    page.get_by_role("button", name=text["copy"]).click()
    expect(evidence).to_have_value(re.compile("^Dialog med boende.\n" + re.escape(text["copied"])))

    # Negative: the earlier negative assessments in Norrby are listed at once; ticking Hässleholmen as the area
    # affected differently lists those there too, before anything is saved.
    page.get_by_label(text["negative"], exact=True).check()
    expect(page.get_by_role("heading", name=text["notice"])).to_be_visible()
    expect(page.get_by_text(text["in_district"])).to_be_visible()
    in_the_area = page.get_by_text(text["count"])
    expect(in_the_area).to_be_hidden()
    page.get_by_label(text["area"], exact=True).check()
    expect(in_the_area).to_be_visible()
    listed = in_the_area.locator("xpath=following-sibling::ul[1]")  # the list under "... in Hässleholmen:"
    expect(listed.get_by_role("link", name=re.compile(CLOSED))).to_be_visible()
    expect(listed.get_by_role("link", name=re.compile(MOVED))).to_be_visible()
    assert_accessible(page, "ground marked negative with the combined effects")
    page.get_by_role("button", name=text["later"]).click()

    # The proposal page lists the earlier pre-school assessment as similar; the officer opens it.
    page.goto(f"/assessments/{draft_id}/proposal")
    similar = page.get_by_role("region", name=text["similar"])
    expect(similar.get_by_role("link", name=CLOSED)).to_be_visible()
    assert_accessible(page, "proposal with similar assessments")
    similar.get_by_role("link", name=CLOSED).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CLOSED)
    assert_accessible(page, "a similar assessment")
