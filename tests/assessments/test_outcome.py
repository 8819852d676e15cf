"""The outcome of the assessment and the alternatives considered: asked on the conclusion page, required to submit,
and carried to every page, the version diff, the API, the register and a new version."""

import csv
import io

import pytest
import sqlalchemy as sa

from impact.assessments import validation
from impact.assessments.enums import AssessmentStatus, Outcome
from impact.assessments.models import Alternative, Assessment
from impact.core.db import db
from impact.review import operations as review_operations
from impact.review.versions import compare
from tests import factories
from tests.assessment_helpers import post_page

COMPLETE = {"overall_assessment": "Små effekter.", "recommendation": "Genomför förslaget."}
ALTERNATIVE = {
    "alternatives-0-description": "Göra ingenting",
    "alternatives-0-effects": "Ingen grund påverkas jämfört med i dag.",
    "alternatives-0-why_not_chosen": "Syftet nås inte.",
}


def _draft(app, user, **answers) -> int:
    with app.app_context():
        author = db.session.get(type(user), user.id)
        assessment = factories.create_assessment(author=author, answers=answers or {"age": "neutral"})
        db.session.commit()
        return assessment.id


def _saved(app, assessment_id: int) -> Assessment:
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.alternatives  # noqa: B018  (loaded while the session is open)
        db.session.expunge_all()
        return assessment


# --- The rules (validation.py) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "answers", "problem"),
    [
        ({}, {"age": "neutral"}, "analysis_outcome"),
        ({"analysis_outcome": Outcome.adjust}, {"age": "neutral"}, "adjustments"),
        ({"analysis_outcome": Outcome.continue_despite}, {"age": "negative"}, "outcome_justification"),
        ({"analysis_outcome": Outcome.no_major_change}, {"age": "significantly_negative"}, "alternatives"),
    ],
)
def test_the_conclusion_is_incomplete_without_what_its_outcome_needs(app_ctx, fields, answers, problem):
    assessment = factories.create_assessment(answers=answers, **COMPLETE, **fields)
    assert problem in validation.conclusion_problems(assessment)


@pytest.mark.parametrize(
    "fields",
    [
        {"analysis_outcome": Outcome.no_major_change},
        {"analysis_outcome": Outcome.adjust, "adjustments": "Seniorsim lades till."},
        {"analysis_outcome": Outcome.continue_despite, "outcome_justification": "Nyttan väger tyngre."},
        {"analysis_outcome": Outcome.stop},
    ],
)
def test_each_outcome_with_what_it_needs_completes_the_conclusion(app_ctx, fields):
    assessment = factories.create_assessment(answers={"age": "negative"}, **COMPLETE, **fields)
    assert validation.conclusion_problems(assessment) == {}


def test_a_significantly_negative_ground_needs_a_complete_alternative(app_ctx):
    assessment = factories.create_assessment(
        answers={"disability": "significantly_negative"},
        analysis_outcome=Outcome.continue_despite,
        outcome_justification="Nödvändigt för säkerheten.",
        alternatives=[Alternative(description="Göra ingenting")],
        **COMPLETE,
    )
    assert set(validation.conclusion_problems(assessment)) == {"alternatives"}
    assessment.alternatives[0].effects = "Ingen förändring."
    assessment.alternatives[0].why_not_chosen = "Olyckorna fortsätter."
    assert validation.conclusion_problems(assessment) == {}
    # When the outcome is to stop, the proposal was not preferred: an alternative needs no reason against it.
    assessment.alternatives[0].why_not_chosen = ""
    assessment.analysis_outcome = Outcome.stop
    assert validation.conclusion_problems(assessment) == {}


# --- The conclusion page ----------------------------------------------------------------------------------------


def test_a_missing_outcome_is_shown_next_to_the_field_and_in_the_summary_and_the_input_is_kept(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user, disability="significantly_negative")
    url = f"/assessments/{assessment_id}/conclusion"
    page = client.get(url).get_data(as_text=True)
    # The first row suggests doing nothing; left as offered, it is not saved as an alternative.
    assert "Göra ingenting: behålla det som det är" in page
    response = post_page(
        client, url, {**COMPLETE, "alternatives-0-description": "Göra ingenting: behålla det som det är"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="#analysis_outcome">Välj analysens resultat.</a>' in page
    assert 'id="analysis_outcome-error"' in page
    assert '<a href="#alternatives">En grund har betydande negativ påverkan' in page
    assert "Små effekter." in page and "Genomför förslaget." in page
    assert _saved(app, assessment_id).alternatives == []

    response = post_page(client, url, {**COMPLETE, "analysis_outcome": "continue_despite", **ALTERNATIVE})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="#outcome_justification">Förklara varför den negativa påverkan är proportionerlig' in page
    assert 'value="continue_despite" checked' in page and "Syftet nås inte." in page

    response = post_page(
        client,
        url,
        {
            **COMPLETE,
            **ALTERNATIVE,
            "alternatives-0-id": str(_alternative_ids(app)[0]),
            "analysis_outcome": "continue_despite",
            "outcome_justification": "Trafiksäkerheten väger tyngre.",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/check")
    saved = _saved(app, assessment_id)
    assert saved.analysis_outcome == Outcome.continue_despite
    assert [a.description for a in saved.alternatives] == ["Göra ingenting"]


def _alternative_ids(app) -> list[int]:
    with app.app_context():
        return db.session.scalars(sa.select(Alternative.id).order_by(Alternative.id)).all()


def test_rows_of_alternatives_are_added_and_removed(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    url = f"/assessments/{assessment_id}/conclusion"
    response = post_page(client, url, ALTERNATIVE, action="add_alternative")
    assert response.status_code == 302 and response.location.endswith("?add=1#alternatives")
    page = client.get(response.location).get_data(as_text=True)
    assert "Alternativ 2" in page and "Ta bort det här alternativet när jag sparar" in page
    first = _alternative_ids(app)[0]
    post_page(
        client,
        url,
        {
            **ALTERNATIVE,
            "alternatives-0-id": str(first),
            "alternatives-1-description": "Två lokaler",
            "alternatives-1-effects": "Kortare resor.",
        },
        action="later",
    )
    assert len(_alternative_ids(app)) == 2
    post_page(client, url, {**ALTERNATIVE, "alternatives-0-id": str(first), "alternatives-0-remove": "y"}, "later")
    assert _alternative_ids(app) == []


def test_changing_the_outcome_drops_the_text_of_the_one_before(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    url = f"/assessments/{assessment_id}/conclusion"
    post_page(client, url, {"analysis_outcome": "adjust", "adjustments": "Kvällsöppet kvar."}, "later")
    assert _saved(app, assessment_id).adjustments == "Kvällsöppet kvar."
    post_page(client, url, {"analysis_outcome": "stop", "adjustments": "Kvällsöppet kvar."}, "later")
    saved = _saved(app, assessment_id)
    assert saved.analysis_outcome == Outcome.stop and saved.adjustments == ""


# --- Everywhere it is shown ---------------------------------------------------------------------------------------


def _decided(app) -> int:
    with app.app_context():
        assessment = factories.create_assessment(
            "submitted",
            answers={"age": "significantly_negative"},
            analysis_outcome=Outcome.continue_despite,
            outcome_justification="Trafiksäkerheten väger tyngre.",
            alternatives=[
                Alternative(description="Göra ingenting", effects="Ingen förändring.", why_not_chosen="Olyckor.")
            ],
            **COMPLETE,
        )
        db.session.commit()
        return assessment.id


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ("Analysens resultat", "Fortsätt trots negativ påverkan", "Alternativ som övervägts")),
        ("en", ("Outcome of the assessment", "Continue despite adverse impacts", "Alternatives considered")),
    ],
)
def test_the_assessment_and_review_pages_show_the_outcome_and_alternatives(app, client, login_as, language, words):
    assessment_id = _decided(app)
    login_as("reviewer", municipality_wide=True, locale=language)  # the language kept on the account
    for url in (f"/assessments/{assessment_id}", f"/review/{assessment_id}"):
        page = client.get(url).get_data(as_text=True)
        for text in (*words, "Trafiksäkerheten väger tyngre.", "Göra ingenting", "Olyckor."):
            assert text in page, (url, text)


def test_a_screening_only_assessment_implies_no_major_change(app, client, login_as):
    with app.app_context():
        assessment = factories.create_assessment("submitted", affects_people=False, screening_reason="Intern rutin.")
        db.session.commit()
        assessment_id = assessment.id
        assert assessment.outcome == Outcome.no_major_change
    login_as("auditor")
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Ingen större förändring behövs: förprövningen visade att förslaget inte påverkar människor." in page


def test_the_version_diff_shows_a_changed_outcome_and_alternatives(app_ctx):
    first = factories.create_assessment("approved", analysis_outcome=Outcome.no_major_change, **COMPLETE)
    second = factories.create_assessment(
        analysis_outcome=Outcome.adjust,
        adjustments="Kvällsöppet kvar.",
        alternatives=[Alternative(description="Göra ingenting", effects="Ingen förändring.")],
        **COMPLETE,
    )
    rows = {row.label: row for row in compare(first, second)[0].rows}
    assert rows["Analysens resultat"].changed
    assert (str(rows["Analysens resultat"].before), str(rows["Analysens resultat"].after)) == (
        "Ingen större förändring behövs",
        "Justera förslaget",
    )
    assert rows["Vad som justerades"].after == "Kvällsöppet kvar."
    assert "Göra ingenting" in rows["Alternativ som övervägts"].after


def test_a_new_version_copies_the_outcome_and_the_alternatives(app_ctx):
    assessment = factories.create_assessment(
        "approved",
        analysis_outcome=Outcome.continue_despite,
        outcome_justification="Nyttan väger tyngre.",
        alternatives=[Alternative(description="Göra ingenting", effects="Ingen.", why_not_chosen="Syftet nås inte.")],
    )
    copy = review_operations.amend(assessment, assessment.created_by)
    assert copy.status == AssessmentStatus.draft
    assert (copy.analysis_outcome, copy.outcome_justification) == (Outcome.continue_despite, "Nyttan väger tyngre.")
    assert [(a.description, a.why_not_chosen) for a in copy.alternatives] == [("Göra ingenting", "Syftet nås inte.")]
    assert copy.alternatives[0].id != assessment.alternatives[0].id
    assert len(assessment.alternatives) == 1


def test_the_register_and_the_api_carry_the_outcome(app, client, login_as):
    assessment_id = _decided(app)
    with app.app_context():
        screening = factories.create_assessment("submitted", affects_people=False)
        db.session.commit()
        screening_id = screening.id
    login_as("auditor")
    rows = list(csv.reader(io.StringIO(client.get("/reports/register.csv").get_data(as_text=True)), delimiter=";"))
    header = rows[0]
    outcome, alternatives = header.index("Analysens resultat"), header.index("Alternativ som övervägts")
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(assessment_id)][outcome] == "Fortsätt trots negativ påverkan"
    assert by_id[str(assessment_id)][alternatives] == "1"
    assert by_id[str(screening_id)][outcome] == "Ingen större förändring behövs"

    with app.app_context():
        from impact.api.serialize import assessment_detail

        detail = assessment_detail(db.session.get(Assessment, assessment_id))
        screening_detail = assessment_detail(db.session.get(Assessment, screening_id))
    assert detail["outcome"] == "continue_despite"
    assert detail["outcome_justification"] == "Trafiksäkerheten väger tyngre."
    assert detail["alternatives"] == [
        {"description": "Göra ingenting", "effects": "Ingen förändring.", "why_not_chosen": "Olyckor."}
    ]
    assert screening_detail["outcome"] == "no_major_change" and screening_detail["alternatives"] == []


def test_the_list_filters_by_outcome(app, client, login_as):
    assessment_id = _decided(app)
    with app.app_context():
        other = factories.create_assessment("submitted", analysis_outcome=Outcome.stop, title="Annat förslag")
        screening = factories.create_assessment("submitted", affects_people=False, title="Bara förprövning")
        db.session.commit()
        other_id, screening_id = other.id, screening.id
    login_as("auditor")

    def listed(outcome: str) -> set[int]:
        page = client.get(f"/assessments/?outcome={outcome}").get_data(as_text=True)
        return {number for number in (assessment_id, other_id, screening_id) if f'/assessments/{number}"' in page}

    assert listed("continue_despite") == {assessment_id}
    assert listed("stop") == {other_id}
    assert listed("no_major_change") == {screening_id}


def test_a_text_too_long_saves_nothing_and_keeps_what_was_typed(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    url = f"/assessments/{assessment_id}/conclusion"
    response = post_page(
        client,
        url,
        {**ALTERNATIVE, "analysis_outcome": "continue_despite", "outcome_justification": "x" * 20_001},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="outcome_justification-error"' in page and '<a href="#outcome_justification">' in page
    assert 'value="continue_despite" checked' in page and "Syftet nås inte." in page
    saved = _saved(app, assessment_id)
    assert saved.analysis_outcome is None and saved.alternatives == []
