"""The assessment page (and the review page that shows the same body) is a fixed number of queries.

The same page of a small assessment (one ground answered, one mitigation, one comment, one version) and of a
large one (nine grounds with mitigations, districts and comments, co-authors, history, three versions) must cost
the same number of statements, for an auditor, the reviewer and the authoring case officer.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from impact.assessments.child_rights import ChildRightEffectRow
from impact.audit import trail
from impact.core.db import db
from impact.grounds.models import DEFAULT_ARTICLES, TemplateVersion
from impact.review.models import Section
from tests import factories
from tests.databases import page_statements

DUE = date.today() + timedelta(days=30)


def _assessment(status: str, author, reviewer, grounds: list, *, versions: int, co_authors: int, label: str) -> int:
    """An assessment in ``status`` answering ``grounds`` negatively, each with mitigations, a comment and a right of
    the child.

    ``versions`` > 1 makes it the last of a chain of amendments of approved earlier versions.
    """
    previous = None
    for number in range(1, versions + 1):
        last = number == versions
        answers = {
            ground.key: {
                "impact": "negative",
                "district_notes": "Norrby mer än andra.",
                "mitigations": [
                    {"description": f"{label} åtgärd {ground.key} {index}", "due_date": DUE} for index in range(2)
                ],
            }
            for ground in grounds
        }
        assessment = factories.create_assessment(
            status=status if last else "approved",
            author=author,
            answers=answers,
            districts=("Norrby", "Sjöbo", "Hässleholmen")[: 1 + co_authors],
            title=f"{label} version {number}",
            version_number=number,
            amends=previous,
            # It concerns children: one right of the child per ground answered, and the districts of the proposal.
            child_rights=factories.full_child_rights(
                effects=[ChildRightEffectRow(article=article) for article in sorted(DEFAULT_ARTICLES)[: len(grounds)]],
                districts=[factories.ensure_district(name) for name in ("Norrby", "Sjöbo")[: 1 + co_authors]],
            ),
        )
        for answer in assessment.answers:
            answer.districts = [factories.ensure_district("Norrby")]
        for index in range(co_authors):
            assessment.authors.append(factories.create_user(roles=("case_officer",), name=f"Medförfattare {index}"))
        for ground in grounds:
            factories.create_review_comment(assessment, reviewer, body=f"{label} kommentar {ground.key}", ground=ground)
        factories.create_review_comment(assessment, reviewer, body=f"{label} om förslaget", section=Section.proposal)
        factories.create_review_comment(assessment, reviewer, body=f"{label} beslutet", section=Section.overall)
        for event in range(1 + 2 * co_authors):
            trail.record(
                "assessment.update", assessment, actor=author, changes={"title": {"before": "", "after": f"{event}"}}
            )
        previous = assessment
    db.session.commit()
    return assessment.id


@pytest.fixture
def pages(app):
    """(small id, large id, users by role) for assessments of department FFF."""

    def build(status: str):
        with app.app_context():
            author = factories.create_user(roles=("case_officer",), department="FFF", name="Ann Författare")
            reviewer = factories.create_user(roles=("reviewer",), department="FFF", name="Rut Granskare")
            grounds = TemplateVersion.current().active_grounds
            assert len(grounds) == 9
            small = _assessment(status, author, reviewer, grounds[:1], versions=1, co_authors=0, label="Liten")
            large = _assessment(status, author, reviewer, grounds, versions=3, co_authors=2, label="Stor")
            return small, large, author.email

    return build


@pytest.mark.parametrize(
    "role, status",
    [("auditor", "approved"), ("reviewer", "submitted"), ("case_officer", "draft"), ("case_officer", "returned")],
)
def test_assessment_page_query_count_does_not_grow(app, client, auth, login_as, pages, role, status):
    small, large, author_email = pages(status)
    if role == "auditor":
        login_as("auditor", department="SLK", municipality_wide=True)
    elif role == "reviewer":
        login_as("reviewer", department="FFF")
    else:
        assert auth.login(author_email).status_code == 302

    small_count, small_page = page_statements(app, client, f"/assessments/{small}")
    large_count, large_page = page_statements(app, client, f"/assessments/{large}")

    # The pages show what was loaded: every mitigation, comment, co-author and version of the large one.
    assert "Liten åtgärd" in small_page and "Liten kommentar" in small_page
    assert large_page.count("Stor åtgärd") == 18
    assert large_page.count("Stor kommentar") == 9
    assert "Medförfattare 1" in large_page
    assert "Version 3" in large_page and "Version 1" in large_page
    assert small_count == large_count, (small_count, large_count)


def test_review_page_query_count_does_not_grow(app, client, login_as, pages):
    small, large, _author_email = pages("submitted")
    login_as("reviewer", department="FFF")

    small_count, _page = page_statements(app, client, f"/review/{small}")
    large_count, large_page = page_statements(app, client, f"/review/{large}")

    assert large_page.count("Stor åtgärd") == 18
    assert small_count == large_count, (small_count, large_count)


def test_versions_of_reads_the_whole_chain_in_one_query(app_ctx):
    from impact.review.versions import versions_of

    first = factories.create_assessment(status="approved", title="Första")
    second = factories.create_assessment(status="approved", title="Andra", amends=first, version_number=2)
    third = factories.create_assessment(status="draft", title="Tredje", amends=second, version_number=3)
    factories.create_assessment(status="approved", title="Ett annat förslag")
    db.session.commit()
    versions = [db.session.get(factories.Assessment, v.id) for v in (first, second, third)]
    ids = [version.id for version in versions]
    found = []

    def listener(*args):
        found.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for version in versions:
            assert [v.id for v in versions_of(version)] == ids
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(found) == 3


@pytest.mark.parametrize(
    "role, department, wide, sees_draft", [("auditor", "SLK", True, False), ("case_officer", "FFF", False, True)]
)
def test_panel_lists_only_versions_the_user_may_see(app, client, login_as, role, department, wide, sees_draft):
    with app.app_context():
        first = factories.create_assessment(status="approved", title="Godkänd version")
        factories.create_assessment(status="draft", title="Utkast till ny version", amends=first, version_number=2)
        db.session.commit()
        first_id = first.id
    login_as(role, department=department, municipality_wide=wide)
    page = client.get(f"/assessments/{first_id}").get_data(as_text=True)
    assert "Version 1" in page
    # A draft of another department is not the auditor's to know of: neither listed nor announced.
    assert ("Version 2" in page) is sees_draft
    assert ("En ny version håller på att tas fram" in page) is sees_draft
