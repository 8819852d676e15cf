"""The register's CSV written by PostgreSQL's COPY (``impact.reports.register_copy``) is byte for byte the CSV
written in Python (``register.csv_lines`` over ``register.register_rows``): formula-like cells, quotes,
semicolons, line breaks, tabs, backslashes and Swedish characters, both languages, several users and filters."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from impact.assessments.enums import MinorityAnswer
from impact.assessments.models import Involvement
from impact.auth.models import User
from impact.core.db import db
from impact.reports import register_copy
from impact.reports.register import ASSESSMENT_COLUMNS, column_headers, csv_lines, register_rows
from impact.reports.scope import scoped_filters
from tests import factories

TRICKY = [
    '=HYPERLINK("http://evil.example")',
    "+46 33 35 70 00",
    "-minus; och semikolon",
    "@SUMMA(A1)",
    "\tflik först",
    "\rvagnretur först",
    'Citat "inne" i texten',
    "Rad ett\nrad två\r\nrad tre",
    "Bak\\snedstreck \\n och \\\\ och \\",
    "Åsa Öberg på Älvsborgsvägen",
    "mitten\ttabb",
    "",
]


@pytest.fixture
def tricky(app, seeded):
    """The report data set and assessments whose every free text is one of ``TRICKY``; users by name."""
    with app.app_context():
        for number, text in enumerate(TRICKY):
            factories.create_assessment(
                "draft" if number == 3 else ["approved", "submitted", "decided"][number % 3],
                department=["FFF", "SOF"][number % 2],
                title=text or "Tom",
                case_number=text[:60] or "2026-0",
                created_at=datetime(2024, 3, 31, 0, 30 + number, tzinfo=UTC),  # a different Stockholm day
                follow_up_date=date(2027, 1, 1 + number),
                child_rights=factories.full_child_rights() if number % 3 == 0 else None,
                involvement=Involvement(
                    minorities=["roma", "sweden_finns"][: number % 3],
                    national_minority=[MinorityAnswer.yes, MinorityAnswer.unknown, None][number % 3],
                ),
                answers={
                    "gender": {"impact": "negative", "affected_groups": text, "acceptance_justification": text},
                    "age": {"impact": "positive", "actual_impact": "neutral", "actual_comment": text},
                    "religion": {"relevant": None},
                    "disability": "not_relevant",
                },
            )
        users = {
            "auditor": factories.create_user(roles=("auditor",), department="KS", municipality_wide=True),
            "officer": factories.create_user(roles=("case_officer",), department="SOF"),
        }
        db.session.commit()
        return {name: user.id for name, user in users.items()}


def both_ways(user_id: int, args: dict, language: str) -> tuple[bytes, bytes]:
    with force_locale(language):
        user = db.session.get(User, user_id)
        filters = scoped_filters(user, MultiDict(args))
        python = "".join(csv_lines(column_headers(), register_rows(filters, user), repeated=ASSESSMENT_COLUMNS))
        copied = b"".join(register_copy.copy_csv_chunks(filters, user))
    return python.encode("utf-8"), copied


FILTERS = [
    {},
    {"status": "approved"},
    {"ground": "gender", "impact": "negative"},
    {"date_from": "2024-04-01"},
    {"q": "åsa"},
    # Written into the query as literals: a percent sign, a quote and a backslash must stay what they are.
    {"q": "50%_'\\"},
]


@pytest.mark.postgresql  # COPY is PostgreSQL's
@pytest.mark.parametrize("language", ["sv", "en"])
def test_copy_writes_the_same_bytes_as_python(app, tricky, language):
    with app.test_request_context():
        for user in ("auditor", "officer"):
            for args in FILTERS:
                python, copied = both_ways(tricky[user], args, language)
                assert python.count(b"\r\n") > (0 if "q" in args else 9)
                assert copied == python, (user, args)
        # The data set holds what it is there for.
        python, _copied = both_ways(tricky["auditor"], {}, language)
        for cell in (
            '\'=HYPERLINK(""http',
            "Bak\\snedstreck \\n och \\\\",
            "'+46 33",
            '"Rad ett\nrad två\r\nrad tre"',
            "Åsa",
        ):
            assert cell.encode() in python, cell


def test_sqlite_writes_the_csv_in_python(app, tricky):
    with app.test_request_context():
        user = db.session.get(User, tricky["auditor"])
        filters = scoped_filters(user, MultiDict())
        chunks = register_copy.register_csv_chunks(filters, user, lambda: register_rows(filters, user))
        first = next(iter(chunks))
        assert isinstance(first, bytes if db.engine.dialect.name == "postgresql" else str)


def test_the_download_is_the_csv_written_in_python(app, client, login_as, tricky):
    user = login_as("auditor", department="KS", municipality_wide=True)
    body = client.get("/reports/register.csv").data
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.id == user.id))
        filters = scoped_filters(user, MultiDict())
        python = "".join(csv_lines(column_headers(), register_rows(filters, user), repeated=ASSESSMENT_COLUMNS))
    assert body == python.encode("utf-8")


def test_copy_streams_the_header_then_chunks(app, client, login_as, tricky, monkeypatch):
    """On PostgreSQL the header comes first on its own, then chunks of at least CHUNK_SIZE bytes from COPY."""
    from impact.reports import register

    monkeypatch.setattr(register, "CHUNK_SIZE", 600)
    login_as("auditor", department="KS", municipality_wide=True)
    response = client.get("/reports/register.csv", buffered=False)
    chunks = list(response.response)
    response.close()
    assert chunks[0].decode("utf-8").count("\r\n") == 1
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert len(chunks) > 3
            assert all(len(chunk) >= 600 for chunk in chunks[1:-1])
