"""Exports parsed back and compared with the database: register CSV and XLSX, figures CSV, one assessment PDF."""

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.grounds.models import Ground
from impact.reports.register import neutralise
from tests import factories


@pytest.fixture
def seeded(app):
    with app.app_context():
        made = factories.seed_report_data()
        db.session.commit()
        return {name: assessment.id for name, assessment in made.items()}


@pytest.fixture
def auditor(login_as, seeded):
    return login_as("auditor", department="KS", municipality_wide=True)


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def expected_rows(app, ids: list[int]) -> set[tuple[int, str, str]]:
    """(assessment id, ground key, score) for every assessment × ground of its template, from the database."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Assessment.id, Ground.key, GroundAnswer.impact, GroundAnswer.relevant)
            .join(Ground, Ground.template_version_id == Assessment.template_version_id)
            .outerjoin(
                GroundAnswer, sa.and_(GroundAnswer.assessment_id == Assessment.id, GroundAnswer.ground_id == Ground.id)
            )
            .where(Assessment.id.in_(ids))
        ).all()
    return {
        (aid, key, "" if impact is None or not relevant or impact.score is None else str(impact.score))
        for aid, key, impact, relevant in rows
    }


def test_register_csv_has_one_row_per_assessment_and_ground(app, client, auditor, seeded):
    response = client.get("/reports/register.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Assessment id" or header[0].startswith("Konsekvensanalys") or header[1] == "Diarienummer"
    visible = [
        seeded[name] for name in ("approved_ff", "approved_sof", "submitted_sof", "old_approved_ff", "screening_only")
    ]
    got = {(int(row[0]), row[9], row[13]) for row in body}
    assert got == expected_rows(app, visible)
    assert len(body) == len(got)
    assert str(seeded["draft_ff"]) not in {row[0] for row in body}


def test_register_csv_neutralises_formulas(client, auditor):
    body = read_csv(client.get("/reports/register.csv"))[1:]
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'-Nödvändigt av säkerhetsskäl." in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not any(cell.startswith("-") and not cell.lstrip("-").isdigit() for cell in cells)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Norrby") == "Norrby"


def test_register_csv_respects_filters(client, auditor, seeded):
    body = read_csv(client.get("/reports/register.csv?department=SOF&status=approved"))[1:]
    assert {int(row[0]) for row in body} == {seeded["approved_sof"], seeded["screening_only"]}


def test_register_xlsx_matches_the_database(app, client, auditor, seeded):
    response = client.get("/reports/register.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    body = rows[1:]
    got = {(int(row[0]), row[9], "" if row[13] is None else str(int(row[13]))) for row in body}
    visible = [
        seeded[name] for name in ("approved_ff", "approved_sof", "submitted_sof", "old_approved_ff", "screening_only")
    ]
    assert got == expected_rows(app, visible)
    # Text is stored as text, never as a formula.
    titles = {row[2] for row in body}
    assert '=HYPERLINK("http://evil.example")' in titles
    workbook.close()


def test_figures_csv_matches_the_summary(client, auditor):
    rows = read_csv(client.get("/reports/figures.csv?ground=gender"))
    summary_total = sum(int(row[6]) for row in rows[1:] if row[0] in ("Konsekvensanalyser", "Assessments"))
    assert summary_total == 4  # the screening-only assessment has no relevant gender answer
    figures = {row[0]: int(row[6]) for row in rows[1:] if not row[1] and not row[2] and not row[5]}
    assert figures["Försenade uppföljningar"] == 1


def test_assessment_pdf(app, client, auditor, seeded):
    response = client.get(f"/reports/assessments/{seeded['approved_sof']}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    with app.app_context():
        title = db.session.get(Assessment, seeded["approved_sof"]).title
    assert reader.metadata.title == f"Konsekvensanalys för jämlikhet: {title}"
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Påverkansprofil" in text and "Sjöbo" in text and "Ålder" in text
    assert f"av {len(reader.pages)}" in text  # "Sida 1 av N" in the footer


def test_pdf_in_english_and_paginated(app, client, auditor, seeded):
    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_ff"])
        assessment.description = "Lång beskrivning. " * 600
        db.session.commit()
    client.post("/language/en", data={"csrf_token": _token(client)})
    reader = PdfReader(io.BytesIO(client.get(f"/reports/assessments/{seeded['approved_ff']}.pdf").get_data()))
    assert reader.metadata.title.startswith("Equality impact assessment: ")
    assert len(reader.pages) >= 3
    assert "Impact profile" in reader.pages[-1].extract_text() or any(
        "Impact profile" in page.extract_text() for page in reader.pages
    )


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/")


@pytest.mark.parametrize("name", ["draft_ff", "returned_sof"])
def test_pdf_of_what_one_may_not_see_is_404(client, auditor, seeded, name):
    assert client.get(f"/reports/assessments/{seeded[name]}.pdf").status_code == 404


def test_exports_need_login(client, seeded):
    for path in ("/reports/register.csv", "/reports/register.xlsx", "/reports/figures.csv"):
        assert client.get(path).status_code == 302
