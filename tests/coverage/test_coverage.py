"""Importing a committee's list of cases (all or nothing, twice is once) and the coverage it gives."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.coverage.models import CommitteeCase
from tests import factories
from tests.conftest import csrf_token
from tests.databases import page_statements

FFN = "Fritids- och folkhälsonämnden"
HEADER = "diarienummer;rubrik;nämnd;sammanträdesdatum\r\n"


def _csv(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + header + "".join(row + "\r\n" for row in rows)).encode("utf-8")


def _upload(client, data: bytes, name: str = "lista.csv"):
    path = "/coverage/import"
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _cases(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(CommitteeCase.committee, CommitteeCase.meeting_date, CommitteeCase.case_number).order_by(
                CommitteeCase.case_number
            )
        ).all()


@pytest.fixture
def assessed(app):
    """2026-00001 approved, 2026-00002 decided, 2026-00003 only a draft."""
    with app.app_context():
        factories.create_assessment("approved", case_number="2026-00001")
        factories.create_assessment("decided", case_number="2026-00002")
        factories.create_assessment("draft", case_number="2026-00003")
        db.session.commit()


def test_an_auditor_imports_a_list_once_and_sees_the_missing_case(app, client, login_as, assessed):
    login_as("auditor", department="SLK", municipality_wide=True)
    data = _csv(
        f"2026-00001;Simhallen;{FFN};2026-10-21",
        f"2026-00002;Föreningsstöd;{FFN};2026-10-21",
        f"2026-00003;Idrottshallar;{FFN};2026-11-18",
        f"2025-00077;Gammalt ärende;{FFN};2025-05-14",
    )
    response = _upload(client, data)
    assert response.status_code == 302
    assert "4 ärenden lades till; 0 fanns redan i listan." in client.get("/coverage/").get_data(as_text=True)
    assert _upload(client, data).status_code == 302  # the same file again
    assert len(_cases(app)) == 4
    page = client.get("/coverage/").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>\s*<td class=\"numeric\">(\d+)</td>(.*?)</tr>", page, re.S)
    figures = {(name, int(year)): re.findall(r">(\d+)(?: %)?<", rest) for name, year, rest in rows}
    assert figures[(FFN, 2026)] == ["3", "2", "1", "66"]
    assert figures[(FFN, 2025)] == ["1", "0", "1", "0"]
    missing = page.split('id="missing"', 1)[1]
    assert "2026-00003" in missing and "2025-00077" in missing and "2026-00001" not in missing
    only_2026 = client.get(f"/coverage/?committee={FFN}&year=2026").get_data(as_text=True).split('id="missing"')[1]
    assert "2026-00003" in only_2026 and "2025-00077" not in only_2026
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "committee_cases.import").order_by(AuditEvent.id)
        ).all()
        assert [event.changes["added"] for event in events] == [4, 0]


@pytest.mark.parametrize(
    "data, message",
    [
        (_csv(f"2026-00001;Simhallen;{FFN};21/10/2026"), "Rad 2"),
        (_csv(f"2026-00001;Simhallen;{FFN};2026-10-21", f";Utan nummer;{FFN};2026-10-21"), "Rad 3"),
        (_csv(f"2026-00001;{'x' * 301};{FFN};2026-10-21"), "300"),
        (_csv("2026-00001;Simhallen", header="diarienummer;rubrik\r\n"), "nämnden"),
        ("diarienummer;rubrik;nämnd;sammanträdesdatum\r\n2026-1;Sim;Nämnd;2026-10-21".encode("cp1252"), "UTF-8"),
        (_csv(), "inga ärenden"),
        (b"", "tom"),
    ],
)
def test_a_bad_file_imports_nothing_and_says_which_lines(app, client, login_as, data, message):
    login_as("committee_secretary", department="SLK", committees=[FFN])
    response = _upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "error-summary" in page
    assert message in page
    assert _cases(app) == []


def test_commas_and_english_headers_without_a_bom_work_too(app, client, login_as):
    login_as("admin", department="SLK")
    data = _csv(
        "2026-00009,Bibliotek,Kulturnämnden,2026-09-01",
        header="Case number,Title,Committee,Meeting date\r\n",
        bom=False,
    )
    assert _upload(client, data).status_code == 302
    assert _cases(app) == [("Kulturnämnden", date(2026, 9, 1), "2026-00009")]


def test_the_command_imports_the_example_file_and_refuses_a_bad_one(app, runner, tmp_path):
    result = runner.invoke(args=["import-cases", "docs/examples/case-list.csv"])
    assert result.exit_code == 0, result.output
    assert "3 cases added; 0 were on the list already." in result.output
    assert runner.invoke(args=["import-cases", "docs/examples/case-list.csv"]).output.startswith("0 cases added; 3")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(f"2026-00001;Simhallen;{FFN};igår"))
    result = runner.invoke(args=["import-cases", str(bad)])
    assert result.exit_code == 1 and "Line 2" in result.output
    assert len(_cases(app)) == 3


def test_case_officers_neither_import_nor_read_coverage(client, login_as):
    login_as("case_officer")
    assert client.get("/coverage/").status_code == 403
    assert client.get("/coverage/import").status_code == 403
    client.get("/logout")


def test_reviewers_read_but_do_not_import(client, login_as):
    login_as("reviewer")
    assert client.get("/coverage/").status_code == 200
    assert client.get("/coverage/import").status_code == 403


def test_the_query_count_does_not_grow_with_the_lists(app, client, login_as, assessed):
    login_as("auditor", department="SLK", municipality_wide=True)
    with app.app_context():
        db.session.add(CommitteeCase(case_number="2026-00001", title="A", committee=FFN, meeting_date=date(2026, 1, 1)))
        db.session.commit()
    few = page_statements(app, client, "/coverage/")[0]
    with app.app_context():
        for number in range(40):
            db.session.add(
                CommitteeCase(
                    case_number=f"2026-{number:05d}",
                    title=f"Ärende {number}",
                    committee=("Kulturnämnden", FFN, "Kommunstyrelsen")[number % 3],
                    meeting_date=date(2022 + number % 5, 2, 1),
                )
            )
        db.session.commit()
    assert page_statements(app, client, "/coverage/")[0] == few
