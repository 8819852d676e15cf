"""The articles of the Convention the child-rights step offers belong to the template version: admins change them
in a draft; an assessment offers and names the articles of the version it was started under."""

import sqlalchemy as sa

from impact.assessments.child_rights import ChildRights
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.grounds import operations
from impact.grounds.models import DEFAULT_ARTICLES, TemplateVersion
from tests import factories
from tests.assessment_helpers import post_page
from tests.conftest import csrf_token


def _list_form(version: TemplateVersion) -> dict:
    """The page's form as a browser sends it back unchanged."""
    data = {}
    for index, article in enumerate(sorted(version.child_rights_articles, key=lambda a: (not a.principle, a.number))):
        data[f"articles-{index}-number"] = str(article.number)
        data[f"articles-{index}-name_sv"] = article.name_sv
        data[f"articles-{index}-name_en"] = article.name_en
        if article.principle:
            data[f"articles-{index}-principle"] = "y"
    return data


def _index(data: dict, number: int) -> int:
    return next(
        int(key.split("-")[1]) for key, value in data.items() if key.endswith("-number") and value == str(number)
    )


def test_every_version_has_the_list_and_a_draft_copies_it(app_ctx):
    v1 = TemplateVersion.current()
    assert sorted(a.number for a in v1.child_rights_articles) == sorted(DEFAULT_ARTICLES)
    assert sorted(a.number for a in v1.child_rights_articles if a.principle) == [2, 3, 6, 12]
    draft = operations.create_draft(factories.create_user(roles=("admin",)))
    assert [(a.number, a.name_sv, a.principle) for a in draft.child_rights_articles] == [
        (a.number, a.name_sv, a.principle) for a in v1.child_rights_articles
    ]


def test_an_admin_changes_the_drafts_list_and_only_assessments_of_the_new_version_see_it(app, client, login_as, auth):
    admin = login_as("admin")
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",))
        old = factories.create_assessment(
            author=officer, child_rights=ChildRights(required=True, concerns_children=True)
        )
        draft = operations.create_draft(db.session.get(type(admin), admin.id))
        db.session.commit()
        old_id, draft_id, officer_email = old.id, draft.id, officer.email
        data = _list_form(draft)
    page = f"/admin/templates/{draft_id}/child-rights-articles"
    assert client.get("/admin/child-rights-articles").location.endswith(page)
    assert "Lek, vila och fritid" in client.get(page).get_data(as_text=True)

    data[f"articles-{_index(data, 31)}-name_sv"] = "Lek, vila, fritid och kultur"
    data[f"articles-{_index(data, 40)}-remove"] = "y"
    data.update(new_number="42", new_name_sv="Kunskap om rättigheterna", new_name_en="Knowing the rights")
    response = client.post(page, data={**data, "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302, response.get_data(as_text=True)

    with app.app_context():
        draft = db.session.get(TemplateVersion, draft_id)
        names = {a.number: a.name_sv for a in draft.child_rights_articles}
        assert 40 not in names and names[42] == "Kunskap om rättigheterna"
        assert names[31] == "Lek, vila, fritid och kultur"
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "template.child_rights_articles")
        ).one()
        assert "articles" in event.changes
        operations.publish(draft, db.session.get(type(admin), admin.id))
        officer = db.session.scalar(sa.select(factories.User).where(factories.User.email == officer_email))
        new = factories.create_assessment(
            author=officer, child_rights=ChildRights(required=True, concerns_children=True)
        )
        db.session.commit()
        new_id = new.id

    auth.logout()
    auth.login(officer_email)
    new_page = client.get(f"/assessments/{new_id}/child-rights").get_data(as_text=True)
    assert "Artikel 42: Kunskap om rättigheterna" in new_page and "Artikel 40:" not in new_page
    assert "Artikel 31: Lek, vila, fritid och kultur" in new_page
    old_page = client.get(f"/assessments/{old_id}/child-rights").get_data(as_text=True)
    assert "Artikel 40: Barn i rättsprocesser" in old_page and "Artikel 42:" not in old_page
    assert "Artikel 31: Lek, vila och fritid" in old_page

    # An article the new version no longer offers cannot be chosen in it; the new one can.
    base = f"/assessments/{new_id}/child-rights"
    refused = post_page(client, base, {"children": "Barn.", "other_articles": ["40"]}, "show_rights")
    assert refused.status_code == 200
    assert post_page(client, base, {"children": "Barn.", "other_articles": ["42"]}, "show_rights").status_code == 302
    with app.app_context():
        assert [row.article for row in db.session.get(factories.Assessment, new_id).child_rights.effects] == [42]


def test_a_number_twice_or_outside_the_convention_is_refused_and_nothing_changes(app, client, login_as):
    admin = login_as("admin")
    with app.app_context():
        draft = operations.create_draft(db.session.get(type(admin), admin.id))
        db.session.commit()
        draft_id, data = draft.id, _list_form(draft)
    page = f"/admin/templates/{draft_id}/child-rights-articles"
    for number, message in (("31", "Artikeln finns redan i listan."), ("60", "Konventionen har artiklarna 1 till 54.")):
        response = client.post(
            page, data={**data, "new_number": number, "new_name_sv": "Ny", "csrf_token": csrf_token(client, page)}
        )
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(TemplateVersion, draft_id).child_rights_articles) == len(DEFAULT_ARTICLES)


def test_a_published_version_shows_its_list_and_cannot_be_changed(app, client, login_as):
    login_as("admin")
    with app.app_context():
        version = TemplateVersion.current()
        version_id, data = version.id, _list_form(version)
    page = f"/admin/templates/{version_id}/child-rights-articles"
    assert client.get("/admin/child-rights-articles").location.endswith(page)
    shown = client.get(page).get_data(as_text=True)
    assert "<caption>" in shown and "Barnets bästa" in shown and 'name="new_number"' not in shown
    assert client.post(page, data={**data, "csrf_token": csrf_token(client, page)}).status_code == 409


def test_case_officers_do_not_get_it(client, login_as):
    login_as("case_officer")
    assert client.get("/admin/child-rights-articles").status_code == 403
