"""The key figures on a ground page: the indicators chosen for the ground, for the places the proposal touches,
beside the municipality's value and the previous year; example figures say so; "copy into the evidence" works
without JavaScript and keeps everything typed."""

import html
import re

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment
from impact.core.db import db
from impact.indicators.models import IndicatorValue, Sex
from tests import factories
from tests.assessment_helpers import own_draft, post_page
from tests.conftest import CSRF_INPUT

# A place's row in the key figures' table: its header, the card's title on a phone.
ROW_HEADER = '<th scope="row" class="table__lead">'


def _figure(indicator, year, value, *, area=None, district=None, **fields):
    place = f"area:{area.id}" if area else (f"district:{district.id}" if district else "municipality")
    return IndicatorValue(
        indicator=indicator,
        area=area,
        district=district,
        place=place,
        year=year,
        value=value,
        shown=str(value),
        **fields,
    )


@pytest.fixture
def figures(app):
    """Economic assistance (shown on socioeconomic status) for Hässleholmen, Norrby and the municipality over two
    years, Hässleholmen's women's figure resting on few individuals; an age figure (not on this ground)."""
    with app.app_context():
        area = factories.ensure_area()
        norrby = area.district
        ekbist = factories.ensure_indicator()
        other = factories.ensure_indicator(
            "EX-ALDRE80", grounds=("age",), name_sv="Andel 80 år och äldre", name_en="Share aged 80 and over"
        )
        db.session.add_all(
            [
                _figure(ekbist, 2024, 13.0, area=area, example=True),
                _figure(ekbist, 2025, 12.5, area=area, example=True),
                _figure(ekbist, 2025, None, area=area, sex=Sex.women, few=True, example=True),
                _figure(ekbist, 2025, 9.1, district=norrby, example=True),
                _figure(ekbist, 2025, 4.2, example=True),
                _figure(other, 2025, 3.3, area=area, example=True),
            ]
        )
        db.session.flush()
        db.session.execute(sa.update(IndicatorValue).where(IndicatorValue.few).values(shown=".."))
        db.session.commit()
        return {"area": area.id}


def _draft_with_area(app, officer, area_id) -> int:
    from impact.org.models import Area

    assessment_id = own_draft(app, officer, districts=())
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.areas = [db.session.get(Area, area_id)]
        db.session.commit()
    return assessment_id


def test_the_ground_page_shows_the_chosen_figures_for_the_places_touched(app, client, english, login_as, figures):
    officer = login_as("case_officer")
    assessment_id = _draft_with_area(app, officer, figures["area"])
    page = client.get(f"/assessments/{assessment_id}/grounds/socioeconomic_status").get_data(as_text=True)
    table = page[page.index('id="figures-heading"') :]
    assert "Economic assistance (%)" in table and "Example figures" in table
    row = re.search(rf"{ROW_HEADER}Hässleholmen \(Norrby\)</th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:5] == ["12.5", "4.2", "13 (2024)", "2025", "Kolada"]
    women = re.search(rf"{ROW_HEADER}Hässleholmen \(Norrby\), women</th>(.*?)</tr>", table, re.S).group(1)
    assert "..</td>" not in women and ".." in women and "few individuals" in women
    assert "aged 80" not in page  # chosen for age, not for this ground
    age = client.get(f"/assessments/{assessment_id}/grounds/age").get_data(as_text=True)
    assert "aged 80" in age


def test_the_proposal_page_shows_the_figures_of_every_ground_without_copying(app, client, english, login_as, figures):
    """The proposal is where the places are chosen: once saved, the figures chosen for any ground are shown for
    them, outside the form and without copy buttons (the evidence is written on each ground's page)."""
    officer = login_as("case_officer")
    assessment_id = _draft_with_area(app, officer, figures["area"])
    page = client.get(f"/assessments/{assessment_id}/proposal").get_data(as_text=True)
    table = page[page.index('id="figures-heading"') :]
    assert "Economic assistance (%)" in table and "aged 80" in table, "the figures of every ground"
    assert "copy_figure" not in page and "On each ground's page you can copy a figure" in table
    assert page.index("</form>") < page.index('id="figures-heading"'), "outside the form: nothing to send"


def test_no_table_without_places_or_figures(app, client, login_as, figures):
    officer = login_as("case_officer")
    assessment_id = own_draft(app, officer, districts=("Sjöbo",))
    page = client.get(f"/assessments/{assessment_id}/grounds/socioeconomic_status").get_data(as_text=True)
    assert "figures-heading" not in page and "copy_figure" not in page


def test_copy_into_the_evidence_without_javascript_keeps_what_was_typed(app, client, english, login_as, figures):
    officer = login_as("case_officer")
    assessment_id = _draft_with_area(app, officer, figures["area"])
    path = f"/assessments/{assessment_id}/grounds/socioeconomic_status"
    page = client.get(path).get_data(as_text=True)
    figure_id = re.search(r'name="copy_figure" value="(\d+)"', page).group(1)
    typed = {"relevant": "yes", "impact": "negative", "evidence": "Dialog med föreningarna.", "affected_groups": "Unga"}
    response = post_page(client, path, {**typed, "copy_figure": figure_id})
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    evidence = re.search(r'<textarea[^>]*name="evidence"[^>]*>(.*?)</textarea>', page, re.S).group(1).strip()
    assert evidence == (
        "Dialog med föreningarna.\n"
        "Economic assistance Hässleholmen (Norrby) 2025: 12.5 % (source: Kolada) "
        "[example figure, not official statistics]"
    )
    assert "Unga</textarea>" in page and 'value="negative" checked' in page
    assert 'role="status"' in page and "Save the page to keep it" in page
    with app.app_context():  # nothing is saved until the user saves
        assert db.session.get(Assessment, assessment_id).answers == []
    # An unknown figure adds nothing and fails nothing; with a wrong CSRF token the copy is refused (the
    # page is shown again with what was typed kept, as for an expired session).
    response = post_page(client, path, {**typed, "copy_figure": "nonsense"})
    assert response.status_code == 200
    token = CSRF_INPUT.search(page).group(1)
    assert client.post(path, data={"copy_figure": figure_id, "csrf_token": token + "x"}).status_code == 302


def test_saving_after_a_copy_keeps_the_figure_in_the_evidence(app, client, login_as, figures):
    officer = login_as("case_officer")
    assessment_id = _draft_with_area(app, officer, figures["area"])
    path = f"/assessments/{assessment_id}/grounds/socioeconomic_status"
    page = client.get(path).get_data(as_text=True)
    figure_id = re.search(r'name="copy_figure" value="(\d+)"', page).group(1)
    copied = html.unescape(post_page(client, path, {"copy_figure": figure_id}).get_data(as_text=True))
    evidence = re.search(r'<textarea[^>]*name="evidence"[^>]*>(.*?)</textarea>', copied, re.S).group(1).strip()
    data = {"relevant": "yes", "impact": "neutral", "affected_groups": "Alla.", "confidence": "medium"}
    assert post_page(client, path, {**data, "evidence": evidence}).status_code == 302
    with app.app_context():
        assert "Hässleholmen (Norrby) 2025" in db.session.get(Assessment, assessment_id).answers[0].evidence


def test_a_place_profile_shows_its_figures_over_the_years_and_the_assessments_that_touched_it(
    app, client, english, login_as, figures
):
    login_as("auditor")
    with app.app_context():
        from impact.org.models import Area

        area = db.session.get(Area, figures["area"])
        touched = factories.create_assessment("approved", title="Ny skola", answers={"age": "negative"})
        touched.areas = [area]
        factories.create_assessment("approved", title="I Norrby", answers={"age": "positive", "gender": "neutral"})
        factories.create_assessment("draft", title="Utkast", answers={"age": "negative"})
        db.session.commit()
        district_id = area.district_id
    page = client.get(f"/areas/area/{figures['area']}").get_data(as_text=True)
    assert "<h1>Hässleholmen</h1>" in page and "Example figures, not official statistics" in page
    assert "Ny skola" in page and "I Norrby" not in page and "Utkast" not in page
    assert "1 negative, 0 neutral, 0 positive" in page
    assert re.search(r'<th scope="row">2024</th><td class="numeric">13</td>', page)
    district = client.get(f"/areas/district/{district_id}").get_data(as_text=True)
    assert "2 approved assessments name this place." in district and "Utkast" not in district
    assert "0 negative, 1 neutral, 0 positive" in district  # gender, from the assessment in Norrby
    assert client.get("/areas/area/999999").status_code == 404
    assert f'href="/areas/area/{figures["area"]}"' in client.get("/areas/").get_data(as_text=True)
