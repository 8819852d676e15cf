"""The number of queries a summary, list or export request makes does not grow with the data."""

import contextlib

import pytest
import sqlalchemy as sa

from impact.api.models import ApiToken
from impact.core.db import db
from tests import factories

PAGES = [
    "/reports/",
    "/reports/?ground=gender&impact=negative&status=approved",
    "/reports/districts",
    "/reports/figures.csv",
    "/reports/register.csv",
    "/reports/register.xlsx",
]
API = ["/api/v1/summary", "/api/v1/assessments?per_page=100", "/api/v1/grounds"]


@contextlib.contextmanager
def count_queries(app):
    counter = {"n": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def add_data(app, rounds: int) -> None:
    with app.app_context():
        for _ in range(rounds):
            factories.seed_report_data()
        db.session.commit()


def measure(app, client, path: str, headers=None) -> int:
    client.get(path, headers=headers)  # warm up: first-request work (e.g. catalogue loading) is not data-bound
    with count_queries(app) as counter:
        response = client.get(path, headers=headers)
        response.get_data()
    assert response.status_code == 200, path
    return counter["n"]


@pytest.mark.parametrize("path", PAGES)
def test_report_queries_do_not_grow_with_data(app, client, login_as, path):
    login_as("auditor", department="KS", municipality_wide=True)
    add_data(app, 1)
    small = measure(app, client, path)
    add_data(app, 6)
    large = measure(app, client, path)
    assert large == small, f"{path}: {small} queries with 7 assessments, {large} with 49"


@pytest.mark.parametrize("path", API)
def test_api_queries_do_not_grow_with_data(app, client, path):
    with app.app_context():
        _token, plain = ApiToken.issue(factories.create_user(roles=("auditor",), municipality_wide=True), "t")
        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    add_data(app, 1)
    small = measure(app, client, path, headers)
    add_data(app, 6)
    large = measure(app, client, path, headers)
    assert large == small, f"{path}: {small} queries with 7 assessments, {large} with 49"
