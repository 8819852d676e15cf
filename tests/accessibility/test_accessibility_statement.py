"""The public accessibility statement, the report form, and the admins' side: editing the text, reading reports."""

import pytest
import sqlalchemy as sa

from impact.accessibility.models import AccessibilityReport
from impact.accessibility.statement import DIGG_URL, render_statement
from impact.audit.models import AuditEvent
from impact.core.db import db
from tests.conftest import csrf_token


def report(client, **data):
    data.setdefault("csrf_token", csrf_token(client, "/accessibility/"))
    return client.post("/accessibility/", data=data)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Tillgänglighetsredogörelse för Impact", "delvis förenlig", "Kända brister", "Tillsyn"]),
        ("en", ["Accessibility statement for Impact", "partially compliant", "Known problems", "Supervision"]),
    ],
)
def test_the_statement_is_public_in_both_languages(client, language, texts):
    response = client.get("/accessibility/", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in texts:
        assert text in page
    assert f'href="{DIGG_URL}"' in page
    assert "Borås Stad" in page  # the municipality's name is filled in


def test_every_page_links_to_the_statement_in_the_footer(client, login_as):
    assert 'href="/accessibility/">Tillgänglighetsredogörelse' in client.get("/login").get_data(as_text=True)
    login_as("case_officer")
    assert 'href="/accessibility/">Tillgänglighetsredogörelse' in client.get("/").get_data(as_text=True)


def test_anyone_can_report_a_problem(app, client):
    response = report(
        client,
        description="Knappen går inte att nå med tangentbordet.",
        page="/assessments/1",
        contact="Anna@Example.com",
    )
    assert response.status_code == 302
    assert "Tack" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        saved = db.session.scalar(sa.select(AccessibilityReport))
        assert (saved.page, saved.contact, saved.reported_by_id, saved.handled) == (
            "/assessments/1",
            "anna@example.com",
            None,
            False,
        )
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_type == "accessibility_reports"))


def test_a_logged_in_reporter_is_remembered(app, client, login_as):
    user = login_as("case_officer")
    report(client, description="Kontrasten är för låg.")
    with app.app_context():
        assert db.session.scalar(sa.select(AccessibilityReport.reported_by_id)) == user.id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"description": ""}, "description", "Beskriv problemet du hittade"),
        ({"description": "x", "contact": "inte-epost"}, "contact", "rätt format"),
    ],
)
def test_report_errors_next_to_the_field_and_nothing_stored(app, client, data, field, message):
    page = report(client, **data).get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AccessibilityReport.id))) == 0


def test_admins_read_reports_and_mark_them_handled(app, client, auth, login_as):
    report(client, description="Rubrikerna hoppar över en nivå.", name="Anna", contact="anna@example.com")
    admin = login_as("admin")
    page = client.get("/admin/accessibility-reports").get_data(as_text=True)
    assert "Rubrikerna hoppar över en nivå." in page and "mailto:anna@example.com" in page
    assert "1 rapport är inte hanterad än." in client.get("/admin/").get_data(as_text=True)
    with app.app_context():
        report_id = db.session.scalar(sa.select(AccessibilityReport.id))
    client.post(f"/admin/accessibility-reports/{report_id}/handled", data={"csrf_token": csrf_token(client, "/admin/")})
    with app.app_context():
        saved = db.session.get(AccessibilityReport, report_id)
        assert saved.handled and saved.handled_by_id == admin.id
    assert "Hanterad av" in client.get("/admin/accessibility-reports").get_data(as_text=True)


def test_admins_edit_the_statement_in_both_languages(app, client, login_as):
    login_as("admin")
    form_page = client.get("/admin/accessibility-statement").get_data(as_text=True)
    assert "delvis förenlig" in form_page and "partially compliant" in form_page
    response = client.post(
        "/admin/accessibility-statement",
        data={
            "csrf_token": csrf_token(client, "/admin/"),
            "statement_sv": "## Status\n\nTjänsten är helt förenlig. <script>alert(1)</script>",
            "statement_en": "## Status\n\nThe service is fully compliant.\n\n- No known problems.",
        },
    )
    assert response.status_code == 302
    sv = client.get("/accessibility/").get_data(as_text=True)
    assert "<h2>Status</h2>" in sv and "Tjänsten är helt förenlig." in sv
    assert "<script>alert(1)</script>" not in sv and "&lt;script&gt;" in sv  # admins write text, not HTML
    assert "uppdaterades senast" in sv
    # A visitor whose browser asks for English (logged in, the admin's own language choice would count instead).
    en = app.test_client().get("/accessibility/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<ul><li>No known problems.</li></ul>" in en
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "settings.update"))
        assert set(event.changes) == {"accessibility_statement_sv", "accessibility_statement_en"}


def test_an_empty_statement_is_refused(client, login_as):
    login_as("admin")
    page = client.post(
        "/admin/accessibility-statement",
        data={"csrf_token": csrf_token(client, "/admin/"), "statement_sv": "", "statement_en": "Text"},
    ).get_data(as_text=True)
    assert 'id="statement_sv-error"' in page


def test_render_statement_links_addresses_and_escapes_everything_else():
    html = str(render_statement('Se https://www.digg.se/tdosanmalan. Och "<b>".'))
    assert '<a href="https://www.digg.se/tdosanmalan">https://www.digg.se/tdosanmalan</a>.' in html
    assert "&lt;b&gt;" in html
