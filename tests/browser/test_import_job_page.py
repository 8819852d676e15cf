"""A list of cases above IMPORT_DIRECT_ROWS is imported by a job: the progress page says which lines to correct
(nothing imported), then what a corrected file added; both languages, axe-checked."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_login

TEXT = {
    "sv": {
        "file": "Listan över ärenden (CSV)",
        "button": "Importera",
        "refused": "Filen stor.csv importerades inte",
        "line": "Rad 5:",
        "done": "12 ärenden lades till",
    },
    "en": {
        "file": "The list of cases (CSV)",
        "button": "Import",
        "refused": "The file stor.csv was not imported",
        "line": "Line 5:",
        "done": "12 cases added",
    },
}


def cases(bad_line: int | None = None) -> str:
    dates = ["27/11/2026" if number + 2 == bad_line else "2026-11-27" for number in range(12)]
    rows = [f"2026-{number:05d};Ärende;KS;{meeting}" for number, meeting in enumerate(dates)]
    return "diarienummer;rubrik;nämnd;sammanträdesdatum\n" + "\n".join(rows) + "\n"


def test_a_large_list_is_imported_on_the_progress_page(app, page, make_user, language, tmp_path):
    text = TEXT[language]
    app.config["IMPORT_DIRECT_ROWS"] = 5
    auditor = make_user("auditor", department="SLK", municipality_wide=True)
    browser_login(page, auditor, language=language)
    file = tmp_path / "stor.csv"

    file.write_text(cases(bad_line=5), encoding="utf-8")
    page.goto("/coverage/import")
    page.get_by_label(text["file"]).set_input_files(str(file))
    page.get_by_role("button", name=text["button"], exact=True).click()
    expect(page.get_by_role("heading", name=text["refused"])).to_be_visible(timeout=30_000)
    expect(page.get_by_text(text["line"])).to_be_visible()
    assert_accessible(page, f"import job refused ({language})")

    file.write_text(cases(), encoding="utf-8")
    page.goto("/coverage/import")
    page.get_by_label(text["file"]).set_input_files(str(file))
    page.get_by_role("button", name=text["button"], exact=True).click()
    expect(page.get_by_text(text["done"])).to_be_visible(timeout=30_000)
    assert_accessible(page, f"import job done ({language})")
