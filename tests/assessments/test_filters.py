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
