"""Signing in with the municipality's account in a real browser: Impact → the test provider on 127.0.0.1 → back,
then signing out at both; and the page for someone whose groups give no access. Swedish and English."""

import re

import pytest
from playwright.sync_api import expect

from impact.auth.group_rules import GroupRule, GroupRuleKind
from impact.auth.roles import Role
from impact.core.db import db
from tests import factories
from tests.browser.conftest import assert_accessible, switch_language
from tests.oidc_provider import Person

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


def test_sign_in_and_out_through_the_provider(page, oidc_provider, officers_group, language):
    text = TEXT[language]
    oidc_provider.next_user = Person("browser-1", "britt@boras.se", "Britt Berg", ["impact-handlaggare"])
    page.goto("/login")
    switch_language(page, language)
    assert_accessible(page, "login with the municipality's button")
    page.get_by_role("link", name=text["button"]).click()
    expect(page.get_by_role("button", name=text["log_out"])).to_be_visible()
    assert page.url.startswith(page.url.split("/login")[0]) and "/login" not in page.url
    expect(page.get_by_text("Britt Berg").first).to_be_visible()

    page.get_by_role("button", name=text["log_out"]).click()
    expect(page.get_by_role("heading", name=text["login_heading"])).to_be_visible()
    assert [set(entry) for entry in oidc_provider.logouts] == [
        {"id_token_hint", "post_logout_redirect_uri", "state", "client_id"}
    ]
    assert re.search(r"/login$", page.url)


def test_no_group_gives_access_shows_who_to_ask(page, oidc_provider, officers_group, language):
    oidc_provider.next_user = Person("browser-2", "sven@boras.se", "Sven Svensson", ["other"])
    page.goto("/login")
    switch_language(page, language)
    page.get_by_role("link", name=TEXT[language]["button"]).click()
    expect(page.get_by_role("heading", name=TEXT[language]["no_access"])).to_be_visible()
    assert_accessible(page, "no access")
    expect(page.get_by_role("button", name=TEXT[language]["log_out"])).to_have_count(0)
