"""The notice of combined effects on a ground page: the approved assessments of the last twelve months that were
also negative for the ground in a district or area the proposal touches."""

import re
from datetime import timedelta

import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus, Impact
from impact.core.db import db, utcnow
from tests import factories
from tests.assessment_helpers import own_draft, post_page


def test_the_ground_page_lists_earlier_negative_impacts_in_the_same_places(app, client, english, login_as):
    officer = login_as("case_officer")
    with app.app_context():
        area = factories.ensure_area()  # Hässleholmen in Norrby
        negative = factories.create_assessment("approved", title="Kortare öppettider", answers={"age": "negative"})
        in_area = factories.create_assessment(
            "decided", title="Ny busslinje", districts=("Sjöbo",), answers={"age": "significantly_negative"}
        )
        in_area.areas = [area]
        factories.create_assessment("approved", title="Positivt", answers={"age": "positive"})
        factories.create_assessment("approved", title="Annan grund", answers={"gender": "negative"})
        factories.create_assessment("submitted", title="Ej beslutad", answers={"age": "negative"})
        factories.create_assessment(
            "approved", title="Annan kommundel", districts=("Viskafors",), answers={"age": "negative"}
        )
        old = factories.create_assessment("approved", title="För gammal", answers={"age": "negative"})
        old.decided_at = utcnow() - timedelta(days=400)
        db.session.commit()
        negative_id, area_id = negative.id, area.id
    assessment_id = own_draft(app, officer)  # in Norrby
    with app.app_context():
        from impact.assessments.models import Assessment
        from impact.org.models import Area

        db.session.get(Assessment, assessment_id).areas = [db.session.get(Area, area_id)]
        db.session.commit()
    page = client.get(f"/assessments/{assessment_id}/grounds/age").get_data(as_text=True)
    notice = page[page.index('id="cumulative"') :]
    notice = notice[: notice.index("Weigh the combined effect")]
    assert "1 approved assessment of the last 12 months was also negative for age in Norrby" in notice
    assert "in Hässleholmen" in notice
    assert f'href="/assessments/{negative_id}"' in notice and "Ny busslinje" in notice
    for title in ("Positivt", "Annan grund", "Ej beslutad", "För gammal"):
        assert title not in notice
    # Viskafors is not named by the proposal: its part waits, hidden, until the officer ticks it on the ground.
    shown = re.sub(r'<div class="cumulative__place" data-reveal-when="[^"]*" hidden>.*?</div>', "", notice, flags=re.S)
    assert "Annan kommundel" in notice and "Annan kommundel" not in shown and "Ny busslinje" in shown
    gender = client.get(f"/assessments/{assessment_id}/grounds/gender").get_data(as_text=True)
    assert "Annan grund" in gender and "Kortare öppettider" not in gender
    assert 'id="cumulative"' not in client.get(f"/assessments/{assessment_id}/grounds/religion").get_data(as_text=True)


def test_many_earlier_negatives_are_counted_and_the_latest_listed(app, client, english, login_as, monkeypatch):
    from impact.assessments import cumulative

    monkeypatch.setattr(cumulative, "SHOWN", 1)
    officer = login_as("case_officer")
    with app.app_context():
        earlier = factories.create_assessment("approved", title="Först", answers={"age": "negative"})
        earlier.decided_at = utcnow() - timedelta(days=30)
        factories.create_assessment("approved", title="Senast", answers={"age": "negative"})
        db.session.commit()
    assessment_id = own_draft(app, officer)
    page = client.get(f"/assessments/{assessment_id}/grounds/age").get_data(as_text=True)
    assert "2 approved assessments of the last 12 months were also negative for age in Norrby" in page
    assert "Senast" in page and "Först" not in page and "The 1 most recently approved are listed." in page


def test_a_place_ticked_on_the_ground_shows_its_earlier_negatives_without_a_save(app, client, english, login_as):
    """The proposal names Norrby only; Viskafors's part of the notice is on the page, hidden and revealed by ticking
    Viskafors (with JavaScript), and shown as soon as the page comes back with it ticked (a copy, without it)."""
    officer = login_as("case_officer")
    with app.app_context():
        factories.create_assessment(
            "approved", title="Stängd fritidsgård", districts=("Viskafors",), answers={"age": "negative"}
        )
        viskafors = factories.ensure_district("Viskafors").id
        db.session.commit()
    assessment_id = own_draft(app, officer)  # in Norrby, where nothing earlier was negative
    path = f"/assessments/{assessment_id}/grounds/age"
    page = client.get(path).get_data(as_text=True)
    rule = f'data-reveal-when="districts={viskafors}"'
    assert re.search(rf'<div class="notice notice--warning" id="cumulative" {rule} hidden>', page)
    assert re.search(rf'<div class="cumulative__place" {rule} hidden>\s*<p>1 approved assessment', page)
    ticked = post_page(client, path, {"impact": "negative", "districts": str(viskafors), "copy_figure": "0"})
    page = ticked.get_data(as_text=True)
    assert re.search(rf'id="cumulative" {rule}>', page) and re.search(rf'class="cumulative__place" {rule}>', page)
    assert "Stängd fritidsgård" in page


def _negative_impacts() -> set[tuple]:
    from impact.assessments.cumulative import NegativeImpact

    table = NegativeImpact.__table__
    return {
        (row.ground_key, row.place_kind, row.place_id, row.assessment_id, row.n)
        for row in db.session.execute(sa.select(table))
    }


def _agrees_with_a_recount() -> set[tuple]:
    """The table as every change kept it, checked against a full recount from the assessments."""
    from impact.reports import derived

    kept = _negative_impacts()
    derived.rebuild_all()
    assert _negative_impacts() == kept
    return kept


def test_the_notice_table_follows_every_change_and_keeps_no_empty_row(app_ctx):
    """negative_impacts, which the notice reads, holds a row per assessment in force, ground it was negative on
    and place its proposal names, whatever changed it; a row that no longer holds is gone, not left at zero."""
    area = factories.ensure_area()
    norrby = factories.ensure_district("Norrby").id
    approved = factories.create_assessment("approved", answers={"age": "negative", "gender": "positive"})
    factories.create_assessment("submitted", answers={"age": "negative"})
    db.session.commit()
    assert _agrees_with_a_recount() == {("age", "district", norrby, approved.id, 1)}

    approved.areas = [area]
    db.session.commit()
    assert _agrees_with_a_recount() == {
        ("age", "district", norrby, approved.id, 1),
        ("age", "area", area.id, approved.id, 1),
    }
    age = next(answer for answer in approved.answers if answer.ground.key == "age")
    age.impact = Impact.positive
    db.session.commit()
    assert _agrees_with_a_recount() == set()

    age.impact = Impact.significantly_negative
    db.session.commit()
    assert len(_agrees_with_a_recount()) == 2
    age.relevant = False
    db.session.commit()
    assert _agrees_with_a_recount() == set()

    age.relevant = True
    approved.status = AssessmentStatus.archived  # superseded by a new version
    db.session.commit()
    assert _agrees_with_a_recount() == set()
    approved.status = AssessmentStatus.decided
    db.session.commit()
    assert len(_agrees_with_a_recount()) == 2
    db.session.delete(approved)
    db.session.commit()
    assert _agrees_with_a_recount() == set()
