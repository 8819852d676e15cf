"""The main menu marks the section the current page belongs to, and only entries the user may see are shown."""

import pytest

from impact.auth.sessions import start_session
from impact.core.db import db
from impact.core.navigation import NavEntry, main_menu, register_navigation
from tests import factories


@pytest.fixture
def menu_app(app):
    app.extensions["impact_navigation"] = []  # only the entries below, whatever features exist
    register_navigation(
        app,
        [
            NavEntry("core.home", "Start", visible=lambda user: True, order=1),
            NavEntry("assessments.index", "Assessments", visible=lambda user: True, order=2),
            NavEntry("core.healthz", "Hidden", visible=lambda user: False, order=3),
        ],
    )
    return app


@pytest.mark.parametrize(
    ("path", "current"),
    [("/", "/"), ("/assessments/", "/assessments/"), ("/assessments/5", "/assessments/"), ("/nowhere", None)],
)
def test_menu_marks_the_current_section(menu_app, path, current):
    with menu_app.test_request_context(path):
        user = factories.create_user()
        db.session.commit()
        start_session(user)
        items = main_menu()
    assert [item.url for item in items] == ["/", "/assessments/"]
    assert [item.url for item in items if item.current] == ([current] if current else [])


def test_the_menu_is_rendered_with_aria_current(menu_app, client, login_as):
    login_as("case_officer")
    html = client.get("/assessments/").get_data(as_text=True)
    assert '<nav class="nav width-container" aria-label="Huvudmeny">' in html
    assert 'href="/assessments/" aria-current="page"' in html
    assert 'href="/" aria-current' not in html
