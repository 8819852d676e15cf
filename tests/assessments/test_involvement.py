"""Involvement and dialogue: who was heard, why nobody was, and the national minorities; asked on its own page,
required to submit for assessments started with the step, and carried to every page, the diff, the API, the PDF,
the register, a new version and the backup."""

import csv
import io
from datetime import date

import sqlalchemy as sa

from impact.assessments import validation
from impact.assessments.enums import ConsultationMethod, MinorityAnswer
from impact.assessments.models import Assessment, Consultation, Involvement
from impact.core.db import db
from impact.review import operations as review_operations
from impact.review.versions import compare
from tests import factories
from tests.assessment_helpers import PROPOSAL, demo_assessments, post_page, return_with_section_comment

NOT_CONCERNED = {"national_minority": "no"}


def _consultation(**fields) -> Consultation:
    values = {
        "group_name": "Ungdomsrådet",
        "method": ConsultationMethod.meeting,
        "held_on": date(2026, 10, 15),
        "participants": 12,
        "views": "Vill ha öppet på kvällar.",
        "changes_made": "Kvällstider lades till.",
    }
    return Consultation(**{**values, **fields})


def _draft(app, user, *, involvement=True, **fields) -> int:
    with app.app_context():
        author = db.session.get(type(user), user.id)
        if involvement:
            fields.setdefault("involvement", Involvement(required=True, minorities=[]))
        assessment = factories.create_assessment(
            author=author, answers=fields.pop("answers", {"age": "neutral"}), **fields
        )
        db.session.commit()
        return assessment.id


def _saved(app, assessment_id: int) -> Assessment:
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.involvement, [c.group_kind for c in assessment.consultations]  # noqa: B018  (loaded now)
        db.session.expunge_all()
        return assessment


def _row(index: int = 0, **fields) -> dict:
    values = {
        "group_kind": "",
        "group_name": "Pensionärsrådet",
        "method": "meeting",
        "held_on": "2026-10-15",
        "participants": "9",
        "views": "Oroliga för längre restider.",
        "changes_made": "Färdtjänsten förlängdes.",
        **fields,
    }
    return {f"consultations-{index}-{name}": value for name, value in values.items()}


# --- The rules (validation.py) ----------------------------------------------------------------------------------


def test_the_minority_question_must_be_answered(app_ctx):
    assessment = factories.create_assessment(involvement=Involvement(minorities=[]))
    assert set(validation.involvement_problems(assessment)) == {"national_minority"}
    assessment.involvement.national_minority = MinorityAnswer.unknown
    assert validation.involvement_problems(assessment) == {}


def test_nobody_heard_needs_a_reason_only_when_a_ground_is_negative(app_ctx):
    answered = Involvement(minorities=[], national_minority=MinorityAnswer.no)
    neutral = factories.create_assessment(answers={"age": "neutral"}, involvement=answered)
    assert not validation.involvement_reason_required(neutral)
    assert validation.involvement_problems(neutral) == {}
    negative = factories.create_assessment(
        answers={"age": "negative"}, involvement=Involvement(minorities=[], national_minority=MinorityAnswer.no)
    )
    assert validation.involvement_reason_required(negative)
    assert set(validation.involvement_problems(negative)) == {"no_consultation_reason"}
    negative.involvement.no_consultation_reason = "Brådskande beslut om säkerhet."
    assert validation.involvement_problems(negative) == {}
    negative.involvement.no_consultation_reason = ""
    negative.consultations = [_consultation()]
    assert validation.involvement_problems(negative) == {}


def test_a_concerned_minority_not_consulted_needs_a_reason(app_ctx):
    involvement = Involvement(minorities=[], national_minority=MinorityAnswer.yes)
    assessment = factories.create_assessment(involvement=involvement)
    assert set(validation.involvement_problems(assessment)) == {"minorities", "minority_consulted"}
    involvement.minorities = ["sweden_finns"]
    involvement.minority_consulted = False
    assert set(validation.involvement_problems(assessment)) == {"minority_not_consulted_reason"}
    involvement.minority_not_consulted_reason = "Samråd planeras i januari."
    assert validation.involvement_problems(assessment) == {}


def test_every_consultation_needs_who_how_when_what_and_what_changed(app_ctx):
    assessment = factories.create_assessment(
        involvement=Involvement(minorities=[], national_minority=MinorityAnswer.no),
        consultations=[_consultation(group_name="", method=None)],
    )
    assert set(validation.involvement_problems(assessment)) == {"consultations"}
    assessment.consultations[0].group_kind = factories.ensure_group_kind()
    assessment.consultations[0].method = ConsultationMethod.survey
    assert validation.involvement_problems(assessment) == {}
    assessment.consultations[0].changes_made = ""
    assert set(validation.involvement_problems(assessment)) == {"consultations"}


def test_an_assessment_started_before_the_step_is_not_asked_for_it(app_ctx):
    from flask import request  # noqa: F401  (all_problems builds links: a request context is needed)

    old = factories.create_assessment(answers={"age": "negative"})  # no involvement row: started before the step
    assert not old.asks_involvement
    with app_ctx_request():
        assert not [p for p in validation.all_problems(old) if "involvement" in p.url]
    new = factories.create_assessment(answers={"age": "negative"}, involvement=Involvement(minorities=[]))
    assert new.asks_involvement
    with app_ctx_request():
        fields = {p.field for p in validation.all_problems(new) if "involvement" in p.url}
    assert fields == {"national_minority", "no_consultation_reason"}


def app_ctx_request():
    from flask import current_app

    return current_app.test_request_context()


# --- The page ----------------------------------------------------------------------------------------------------


def test_a_new_assessment_has_the_step_and_the_task_list_shows_it(app, client, login_as):
    login_as("case_officer")
    response = post_page(client, "/assessments/new", PROPOSAL)
    base = response.location.rsplit("/", 1)[0]
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    tasks = client.get(f"{base}/tasks").get_data(as_text=True)
    assert "Delaktighet och dialog" in tasks and f"{base}/involvement" in tasks
    with app.app_context():
        assessment = db.session.get(Assessment, int(base.rsplit("/", 1)[1]))
        assert assessment.asks_involvement


def test_saving_two_consultations_with_a_kind_and_a_free_text_group(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    with app.app_context():
        kind_id = factories.ensure_group_kind().id
        db.session.commit()
    base = f"/assessments/{assessment_id}/involvement"
    response = post_page(
        client, base, {**_row(0, group_kind=str(kind_id), group_name=""), **NOT_CONCERNED}, "add_consultation"
    )
    assert response.status_code == 302 and response.location.endswith("?add=1#consultations")
    page = client.get(f"{base}?add=1").get_data(as_text=True)
    assert 'name="consultations-1-group_name"' in page
    response = post_page(
        client,
        base,
        {
            **_row(0, group_kind=str(kind_id), group_name=""),
            **_row(1, group_name="Sverigefinska föreningen", method="focus_group", participants=""),
            **NOT_CONCERNED,
        },
    )
    assert response.status_code == 302 and response.location.endswith("/tasks")
    saved = _saved(app, assessment_id)
    assert [c.who for c in saved.consultations] == ["Ungdomsrådet", "Sverigefinska föreningen"]
    assert saved.consultations[1].participants is None
    assert saved.consultations[1].method == ConsultationMethod.focus_group
    assert saved.involvement.national_minority == MinorityAnswer.no
    check = client.get(f"/assessments/{assessment_id}/check").get_data(as_text=True)
    assert "Ungdomsrådet" in check and "Sverigefinska föreningen" in check and "Fokusgrupp" in check


def test_a_refused_save_keeps_the_input_and_saves_nothing(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    base = f"/assessments/{assessment_id}/involvement"
    response = post_page(client, base, {**_row(0, participants="-3", held_on="15 okt"), **NOT_CONCERNED})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Det finns ett problem" in page
    assert page.count("Ange ett heltal, till exempel 12, eller lämna tomt.") == 2  # in the summary and at the field
    assert "Ange ett giltigt datum" in page
    assert "Oroliga för längre restider." in page  # what was typed is kept
    saved = _saved(app, assessment_id)
    assert saved.consultations == [] and saved.involvement.national_minority is None


def test_an_incomplete_step_is_saved_as_a_draft_with_the_gaps_shown(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user, answers={"age": "negative"})
    response = post_page(client, f"/assessments/{assessment_id}/involvement", {"national_minority": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Välj de nationella minoriteter som förslaget berör." in page
    assert "förklara varför ingen av dem som berörs tillfrågades" in page
    assert _saved(app, assessment_id).involvement.national_minority == MinorityAnswer.yes


def test_a_stale_version_is_refused_and_shows_what_is_saved(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    page = client.get(f"/assessments/{assessment_id}/involvement").get_data(as_text=True)
    with app.app_context():
        db.session.get(Assessment, assessment_id).title = "Ändrad av en kollega"
        db.session.commit()
    from tests.assessment_helpers import LOCK_INPUT
    from tests.conftest import CSRF_INPUT

    response = client.post(
        f"/assessments/{assessment_id}/involvement",
        data={
            "csrf_token": CSRF_INPUT.search(page).group(1),
            "lock_version": LOCK_INPUT.search(page).group(1),
            "action": "continue",
            **_row(0),
            **NOT_CONCERNED,
        },
    )
    assert response.status_code == 200 and "Någon annan har sparat" in response.get_data(as_text=True)
    assert _saved(app, assessment_id).consultations == []


def test_removing_a_consultation_and_answers_that_no_longer_apply_are_cleared(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user, consultations=[_consultation()])
    with app.app_context():
        consultation_id = db.session.get(Assessment, assessment_id).consultations[0].id
    post_page(
        client,
        f"/assessments/{assessment_id}/involvement",
        {
            **_row(0, id=str(consultation_id), remove="y"),
            "no_consultation_reason": "Ingen tid.",
            "national_minority": "no",
            "minorities": ["sami"],
            "minority_consulted": "no",
            "minority_not_consulted_reason": "Glömdes.",
        },
    )
    saved = _saved(app, assessment_id)
    assert saved.consultations == []
    assert saved.involvement.no_consultation_reason == "Ingen tid."
    assert saved.involvement.minorities == [] and saved.involvement.minority_consulted is None
    assert saved.involvement.minority_not_consulted_reason == ""


def test_an_old_assessment_may_fill_in_the_step_and_it_stays_optional(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user, involvement=False)
    page = client.get(f"/assessments/{assessment_id}/involvement").get_data(as_text=True)
    assert "påbörjades innan det här steget fanns" in page
    post_page(client, f"/assessments/{assessment_id}/involvement", _row(0))
    saved = _saved(app, assessment_id)
    assert saved.involvement.required is False and len(saved.consultations) == 1


def test_submitting_is_refused_until_the_step_is_complete(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(
        app,
        user,
        answers={"age": "neutral"},
        overall_assessment="Små effekter.",
        recommendation="Genomför.",
        analysis_outcome="no_major_change",
    )
    response = post_page(client, f"/assessments/{assessment_id}/check", {})
    page = response.get_data(as_text=True)
    assert "Delaktighet och dialog: Ange om förslaget berör en nationell minoritet." in page
    assert f"/assessments/{assessment_id}/involvement#national_minority" in page


# --- Everywhere else ----------------------------------------------------------------------------------------------


def _complete(app, user, status="approved") -> int:
    with app.app_context():
        kind = factories.ensure_group_kind("Sverigefinsk förening", "A Sweden Finnish association")
        assessment = factories.create_assessment(
            status=status,
            author=db.session.get(type(user), user.id) if user else None,
            answers={"ethnicity": "negative"},
            involvement=Involvement(
                minorities=["sweden_finns"],
                national_minority=MinorityAnswer.yes,
                minority_consulted=True,
            ),
            consultations=[_consultation(group_kind=kind, group_name="Sverigefinska föreningen i Borås")],
        )
        db.session.commit()
        return assessment.id


def test_the_api_carries_the_consultations_and_the_minorities(app, client):
    from tests.api.test_api_v1 import assert_valid, make_token

    assessment_id = _complete(app, None)
    headers = {"Authorization": f"Bearer {make_token(app, 'auditor', municipality_wide=True)}"}
    response = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers)
    assert_valid(response, "/assessments/{id}")
    item = response.get_json()
    assert item["involvement"]["national_minority"] == "yes"
    assert item["involvement"]["minorities"] == ["sweden_finns"]
    assert item["involvement"]["minority_consulted"] is True
    consultation = item["involvement"]["consultations"][0]
    assert consultation["group_kind"]["name"] == {"sv": "Sverigefinsk förening", "en": "A Sweden Finnish association"}
    assert consultation["method"] == "meeting" and consultation["participants"] == 12
    listed = client.get("/api/v1/assessments?involvement=none", headers=headers).get_json()
    assert assessment_id not in [a["id"] for a in listed["items"]]


def test_the_pdf_names_who_was_heard(app, client, login_as):
    from pypdf import PdfReader

    login_as("auditor", department="KSF", municipality_wide=True)
    assessment_id = _complete(app, None)
    response = client.get(f"/reports/assessments/{assessment_id}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Delaktighet och dialog" in text and "Sverigefinska föreningen i Borås" in text
    assert "Sverigefinnar" in text


def test_the_register_counts_consultations_and_names_the_minority(app, client, login_as):
    login_as("auditor", department="KSF", municipality_wide=True)
    assessment_id = _complete(app, None)
    text = client.get("/reports/register.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [
        row
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
        if row["Konsekvensanalys-id"] == str(assessment_id)
    ]
    assert rows and rows[0]["Samråd och dialoger"] == "1"
    assert rows[0]["Nationell minoritet"] == "Ja: Sverigefinnar"


def test_the_list_filters_on_nobody_heard_and_on_a_kind_of_group(app, client, login_as):
    user = login_as("case_officer")
    heard = _complete(app, user, status="draft")
    nobody = _draft(app, user)
    with app.app_context():
        kind_id = factories.ensure_group_kind("Sverigefinsk förening").id
    none_page = client.get("/assessments/?scope=mine&involvement=none").get_data(as_text=True)
    kind_page = client.get(f"/assessments/?scope=mine&involvement=kind-{kind_id}").get_data(as_text=True)
    assert f"/assessments/{nobody}" in none_page and f'/assessments/{heard}"' not in none_page
    assert f"/assessments/{heard}" in kind_page and f'/assessments/{nobody}"' not in kind_page


def test_a_new_version_copies_the_step_and_the_diff_shows_changes(app_ctx):
    assessment = factories.create_assessment(
        status="approved",
        involvement=Involvement(required=True, minorities=[], national_minority=MinorityAnswer.no),
        consultations=[_consultation()],
    )
    db.session.commit()
    reviewer = factories.create_user(roles=("case_officer",), department="FFF")
    assessment.authors.append(reviewer)
    copy = review_operations.amend(assessment, reviewer)
    assert copy.asks_involvement and copy.involvement.national_minority == MinorityAnswer.no
    assert [c.views for c in copy.consultations] == ["Vill ha öppet på kvällar."]
    copy.consultations[0].changes_made = "Inget ändrades."
    rows = {row.label: row for section in compare(assessment, copy) for row in section.rows}
    assert rows["Samråd och dialoger"].changed
    assert not rows["Berör förslaget en nationell minoritet?"].changed


def test_the_backup_keeps_the_step_and_the_kinds_of_group(app_ctx, tmp_path):
    from impact.backup.operations import export_all

    factories.create_assessment(
        involvement=Involvement(minorities=["roma"], national_minority=MinorityAnswer.yes),
        consultations=[_consultation(group_kind=factories.ensure_group_kind())],
    )
    db.session.commit()
    counts = export_all(tmp_path / "backup.zip")
    assert counts["consultations"] == 1 and counts["involvements"] == 1 and counts["group_kinds"] == 1


def test_the_history_names_the_step_and_its_fields(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    post_page(client, f"/assessments/{assessment_id}/involvement", {**_row(0), "national_minority": "unknown"})
    with app.app_context():
        from impact.audit.models import AuditEvent

        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "assessment.update").order_by(AuditEvent.id.desc())
        ).first()
        assert event.changes["part"] == "involvement"
        assert event.changes["consultations"]["after"][0]["group"] == "Pensionärsrådet"
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Delaktighet och dialog" in page and "Vet inte" in page
    assert "Pensionärsrådet (Dialogmöte, 15 okt. 2026)" in page or "Pensionärsrådet (Dialogmöte," in page


def test_a_reviewer_comments_on_the_step_and_the_authors_see_it_there(app, client, login_as):
    login_as("reviewer")
    with app.app_context():
        author = factories.create_user(roles=("case_officer",), department="FFF")
        assessment = factories.create_assessment(
            status="submitted", author=author, involvement=Involvement(minorities=[]), answers={"age": "negative"}
        )
        db.session.commit()
        assessment_id, lock, email = assessment.id, assessment.lock_version, author.email
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    assert page.index('id="involvement"') < page.index('name="section_involvement"') < page.index('id="profile"')
    tasks = return_with_section_comment(
        client, assessment_id, lock, "involvement", "Hör ungdomsrådet innan beslutet.", email
    )
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "returned"
    assert "1 kommentar från granskaren" in tasks
    involvement = client.get(f"/assessments/{assessment_id}/involvement").get_data(as_text=True)
    assert "Hör ungdomsrådet innan beslutet." in involvement


def test_the_demo_hears_several_kinds_and_the_sweden_finns_and_explains_nobody_heard(app_ctx):
    assessments = demo_assessments()
    methods = {c.method for a in assessments for c in a.consultations}
    assert len(methods) >= 4 and len({c.group_kind_id for a in assessments for c in a.consultations}) >= 4
    finns = [a for a in assessments if a.involvement and "sweden_finns" in a.involvement.minorities]
    assert finns and finns[0].involvement.minority_consulted
    assert any(a.involvement and not a.consultations and a.involvement.no_consultation_reason for a in assessments)


def test_an_admin_keeps_the_list_of_kinds_of_group_and_every_change_is_audited(app, client, login_as):
    from impact.assessments.models import GroupKind
    from impact.audit.models import AuditEvent
    from tests.conftest import csrf_token

    login_as("admin", department="KSF")
    response = post_page(client, "/admin/group-kinds/new", {"name_sv": "Elevrådet", "name_en": "The pupils' council"})
    assert response.status_code == 302
    refused = post_page(client, "/admin/group-kinds/new", {"name_sv": "elevrådet"})
    assert "En annan typ av grupp har redan det här namnet" in refused.get_data(as_text=True)
    with app.app_context():
        kind_id = db.session.scalar(sa.select(GroupKind.id).where(GroupKind.name_sv == "Elevrådet"))
    post_page(client, f"/admin/group-kinds/{kind_id}", {"name_sv": "Elevråden", "name_en": "The pupils' councils"})
    client.post(f"/admin/group-kinds/{kind_id}/deactivate", data={"csrf_token": csrf_token(client, "/admin/")})
    page = client.get("/admin/group-kinds").get_data(as_text=True)
    assert "Elevråden" in page and "Inaktiverad" in page
    with app.app_context():
        assert db.session.get(GroupKind, kind_id).active is False
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("group_kind.%")).order_by(AuditEvent.id)
        ).all()
    assert actions == ["group_kind.create", "group_kind.update", "group_kind.deactivate"]
    # A deactivated kind is no longer offered to case officers.
    with app.app_context():
        assessment = factories.create_assessment(involvement=Involvement(minorities=[]))
        db.session.commit()
        from impact.assessments.forms import group_kind_choices

        assert "Elevråden" not in [label for _value, label in group_kind_choices(assessment)]
