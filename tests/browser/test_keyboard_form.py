"""Keyboard only: a case officer fills in a whole assessment and submits it for review without touching the mouse."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_login, focus_is_visible, focused_name, tab_to

TITLE = "Nya öppettider i simhallarna"


def reach(page, name: str | re.Pattern) -> None:
    """Tab forward to the control named ``name``, unless it already has focus."""
    current = focused_name(page) or ""
    if not (name.search(current) if isinstance(name, re.Pattern) else current == name):
        tab_to(page, name)
    assert focus_is_visible(page), f"No visible focus on {current!r} at {page.url}"


def type_into(page, label: str | re.Pattern, text: str) -> None:
    """Tab forward to the field named ``label`` and type ``text`` into it."""
    reach(page, label)
    page.keyboard.type(text)


def press_and_wait(page, key: str = "Enter") -> None:
    """Press ``key`` on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def follow(page, name: str | re.Pattern) -> None:
    """Tab to the link or button named ``name`` and press Enter on it."""
    reach(page, name)
    press_and_wait(page)


_FOCUSED_GROUP_JS = """() => {
  const el = document.activeElement;
  if (!el || el.type !== "radio") return [];
  return Array.from(el.form.elements).filter((r) => r.name === el.name)
    .map((r) => Array.from(r.labels).map((l) => l.textContent).join(" ").replace(/\\s+/g, " ").trim());
}"""


def choose(page, option: str) -> None:
    """Tab to the radio group that offers ``option``, move to it with the arrow keys and select it with Space."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused_name(page) is not None:
            assert focus_is_visible(page), f"No visible focus on {focused_name(page)!r} at {page.url}"
        if option in page.evaluate(_FOCUSED_GROUP_JS):
            break
    else:
        pytest.fail(f"No radio group offering {option!r} reached by Tab on {page.url}")
    for _ in range(10):
        if focused_name(page) == option:
            break
        page.keyboard.press("ArrowDown")
    assert focused_name(page) == option
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"{option!r} not selected"


def check_box(page, name: str) -> None:
    """Tab to the checkbox named ``name`` and tick it with Space."""
    reach(page, name)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"{name!r} not ticked"


def _type_segments(page, order: str, year: str, month: str, day: str) -> None:
    """Type a date's segments in ``order`` ("ymd" or "mdy"); month and day move on by themselves, the year doesn't."""
    for i, segment in enumerate(order):
        page.keyboard.type({"y": year, "m": month, "d": day}[segment])
        if segment == "y" and i < 2:
            page.keyboard.press("ArrowRight")  # the year takes up to six digits


def type_date(page, label: str | re.Pattern, iso: str) -> None:
    """Tab to a date field and type the date, in the segment order of the browser's own locale."""
    tab_to(page, label)
    year, month, day = iso.split("-")
    for order in ("ymd", "mdy", "dmy"):
        _type_segments(page, order, year, month, day)
        if page.evaluate("document.activeElement.value") == iso:
            break
        for _ in range(3):  # clear every segment and go back to the first
            page.keyboard.press("Backspace")
            page.keyboard.press("ArrowLeft")
    else:
        pytest.fail(f"Could not type {iso} into {label!r}; it shows {page.evaluate('document.activeElement.value')!r}")
    # Leave the field: Tab goes through its segments and Chromium's own calendar button (which draws no focus
    # ring we can style) before it reaches the next control, whose focus must show again.
    field = page.evaluate("document.activeElement.id")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != field:
            break
    assert focus_is_visible(page), f"No visible focus after the date field {label!r}: {focused_name(page)!r}"


def test_whole_assessment_by_keyboard_to_submission(page, make_user, app):
    from impact.core.db import db
    from tests import factories

    with app.app_context():
        factories.ensure_district("Norrby")
        db.session.commit()
    browser_login(page, make_user("case_officer"))

    # Start page: the skip link comes first, then the way to a new assessment.
    tab_to(page, "Hoppa till huvudinnehållet", max_presses=1)
    assert_accessible(page, "start page")
    follow(page, "Ny konsekvensanalys")

    # The proposal.
    page.get_by_role("heading", level=1).wait_for()
    type_into(page, "Förslagets titel", TITLE)
    assert focus_is_visible(page)
    assert_accessible(page, "proposal")
    type_into(page, "Diarienummer", "2026-00123")
    type_date(page, "Planerat beslutsdatum", "2026-12-15")
    type_into(page, "Beskriv förslaget", "Kortare öppettider på helger.")
    type_into(page, "Förslagets syfte", "Minska kostnaderna.")
    type_into(page, "Vilka förslaget berör", "Barn, äldre och föreningar.")
    check_box(page, "Norrby")
    follow(page, "Spara och fortsätt")

    # Screening: the proposal affects people.
    expect(page.get_by_role("heading", name="Förprövning")).to_be_visible()
    choose(page, "Ja")
    assert focus_is_visible(page)
    choose(page, "Nej")  # the question on children, shown once people are affected: none concerned here
    assert focus_is_visible(page)
    assert_accessible(page, "screening")
    follow(page, "Spara och fortsätt")

    # Task list: who was heard first. One consultation, typed; whether a minority is concerned is not known.
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert_accessible(page, "task list")
    follow(page, "Vem som hördes, och nationella minoriteter")
    expect(page.get_by_role("heading", name="Delaktighet och dialog")).to_be_visible()
    type_into(page, re.compile(r"^Gruppens eller organisationens namn"), "Pensionärsrådet")
    reach(page, "Hur hördes de?")
    page.keyboard.type("Dialogmöte")  # a drop-down's own type-ahead
    type_date(page, "När", "2026-10-01")
    type_into(page, "Vad sa de?", "Motionssim på förmiddagar behövs.")
    type_into(page, "Vad ändrades i förslaget till följd av det?", "Seniorsim lades på förmiddagar.")
    choose(page, "Vet inte")
    assert focus_is_visible(page)
    assert_accessible(page, "involvement")
    follow(page, "Spara och fortsätt")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    follow(page, "Socioekonomisk status")

    # Every ground: the first negative, the second not relevant, the rest neutral.
    done, first = 0, ""
    while page.get_by_role("radio", name="Ja, relevant").count():
        ground = page.get_by_role("heading", level=1).inner_text()
        if done == 1:
            choose(page, "Nej, ej relevant")
            type_into(page, "Varför är den inte relevant?", "Förslaget rör inte den här gruppen.")
        else:
            choose(page, "Ja, relevant")
            choose(page, "Negativ" if done == 0 else "Neutral")
            type_into(page, "Vilka grupper påverkas, och hur?", f"Grupper för {ground}.")
            type_into(page, "Vad grundar sig bedömningen på?", "Besöksstatistik.")
            choose(page, "Medel")
            if done == 0:
                first = ground
        assert focus_is_visible(page)
        assert_accessible(page, f"ground {ground}")
        follow(page, "Spara och fortsätt")
        done += 1
    assert done == 9

    # The action plan: "Save and continue" on the last ground leads straight here. One action for the negative ground,
    # owned by a party outside the municipality, and the impact that remains after it.
    expect(page.get_by_role("heading", name="Åtgärdsplan", exact=True)).to_be_visible()
    type_into(page, re.compile(r"^Vad ska göras"), "Gratis lovsim för barn i Norrby.")
    type_into(page, re.compile(r"^Eller en part utanför kommunen"), "Borås Energi och Miljö")
    type_date(page, re.compile(r"^Senast när"), "2027-06-30")
    check_box(page, first)
    choose(page, "Neutral efter åtgärderna")
    assert focus_is_visible(page)
    assert_accessible(page, "action plan")
    follow(page, "Spara och fortsätt")

    # Conclusion.
    expect(page.get_by_role("heading", name="Slutsats", exact=True)).to_be_visible()
    type_into(page, re.compile(r"^Samlad bedömning"), "Små effekter som åtgärdas.")
    assert focus_is_visible(page)
    assert_accessible(page, "conclusion")
    choose(page, "Ingen större förändring behövs")
    type_into(page, re.compile(r"^Rekommendation"), "Besluta enligt förslaget.")
    type_date(page, re.compile(r"^Datum för uppföljning"), "2027-12-31")
    follow(page, "Spara och fortsätt")

    # Check your answers, then submit.
    expect(page.get_by_role("heading", name="Kontrollera dina svar")).to_be_visible()
    assert_accessible(page, "check your answers")
    tab_to(page, "Skicka för granskning", max_presses=200)
    assert focus_is_visible(page)
    press_and_wait(page)

    expect(page.get_by_text("Konsekvensanalysen har skickats för granskning.")).to_be_visible()
    expect(page.get_by_text("Inskickad", exact=True).first).to_be_visible()
    assert_accessible(page, "assessment page")
