"""The committee view: its figures come from the database, agree with the lists they link to, and cost a fixed
number of queries however many decisions there are."""

import html
import re
from datetime import date, timedelta

import pytest

from impact.assessments.enums import CommitteeOutcome, MitigationStatus, Outcome
from impact.core.db import db
from impact.decisions import operations as decisions
from tests import factories
from tests.databases import page_statements

LINK = re.compile(r'<td class="numeric"><a href="([^"]+)">(\d+)</a></td>')
COUNT = re.compile(r"<caption>\s*(\d+) (?:konsekvensanalyser|konsekvensanalys|assessments?)\s*</caption>")


def _decide(assessment, outcome, meeting: date, changed: bool = False, committee: str | None = None) -> None:
    entered = decisions.DecisionInput(
        committee or assessment.committee, meeting, "§ 1", outcome, changed, "Ändrat." if changed else ""
    )
    decisions.record(assessment, assessment.authors[0], entered)


@pytest.fixture
def decided(app):
    """Decisions in two committees and two years, of every kind the view counts."""
    with app.app_context():
        this_year = date.today().year
        last = date(this_year - 1, 6, 1)
        now = date.today() - timedelta(days=1)
        # Still negative after its mitigation: an adverse impact the committee accepts when it approves.
        open_one = factories.create_assessment(
            "approved",
            department="FFF",
            answers={"age": {"impact": "negative", "mitigations": [{}], "remaining_impact": "negative"}},
        )
        _decide(open_one, CommitteeOutcome.approved, now, changed=True)
        despite = factories.create_assessment(
            "approved", department="FFF", analysis_outcome=Outcome.continue_despite, answers={"age": "negative"}
        )
        _decide(despite, CommitteeOutcome.approved_with_changes, now)
        done = factories.create_assessment(
            "approved",
            department="FFF",
            answers={"age": {"impact": "negative", "mitigations": [{"status": MitigationStatus.done}]}},
        )
        _decide(done, CommitteeOutcome.rejected, last)
        elsewhere = factories.create_assessment("approved", department="GSF")
        _decide(elsewhere, CommitteeOutcome.referred_back, now, committee="Kommunstyrelsen")
        factories.create_assessment("approved", department="GSF")  # awaiting its decision
        factories.create_assessment("draft", department="GSF")  # not counted
        db.session.commit()


def test_every_figure_equals_the_list_it_links_to(client, login_as, decided):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/committees").get_data(as_text=True)
    figures = [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]
    assert len(figures) > 20
    nonzero = 0
    for url, expected in figures:
        listing = client.get(url).get_data(as_text=True)
        assert int(COUNT.search(listing).group(1)) == expected, url
        nonzero += expected > 0
    assert nonzero >= 10


def test_the_figures_count_what_was_decided(client, login_as, decided):
    login_as("committee_secretary", department="SLK", committees=["Kommunstyrelsen"])
    page = client.get("/reports/committees").get_data(as_text=True)
    rows = [
        (re.sub(r"<[^>]+>", "", row.split("</th>", 1)[0]).strip(), [int(n) for _url, n in LINK.findall(row)])
        for row in page.split("<tr>")[1:]
        if 'scope="row"' in row
    ]
    this_year, last_year = (values for name, values in rows if name.startswith("Fritids"))
    # decided, five outcomes, analysis changed, adverse impact accepted, mitigations not yet done
    assert this_year == [2, 1, 1, 0, 0, 0, 1, 2, 1]
    assert last_year == [1, 0, 0, 1, 0, 0, 0, 0, 0]
    assert dict(rows)["Kommunstyrelsen"] == [1, 0, 0, 0, 1, 0, 0, 0, 0]
    assert dict(rows)["Grundskolenämnden"] == [1]  # awaiting a decision


def test_the_query_count_does_not_grow_with_the_decisions(app, client, login_as, decided):
    login_as("auditor", department="SLK", municipality_wide=True)
    few, _page = page_statements(app, client, "/reports/committees")
    with app.app_context():
        for number in range(12):
            assessment = factories.create_assessment("approved", department=("FFF", "GSF", "KUF")[number % 3])
            _decide(assessment, list(CommitteeOutcome)[number % 5], date(2020 + number % 4, 3, 1), number % 2 == 0)
        db.session.commit()
    assert page_statements(app, client, "/reports/committees")[0] == few


def test_case_officers_do_not_get_the_view(client, login_as):
    login_as("case_officer")
    assert client.get("/reports/committees").status_code == 403
