"""The shared assessment filters select the same rows whatever page uses them."""

from datetime import date

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.datastructures import MultiDict

from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment
from impact.core.db import db
from tests import factories


@pytest.fixture
def rows(app):
    with app.test_request_context():
        officer = factories.create_user()
        rows = {
            "neg": factories.create_assessment(author=officer, title="Nedlagd simhall", answers={"age": "negative"}),
            "pos": factories.create_assessment(
                author=officer, status="approved", answers={"age": "positive"}, districts=("Sjöbo",)
            ),
            "gsf": factories.create_assessment(department="GSF", title="Skolskjuts", answers={"gender": "negative"}),
        }
        db.session.commit()
        yield {key: value.id for key, value in rows.items()}


def _select(args: dict) -> set[int]:
    form = AssessmentFilterForm.from_args(MultiDict(args))
    return set(db.session.scalars(form.apply(sa.select(Assessment.id))))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, {"neg", "pos", "gsf"}),
        ({"q": "simhall"}, {"neg"}),
        ({"q": "2026-"}, {"neg", "pos", "gsf"}),
        ({"status": ["approved"]}, {"pos"}),
        ({"department": "GSF"}, {"gsf"}),
        ({"ground": "age"}, {"neg", "pos"}),
        ({"impact": "negative"}, {"neg", "gsf"}),
        ({"ground": "age", "impact": "negative"}, {"neg"}),
        ({"district": "Sjöbo"}, {"pos"}),
        ({"department": "NOPE"}, {"neg", "pos", "gsf"}),  # an invalid filter is ignored (and reported)
    ],
)
def test_filters_select_the_expected_assessments(app, rows, args, expected):
    with app.test_request_context():
        assert _select(args) == {rows[key] for key in expected}


def test_invalid_filters_are_reported_and_left_out_of_links(app, rows):
    with app.test_request_context():
        form = AssessmentFilterForm.from_args(MultiDict({"department": "NOPE", "date_from": "31/12", "q": "x"}))
        assert form.department.errors and form.date_from.errors
        assert form.to_args() == {"q": "x"}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"status": ["approved", "submitted"]},
        {"department": "GSF", "ground": "age", "impact": "negative"},
        {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)},
        {"concern": "unmitigated", "q": ""},
    ],
)
def test_the_dashboards_link_maker_gives_the_links_url_for_gives(app, rows, changes):
    args = MultiDict([("q", "å & ö/?=+"), ("district", "Sjöbo"), ("status", "draft"), ("date_from", "2025-01-01")])
    with app.test_request_context():
        form = AssessmentFilterForm.from_args(args)
        assert form.link_maker("assessments.index")(changes) == url_for("assessments.index", **form.to_args(**changes))
    with app.test_request_context():
        empty = AssessmentFilterForm.from_args(MultiDict())
        assert empty.link_maker("assessments.index")({}) == url_for("assessments.index")


def test_areas_roll_up_to_their_district_and_the_approval_days_filter(app, client, login_as, rows):
    """``area`` by code; ``district`` also finds an assessment through an area within it (one whose district it does
    not name, as when an admin has moved the area); ``decided_from``/``decided_to`` by the day of approval in
    Stockholm time. On the list page a bad value is shown by its field and left out, the rest applied."""
    from datetime import UTC, datetime

    with app.test_request_context():
        approved = db.session.get(Assessment, rows["pos"])
        approved.areas = [factories.ensure_area("OMR-LUNDEN", "Lunden", "Centrum")]
        approved.decided_at = datetime(2026, 5, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 June in Stockholm
        db.session.commit()
        assert _select({"area": "OMR-LUNDEN"}) == {rows["pos"]}
        assert _select({"district": "Centrum"}) == {rows["pos"]}
        assert _select({"decided_from": "2026-06-01", "decided_to": "2026-06-01"}) == {rows["pos"]}
        assert _select({"decided_to": "2026-05-31"}) == set()
        assert _select({"decided_from": "2026-06-02"}) == set()
        form = AssessmentFilterForm.from_args(MultiDict({"decided_from": "2026-06-02", "decided_to": "2026-06-01"}))
        assert form.decided_to.errors and form.to_args() == {"decided_from": "2026-06-02"}
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/assessments/?area=NOWHERE&decided_from=1%2F6&district=Centrum").get_data(as_text=True)
    assert page.count('aria-invalid="true"') == 2 and 'value="1/6"' in page
    assert "Förslag" in page and "1 konsekvensanalys" in page  # the district filter still applies
