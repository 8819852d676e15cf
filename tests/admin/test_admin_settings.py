"""Settings: municipality name, case-number pattern with an example, follow-up reminder; validated and audited."""

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.settings.models import Setting, get_setting
from tests.conftest import csrf_token

VALID = {
    "municipality_name": "Borås Stad",
    "case_number_pattern": r"^KS \d{4}/\d{1,4}$",
    "case_number_example": "KS 2026/123",
    "follow_up_reminder_days": "30",
}


@pytest.fixture
def admin(login_as):
    return login_as("admin", department="SLK")


def post(client, **data):
    return client.post("/admin/settings", data={"csrf_token": csrf_token(client, "/admin/settings"), **VALID, **data})


def test_defaults_come_from_the_config(app_ctx):
    assert get_setting("follow_up_reminder_days") == 14
    assert get_setting("municipality_name") == "Borås Stad"
    assert get_setting("no_such_setting", default="x") == "x"
    with pytest.raises(KeyError):
        get_setting("no_such_setting")


def test_the_form_shows_the_current_values(client, admin):
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="2026-00123"' in page and 'value="14"' in page


def test_saving_stores_the_settings_and_audits_the_diff(app, client, admin):
    assert post(client, municipality_name="Sjuhärads kommun").status_code == 302
    with app.app_context():
        assert get_setting("case_number_pattern") == VALID["case_number_pattern"]
        assert get_setting("follow_up_reminder_days") == "30"
        assert db.session.get(Setting, "municipality_name").updated_by_id == admin.id
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "settings.update").order_by(AuditEvent.id)
        )
        assert event.changes["municipality_name"] == {"before": "Borås Stad", "after": "Sjuhärads kommun"}
        assert event.actor_id == admin.id
    # The header of every page uses the setting.
    assert '<span class="header__municipality">Sjuhärads kommun</span>' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"case_number_pattern": r"^(\d{4}-$"}, "case_number_pattern", "inte ett giltigt reguljärt uttryck"),
        ({"case_number_pattern": r".*"}, "case_number_pattern", "får inte godta ett tomt diarienummer"),
        ({"case_number_example": "2026-00123"}, "case_number_example", "Exemplet följer inte mönstret"),
        ({"municipality_name": ""}, "municipality_name", "Ange kommunens namn"),
        ({"follow_up_reminder_days": "0"}, "follow_up_reminder_days", "mellan 1 och 365"),
        ({"follow_up_reminder_days": "many"}, "follow_up_reminder_days", ""),
    ],
)
def test_bad_input_errors_next_to_the_field_and_nothing_changes(app, client, admin, data, field, message):
    response = post(client, **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Setting)) == 0
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "settings.update")
            )
            == 0
        )


def test_saving_unchanged_values_records_nothing(app, client, admin):
    post(client)
    post(client)
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "settings.update").order_by(AuditEvent.id)
        ).all()
        assert len(events) == 1
