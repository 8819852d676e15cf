"""Signing in with the municipality's account in a real browser: Impact → the provider's login page (oidc-provider
from npm on 127.0.0.1, tests/oidc/provider.mjs) → back, then signing out at both; and the page for someone whose
groups give no access. Swedish and English."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from impact.auth.group_rules import GroupRule, GroupRuleKind
from impact.auth.roles import Role
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, switch_language
from tests.oidc.provider import Person

TEXT = {
    "sv": {
        "button": "Logga in med Borås Stads konto",
        "log_out": "Logga ut",
        "login_heading": "Logga in i Impact",
        "no_access": "Du har inte tillgång till Impact ännu",
    },
    "en": {
        "button": "Log in with the Borås Stad account",
        "log_out": "Log out",
        "login_heading": "Log in to Impact",
        "no_access": "You do not have access to Impact yet",
    },
}


@pytest.fixture
def officers_group(app):
    with app.app_context():
        fff = factories.ensure_department("FFF")
        db.session.add_all(
            [
                GroupRule(group="impact-handlaggare", kind=GroupRuleKind.role, role=Role.case_officer),
                GroupRule(group="impact-handlaggare", kind=GroupRuleKind.department, department=fff),
            ]
        )
        db.session.commit()


def sign_in_at_provider(page, person: Person) -> None:
    """The person types their username and password on the provider's own login page."""
    expect(page.get_by_role("heading", name="Sign in to the test provider")).to_be_visible()
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_and_out_through_the_provider(page, oidc_provider, officers_group, language):
    text = TEXT[language]
    britt = Person("browser-1", "britt@boras.se", "Britt Berg", ["impact-handlaggare"], username="britt")
    oidc_provider.add(britt)
    page.goto("/login")
    switch_language(page, language)
    assert_accessible(page, "login with the municipality's button")
    page.get_by_role("link", name=text["button"]).click()
    sign_in_at_provider(page, britt)
    expect(page.get_by_role("button", name=text["log_out"])).to_be_visible()
    assert page.url.startswith(page.url.split("/login")[0]) and "/login" not in page.url
    expect(page.get_by_text("Britt Berg").first).to_be_visible()

    page.get_by_role("button", name=text["log_out"]).click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider asks before ending its session
    expect(page.get_by_role("heading", name=text["login_heading"])).to_be_visible()
    assert [set(entry) for entry in oidc_provider.logouts] == [
        {"id_token_hint", "post_logout_redirect_uri", "state", "client_id"}
    ]
    assert urlsplit(page.url).path == "/login" and "state=" in urlsplit(page.url).query  # the provider's return


def test_no_group_gives_access_shows_who_to_ask(page, oidc_provider, officers_group, language):
    sven = Person("browser-2", "sven@boras.se", "Sven Svensson", ["other"], username="sven")
    oidc_provider.add(sven)
    page.goto("/login")
    switch_language(page, language)
    page.get_by_role("link", name=TEXT[language]["button"]).click()
    sign_in_at_provider(page, sven)
    expect(page.get_by_role("heading", name=TEXT[language]["no_access"])).to_be_visible()
    assert_accessible(page, "no access")
    expect(page.get_by_role("button", name=TEXT[language]["log_out"])).to_have_count(0)
