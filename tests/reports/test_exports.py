"""Exports parsed back and compared with the database: register CSV and XLSX, figures CSV, one assessment PDF."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from impact.assessments.due import OPEN_MITIGATION_STATES
from impact.assessments.enums import MitigationStatus
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.core.db import db
from impact.core.timefmt import format_time, local_naive
from impact.grounds.models import Ground
from impact.reports import register, register_copy
from impact.reports.register import neutralise
from tests import factories
from tests.reports.test_reports_queries import count_queries

VISIBLE_TO_AUDITOR = ("approved_ff", "approved_sof", "submitted_sof", "old_approved_ff", "screening_only")
COLUMN = {key: number for number, (key, _label) in enumerate(register.COLUMNS)}  # the register's columns by name


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
    got = {(int(row[0]), row[COLUMN["ground_key"]], row[COLUMN["score"]]) for row in body}
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
    got = {
        (int(row[0]), row[COLUMN["ground_key"]], "" if row[COLUMN["score"]] is None else str(int(row[COLUMN["score"]])))
        for row in body
    }
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
    assert reader.metadata.title == title
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
    assert "Summary" in reader.pages[0].extract_text()
    assert len(reader.pages) >= 3
    assert "Impact profile" in reader.pages[-1].extract_text() or any(
        "Impact profile" in page.extract_text() for page in reader.pages
    )
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Continue despite adverse impacts" in text and "Alternatives considered" in text
    assert "Göra ingenting" in text and "Nyttan för fler väger tyngre" in text


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/")


@pytest.mark.parametrize("name", ["draft_ff", "returned_sof"])
def test_pdf_of_what_one_may_not_see_is_404(client, auditor, seeded, name):
    assert client.get(f"/reports/assessments/{seeded[name]}.pdf").status_code == 404


def test_exports_need_login(client, seeded):
    for path in ("/reports/register.csv", "/reports/register.xlsx", "/reports/figures.csv"):
        assert client.get(path).status_code == 302


def register_from_orm(app, ids: list[int], language: str = "sv") -> list[list]:
    """The register as typed values, built from the ORM objects one by one: the export's reference."""
    from flask_babel import force_locale

    rows = []
    with app.test_request_context(), force_locale(language):
        yes, no = ("Yes", "No") if language == "en" else ("Ja", "Nej")
        assessments = db.session.scalars(
            sa.select(Assessment).where(Assessment.id.in_(ids)).order_by(Assessment.created_at, Assessment.id)
        ).all()
        for assessment in assessments:
            decision = assessment.committee_decision
            for ground in sorted(assessment.template_version.grounds, key=lambda ground: ground.position):
                answer = assessment.answer_for(ground)
                relevant = answer.relevant if answer else None
                impact = answer.impact if answer else None
                mitigations = answer.mitigations if answer else []
                rows.append(
                    [
                        assessment.id,
                        assessment.case_number,
                        assessment.title,
                        assessment.department.name,
                        str(assessment.status.label),
                        assessment.created_at,
                        assessment.submitted_at,
                        assessment.decided_at,
                        assessment.follow_up_date,
                        None if assessment.outcome is None else str(assessment.outcome.label),
                        len(assessment.alternatives),
                        len(assessment.consultations),
                        _minority(assessment),
                        *_children(assessment, yes, no),
                        decision.committee if decision else assessment.committee,
                        str(decision.outcome.label) if decision else None,
                        decision.meeting_date if decision else None,
                        decision.paragraph if decision else None,
                        (yes if decision.analysis_changed else no) if decision else None,
                        ground.key,
                        ground.name_en if language == "en" else ground.name_sv,
                        None if relevant is None else (yes if relevant else no),
                        None if impact is None else str(impact.label),
                        answer.score if answer else None,
                        str(answer.remaining_impact.label) if answer and answer.remaining_impact else None,
                        (answer.affected_groups if relevant else "") or None,
                        len(mitigations),
                        sum(1 for mitigation in mitigations if mitigation.status in OPEN_MITIGATION_STATES),
                        (answer.acceptance_justification if answer else "") or None,
                        str(answer.actual_impact.label) if answer and answer.actual_impact else None,
                        (answer.actual_comment if answer else "") or None,
                    ]
                )
    return rows


def _minority(assessment) -> str | None:
    """Whether a national minority is concerned, and which, as the register says it ("Ja: Sverigefinnar")."""
    involvement = assessment.involvement
    if involvement is None or involvement.national_minority is None:
        return None
    names = ", ".join(involvement.minority_labels)
    return f"{involvement.national_minority.label}: {names}" if names else str(involvement.national_minority.label)


def _children(assessment, yes, no) -> tuple:
    """Whether it concerns children, whether children were heard and how many rights are weakened, as the register
    says it: the last two only where it concerns children."""
    record = assessment.child_rights
    concerns = record.concerns_children if record is not None and assessment.affects_people else None
    if not concerns:
        return (None if concerns is None else no), None, None
    heard = record.children_heard
    return yes, None if heard is None else (yes if heard else no), len(record.weakened)


def as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "hour"):
        return format_time(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(value)


@pytest.fixture
def decided(app, seeded):
    """The committee rejected one of the approved assessments (recorded by its author)."""
    from datetime import date

    from impact.assessments.enums import CommitteeOutcome
    from impact.decisions import operations as decisions

    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_sof"])
        entered = decisions.DecisionInput(
            "Sociala omsorgsnämnden", date(2026, 11, 2), "§ 17", CommitteeOutcome.rejected, False
        )
        decisions.record(assessment, assessment.authors[0], entered)
        db.session.commit()


@pytest.fixture
def heard(app, seeded):
    """One approved assessment heard the Sweden Finnish association and concerns the Sweden Finns."""
    from impact.assessments.enums import ConsultationMethod, MinorityAnswer
    from impact.assessments.models import Consultation, Involvement

    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_ff"])
        assessment.involvement = Involvement(
            national_minority=MinorityAnswer.yes, minorities=["sweden_finns", "sami"], minority_consulted=True
        )
        assessment.consultations = [
            Consultation(
                group_kind=factories.ensure_group_kind("Sverigefinsk förening"), method=ConsultationMethod.meeting
            )
            for _index in range(2)
        ]
        db.session.commit()


@pytest.fixture
def more_mitigations(app, seeded):
    """A second, open mitigation and a dropped one on the answer that has one planned already."""
    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_ff"])
        answer = next(answer for answer in assessment.answers if answer.mitigations)
        answer.mitigations.append(
            Mitigation(
                assessment=assessment,
                description="Skyltning",
                responsible="Kultur",
                status=MitigationStatus.in_progress,
            )
        )
        answer.mitigations.append(
            Mitigation(
                assessment=assessment,
                description="Hörslinga",
                responsible="Kultur",
                status=MitigationStatus.dropped,
                dropped_reason="Finns redan",
            )
        )
        db.session.commit()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_register_csv_has_every_value_in_order(
    app, client, auditor, seeded, more_mitigations, decided, heard, language
):
    if language == "en":
        client.post("/language/en", data={"csrf_token": _token(client)})
    rows = read_csv(client.get("/reports/register.csv"))
    expected = register_from_orm(app, [seeded[name] for name in VISIBLE_TO_AUDITOR], language)
    assert rows[0][:3] == (
        ["Assessment id", "Case number", "Title"]
        if language == "en"
        else ["Konsekvensanalys-id", "Diarienummer", "Titel"]
    )
    assert len(rows[0]) == len(register.COLUMNS) == 33
    assert rows[1:] == [[as_csv_text(value) for value in row] for row in expected]
    assert any(row[COLUMN["open_mitigations"]] == "2" and row[COLUMN["mitigations"]] == "3" for row in rows[1:]), (
        "two open of three mitigations"
    )
    assert {row[COLUMN["impact"]] for row in rows[1:]} >= (
        {"Negative", "Positive"} if language == "en" else {"Negativ", "Positiv"}
    )
    assert {(row[COLUMN["consultations"]], row[COLUMN["national_minority"]]) for row in rows[1:]} >= {
        ("2", "Yes: Sweden Finns, Sami" if language == "en" else "Ja: Sverigefinnar, Samer")
    }
    decided = {(row[COLUMN["committee_decision"]], row[COLUMN["paragraph"]]) for row in rows[1:]}
    assert ("Rejected" if language == "en" else "Avslag", "§ 17") in decided


def test_register_xlsx_has_every_value_and_type_in_order(
    app, client, auditor, seeded, more_mitigations, decided, heard
):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/reports/register.xlsx").get_data()), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    expected = register_from_orm(app, [seeded[name] for name in VISIBLE_TO_AUDITOR])
    for row in expected:
        for column in (5, 6, 7):  # timestamps as date-time cells in Stockholm time, to the minute
            row[column] = row[column] and local_naive(row[column]).replace(second=0, microsecond=0)
        for column in (COLUMN["follow_up_date"], COLUMN["meeting_date"]):  # dates as dates
            if row[column] is not None:
                row[column] = datetime.combine(row[column], datetime.min.time())
    assert rows[1:] == expected
    assert rows[0][1] == "Diarienummer"


def test_register_csv_streams_in_large_chunks(app, client, auditor, seeded, monkeypatch):
    """The header comes first on its own, then chunks of about CHUNK_SIZE characters, not one per row (written in
    Python; tests/reports/test_register_copy.py has PostgreSQL's COPY)."""
    monkeypatch.setattr(register_copy, "copy_possible", lambda: False)
    monkeypatch.setattr(register, "CHUNK_SIZE", 600)
    response = client.get("/reports/register.csv", buffered=False)
    chunks = [chunk.decode("utf-8") for chunk in response.response]
    response.close()
    lines = "".join(chunks).splitlines()
    assert chunks[0] == lines[0] + "\r\n"
    assert 2 < len(chunks) < len(lines) / 2
    longest = max(len(line) + 2 for line in lines)
    assert all(600 <= len(chunk) < 600 + longest for chunk in chunks[1:-1])
    assert 0 < len(chunks[-1]) < 600 + longest


def test_register_export_queries_do_not_grow_with_data_or_batches(app, client, auditor, monkeypatch):
    """A fixed number of queries for any number of assessments, however many batches the rows arrive in."""
    monkeypatch.setattr(register, "BATCH", 4)
    counts = []
    for rounds in (0, 4):
        with app.app_context():
            for _ in range(rounds):
                factories.seed_report_data()
            db.session.commit()
        for path in ("/reports/register.csv", "/reports/register.xlsx"):
            client.get(path).get_data()  # first-request work (catalogue loading) is not data-bound
            with count_queries(app) as counter:
                body = client.get(path).get_data()
            counts.append(counter["n"])
        assert len(read_csv(client.get("/reports/register.csv"))) > 9 * 5 * (rounds + 1)
        assert body
    assert counts[:2] == counts[2:]


def test_register_query_streams_in_batches_from_a_streaming_cursor(app, client, auditor, monkeypatch):
    """The rows come in batches through a streaming cursor (server-side on PostgreSQL, the driver's own), never all
    at once, when the CSV is written in Python (on PostgreSQL it is COPY's: tests/reports/test_register_copy.py)."""
    monkeypatch.setattr(register_copy, "copy_possible", lambda: False)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "postgresql":
        import psycopg

        made = []
        original = psycopg.Connection.cursor

        def cursor(self, *args, **kwargs):
            made.append(original(self, *args, **kwargs))
            return made[-1]

        monkeypatch.setattr(psycopg.Connection, "cursor", cursor)
        assert read_csv(client.get("/reports/register.csv"))[1:]  # the body streams: read it all
        named = [made_cursor for made_cursor in made if getattr(made_cursor, "name", None) == "register_rows"]
        assert len(named) == 1 and type(named[0]).__name__ == "ServerCursor"
        assert named[0].itersize == register.BATCH
        return
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "mitigation_counts" in statement:
            options = context.execution_options
            seen.append((type(cursor).__name__, options.get("stream_results"), options.get("yield_per")))

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        assert read_csv(client.get("/reports/register.csv"))[1:]  # the body streams: read it all
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    assert len(seen) == 1
    cursor, streams, batch = seen[0]
    # SQLite's cursor steps through rows as they are fetched.
    assert streams is True and batch == register.BATCH and cursor == "Cursor"


def test_csv_lines_formats_repeated_leading_cells_like_the_others(app):
    rows = [
        (1, "=a", date(2026, 1, 2), True),
        (1, "=a", date(2026, 1, 2), False),
        (2, "=a", None, None),
        (2, "=a", None, 3),
        (1, "=a", date(2026, 1, 2), "-x"),
    ]
    with app.test_request_context():
        plain = "".join(register.csv_lines(["a", "b", "c", "d"], rows))
        repeated = "".join(register.csv_lines(["a", "b", "c", "d"], rows, repeated=3))
    assert repeated == plain
    expected = ["1;'=a;2026-01-02;Ja", "1;'=a;2026-01-02;Nej", "2;'=a;;", "2;'=a;;3", "1;'=a;2026-01-02;'-x"]
    assert plain.splitlines()[1:] == expected


def test_a_ground_published_during_an_export_is_read_alone(app):
    with app.test_request_context():
        ground = db.session.scalars(sa.select(Ground).where(Ground.key == "gender")).first()
        names = register.GroundNames()
        assert names[ground.id] == ("gender", ground.name_sv)
        del names[ground.id]  # as if published after the names were read
        with count_queries(app) as counter:
            assert names[ground.id] == ("gender", ground.name_sv)
            assert names[ground.id] == ("gender", ground.name_sv)
        assert counter["n"] == 1
