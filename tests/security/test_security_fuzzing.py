"""Property-based tests: whatever is submitted, the app answers without a 500 and an invalid request changes nothing."""

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token
from tests.databases import snapshot
from tests.fuzzing import FUZZ_SETTINGS, field_value, form_data, query_string

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out


def _unchanged(app, before) -> None:
    with app.app_context():
        assert snapshot() == before
        db.session.remove()


@FUZZ_SETTINGS
@given(data=form_data(["email", "password", "next"]), with_token=st.booleans())
def test_login_form_never_fails_and_a_failed_login_writes_nothing(app, client, data, with_token):
    with app.app_context():
        before = snapshot()
    if with_token:
        data = {**data, "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data)
    assert response.status_code in (200, 400, 413), response.status_code
    _unchanged(app, before)


@FUZZ_SETTINGS
@given(code=field_value(), data=form_data(["next"]), with_token=st.booleans())
def test_language_switch_never_fails_and_never_leaves_the_site(app, client, code, data, with_token):
    with app.app_context():
        before = snapshot()
    if with_token:
        data = {**data, "csrf_token": csrf_token(client)}
    response = client.post(f"/language/{quote(code, safe='')}", data=data)
    assert response.status_code in (302, 400, 404, 405, 413), response.status_code
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
    _unchanged(app, before)


@pytest.fixture
def assessment_user(app, login_as):
    with app.app_context():
        factories.create_assessment(answers={"age": "negative"})
        factories.create_assessment("approved", department="KSF")
        db.session.commit()
    return login_as("case_officer", "reviewer", "auditor")


FILTER_FIELDS = ["q", "status", "department", "ground", "impact", "district", "date_from", "date_to", "page"]


@FUZZ_SETTINGS
@given(query=query_string(FILTER_FIELDS))
@example(query="status=&status=bogus")  # once a 500: Optional() let unknown statuses through
def test_assessment_filters_never_fail_and_change_nothing(app, client, assessment_user, query):
    with app.app_context():
        before = snapshot()
    response = client.get(f"/assessments/?{query}")
    assert response.status_code == 200, response.status_code
    _unchanged(app, before)
