"""A case officer records who was heard about a proposal — two consultations — and that it concerns the Sweden
Finns, who were consulted, by visible labels, in both languages, and sees it all on the check-your-answers page."""

import sqlalchemy as sa
from playwright.sync_api import expect

from impact.assessments.models import Involvement
from impact.auth.models import User
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "task": "Vem som hördes, och nationella minoriteter",
        "heading": "Delaktighet och dialog",
        "row": "Dialog %d",
        "kind": "Vem som hördes",
        "youth": "Ungdomsrådet",
        "name": "Gruppens eller organisationens namn (frivilligt om typen säger allt)",
        "how": "Hur hördes de?",
        "walk": "Trygghetsvandring",
        "focus": "Fokusgrupp",
        "when": "När",
        "many": "Ungefär hur många deltog (frivilligt)",
        "said": "Vad sa de?",
        "changed": "Vad ändrades i förslaget till följd av det?",
        "add": "Lägg till en dialog till",
        "added": "En ny rad för en dialog har lagts till.",
        "minority": "Berör förslaget en nationell minoritet?",
        "yes": "Ja",
        "finns": "Sverigefinnar",
        "consulted": "Har minoriteten fått samråd?",
        "continue": "Spara och fortsätt",
        "check": "Kontrollera dina svar och skicka för granskning",
        "check_heading": "Kontrollera dina svar",
        "done": "Klar",
        "table": "Samråd och dialoger",
    },
    "en": {
        "task": "Who was heard, and national minorities",
        "heading": "Involvement and dialogue",
        "row": "Consultation %d",
        "kind": "Who was heard",
        "youth": "The youth council",
        "name": "Name the group or organisation (optional if the kind says it all)",
        "how": "How were they heard?",
        "walk": "Walk-through",
        "focus": "Focus group",
        "when": "When",
        "many": "About how many took part (optional)",
        "said": "What did they say?",
        "changed": "What changed in the proposal because of it?",
        "add": "Add another consultation",
        "added": "A new row for a consultation has been added.",
        "minority": "Does the proposal concern a national minority?",
        "yes": "Yes",
        "finns": "Sweden Finns",
        "consulted": "Was the minority consulted (samråd)?",
        "continue": "Save and continue",
        "check": "Check your answers and send for review",
        "check_heading": "Check your answers",
        "done": "Done",
        "table": "Consultations",
    },
}


def _fill_row(page, text, number: int, how: str, when: str, said: str, changed: str, **fields) -> None:
    row = page.get_by_role("group", name=text["row"] % number)
    if "kind" in fields:
        row.get_by_label(text["kind"]).select_option(label=fields["kind"])
    if "name" in fields:
        row.get_by_label(text["name"]).fill(fields["name"])
    row.get_by_label(text["how"]).select_option(label=how)
    row.get_by_label(text["when"]).fill(when)
    if "many" in fields:
        row.get_by_label(text["many"]).fill(fields["many"])
    row.get_by_label(text["said"]).fill(said)
    row.get_by_label(text["changed"]).fill(changed)


def test_an_officer_records_two_consultations_and_sees_them_on_the_check_page(app, page, make_user, language):
    text = TEXT[language]
    email = make_user("case_officer")
    with app.app_context():
        factories.ensure_group_kind("Ungdomsrådet", "The youth council")
        author = db.session.scalar(sa.select(User).where(User.email == email))
        assessment = factories.create_assessment(
            author=author,
            title="Ny fritidsgård i Sjöbo",
            answers={"age": "neutral"},
            involvement=Involvement(required=True, minorities=[]),
        )
        db.session.commit()
        assessment_id = assessment.id

    browser_login(page, email, language=language)
    page.goto(f"/assessments/{assessment_id}/tasks")
    page.get_by_role("link", name=text["task"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["heading"])
    assert_accessible(page, "involvement page")

    _fill_row(
        page,
        text,
        1,
        kind=text["youth"],
        how=text["walk"],
        when="2026-10-15",
        many="9",
        said="Gångvägen till gården är mörk.",
        changed="Belysningen förlängs.",
    )
    page.get_by_role("button", name=text["add"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["added"])
    _fill_row(
        page,
        text,
        2,
        name="Sverigefinska föreningen i Borås",
        how=text["focus"],
        when="2026-10-20",
        said="Vill ha information på finska.",
        changed="Informationen översätts till finska.",
    )
    page.get_by_role("group", name=text["minority"]).get_by_label(text["yes"], exact=True).check()
    page.get_by_label(text["finns"]).check()
    page.get_by_role("group", name=text["consulted"]).get_by_label(text["yes"], exact=True).check()
    assert_accessible(page, "involvement page filled in")
    screenshot(page, f"involvement-{language}")
    page.get_by_role("button", name=text["continue"]).click()

    involvement_task = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=text["task"])).last
    expect(involvement_task).to_contain_text(text["done"])
    page.get_by_role("link", name=text["check"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["check_heading"])
    consultations = page.get_by_role("table", name=text["table"])
    expect(consultations).to_contain_text(text["youth"])
    expect(consultations).to_contain_text("Sverigefinska föreningen i Borås")
    expect(consultations).to_contain_text(text["walk"])
    expect(page.locator("main")).to_contain_text(text["finns"])
    assert_accessible(page, "check your answers with consultations")
