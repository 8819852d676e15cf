"""The group rules: admins list, add and remove them, every change audited; a removed rule is kept but no longer
applies. Letting a local account be linked to the municipality's account."""

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.auth.group_rules import GroupRule, GroupRuleKind, active_rules
from impact.auth.models import User
from impact.auth.roles import Role
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def admin(login_as):
    return login_as("admin", department="SLK")


def post(client, url: str, **data):
    data.setdefault("csrf_token", csrf_token(client, "/admin/group-rules"))
    return client.post(url, data=data)


def _events(app, action):
    with app.app_context():
        return db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def test_add_rules_of_each_kind_and_list_them(app, client, admin):
    with app.app_context():
        fff_id = factories.ensure_department("FFF").id
        db.session.commit()
    for target in ("role:reviewer", f"department:{fff_id}", "municipality_wide"):
        assert post(client, "/admin/group-rules", group=" impact-granskare ", target=target).status_code == 302
    with app.app_context():
        rules = active_rules()
        assert [(rule.group, rule.kind) for rule in rules] == [
            ("impact-granskare", GroupRuleKind.role),
            ("impact-granskare", GroupRuleKind.department),
            ("impact-granskare", GroupRuleKind.municipality_wide),
        ]
        assert rules[0].role == Role.reviewer and rules[1].department.code == "FFF"
    page = client.get("/admin/group-rules").get_data(as_text=True)
    assert "impact-granskare" in page and "Granskare" in page and "Uppdrag: hela kommunen" in page
    created = _events(app, "group_rule.create")
    assert [event.changes["kind"] for event in created] == ["role", "department", "municipality_wide"]
    assert created[0].changes == {"group": "impact-granskare", "kind": "role", "role": "reviewer", "department": None}
    assert created[0].actor_id == admin.id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"group": "  ", "target": "role:admin"}, "group", "Ange gruppens namn eller id"),
        ({"group": "g", "target": ""}, "target", "Välj vad gruppen ger"),
        ({"group": "g", "target": "role:mayor"}, "target", ""),
    ],
)
def test_bad_input_shows_an_error_and_adds_nothing(app, client, admin, data, field, message):
    page = post(client, "/admin/group-rules", **data).get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert active_rules() == []


def test_the_same_rule_twice_is_refused(app, client, admin):
    post(client, "/admin/group-rules", group="impact-admins", target="role:admin")
    page = post(client, "/admin/group-rules", group="impact-admins", target="role:admin").get_data(as_text=True)
    assert "Gruppen ger redan detta" in page
    assert len(_events(app, "group_rule.create")) == 1


def test_remove_a_rule_keeps_it_but_it_no_longer_applies(app, client, admin):
    post(client, "/admin/group-rules", group="impact-admins", target="role:admin")
    with app.app_context():
        rule_id = db.session.scalar(sa.select(GroupRule.id))
    assert post(client, f"/admin/group-rules/{rule_id}/remove").status_code == 302
    with app.app_context():
        assert active_rules() == [] and db.session.get(GroupRule, rule_id).removed_at is not None
    assert "<code>impact-admins</code>" not in client.get("/admin/group-rules").get_data(as_text=True)
    [removed] = _events(app, "group_rule.remove")
    assert removed.changes["group"] == "impact-admins" and removed.object_id == rule_id


def test_allow_a_local_account_to_be_linked(app, client, admin):
    app.config["OIDC_DISCOVERY_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration"
    with app.app_context():
        target = factories.create_user(email="lokal@boras.se")
        db.session.commit()
        target_id = target.id
    page = client.get(f"/admin/users/{target_id}").get_data(as_text=True)
    assert "Tillåt inloggning med kommunens konto" in page
    assert post(client, f"/admin/users/{target_id}/allow-oidc-link").status_code == 302
    with app.app_context():
        assert db.session.get(User, target_id).oidc_link_allowed
    assert _events(app, "user.oidc_link_allowed")[0].actor_id == admin.id
    assert "Nästa inloggning med kommunens konto" in client.get(f"/admin/users/{target_id}").get_data(as_text=True)


def test_the_user_page_says_which_roles_come_from_groups(app, client, admin):
    from impact.auth.models import UserRole
    from impact.auth.roles import RoleSource

    app.config["OIDC_DISCOVERY_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration"
    with app.app_context():
        person = factories.create_user(roles=("admin",), oidc_subject="s-1")
        person.role_rows.append(UserRole(role=Role.reviewer, source=RoleSource.group))
        db.session.commit()
        person_id = person.id
    page = client.get(f"/admin/users/{person_id}").get_data(as_text=True)
    assert "Roller från kommunens grupper: Granskare." in page
