"""A case officer fills in a whole assessment in a real browser, by the visible labels, checking every page."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_login, screenshot


def _label(page, text):
    return page.get_by_label(text, exact=True)


def _save_and_continue(page, language="sv"):
    page.get_by_role(
        "button", name="Spara och fortsätt" if language == "sv" else "Save and continue", exact=True
    ).click()
    page.wait_for_load_state()


def _fill_proposal(page, labels):
    _label(page, labels["title"]).fill("Nya öppettider i simhallarna")
    _label(page, labels["case"]).fill("2026-00123")
    _label(page, labels["date"]).fill("2026-12-15")
    _label(page, labels["description"]).fill("Kortare öppettider på helger.")
    _label(page, labels["purpose"]).fill("Minska kostnaderna.")
    _label(page, labels["concerns"]).fill("Barn, äldre och föreningar.")
    _label(page, labels["district"]).check()


SV = {
    "title": "Förslagets titel",
    "case": "Diarienummer",
    "date": "Planerat beslutsdatum",
    "description": "Beskriv förslaget",
    "purpose": "Förslagets syfte",
    "concerns": "Vilka förslaget berör",
    "district": "Norrby",
}


def test_case_officer_fills_in_and_submits_an_assessment_in_swedish(page, make_user, app):
    from impact.core.db import db
    from tests import factories

    with app.app_context():
        factories.ensure_district("Norrby")
        db.session.commit()
    browser_login(page, make_user("case_officer"))
    page.get_by_role("link", name="Ny konsekvensanalys").first.click()
    assert_accessible(page, "start")
    # A failed submit keeps what was typed and lists the problems.
    _label(page, SV["title"]).fill("Nya öppettider i simhallarna")
    _save_and_continue(page)
    expect(page.get_by_role("alert").filter(has_text="Det finns ett problem")).to_be_visible()
    assert _label(page, SV["title"]).input_value() == "Nya öppettider i simhallarna"
    assert_accessible(page, "start with errors")
    _fill_proposal(page, SV)
    _save_and_continue(page)

    page.get_by_role("heading", name="Förprövning").wait_for()
    assert_accessible(page, "screening")
    page.get_by_role("group", name="Påverkar förslaget människor, direkt eller indirekt?").get_by_label(
        "Ja", exact=True
    ).check()
    # Children are asked about only when people are affected; no children here, so no child-rights step.
    children = page.get_by_role("group", name="Berör förslaget barn (under 18 år), direkt eller indirekt?")
    children.get_by_label("Nej", exact=True).check()
    _save_and_continue(page)

    page.get_by_role("heading", name="Nya öppettider i simhallarna").wait_for()
    assert_accessible(page, "task list")
    screenshot(page, "assessment-task-list-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "assessment-task-list-360")
    assert_accessible(page, "task list at 360 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Who was heard: one consultation, and no national minority concerned.
    page.get_by_role("link", name="Vem som hördes, och nationella minoriteter").click()
    _label(page, "Gruppens eller organisationens namn (frivilligt om typen säger allt)").fill("Pensionärsrådet")
    _label(page, "Hur hördes de?").select_option(label="Dialogmöte")
    _label(page, "När").fill("2026-10-01")
    _label(page, "Vad sa de?").fill("Motionssim på förmiddagar behövs.")
    _label(page, "Vad ändrades i förslaget till följd av det?").fill("Seniorsim lades på förmiddagar.")
    page.get_by_role("group", name="Berör förslaget en nationell minoritet?").get_by_label("Nej", exact=True).check()
    _save_and_continue(page)
    page.get_by_role("heading", name="Nya öppettider i simhallarna").wait_for()

    page.get_by_role("link", name="Socioekonomisk status").click()
    first = True
    while page.get_by_role("radio", name="Ja, relevant").count():
        heading = page.get_by_role("heading", level=1).inner_text()
        if first:
            assert_accessible(page, "ground page")
        _label(page, "Ja, relevant").check()
        if first:
            # With JavaScript on, the part for a negative impact appears when it applies: where its actions are.
            expect(page.get_by_role("link", name="Gå till åtgärdsplanen")).to_be_hidden()
            _label(page, "Negativ").check()
            expect(page.get_by_role("link", name="Gå till åtgärdsplanen")).to_be_visible()
        else:
            _label(page, "Neutral").check()
        _label(page, "Vilka grupper påverkas, och hur?").fill(f"Grupper för {heading}.")
        _label(page, "Vad grundar sig bedömningen på?").fill("Besöksstatistik.")
        _label(page, "Medel").check()
        if first:
            screenshot(page, "assessment-ground-desktop")
            page.set_viewport_size({"width": 360, "height": 800})
            screenshot(page, "assessment-ground-360")
            assert_accessible(page, "ground page at 360 px")
            page.set_viewport_size({"width": 1280, "height": 900})
            first = False
        _save_and_continue(page)
    # After the last ground, "Save and continue" leads on to the action plan: one action for the negative ground.
    page.get_by_role("heading", name="Åtgärdsplan", exact=True).wait_for()
    assert_accessible(page, "action plan")
    _label(page, "Vad ska göras").fill("Gratis lovsim för barn i Norrby.")
    _label(page, "Eller en part utanför kommunen").fill("Borås Energi och Miljö")
    _label(page, "Senast när").fill("2027-06-30")
    page.get_by_role("group", name="Grunder som åtgärden gäller").get_by_label("Socioekonomisk status").check()
    _label(page, "Neutral efter åtgärderna").check()
    _save_and_continue(page)
    # Then the conclusion; the task list is one link back.
    page.get_by_role("heading", name="Slutsats", exact=True).wait_for()
    page.get_by_role("link", name="Tillbaka till uppgiftslistan").click()
    expect(page.get_by_text("Du har slutfört 9 av 9 grunder.")).to_be_visible()
    page.get_by_role("link", name="Slutsats och rekommendation").click()
    assert_accessible(page, "conclusion")
    expect(page.get_by_text("Grunder med negativ påverkan")).to_be_visible()
    _label(page, "Samlad bedömning").fill("Små effekter som åtgärdas.")
    # The alternatives considered: doing nothing is offered as the first row; another row is added.
    assert _label(page, "Alternativet").first.input_value() == "Göra ingenting: behålla det som det är"
    _label(page, "Hur skulle det påverka grunderna jämfört med förslaget?").first.fill("Ingen grund påverkas.")
    _label(page, "Varför valdes förslaget framför detta?").first.fill("Kostnaderna måste minska.")
    page.get_by_role("button", name="Lägg till ett alternativ till").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Sparat. En ny rad för ett alternativ har lagts till.")).to_be_visible()
    _label(page, "Alternativet").nth(1).fill("Stänga ett av baden helt.")
    _label(page, "Hur skulle det påverka grunderna jämfört med förslaget?").nth(1).fill("Norrby förlorar sitt bad.")
    _label(page, "Varför valdes förslaget framför detta?").nth(1).fill("Kortare tider sprider minskningen.")
    # Without an outcome the conclusion is not complete: the message stands by the question and in the summary.
    _save_and_continue(page)
    expect(page.get_by_role("alert").filter(has_text="Välj analysens resultat.")).to_be_visible()
    assert_accessible(page, "conclusion with errors")
    # Choosing to adjust the proposal reveals the question of what was adjusted.
    _label(page, "Justera förslaget").check()
    _label(page, "Vad justerades i förslaget?").fill("Seniorsim på förmiddagar lades till.")
    _label(page, "Rekommendation").fill("Besluta enligt förslaget.")
    _save_and_continue(page)

    page.get_by_role("heading", name="Kontrollera dina svar").wait_for()
    expect(page.get_by_text("Justera förslaget", exact=True)).to_be_visible()
    expect(page.get_by_text("Seniorsim på förmiddagar lades till.")).to_be_visible()
    expect(page.get_by_role("cell", name="Stänga ett av baden helt.")).to_be_visible()
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Skicka för granskning").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Konsekvensanalysen har skickats för granskning.")).to_be_visible()
    expect(page.get_by_role("img", name="Påverkansprofil över grunderna")).to_be_visible()
    assert_accessible(page, "assessment page")
    screenshot(page, "assessment-page-desktop")


def test_first_pages_in_english(page, make_user, app):
    from impact.core.db import db
    from tests import factories

    with app.app_context():
        factories.ensure_district("Norrby")
        db.session.commit()
    browser_login(page, make_user("case_officer"), language="en")
    page.get_by_role("link", name="New assessment").first.click()
    assert_accessible(page, "start (en)")
    labels = {
        "title": "Title of the proposal",
        "case": "Case number",
        "date": "Planned decision date",
        "description": "Describe the proposal",
        "purpose": "Purpose of the proposal",
        "concerns": "Who the proposal concerns",
        "district": "Norrby",
    }
    _fill_proposal(page, labels)
    _save_and_continue(page, "en")
    page.get_by_role("heading", name="Screening").wait_for()
    assert_accessible(page, "screening (en)")
    _label(page, "No, it clearly does not").check()
    _label(page, "Why does it not affect people?").fill("An internal routine only.")
    _save_and_continue(page, "en")
    page.get_by_role("heading", name="Check your answers").wait_for()
    assert_accessible(page, "check (en)")
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name="My assessments").click()
    expect(page.get_by_role("link", name="Nya öppettider i simhallarna")).to_be_visible()
    assert_accessible(page, "list (en)")
