"""Voices and children: computed by the database, equal to the lists they link to, a fixed number of queries."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from impact.assessments.enums import ConsultationMethod
from impact.assessments.models import Consultation
from impact.core.db import db
from tests import factories
from tests.databases import page_statements

LINK = re.compile(r'<td class="numeric"><a href="([^"]+)">(\d+)</a>')
COUNT = re.compile(r"<caption>\s*(\d+) (?:konsekvensanalyser|konsekvensanalys)\s*</caption>")


def _heard(kind=None, name: str = "") -> Consultation:
    return Consultation(
        group_kind=kind, group_name=name, method=ConsultationMethod.meeting, views="Synpunkter.", changes_made="Inga."
    )


@pytest.fixture
def heard(app):
    """FFF this year, sent for review: children concerned and heard with a right weakened; children concerned and
    not heard; nobody heard at all; the youth council heard twice and a named group once. A draft and another
    department's returned assessment (not the auditor's to read) are not counted."""
    with app.app_context():
        created = datetime.now(UTC) - timedelta(days=30)
        youth = factories.ensure_group_kind()
        factories.create_assessment(
            "approved",
            created_at=created,
            child_rights=factories.full_child_rights(),
            consultations=[_heard(youth), _heard(youth)],
        )
        factories.create_assessment(
            "submitted",
            created_at=created,
            child_rights=factories.full_child_rights(children_heard=False, effects=[]),
            consultations=[_heard(name="Föräldrar i Norrby")],
        )
        factories.create_assessment("decided", created_at=created)  # nobody heard
        factories.create_assessment("draft", created_at=created, consultations=[_heard(youth)])
        factories.create_assessment("returned", department="GSF", created_at=created, consultations=[_heard(youth)])
        db.session.commit()


def test_every_figure_equals_the_list_it_links_to(client, login_as, heard):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/voices").get_data(as_text=True)
    figures = [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]
    for url, expected in figures:
        assert int(COUNT.search(client.get(url).get_data(as_text=True)).group(1)) == expected, url
    # sent, concern children, children heard, a right weakened, nobody heard; the youth council's assessments
    assert [n for _url, n in figures] == [3, 2, 1, 1, 1, 1]
    assert "Föräldrar i Norrby" not in page, "groups the officers named are counted together, not listed by name"
    assert re.search(r"<td class=\"numeric\">2</td>\s*<td class=\"numeric\"><a ", page), "two youth council meetings"


def test_the_query_count_does_not_grow_with_the_assessments(app, client, login_as, heard):
    login_as("auditor", department="SLK", municipality_wide=True)
    few = page_statements(app, client, "/reports/voices")[0]
    with app.app_context():
        for number in range(12):
            factories.create_assessment(
                ("approved", "submitted")[number % 2],
                department=("GSF", "KUF")[number % 2],
                consultations=[_heard(factories.ensure_group_kind(f"Råd {number}", f"Council {number}"))],
            )
        db.session.commit()
    assert page_statements(app, client, "/reports/voices")[0] == few


def test_case_officers_do_not_get_it(client, login_as):
    login_as("case_officer")
    assert client.get("/reports/voices").status_code == 403
