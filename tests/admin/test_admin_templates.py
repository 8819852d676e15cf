"""Template versions: a draft copies the published grounds, admins edit, add, reorder and deactivate, then publish.

An assessment keeps the version it was started under, so publishing never changes the questions it was answered
against; assessments started afterwards get the new version.
"""

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.grounds import operations
from impact.grounds.models import GROUND_KEYS, Ground, TemplateStatus, TemplateVersion
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def admin_user(app_ctx):
    user = factories.create_user(roles=("admin",))
    db.session.flush()
    return user


def _edit(ground: Ground, actor, **changes) -> None:
    values = {
        "name_sv": ground.name_sv,
        "name_en": ground.name_en,
        "guidance_sv": ground.guidance_sv,
        "guidance_en": ground.guidance_en,
        "questions": [(q.text_sv, q.text_en) for q in ground.questions],
        **changes,
    }
    operations.update_ground(ground, actor, **values)


def test_publishing_v2_leaves_an_old_assessment_on_v1_and_new_ones_get_v2(admin_user):
    v1 = TemplateVersion.current()
    old = factories.create_assessment(answers={"disability": "negative"})
    old_questions = {g.key: [q.text_sv for q in g.questions] for g in old.template_version.grounds}
    old_guidance = {g.key: g.guidance_sv for g in old.template_version.grounds}

    draft = operations.create_draft(admin_user, note="Barnets bästa")
    disability = next(g for g in draft.grounds if g.key == "disability")
    _edit(
        disability,
        admin_user,
        guidance_sv="Ny vägledning om funktionsnedsättning.",
        guidance_en="New guidance on disability.",
        questions=[("Kan alla ta sig in?", "Can everyone get in?")],
    )
    operations.add_ground(
        draft,
        admin_user,
        key="childrens_best_interests",
        name_sv="Barnets bästa",
        name_en="Best interests of the child",
        guidance_sv="Barnkonventionen är svensk lag sedan 2020.",
        guidance_en="The Convention on the Rights of the Child has been Swedish law since 2020.",
        questions=[("Har barn fått komma till tals?", "Have children been heard?")],
    )
    age = next(g for g in draft.grounds if g.key == "age")
    operations.set_ground_active(age, admin_user, False)
    operations.publish(draft, admin_user)
    db.session.commit()
    db.session.expire_all()

    assert TemplateVersion.current().id == draft.id
    assert db.session.get(TemplateVersion, v1.id).status == TemplateStatus.retired
    old = db.session.get(type(old), old.id)
    assert old.template_version_id == v1.id
    assert {g.key: [q.text_sv for q in g.questions] for g in old.template_version.grounds} == old_questions
    assert {g.key: g.guidance_sv for g in old.template_version.grounds} == old_guidance
    assert "childrens_best_interests" not in {g.key for g in old.template_version.grounds}
    assert old.answers[0].ground.template_version_id == v1.id

    new = factories.create_assessment()
    assert new.template_version_id == draft.id
    grounds = {g.key: g for g in new.template_version.grounds}
    assert [q.text_sv for q in grounds["disability"].questions] == ["Kan alla ta sig in?"]
    assert grounds["childrens_best_interests"].name_en == "Best interests of the child"
    assert "age" not in {g.key for g in new.template_version.active_grounds}


def test_a_draft_copies_every_ground_and_question_and_only_one_draft_at_a_time(admin_user):
    current = TemplateVersion.current()
    draft = operations.create_draft(admin_user)
    assert draft.number == current.number + 1 and draft.status == TemplateStatus.draft
    assert [g.key for g in draft.grounds] == list(GROUND_KEYS)
    assert [len(g.questions) for g in draft.grounds] == [len(g.questions) for g in current.grounds]
    assert {g.id for g in draft.grounds}.isdisjoint({g.id for g in current.grounds})
    with pytest.raises(operations.TemplateError):
        operations.create_draft(admin_user)


def test_published_versions_cannot_be_changed(admin_user):
    ground = TemplateVersion.current().grounds[0]
    with pytest.raises(operations.TemplateError):
        _edit(ground, admin_user, guidance_sv="Ändrad")
    with pytest.raises(operations.TemplateError):
        operations.add_ground(TemplateVersion.current(), admin_user, key="new_one", name_sv="Ny", name_en="New")
    with pytest.raises(operations.TemplateError):
        operations.publish(TemplateVersion.current(), admin_user)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("disability", "key"),
        ("Barnets bästa", "key"),
        ("1st_ground", "key"),
        ("double__underscore", "key"),
        ("", "key"),
    ],
)
def test_ground_keys_must_be_new_and_snake_case(admin_user, key, field):
    draft = operations.create_draft(admin_user)
    with pytest.raises(operations.TemplateError) as error:
        operations.add_ground(draft, admin_user, key=key, name_sv="Ny grund", name_en="New ground")
    assert error.value.field == field


def test_ground_names_must_be_unique_and_present(admin_user):
    draft = operations.create_draft(admin_user)
    with pytest.raises(operations.TemplateError) as error:
        operations.add_ground(draft, admin_user, key="other", name_sv="Ålder", name_en="Something")
    assert error.value.field == "name_sv"
    with pytest.raises(operations.TemplateError) as error:
        _edit(draft.grounds[0], admin_user, name_en="  ")
    assert error.value.field == "name_en"


def test_reorder_swaps_neighbours_and_stops_at_the_ends(admin_user):
    draft = operations.create_draft(admin_user)
    first, second = draft.grounds[0], draft.grounds[1]
    operations.move_ground(second, admin_user, -1)
    assert (second.position, first.position) == (1, 2)
    operations.move_ground(second, admin_user, -1)  # already first: nothing happens
    assert second.position == 1
    last = max(draft.grounds, key=lambda g: g.position)
    operations.move_ground(last, admin_user, +1)
    assert last.position == len(draft.grounds)
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "template.ground_move").order_by(AuditEvent.id)
    ).first()
    assert event.changes["order"]["before"][:2] == [first.key, second.key]


def test_the_last_active_ground_cannot_be_deactivated(admin_user):
    draft = operations.create_draft(admin_user)
    for ground in draft.grounds[1:]:
        operations.set_ground_active(ground, admin_user, False)
    with pytest.raises(operations.TemplateError):
        operations.set_ground_active(draft.grounds[0], admin_user, False)


def test_every_template_operation_is_audited(admin_user):
    draft = operations.create_draft(admin_user)
    _edit(draft.grounds[0], admin_user, guidance_en="Changed guidance.")
    operations.publish(draft, admin_user)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-3:] == ["template.draft", "template.ground_update", "template.publish"]
    update = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "template.ground_update"))
    assert update.changes["guidance_en"]["after"] == "Changed guidance." and update.actor_id == admin_user.id


def _post(client, url, **data):
    data.setdefault("csrf_token", csrf_token(client, "/admin/"))
    return client.post(url, data=data)


def test_the_pages_draft_edit_add_and_publish(app, client, login_as):
    login_as("admin")
    response = _post(client, "/admin/templates/draft", note="Barnets bästa")
    assert response.status_code == 302
    version_url = response.headers["Location"]
    with app.app_context():
        draft = operations.current_draft()
        ground = next(g for g in draft.grounds if g.key == "gender")
        ground_url = f"/admin/templates/{draft.id}/grounds/{ground.id}"
        draft_id = draft.id
    page = client.get(ground_url).get_data(as_text=True)
    assert "Vägledning på svenska" in page and "Stödfrågor på engelska" in page

    # Unequal numbers of questions: an error next to the field, nothing saved, what was typed stays.
    page = _post(
        client, ground_url, name_sv="Kön", name_en="Gender", questions_sv="En\nTvå", questions_en="One"
    ).get_data(as_text=True)
    assert 'id="questions_en-error"' in page and "Skriv lika många frågor" in page
    assert "En\nTvå</textarea>" in page

    response = _post(
        client,
        ground_url,
        name_sv="Kön",
        name_en="Gender",
        guidance_sv="Ny vägledning.",
        guidance_en="New guidance.",
        questions_sv="Fråga ett?\nFråga två?",
        questions_en="Question one?\nQuestion two?",
    )
    assert response.status_code == 302
    response = _post(
        client,
        f"/admin/templates/{draft_id}/grounds/new",
        key="childrens_best_interests",
        name_sv="Barnets bästa",
        name_en="Best interests of the child",
        questions_sv="Har barn fått komma till tals?",
        questions_en="Have children been heard?",
    )
    assert response.status_code == 302
    page = _post(client, f"/admin/templates/{draft_id}/grounds/new", key="gender", name_sv="X", name_en="Y")
    assert "Det finns redan en grund med den här nyckeln" in page.get_data(as_text=True)
    assert "Barnets bästa" in client.get(version_url).get_data(as_text=True)
    assert _post(client, f"/admin/templates/{draft_id}/publish").status_code == 302
    with app.app_context():
        current = TemplateVersion.current()
        assert current.id == draft_id
        gender = next(g for g in current.grounds if g.key == "gender")
        assert [q.text_en for q in gender.questions] == ["Question one?", "Question two?"]
        assert current.grounds[-1].key == "childrens_best_interests"
    # A published version shows its grounds read-only.
    page = client.get(ground_url).get_data(as_text=True)
    assert "Ny vägledning." in page and "<textarea" not in page
    assert _post(client, ground_url, name_sv="Kön", name_en="Gender").status_code == 409
