"""The committee's decision: who records it, what it needs, how it is corrected, and what a decided assessment
still allows."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus, CommitteeOutcome
from impact.assessments.models import Assessment, CommitteeDecision
from impact.audit.models import AuditEvent
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

COMMITTEE = "Fritids- och folkhälsonämnden"  # the FFF department's
MEETING = date.today() - timedelta(days=3)


def _decision(**changes) -> dict:
    return {
        "committee": COMMITTEE,
        "meeting_date": MEETING.isoformat(),
        "paragraph": "§ 45",
        "outcome": "approved_with_changes",
        "analysis_changed": "yes",
        "analysis_change": "Morgonsimmet för äldre behölls.",
        "minutes_reference": "https://www.boras.se/protokoll/ffn-2026-11-27.pdf",
        "lock_version": "0",
        **changes,
    }


def _post(client, assessment_id: int, data: dict):
    path = f"/assessments/{assessment_id}/decision"
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


@pytest.fixture
def approved(app) -> tuple[int, int]:
    """(assessment id, author id) of an approved FFF assessment."""
    with app.app_context():
        author = factories.create_user(department="FFF")
        assessment = factories.create_assessment("approved", author=author, answers={"age": "negative"})
        db.session.commit()
        return assessment.id, author.id


def _log_in(app, auth, user_id: int) -> None:
    with app.app_context():
        email = db.session.get(factories.User, user_id).email
    assert auth.login(email).status_code == 302


def _state(app, assessment_id: int):
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        decision = assessment.committee_decision
        return assessment.status, (
            None
            if decision is None
            else {
                "committee": decision.committee,
                "meeting_date": decision.meeting_date,
                "paragraph": decision.paragraph,
                "outcome": decision.outcome,
                "analysis_changed": decision.analysis_changed,
                "analysis_change": decision.analysis_change,
                "lock_version": decision.lock_version,
            }
        )


def _events(app, action: str) -> list[dict]:
    with app.app_context():
        return [
            e.changes
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_an_author_records_the_decision_and_the_assessment_is_decided(app, client, auth, approved):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Registrera nämndens beslut" in page
    response = _post(client, assessment_id, _decision())
    assert response.status_code == 302
    status, decision = _state(app, assessment_id)
    assert status == AssessmentStatus.decided
    assert decision["outcome"] == CommitteeOutcome.approved_with_changes and decision["paragraph"] == "§ 45"
    assert decision["meeting_date"] == MEETING and decision["analysis_change"] == "Morgonsimmet för äldre behölls."
    [event] = _events(app, "assessment.decide")
    assert event["status"] == {"before": "approved", "after": "decided"}
    assert event["committee_outcome"] == "approved_with_changes" and event["meeting_date"] == MEETING.isoformat()
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Bifall med ändringar" in page and "§ 45" in page and "Beslutad" in page
    assert 'href="https://www.boras.se/protokoll/ffn-2026-11-27.pdf"' in page
    history = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Nämndens beslut registrerat" in history


def test_a_secretary_records_for_their_committees_only(app, client, auth, approved, login_as):
    assessment_id, _author = approved
    login_as("committee_secretary", department="SLK", committees=["Kommunstyrelsen"])
    assert client.get(f"/assessments/{assessment_id}/decision").status_code == 403
    assert _post(client, assessment_id, _decision()).status_code == 403
    assert _state(app, assessment_id)[0] == AssessmentStatus.approved
    auth.logout()

    login_as("committee_secretary", department="SLK", committees=[COMMITTEE, "Kommunstyrelsen"])
    assert "Nämndbeslut" in client.get("/").get_data(as_text=True)
    waiting = client.get("/decisions/").get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}/decision"' in waiting
    refused = _post(client, assessment_id, _decision(committee="Kulturnämnden"))
    assert refused.status_code == 422 and "Välj en nämnd i listan." in refused.get_data(as_text=True)
    assert _post(client, assessment_id, _decision(committee="Kommunstyrelsen")).status_code == 302
    assert _state(app, assessment_id)[1]["committee"] == "Kommunstyrelsen"
    recorded = client.get("/decisions/").get_data(as_text=True)
    assert "Ingen godkänd konsekvensanalys väntar på beslut." in recorded and "§ 45" in recorded


def test_a_reviewer_or_colleague_cannot_record_and_other_states_have_no_decision(app, client, auth, login_as):
    with app.app_context():
        draft = factories.create_assessment("draft").id
        submitted = factories.create_assessment("submitted").id
        approved_id = factories.create_assessment("approved").id
        db.session.commit()
    login_as("reviewer", department="FFF")
    assert client.get(f"/assessments/{approved_id}/decision").status_code == 403
    auth.logout()
    login_as("case_officer", department="FFF")  # a colleague, not an author
    assert _post(client, approved_id, _decision()).status_code == 403
    auth.logout()
    login_as("committee_secretary", department="FFF", committees=[COMMITTEE])
    for assessment_id in (draft, submitted):
        assert client.get(f"/assessments/{assessment_id}/decision").status_code in (403, 404)
    assert _state(app, approved_id) == (AssessmentStatus.approved, None)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"meeting_date": ""}, "meeting_date", "Ange sammanträdesdatum"),
        ({"meeting_date": "2026-02-30"}, "meeting_date", "Ange sammanträdesdatum"),
        ({"meeting_date": "0001-01-01"}, "meeting_date", "Ange ett datum mellan 1900 och 2199"),
        ({"meeting_date": (date.today() + timedelta(days=2)).isoformat()}, "meeting_date", "inte ligga i framtiden"),
        ({"paragraph": ""}, "paragraph", "Ange paragrafen"),
        ({"paragraph": "§" * 41}, "paragraph", "40"),
        ({"outcome": "approved_by_magic"}, "outcome", "Välj ett av alternativen."),
        ({"outcome": ""}, "outcome", "Välj vad nämnden beslutade."),
        ({"analysis_changed": ""}, "analysis_changed", "Svara på om analysen ändrade förslaget."),
        ({"analysis_change": ""}, "analysis_change", "Beskriv hur analysen ändrade förslaget."),
        ({"minutes_reference": "javascript:alert(1)"}, "minutes_reference", "https://"),
        ({"committee": ""}, "committee", "Välj"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_kept(app, client, auth, approved, changes, field, message):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    response = _post(client, assessment_id, _decision(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "error-summary" in page and f'href="#{field}"' in page
    assert "Morgonsimmet för äldre behölls." in page or field == "analysis_change"
    assert _state(app, assessment_id) == (AssessmentStatus.approved, None)


def test_a_correction_needs_a_reason_and_keeps_what_it_said_before(app, client, auth, approved):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    assert _post(client, assessment_id, _decision()).status_code == 302
    page = client.get(f"/assessments/{assessment_id}/decision").get_data(as_text=True)
    assert "Rätta nämndens beslut" in page and 'value="§ 45"' in page
    version = _state(app, assessment_id)[1]["lock_version"]
    without = _post(client, assessment_id, _decision(paragraph="§ 46", lock_version=str(version)))
    assert without.status_code == 422 and "Skriv varför det registrerade beslutet rättas." in without.get_data(
        as_text=True
    )
    assert _state(app, assessment_id)[1]["paragraph"] == "§ 45"
    corrected = _post(
        client,
        assessment_id,
        _decision(paragraph="§ 46", correction_reason="Fel paragraf.", lock_version=str(version)),
    )
    assert corrected.status_code == 302
    assert _state(app, assessment_id)[1]["paragraph"] == "§ 46"
    [event] = _events(app, "committee_decision.correct")
    assert event == {"paragraph": {"before": "§ 45", "after": "§ 46"}, "correction_reason": "Fel paragraf."}
    history = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Nämndens beslut rättat" in history and "Fel paragraf." in history


def test_a_correction_from_an_older_page_overwrites_nothing(app, client, auth, approved):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    _post(client, assessment_id, _decision())
    version = _state(app, assessment_id)[1]["lock_version"]
    _post(client, assessment_id, _decision(paragraph="§ 46", correction_reason="Fel.", lock_version=str(version)))
    stale = _post(
        client, assessment_id, _decision(paragraph="§ 47", correction_reason="Fel.", lock_version=str(version))
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 200 and "§ 46" in page and 'value="§ 47"' in page
    assert _state(app, assessment_id)[1]["paragraph"] == "§ 46"


def test_recording_twice_from_two_pages_keeps_the_first(app, client, auth, approved):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    assert _post(client, assessment_id, _decision()).status_code == 302
    second = _post(client, assessment_id, _decision(paragraph="§ 99", correction_reason="Annat."))
    assert second.status_code == 200 and "§ 45" in second.get_data(as_text=True)
    assert _state(app, assessment_id)[1]["paragraph"] == "§ 45"


def test_a_decided_assessment_is_in_force_amendable_and_replaced_by_its_new_version(app, client, auth, login_as):
    from impact.review import operations as workflow

    with app.app_context():
        author = factories.create_user(department="FFF")
        decided = factories.create_assessment("decided", author=author, answers={"age": "neutral"})
        db.session.commit()
        decided_id, author_id = decided.id, author.id
    _log_in(app, auth, author_id)
    page = client.get(f"/assessments/{decided_id}").get_data(as_text=True)
    assert "Ändra (skapa en ny version)" in page
    assert client.get(f"/review/{decided_id}/follow-up").status_code == 200
    with app.app_context():
        old = db.session.get(Assessment, decided_id)
        user = db.session.get(factories.User, author_id)
        new = workflow.amend(old, user)
        db.session.flush()
        new.status = AssessmentStatus.submitted
        new.submitted_at = old.submitted_at
        reviewer = factories.create_user(roles=("reviewer",), department="FFF")
        workflow.approve(new, reviewer)
        db.session.commit()
        assert db.session.get(Assessment, decided_id).status == AssessmentStatus.archived
        assert db.session.get(Assessment, decided_id).committee_decision is not None


def test_an_assessment_has_one_decision_at_most(app):
    with app.app_context():
        assessment = factories.create_assessment("decided")
        db.session.commit()
        db.session.add(
            CommitteeDecision(
                assessment_id=assessment.id,
                committee=COMMITTEE,
                meeting_date=MEETING,
                paragraph="§ 2",
                outcome=CommitteeOutcome.rejected,
                analysis_changed=False,
                recorded_by_id=assessment.created_by_id,
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_an_admin_assigns_a_secretarys_committees_and_the_change_is_audited(app, client, auth, login_as):
    with app.app_context():
        person = factories.create_user(roles=("case_officer",), department="SLK")
        factories.ensure_department("FFF")  # its committee is one to choose
        db.session.commit()
        person_id, email = person.id, person.email
    login_as("admin", department="SLK")
    path = f"/admin/users/{person_id}"
    base = {"name": "Karin Holm", "email": email, "department": str(_department_id(app, "SLK"))}
    missing = client.post(path, data={**base, "roles": "committee_secretary", "csrf_token": csrf_token(client, path)})
    assert missing.status_code == 200 and "Välj nämnderna" in missing.get_data(as_text=True)
    data = {**base, "roles": "committee_secretary", "committees": ["Kommunstyrelsen", COMMITTEE]}
    assert client.post(path, data={**data, "csrf_token": csrf_token(client, path)}).status_code == 302
    with app.app_context():
        assert sorted(db.session.get(factories.User, person_id).committees) == sorted(["Kommunstyrelsen", COMMITTEE])
    [event] = _events(app, "user.update")
    assert event["committees"] == {"before": [], "after": sorted(["Kommunstyrelsen", COMMITTEE])}
    # Taking the role away takes the committees too.
    data = {**base, "roles": "case_officer", "committees": ["Kommunstyrelsen"]}
    assert client.post(path, data={**data, "csrf_token": csrf_token(client, path)}).status_code == 302
    with app.app_context():
        assert db.session.get(factories.User, person_id).committees == []


def _department_id(app, code: str) -> int:
    with app.app_context():
        return factories.ensure_department(code).id


def test_the_decision_pages_speak_english(app, client, auth, approved):
    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    page = client.get(f"/assessments/{assessment_id}/decision").get_data(as_text=True)
    assert "Record the committee's decision" in page and "Date of the meeting" in page
    assert "Approved with changes" in page and "Referred back" in page
    _post(client, assessment_id, _decision(outcome="referred_back"))
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Referred back" in page and "Decided" in page and "Committee&#39;s decision recorded" in page


def test_the_pdf_carries_the_decision(app, client, auth, approved):
    import io

    from pypdf import PdfReader

    assessment_id, author_id = approved
    _log_in(app, auth, author_id)
    before = PdfReader(io.BytesIO(client.get(f"/reports/assessments/{assessment_id}.pdf").get_data()))
    assert "Inte registrerat än" in "".join(page.extract_text() for page in before.pages)
    _post(client, assessment_id, _decision())
    after = PdfReader(io.BytesIO(client.get(f"/reports/assessments/{assessment_id}.pdf").get_data()))
    text = " ".join(" ".join(page.extract_text() for page in after.pages).split())
    assert "Bifall med ändringar, Fritids- och folkhälsonämnden" in text and "§ 45" in text
    assert "Morgonsimmet för äldre behölls." in text
