"""Quality figures: computed by the database, equal to the lists they link to, a fixed number of queries."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from impact.assessments.enums import Confidence
from impact.audit import trail
from impact.core.db import db
from tests import factories
from tests.databases import page_statements

LINK = re.compile(r'<td class="numeric"><a href="([^"]+)">(\d+)</a>')
COUNT = re.compile(r"<caption>\s*(\d+) (?:konsekvensanalyser|konsekvensanalys)\s*</caption>")


@pytest.fixture
def assessed(app):
    """FFF this year: five sent for review, of every kind the figures count; a draft and another department's
    returned assessment (which an auditor of the whole municipality may not read) that are not counted."""
    with app.app_context():
        created = datetime.now(UTC) - timedelta(days=30)
        linked = {"impact": "neutral", "evidence_links": "https://www.boras.se/statistik", "confidence": "high"}
        plain = factories.create_assessment("approved", answers={"age": linked}, created_at=created)
        plain.decided_at = created + timedelta(days=10)
        factories.create_assessment("submitted", affects_people=False, created_at=created)
        unsure = factories.create_assessment(
            "approved",
            answers={"age": {**linked, "confidence": Confidence.low}, "gender": "cannot_assess"},
            created_at=created,
        )
        unsure.decided_at = created + timedelta(days=20)
        returned = factories.create_assessment("submitted", answers={"age": "neutral"}, created_at=created)
        trail.record("assessment.return_for_changes", returned, actor=None)  # returned once, then sent again
        factories.create_assessment("decided", answers={"age": linked}, created_at=created).decided_at = (
            created + timedelta(days=40)
        )
        factories.create_assessment("draft", answers={"age": "neutral"}, created_at=created)
        factories.create_assessment("returned", department="GSF", created_at=created)
        db.session.commit()


def test_every_figure_equals_the_list_it_links_to(client, login_as, assessed):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/quality").get_data(as_text=True)
    figures = [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]
    assert len(figures) == 6  # FFF only: GSF's returned assessment is not the auditor's to read
    for url, expected in figures:
        assert int(COUNT.search(client.get(url).get_data(as_text=True)).group(1)) == expected, url
    # sent, screened out, approved not assessable, low confidence, no evidence link, returned once
    assert [n for _url, n in figures][:6] == [5, 1, 1, 1, 1, 1]
    assert re.search(r"<td class=\"numeric\">20</td>\s*</tr>", page), "the median of 10, 20 and 40 days"


def test_the_query_count_does_not_grow_with_the_assessments(app, client, login_as, assessed):
    login_as("auditor", department="SLK", municipality_wide=True)
    few = page_statements(app, client, "/reports/quality")[0]
    with app.app_context():
        for number in range(15):
            factories.create_assessment(
                ("approved", "submitted", "decided")[number % 3], department=("GSF", "KUF")[number % 2]
            )
        db.session.commit()
    assert page_statements(app, client, "/reports/quality")[0] == few


def test_case_officers_and_secretaries_do_not_get_it(client, login_as, auth):
    login_as("case_officer")
    assert client.get("/reports/quality").status_code == 403
