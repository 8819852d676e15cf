"""Times and dates: shown and exported in Stockholm time as ISO dates and minutes; a filtered day is a Stockholm day.

23:30 UTC on a winter day is 00:30 the next day in Stockholm (UTC+1); 22:30 UTC on a summer day is too (UTC+2).
"""

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from impact.api.models import ApiToken
from impact.audit.trail import record
from impact.core.db import db
from impact.core.timefmt import day_end, day_start, format_day, format_time
from tests import factories

WINTER = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)
MOMENTS = pytest.mark.parametrize(
    ("moment", "shown"), [(WINTER, "2026-01-15 00:30"), (SUMMER, "2026-07-15 00:30")], ids=["winter", "summer"]
)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_rule(app_ctx):
    assert format_time(WINTER) == "2026-01-15 00:30"
    assert format_time(SUMMER) == "2026-07-15 00:30"
    assert format_day(WINTER) == "2026-01-15"
    assert format_day(date(2026, 5, 25)) == "2026-05-25"
    assert day_start(date(2026, 1, 15)) == datetime(2026, 1, 14, 23, tzinfo=UTC)
    assert day_start(date(2026, 7, 15)) == datetime(2026, 7, 14, 22, tzinfo=UTC)
    assert day_end(date(2026, 3, 29)) == datetime(2026, 3, 29, 22, tzinfo=UTC)  # the day summer time starts: 23 h
    assert day_start(date.min) == datetime.min.replace(tzinfo=UTC)
    assert day_end(date.max) is None


def test_templates_format_times_only_through_the_rule():
    """No template formats a date or time its own way; they use ``time_text`` and ``day_text``."""
    own_way = re.compile(r"strftime|datetimeformat|dateformat|timeformat|isoformat|_(?:at|date)\s*\|\s*string")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if own_way.search(line)
    ]
    assert found == []


@MOMENTS
def test_history_shows_stockholm_time(app, client, login_as, moment, shown):
    user = login_as("case_officer")
    with app.app_context():
        assessment = factories.create_assessment(author=db.session.get(factories.User, user.id))
        event = record("assessment.create", assessment, actor=db.session.get(factories.User, user.id))
        event.created_at = moment
        db.session.commit()
        assessment_id = assessment.id
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'<time datetime="{moment.isoformat()}">{shown}</time>' in page


@MOMENTS
def test_profile_shows_stockholm_time(app, client, login_as, moment, shown):
    user = login_as("case_officer")
    with app.app_context():
        token, _plain = ApiToken.issue(db.session.get(factories.User, user.id), "Statistik")
        token.created_at = moment
        token.last_used_at = moment
        db.session.commit()
    page = client.get("/profile/").get_data(as_text=True)
    assert page.count(f"<td>{shown}</td>") == 2
    assert "UTC" not in page


@pytest.fixture
def exported(app, login_as):
    """One approved assessment created at WINTER and decided at SUMMER, and an auditor logged in to export it."""
    with app.app_context():
        assessment = factories.create_assessment(status="approved", answers={"age": "negative"})
        assessment.created_at, assessment.submitted_at, assessment.decided_at = WINTER, WINTER, SUMMER
        db.session.commit()
    login_as("auditor", department="KS", municipality_wide=True)


def test_csv_has_stockholm_times_and_says_so(client, exported):
    raw = client.get("/reports/register.csv").get_data().decode("utf-8-sig")
    header, row, *_rest = csv.reader(io.StringIO(raw), delimiter=";")
    assert header[5:8] == ["Skapad (Europe/Stockholm)", "Inskickad (Europe/Stockholm)", "Granskad (Europe/Stockholm)"]
    assert row[5:8] == ["2026-01-15 00:30", "2026-01-15 00:30", "2026-07-15 00:30"]


def test_xlsx_has_stockholm_date_time_cells(client, exported):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/reports/register.xlsx").get_data()))
    sheet = workbook.active
    assert sheet.cell(1, 6).value == "Skapad (Europe/Stockholm)"
    created, decided = sheet.cell(2, 6), sheet.cell(2, 8)
    assert created.value == datetime(2026, 1, 15, 0, 30) and created.is_date
    assert decided.value == datetime(2026, 7, 15, 0, 30)
    assert created.number_format == "yyyy-mm-dd hh:mm"


def test_api_gives_the_instant_with_its_offset(app, client, exported):
    """The API keeps ISO 8601 in UTC with the offset: one instant, which any client turns into its own time."""
    with app.app_context():
        user = factories.create_user(roles=("auditor",), department="KS", municipality_wide=True)
        _token, plain = ApiToken.issue(user, "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    items = client.get("/api/v1/assessments?from=2026-01-15&to=2026-01-15", headers=headers).get_json()["items"]
    assert [datetime.fromisoformat(item["created_at"]) for item in items] == [WINTER]
    assert client.get("/api/v1/assessments?to=2026-01-14", headers=headers).get_json()["items"] == []


@pytest.fixture
def day_events(app):
    """Assessments and audit events at 23:30 Stockholm time on 2026-01-15 and on 2026-07-15, and 00:30 the day after."""
    moments = {
        "winter_late": datetime(2026, 1, 15, 22, 30, tzinfo=UTC),
        "winter_next": datetime(2026, 1, 15, 23, 30, tzinfo=UTC),
        "summer_late": datetime(2026, 7, 15, 21, 30, tzinfo=UTC),
        "summer_next": datetime(2026, 7, 15, 22, 30, tzinfo=UTC),
    }
    with app.app_context():
        author = factories.create_user(department="FFF")
        for name, moment in moments.items():
            assessment = factories.create_assessment(author=author, title=name)
            assessment.created_at = moment
            record("assessment.create", assessment, actor=author).created_at = moment
        db.session.commit()
    return moments


@pytest.mark.parametrize("day", ["2026-01-15", "2026-07-15"])
def test_a_filtered_day_is_a_stockholm_day(client, login_as, day_events, day):
    season = "winter" if day.startswith("2026-01") else "summer"
    login_as("auditor", "case_officer", department="FFF", municipality_wide=True)
    listing = client.get(f"/assessments/?date_from={day}&date_to={day}").get_data(as_text=True)
    assert f"{season}_late" in listing and f"{season}_next" not in listing
    next_day = day[:-2] + "16"
    listing = client.get(f"/assessments/?date_from={next_day}&date_to={next_day}").get_data(as_text=True)
    assert f"{season}_next" in listing and f"{season}_late" not in listing
    trail = client.get(f"/audit/?date_from={day}&date_to={day}").get_data(as_text=True)
    assert trail.count(f"{day} 23:30") == 1 and f"{next_day} 00:30" not in trail


@MOMENTS
def test_review_queue_writes_the_stockholm_date_as_iso(app, client, login_as, moment, shown):
    """The queue once wrote “15 jan. 2026” where other pages used ISO dates."""
    with app.app_context():
        factories.create_assessment(status="submitted", title="Väntar på granskning").submitted_at = moment
        db.session.commit()
    login_as("reviewer")
    page = client.get("/review/").get_data(as_text=True)
    row = page.split("Väntar på granskning", 1)[0].rsplit("<tr>", 1)[1]
    assert f"<td>{shown[:10]}</td>" in row
