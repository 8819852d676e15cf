"""An admin reads the Convention's articles of the version in use, then renames one in a draft, by visible labels,
in both languages; axe-checked."""

from playwright.sync_api import expect

from impact.core.db import db
from impact.grounds import operations
from impact.grounds.models import TemplateVersion
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot

TEXT = {
    "sv": {
        "nav": "Barnkonventionens artiklar",
        "caption": "Barnkonventionens artiklar i version 1",
        "article": "Artikel 31",
        "name": "Kort namn på svenska",
        "save": "Spara listan över artiklar",
        "saved": "Listan över artiklar har sparats.",
    },
    "en": {
        "nav": "Articles of the Convention",
        "caption": "Articles of the Convention in version 1",
        "article": "Article 31",
        "name": "Short name in Swedish",
        "save": "Save the list of articles",
        "saved": "The list of articles has been saved.",
    },
}


def test_an_admin_reads_and_changes_the_articles(app, page, make_user, language):
    text = TEXT[language]
    admin = make_user("admin", department="SLK")
    browser_login(page, admin, language=language)
    page.goto("/admin/")
    page.locator(".admin-nav").get_by_role("link", name=text["nav"], exact=True).click()
    expect(page.get_by_role("table", name=text["caption"])).to_contain_text("Lek, vila och fritid")
    assert_accessible(page, "the articles of the version in use")

    with app.app_context():
        draft = operations.create_draft(factories.create_user(roles=("admin",), department="SLK"))
        db.session.commit()
        draft_id = draft.id
    page.locator(".admin-nav").get_by_role("link", name=text["nav"], exact=True).click()
    article = page.get_by_role("group", name=text["article"], exact=True)
    article.get_by_label(text["name"]).fill("Lek, vila, fritid och kultur")
    assert_accessible(page, "the draft's articles")
    screenshot(page, f"admin-child-rights-articles-{language}", full_page=False)
    page.get_by_role("button", name=text["save"]).click()
    expect(page.get_by_role("status").first).to_contain_text(text["saved"])
    with app.app_context():
        names = {a.number: a.name_sv for a in db.session.get(TemplateVersion, draft_id).child_rights_articles}
        assert names[31] == "Lek, vila, fritid och kultur"
