"""Figures agree everywhere: every number on the dashboard and district view equals the list it links to, and the
dashboard, the API summary and the CSV register give the same counts for the same filters."""

import csv
import html
import io
import re

import pytest

from impact.core.db import db
from impact.reports.register import COLUMNS
from impact.reports.scope import scoped_filters
from impact.reports.summary import compute_summary
from tests import factories

LINK = re.compile(r'<a href="(/assessments/[^"]*)">(\d+)</a>')
CAPTION_NUMBER = re.compile(r"<caption>\s*(\d+)")
FILTER_SETS = [
    "",
    "?department=FFF",
    "?ground=gender",
    "?ground=gender&impact=negative",
    "?status=approved&district=Norrby",
    "?area=OMR-HASSLEHOLMEN",
    "?date_from=2026-01-01",
    "?concern=unmitigated",
    "?impact=negative&status=approved&status=submitted",
    "?prediction=held&department=FFF",
    "?owner_department=SOF&concern=overdue_mitigation",
]


@pytest.fixture
def auditor(login_as, seeded):
    return login_as("auditor", department="KS", municipality_wide=True)


def list_count(client, url: str) -> int:
    page = client.get(url).get_data(as_text=True)
    match = CAPTION_NUMBER.search(page)
    assert match, f"no count on {url}"
    return int(match.group(1))


@pytest.mark.parametrize("query", FILTER_SETS)
@pytest.mark.parametrize("page", ["/reports/", "/reports/districts"])
def test_every_number_equals_the_list_it_links_to(client, auditor, page, query):
    body = client.get(page + query).get_data(as_text=True)
    links = LINK.findall(body)
    assert links, "the page links its figures to the list"
    checked = {}
    for url, number in links:
        url = html.unescape(url)
        if url not in checked:
            checked[url] = list_count(client, url)
        assert checked[url] == int(number), f"{url}: figure {number}, list {checked[url]}"


def test_seeded_figures_are_the_expected_ones(app, client, auditor):
    """Hand-checked on the seed: drafts and returned assessments of other departments are never counted."""
    with app.test_request_context():
        user = db.session.get(factories.User, auditor.id)
        summary = compute_summary(scoped_filters(user, {}), user)
    assert summary.total == 5  # four approved + one submitted; the draft and the returned one are not visible
    assert summary.by_status == {"approved": 4, "submitted": 1}
    assert summary.heat_by_ground[("gender", "negative")] == 2
    assert summary.heat_by_ground[("disability", "negative")] == 2
    assert summary.most_negative_ground == "gender"  # a tie goes to the ground listed first
    # Gender in approved_ff and disability in the old one; age is justified, the other disability is mitigated.
    assert summary.unmitigated_assessments == 2
    assert summary.unmitigated_by_ground == {"gender": 1, "disability": 1}
    assert summary.overdue_mitigations == 1
    assert summary.overdue_follow_ups == 1
    assert summary.by_quarter[(2025, 1)] == 1
    assert summary.negative_by_quarter[(2025, 1)] == 1
    # Followed up: disability (negative after mitigations) and age (negative) held; gender was better than predicted.
    assert summary.predictions_by_ground == {
        ("disability", "recorded"): 1,
        ("disability", "held"): 1,
        ("gender", "recorded"): 1,
        ("age", "recorded"): 1,
        ("age", "held"): 1,
    }
    assert (summary.predictions("held"), summary.predictions("recorded")) == (2, 3)
    assert summary.prediction_assessments == {"recorded": 2, "held": 2}
    # The one overdue mitigation is owned in the social services department, not the assessment's own.
    assert [row[0] for row in summary.overdue_by_owner_department] == ["SOF"]
    assert summary.overdue_by_owner_department[0][2:] == (1, 1)


def token_for(app, user_id: int) -> str:
    from impact.api.models import ApiToken

    with app.app_context():
        _token, plain = ApiToken.issue(db.session.get(factories.User, user_id), "test")
        db.session.commit()
    return plain


@pytest.mark.parametrize(
    ("ui_query", "api_query"),
    [
        ("", ""),
        ("?department=SOF", "?department=SOF"),
        ("?ground=gender", "?ground=gender"),
        ("?status=approved&district=Norrby", "?status=approved&district=Norrby"),
        ("?date_from=2025-01-01&date_to=2025-12-31", "?from=2025-01-01&to=2025-12-31"),
    ],
)
def test_dashboard_api_csv_and_list_agree(app, client, auditor, ui_query, api_query):
    token = token_for(app, auditor.id)
    headers = {"Authorization": f"Bearer {token}"}
    summary = client.get("/api/v1/summary" + api_query, headers=headers).get_json()
    listing = client.get("/api/v1/assessments" + api_query, headers=headers).get_json()
    register = client.get("/reports/register.csv" + ui_query).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(register.lstrip("\ufeff")), delimiter=";"))[1:]
    in_csv = {row[0] for row in rows}
    in_list = list_count(client, "/assessments/" + ui_query)
    dashboard = client.get("/reports/" + ui_query).get_data(as_text=True)
    total_link = re.search(r'<dd><a href="[^"]*">(\d+)</a></dd>', dashboard)
    assert summary["total"] == listing["total"] == len(in_csv) == in_list == int(total_link.group(1))
    ground, score = (next(n for n, (key, _l) in enumerate(COLUMNS) if key == name) for name in ("ground_key", "score"))
    negative_csv = sum(1 for row in rows if row[ground] == "gender" and row[score] in ("-1", "-2"))
    gender = next(item for item in summary["impacts_by_ground"] if item["ground"] == "gender")
    assert gender["negative"] == negative_csv


def test_case_officer_sees_only_their_department(client, login_as, seeded):
    login_as("case_officer", department="FFF")
    body = client.get("/reports/").get_data(as_text=True)
    links = {html.unescape(url) for url, _n in LINK.findall(body)}
    assert links and all("department=FFF" in url for url in links)
    assert "Socialomsorgsförvaltningen" not in body
