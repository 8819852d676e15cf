"""Signing in with the municipality's account against a real OpenID Connect provider on 127.0.0.1 (oidc-provider
from npm, started by tests/oidc/provider.py): the happy path, every check on the way, accounts made just in time,
roles from groups, the provider down or rotating its key, sign-out at the provider, and the login page with and
without local passwords. The person fills in the provider's login page with ``requests``; ID tokens the provider
would never issue come from the interceptor in tests/oidc/interceptor.py."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa
from joserfc.jws import extract_compact

from impact.audit.models import AuditEvent
from impact.auth.group_rules import GroupRule, GroupRuleKind
from impact.auth.models import User
from impact.auth.roles import Role, RoleSource
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token
from tests.oidc.interceptor import FAULTS
from tests.oidc.provider import CLIENT_ID, Person, signing_key

ANNA = Person("subject-anna", "anna.andersson@boras.se", "Anna Andersson", ["impact-handlaggare-fff"])


@pytest.fixture
def rules(app):
    """Groups: officers and reviewers of FFF, a municipality-wide auditor group."""
    with app.app_context():
        fff = factories.ensure_department("FFF")
        db.session.add_all(
            [
                GroupRule(group="impact-handlaggare-fff", kind=GroupRuleKind.role, role=Role.case_officer),
                GroupRule(group="impact-handlaggare-fff", kind=GroupRuleKind.department, department=fff),
                GroupRule(group="impact-granskare", kind=GroupRuleKind.role, role=Role.reviewer),
                GroupRule(group="impact-revisorer", kind=GroupRuleKind.role, role=Role.auditor),
                GroupRule(group="impact-revisorer", kind=GroupRuleKind.municipality_wide),
            ]
        )
        db.session.commit()


def start(client, next_url=None):
    """Click the button: Impact sends the browser to the provider. Returns the provider's URL."""
    response = client.get("/login/oidc" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def at_provider(provider, authorize_url, person=ANNA):
    """The person fills in the provider's login page; it sends the browser back: the callback's path and query."""
    back = urlsplit(provider.log_in(authorize_url, person))
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://localhost/login/oidc/callback"
    return f"{back.path}?{back.query}"


def sign_in(client, provider, person=ANNA, next_url=None):
    return client.get(at_provider(provider, start(client, next_url), person))


def events(app, action):
    with app.app_context():
        return db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def user_by_subject(app, subject):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.oidc_subject == subject))
        if user is not None:
            db.session.expunge(user)
        return user


def test_the_flow_uses_pkce_state_and_nonce(client, oidc_provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://localhost/login/oidc/callback"]
    assert query["scope"] == ["openid email profile"]


def test_first_sign_in_makes_the_account_from_the_groups(app, client, oidc_provider, rules):
    response = sign_in(client, oidc_provider, next_url="/assessments/")
    assert response.status_code == 302 and response.headers["Location"] == "/assessments/"
    user = user_by_subject(app, "subject-anna")
    assert (user.email, user.name, user.department.code) == ("anna.andersson@boras.se", "Anna Andersson", "FFF")
    assert user.roles == {Role.case_officer} and not user.municipality_wide
    assert client.get("/").status_code == 200
    [login] = events(app, "user.login")
    assert login.changes == {"via": "oidc"} and login.actor_id == user.id
    assert events(app, "user.create")[0].changes["via"] == "oidc"


def test_name_and_email_are_refreshed_but_the_account_is_keyed_on_the_subject(app, client, oidc_provider, rules):
    sign_in(client, oidc_provider)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    moved = Person("subject-anna", "anna.berg@boras.se", "Anna Berg", ANNA.groups)
    assert sign_in(client, oidc_provider, moved).status_code == 302
    user = user_by_subject(app, "subject-anna")
    assert (user.email, user.name) == ("anna.berg@boras.se", "Anna Berg")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_roles_follow_the_groups_and_hand_granted_roles_stay(app, client, oidc_provider, rules):
    sign_in(client, oidc_provider)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.oidc_subject == "subject-anna"))
        user.roles = [*user.roles, Role.admin]  # an admin gives the admin role by hand
        db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    now_auditor = Person("subject-anna", ANNA.email, ANNA.name, ["impact-revisorer"])
    assert sign_in(client, oidc_provider, now_auditor).status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.oidc_subject == "subject-anna"))
        assert {row.role: row.source for row in user.role_rows} == {
            Role.admin: RoleSource.manual,
            Role.auditor: RoleSource.group,
        }
        assert user.municipality_wide and user.department.code == "FFF"  # no department group: kept
    [sync] = events(app, "user.sync_from_provider")
    assert sync.changes["roles"] == {"before": ["admin", "case_officer"], "after": ["admin", "auditor"]}
    assert sync.changes["municipality_wide"] == {"before": False, "after": True}
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    assert sign_in(client, oidc_provider, Person("subject-anna", ANNA.email, ANNA.name, [])).status_code == 302
    user = user_by_subject(app, "subject-anna")
    assert user.roles == {Role.admin} and not user.municipality_wide


def test_a_manual_remit_is_not_taken_away_by_the_groups(app, client, oidc_provider, rules):
    sign_in(client, oidc_provider)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.oidc_subject == "subject-anna"))
        user.municipality_wide = True
        db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, oidc_provider)
    assert user_by_subject(app, "subject-anna").municipality_wide


def test_no_matching_group_shows_who_to_ask_and_signs_nobody_in(app, client, oidc_provider, rules):
    response = sign_in(client, oidc_provider, Person("subject-x", "x@boras.se", "X", ["some-other-group"]))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "administratör" in page and "Borås Stad" in page
    assert user_by_subject(app, "subject-x") is None
    assert client.get("/").status_code == 302  # still not signed in
    assert events(app, "user.login_failed")[0].changes == {"via": "oidc", "reason": "no_access"}


def test_a_deactivated_account_stays_refused(app, client, oidc_provider, rules):
    sign_in(client, oidc_provider)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    with app.app_context():
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    response = sign_in(client, oidc_provider)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "inaktiverat" in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert not user_by_subject(app, "subject-anna").active
    assert events(app, "user.login_failed")[0].changes["reason"] == "deactivated"


def test_a_local_account_with_the_same_email_is_not_taken_over(app, client, oidc_provider, rules):
    with app.app_context():
        local = factories.create_user(roles=("admin",), email=ANNA.email)
        db.session.commit()
        local_id = local.id
    response = sign_in(client, oidc_provider)
    assert response.headers["Location"] == "/login" and client.get("/").status_code == 302
    assert user_by_subject(app, "subject-anna") is None
    assert events(app, "user.login_failed")[0].changes["reason"] == "email_taken"

    with app.app_context():  # an admin allows it on the user page
        from impact.auth.oidc_accounts import allow_link

        admin = factories.create_user(roles=("admin",))
        allow_link(db.session.get(User, local_id), admin)
        db.session.commit()
    assert sign_in(client, oidc_provider).headers["Location"] == "/"
    linked = user_by_subject(app, "subject-anna")
    assert linked.id == local_id and not linked.oidc_link_allowed
    assert linked.roles == {Role.admin, Role.case_officer}


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_an_id_token_that_fails_a_check_signs_nobody_in(app, client, oidc_provider, rules, fault):
    oidc_provider.fault = fault
    response = sign_in(client, oidc_provider)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "lyckades inte" in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert user_by_subject(app, "subject-anna") is None
    [failed] = events(app, "user.login_failed")
    assert failed.changes == {"via": "oidc", "reason": "id_token"} and failed.actor_id is None


def test_a_replayed_state_is_refused(app, client, oidc_provider, rules):
    callback = at_provider(oidc_provider, start(client))
    cookie_before = client.get_cookie("session").value
    assert client.get(callback).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    # The same callback again: its state was used up in this browser's session.
    assert client.get(callback).headers["Location"] == "/login"
    assert events(app, "user.login_failed")[-1].changes["reason"] == "state"
    # An attacker with the old cookie: the state is there, but the provider's code is single use.
    client.set_cookie("session", cookie_before)
    assert client.get(callback).headers["Location"] == "/login"
    assert events(app, "user.login_failed")[-1].changes["reason"] == "provider_error"
    assert len(events(app, "user.login")) == 1


def test_a_callback_without_a_started_sign_in_is_refused(app, client, oidc_provider):
    response = client.get("/login/oidc/callback?code=abc&state=forged")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert events(app, "user.login_failed")[0].changes["reason"] == "state"


def test_the_provider_down_gives_a_message_not_an_error(app, client, oidc_provider):
    oidc_provider.stop()
    response = client.get("/login/oidc")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "inloggningstjänst svarar inte" in page
    assert events(app, "user.login_failed")[0].changes["reason"] == "provider_unreachable"


def test_the_provider_going_down_before_the_callback_gives_a_message_not_an_error(app, client, oidc_provider, rules):
    callback = at_provider(oidc_provider, start(client))
    oidc_provider.stop()  # after the login page, before Impact exchanges the code
    response = client.get(callback)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "inloggningstjänst svarar inte" in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert events(app, "user.login_failed")[0].changes["reason"] == "provider_unreachable"


def test_a_new_signing_key_of_the_provider_is_fetched(app, client, oidc_provider, rules):
    assert sign_in(client, oidc_provider).headers["Location"] == "/"  # Impact now holds the provider's keys
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    oidc_provider.restart([signing_key("impact-test-2"), oidc_provider.key])  # signs with the new key
    assert sign_in(client, oidc_provider).headers["Location"] == "/"
    with client.session_transaction() as session:
        assert extract_compact(session["oidc_id_token"].encode()).headers()["kid"] == "impact-test-2"


def test_sign_out_ends_the_session_and_the_providers(app, client, oidc_provider, rules):
    browser = requests.Session()  # keeps the provider's session cookie
    back = urlsplit(oidc_provider.log_in(start(client), ANNA, browser))
    assert client.get(f"{back.path}?{back.query}").headers["Location"] == "/"
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_provider.url}/session/end"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"] and query["id_token_hint"][0]
    assert query["client_id"] == [CLIENT_ID]
    assert client.get("/").status_code == 302
    # The provider takes the request (token hint, client, return address), asks to confirm, ends its session and
    # sends the browser back to Impact's login page with the state.
    confirm = browser.get(response.headers["Location"], timeout=10)
    assert confirm.status_code == 200 and "Yes, sign me out" in confirm.text
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text).group(1)
    done = browser.post(
        f"{oidc_provider.url}/session/end/confirm", data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False
    )
    back = urlsplit(done.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://localhost/login"
    assert parse_qs(back.query)["state"] == query["state"]
    assert len(oidc_provider.logouts) == 1


def test_a_token_too_long_for_the_cookie_signs_out_at_the_provider_by_client_id(app, client, oidc_provider, rules):
    many = Person("subject-many", "many@boras.se", "Many Groups", ANNA.groups + [f"group-{n:04}" for n in range(150)])
    assert sign_in(client, oidc_provider, many).headers["Location"] == "/"
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]


def test_a_password_login_signs_out_locally_only(client, auth, login_as, oidc_provider):
    login_as("case_officer")
    assert auth.logout().headers["Location"] == "/login"


def test_the_login_page_offers_the_button_first_then_the_password_form(client, oidc_provider):
    page = client.get("/login").get_data(as_text=True)
    assert "Logga in med Borås Stads konto" in page
    assert page.index("Logga in med Borås Stads konto") < page.index('name="password"')


def test_without_local_passwords_only_administrators_use_the_break_glass_form(app, client, auth, oidc_provider):
    app.config["OIDC_LOCAL_PASSWORDS"] = False
    page = client.get("/login").get_data(as_text=True)
    assert "Logga in med Borås Stads konto" in page and 'name="password"' not in page and "/login?local=1" in page
    assert 'name="password"' in client.get("/login?local=1").get_data(as_text=True)
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",)).email
        admin = factories.create_user(roles=("admin",)).email
        db.session.commit()
    assert auth.login(officer).status_code == 200
    assert auth.login(admin).status_code == 302


def test_without_a_provider_the_login_page_is_as_before(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/login/oidc" not in page and 'name="password"' in page and "nödinloggning" not in page
    assert client.get("/login/oidc").status_code == 404


def test_the_providers_origin_may_finish_a_form_post(client, oidc_provider):
    """Logging out is a form post that the provider's sign-out finishes: the CSP allows that one origin."""
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.url};" in policy
