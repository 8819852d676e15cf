"""The assessment list: tabs, search, filters, sorting, pagination, and a query count that does not grow."""

import pytest
import sqlalchemy as sa

from impact.core.db import db
from tests import factories


@pytest.fixture
def officer_with_data(app, login_as):
    user = login_as("case_officer", department="FFF")
    with app.app_context():
        me = db.session.get(factories.User, user.id)
        factories.create_assessment(author=me, title="Mitt simhallsförslag")
        factories.create_assessment(title="Kollegans busslinje i Norrby")
        factories.create_assessment(title="Skolskjuts Sandhult", department="GSF", status="approved")
        factories.create_assessment(title="Hemligt utkast", department="GSF")
        db.session.commit()
    return user


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("scope=mine", ["Mitt simhallsförslag"], ["Kollegans busslinje", "Skolskjuts Sandhult"]),
        ("scope=department", ["Mitt simhallsförslag", "Kollegans busslinje"], ["Skolskjuts Sandhult"]),
        ("", ["Mitt simhallsförslag", "Kollegans busslinje", "Skolskjuts Sandhult"], ["Hemligt utkast"]),
        ("q=norrby", ["Kollegans busslinje"], ["Mitt simhallsförslag"]),
        ("status=approved", ["Skolskjuts Sandhult"], ["Mitt simhallsförslag"]),
        ("sort=title&scope=department", ["Kollegans busslinje"], ["Hemligt utkast"]),
    ],
)
def test_tabs_search_and_filters(client, officer_with_data, query, shown, hidden):
    page = client.get(f"/assessments/?{query}").get_data(as_text=True)
    for title in shown:
        assert title in page
    for title in hidden:
        assert title not in page


def test_sort_by_title(client, officer_with_data):
    page = client.get("/assessments/?sort=title").get_data(as_text=True)
    assert page.index("Kollegans busslinje") < page.index("Mitt simhallsförslag") < page.index("Skolskjuts")


def test_list_query_count_does_not_grow_with_data(app, client, login_as):
    login_as("case_officer")
    counts = []
    for _round in range(2):
        with app.app_context():
            for _index in range(5):
                factories.create_assessment()
            db.session.commit()
        with app.app_context():
            statements = []
            engine = db.engine

            def listener(*args, found=statements):
                found.append(args[2])

            sa.event.listen(engine, "before_cursor_execute", listener)
            try:
                assert client.get("/assessments/").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]
