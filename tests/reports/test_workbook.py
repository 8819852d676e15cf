"""The register workbook read back with openpyxl: its three sheets, real date cells in Stockholm time, frozen
headers, autofilters, column widths, and no formula anywhere."""

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment, Mitigation
from impact.core.db import db
from impact.reports import register
from impact.reports.workbook import WIDTHS
from tests import factories
from tests.reports.test_exports import VISIBLE_TO_AUDITOR, more_mitigations  # noqa: F401  (a fixture)

WINTER = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)  # 2026-01-15 00:30 in Stockholm (UTC+1)
SUMMER = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 2026-07-15 00:30 in Stockholm (UTC+2)


@pytest.fixture
def auditor(login_as, seeded):
    return login_as("auditor", department="KS", municipality_wide=True)


def workbook(client, path: str = "/reports/register.xlsx") -> openpyxl.Workbook:
    response = client.get(path)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def width(sheet, column: int) -> float:
    """A column's width; openpyxl keeps neighbouring columns of one width as one range."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max and dimension.customWidth:
            return dimension.width
    raise AssertionError(f"column {column} of {sheet.title} has no width of its own")


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_three_sheets_with_frozen_headers_autofilters_and_widths(client, auditor):
    book = workbook(client)
    assert book.sheetnames == ["Register", "Åtgärder", "Kommundelar"]
    for sheet in book.worksheets:
        rows = values(sheet)
        count = len(rows[0])
        assert sheet.freeze_panes == "A2", sheet.title
        last = openpyxl.utils.get_column_letter(count)
        assert sheet.auto_filter.ref == f"A1:{last}{len(rows)}", sheet.title
        assert all(cell.font.bold for cell in sheet[1])
        for column, header in enumerate(rows[0], start=1):
            # Wide enough for the header (a longer one wraps at 40 characters).
            assert width(sheet, column) >= min(len(header) + 2, 40), (sheet.title, header)
    assert width(book["Register"], 3) >= WIDTHS["title"]
    assert width(book["Åtgärder"], 6) >= WIDTHS["description"]


def test_actions_sheet_has_one_row_per_action(app, client, auditor, seeded, more_mitigations):  # noqa: F811
    book = workbook(client)
    rows = values(book["Åtgärder"])
    assert rows[0] == [
        "Konsekvensanalys-id",
        "Diarienummer",
        "Titel",
        "Förvaltning",
        "Grunder",
        "Åtgärd",
        "Ansvarig",
        "Ägare",
        "Ägarens förvaltning",
        "Slutdatum",
        "Status",
        "Vad som har gjorts",
        "Varför den slopades",
    ]
    with app.app_context():
        visible = [seeded[name] for name in VISIBLE_TO_AUDITOR]
        mitigations = db.session.scalars(
            sa.select(Mitigation)
            .join(Assessment)
            .where(Assessment.id.in_(visible))
            .order_by(Assessment.created_at, Assessment.id, Mitigation.id)
        ).all()
        expected = [
            [
                m.assessment.id,
                m.assessment.case_number,
                m.assessment.title,
                m.assessment.department.name,
                ", ".join(ground.name_sv for ground in m.grounds),
                m.description,
                m.responsible or None,
                m.owner.name if m.owner else None,
                m.owner.department.name if m.owner else None,
                m.due_date and datetime.combine(m.due_date, datetime.min.time()),
                str(m.status.label),
                m.outcome or None,
                m.dropped_reason or None,
            ]
            for m in mitigations
        ]
        owner_department = next(m.owner.department.name for m in mitigations if m.owner)
    assert rows[1:] == expected
    assert len(expected) == 4  # three on one answer of approved_ff, one on submitted_sof
    by_action = {row[5]: row for row in rows[1:]}
    assert by_action["Hörslinga"][10:] == ["Avbruten", None, "Finns redan"]
    owned = by_action["+Ramper vid entréer"]  # text, not a formula
    assert owned[4] == "Funktionsnedsättning" and owned[7] and owned[8] == owner_department
    assert owned[9] == datetime(2020, 1, 31)


def test_districts_sheet_has_one_row_per_assessment_and_district(app, client, auditor, seeded):
    rows = values(workbook(client)["Kommundelar"])
    assert rows[0] == [
        "Konsekvensanalys-id",
        "Diarienummer",
        "Titel",
        "Förvaltning",
        "Status",
        "Skapad (Europe/Stockholm)",
        "Kommundel",
        "Områden inom kommundelen",
    ]
    got = [(row[0], row[6]) for row in rows[1:]]
    with app.app_context():
        db.session.get(Assessment, seeded["screening_only"]).whole_municipality = True
        db.session.commit()
    assert sorted(got, key=lambda pair: (pair[0], pair[1] or "")) == sorted(
        [
            (seeded["approved_ff"], "Norrby"),
            (seeded["approved_sof"], "Norrby"),
            (seeded["approved_sof"], "Sjöbo"),
            (seeded["submitted_sof"], "Sjöbo"),
            (seeded["old_approved_ff"], "Hässleholmen"),
            (seeded["screening_only"], None),  # no district chosen, not the whole municipality
        ],
        key=lambda pair: (pair[0], pair[1] or ""),
    )
    rows = values(workbook(client)["Kommundelar"])
    assert (seeded["screening_only"], "Hela kommunen") in {(row[0], row[6]) for row in rows[1:]}


def test_districts_sheet_names_the_areas_within_each_district(app, client, auditor, seeded):
    """One row per district, its areas beside it; an area whose district the assessment does not name (an admin
    moved the area since) still brings its district's row: areas roll up to their district."""
    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_sof"])
        assessment.areas = [
            factories.ensure_area("OMR-SJOBO-N", "Sjöbo norra", "Sjöbo"),
            factories.ensure_area("OMR-SJOBO-S", "=Sjöbo södra", "Sjöbo"),
            factories.ensure_area("OMR-CENTRUM", "Centrum väst", "Centrum"),
        ]
        db.session.commit()
    rows = values(workbook(client)["Kommundelar"])
    mine = sorted((row[6], row[7]) for row in rows[1:] if row[0] == seeded["approved_sof"])
    assert mine == [("Centrum", "Centrum väst"), ("Norrby", None), ("Sjöbo", "=Sjöbo södra, Sjöbo norra")]


def test_every_sheet_follows_the_dashboard_filters(client, auditor, seeded):
    book = workbook(client, "/reports/register.xlsx?department=SOF")
    sof = {seeded["approved_sof"], seeded["submitted_sof"], seeded["screening_only"]}
    for sheet in book.worksheets:
        ids = {row[0] for row in values(sheet)[1:]}
        assert ids and ids <= sof, sheet.title
    assert {row[0] for row in values(book["Åtgärder"])[1:]} == {seeded["submitted_sof"]}


def test_no_sheet_holds_a_formula(client, auditor, seeded, more_mitigations):  # noqa: F811
    book = workbook(client)
    for sheet in book.worksheets:
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert cells and all(cell.data_type != "f" for cell in cells), sheet.title
        texts = {cell.value for cell in cells}
        assert '=HYPERLINK("http://evil.example")' in texts, sheet.title  # stored as the text it is
    assert "+Ramper vid entréer" in {cell.value for row in book["Åtgärder"].iter_rows() for cell in row}


@pytest.fixture
def dated(app, login_as):
    """Two assessments, created in winter and in summer, with an action due; an auditor logged in."""
    with app.app_context():
        owner = factories.create_user(roles=("case_officer",), department="FFF")
        for moment, title in ((WINTER, "Vinter"), (SUMMER, "Sommar")):
            assessment = factories.create_assessment(
                status="approved",
                title=title,
                answers={
                    "age": {
                        "impact": "negative",
                        "mitigations": [{"due_date": date(2026, 9, 1), "owner": owner, "status": "in_progress"}],
                    }
                },
            )
            assessment.created_at = assessment.submitted_at = assessment.decided_at = moment
        db.session.commit()
    login_as("auditor", department="KS", municipality_wide=True)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dates_are_date_cells_in_stockholm_time(client, dated, language):
    if language == "en":
        from tests.conftest import csrf_token

        client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    book = workbook(client)
    assert book.sheetnames == (
        ["Register", "Actions", "Districts"] if language == "en" else ["Register", "Åtgärder", "Kommundelar"]
    )
    register, actions, districts = book.worksheets
    created = "Created (Europe/Stockholm)" if language == "en" else "Skapad (Europe/Stockholm)"
    assert register.cell(1, 6).value == created and districts.cell(1, 6).value == created
    for sheet in (register, districts):
        by_title = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
        for title, shown in (("Vinter", datetime(2026, 1, 15, 0, 30)), ("Sommar", datetime(2026, 7, 15, 0, 30))):
            cell = by_title[title][5]
            assert cell.is_date and cell.value == shown, (sheet.title, title)
            assert cell.number_format == "yyyy-mm-dd hh:mm"
    due = actions.cell(2, 10)
    assert due.is_date and due.value == datetime(2026, 9, 1) and due.number_format == "yyyy-mm-dd"
    assert actions.cell(2, 11).value == ("In progress" if language == "en" else "Pågår")


def test_the_workbook_is_read_without_jit_on_postgresql(app, client, auditor, seeded, monkeypatch):
    """PostgreSQL's JIT compilation costs more than it saves on the register's queries: it is off while they are
    read, and as it was afterwards. SQLite has no such setting and no statement is run for it."""
    seen = []
    rows_of = register.register_rows

    def register_rows(filters, user):
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            seen.append(connection.exec_driver_sql("SELECT current_setting('jit')").scalar_one())
        yield from rows_of(filters, user)

    monkeypatch.setattr(register, "register_rows", register_rows)
    assert workbook(client)["Register"].max_row > 1
    with app.app_context():
        if db.session.connection().dialect.name == "postgresql":
            assert seen == ["off"]
            with register.without_jit():
                assert db.session.connection().exec_driver_sql("SELECT current_setting('jit')").scalar() == "off"
            assert db.session.connection().exec_driver_sql("SELECT current_setting('jit')").scalar() != "off"
        else:
            assert seen == []
