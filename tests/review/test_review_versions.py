"""Amending an approved assessment: a deep copy in draft, reviewed again; versions listed and compared."""

import pytest
import sqlalchemy as sa
from flask import render_template_string

from impact.assessments import lifecycle
from impact.assessments.lifecycle import WorkflowError
from impact.assessments.models import Assessment
from impact.auth.sessions import start_session
from impact.core.db import db
from impact.review import operations
from impact.review.versions import compare, versions_of
from tests import factories

LONG = "Förslaget påverkar äldre personer i Norrby som saknar bil och är beroende av kollektivtrafik för att nå vården."


@pytest.fixture
def approved(app_ctx):
    officer = factories.create_user(roles=("case_officer",))
    assessment = factories.create_assessment(
        status="approved",
        author=officer,
        answers={
            "age": {
                "impact": "negative",
                "affected_groups": LONG,
                "mitigations": [{"description": "Anropsstyrd trafik", "responsible": "Trafikenheten"}],
            },
            "gender": "not_relevant",
        },
    )
    db.session.commit()
    return assessment, officer


def test_amend_makes_a_deep_copy_in_draft(approved):
    original, officer = approved
    copy = operations.amend(original, officer)
    db.session.commit()
    assert copy.id != original.id
    assert (copy.status.value, copy.amends_id, copy.version_number) == ("draft", original.id, 2)
    assert [a.id for a in copy.authors] == [a.id for a in original.authors]
    assert [d.name for d in copy.districts] == [d.name for d in original.districts]
    assert {a.ground.key for a in copy.answers} == {"age", "gender"}
    age = next(a for a in copy.answers if a.ground.key == "age")
    assert age.affected_groups == LONG and [m.description for m in age.mitigations] == ["Anropsstyrd trafik"]
    assert age.mitigations[0].id != original.answers[0].mitigations[0].id
    assert copy.submitted_at is None and copy.decided_at is None
    assert original.status.value == "approved"


def test_second_open_amendment_is_refused(approved):
    original, officer = approved
    operations.amend(original, officer)
    with pytest.raises(WorkflowError):
        operations.amend(original, officer)


def test_approving_the_new_version_archives_the_old(approved):
    original, officer = approved
    copy = operations.amend(original, officer)
    lifecycle.submit(copy, officer)
    operations.approve(copy, factories.create_user(roles=("reviewer",)))
    db.session.commit()
    assert copy.status.value == "approved"
    assert original.status.value == "archived"
    assert [v.id for v in versions_of(original)] == [original.id, copy.id]
    assert [v.id for v in versions_of(copy)] == [original.id, copy.id]


def test_diff_field_by_field_and_per_ground(app, approved):
    original, officer = approved
    copy = operations.amend(original, officer)
    copy.title = "Nytt namn"
    age = next(a for a in copy.answers if a.ground.key == "age")
    age.affected_groups = LONG.replace("saknar bil", "har svårt att gå")
    db.session.flush()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sections = compare(original, copy)
    changed = {(section.title, row.label) for section in sections for row in section.rows if row.changed}
    assert ("Proposal, screening, involvement and conclusion", "Title") in changed
    assert any(label == "Affected groups and how" for _, label in changed)
    row = next(r for s in sections for r in s.rows if r.label == "Affected groups and how")
    assert "<del>" in row.before and "saknar bil" in row.before and "removed:" in row.before
    assert "<ins>" in row.after and "har svårt att gå" in row.after
    unchanged = next(r for s in sections for r in s.rows if r.label == "Case number")
    assert not unchanged.changed


def test_compare_page_is_an_accessible_table(app, client, login_as):
    user = login_as("case_officer")
    with app.app_context():
        officer = db.session.get(factories.User, user.id)
        original = factories.create_assessment(status="approved", author=officer, title="<b>Gammal</b>")
        copy = operations.amend(original, officer)
        copy.title = "Ny"
        db.session.commit()
        ids = original.id, copy.id
    page = client.get(f"/review/{ids[1]}/compare?a={ids[0]}&b={ids[1]}").get_data(as_text=True)
    assert "<table" in page and 'scope="row"' in page
    assert "&lt;b&gt;Gammal&lt;/b&gt;" in page
    assert client.get(f"/review/{ids[1]}/compare").status_code == 200


def test_compare_refuses_a_version_of_another_proposal(app, client, login_as):
    login_as("case_officer")
    with app.app_context():
        one = factories.create_assessment(status="approved")
        other = factories.create_assessment(status="approved")
        db.session.commit()
        ids = one.id, other.id
    assert client.get(f"/review/{ids[0]}/compare?a={ids[0]}&b={ids[1]}").status_code == 400


def test_panel_lists_versions_and_offers_amend_only_when_allowed(app, approved):
    original, officer = approved
    reviewer = factories.create_user(roles=("reviewer",))
    officer.locale = reviewer.locale = "en"  # logged in, the account's language counts, not Accept-Language
    db.session.commit()
    template = '{% include "review/_assessment_panel.html" %}'
    with app.test_request_context(headers={"Accept-Language": "en"}):
        start_session(officer)
        page = render_template_string(template, assessment=original)
    assert "Amend (create a new version)" in page and "Follow up" in page
    with app.test_request_context(headers={"Accept-Language": "en"}):
        start_session(reviewer)
        page = render_template_string(template, assessment=original)
    assert "Amend" not in page and "Archive" in page
    copy = operations.amend(original, officer)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        start_session(officer)
        page = render_template_string(template, assessment=original)
    assert "Amend (create" not in page and f"/assessments/{copy.id}" in page
    assert "Show the differences" in page
    with app.test_request_context(headers={"Accept-Language": "en"}):
        start_session(officer)
        body = render_template_string('{% include "assessments/_assessment_body.html" %}', assessment=original)
    assert "New version started" in body  # in the page's one history, below the panel


def test_amended_copy_is_a_new_row_not_an_edit(approved):
    original, officer = approved
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Assessment))
    operations.amend(original, officer)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == before + 1


def test_panel_compare_form_leads_to_the_comparison(app, client, login_as):
    user = login_as("case_officer")
    with app.app_context():
        officer = db.session.get(factories.User, user.id)
        original = factories.create_assessment(status="approved", author=officer, title="Första")
        copy = operations.amend(original, officer)
        copy.title = "Andra"
        db.session.commit()
        with app.test_request_context(headers={"Accept-Language": "en"}):
            start_session(officer)
            panel = render_template_string('{% include "review/_assessment_panel.html" %}', assessment=copy)
        ids = original.id, copy.id
    assert 'name="compare-a"' in panel and 'for="compare-a"' in panel
    page = client.get(f"/review/{ids[1]}/compare?compare-a={ids[0]}&compare-b={ids[1]}").get_data(as_text=True)
    assert "Första" in page and "Andra" in page


def test_the_committees_decision_of_each_version_is_compared(app, approved):
    from datetime import date

    from impact.assessments.enums import CommitteeOutcome
    from impact.decisions import operations as decisions

    original, officer = approved
    entered = decisions.DecisionInput(
        "Kommunstyrelsen", date(2026, 10, 1), "§ 3", CommitteeOutcome.referred_back, False
    )
    decisions.record(original, officer, entered)
    copy = operations.amend(original, officer)
    db.session.flush()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sections = compare(original, copy)
    row = next(r for s in sections for r in s.rows if r.label == "The committee's decision")
    assert row.changed and "Referred back, Kommunstyrelsen 2026-10-01 § 3" in row.before and row.after == ""
