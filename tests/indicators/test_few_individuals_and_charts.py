"""An admin's threshold for figures resting on few individuals, and the charts beside the tables of key figures.

Below the threshold a figure is shown as "fewer than <n>" (never its number), copied as such, and not drawn; the
threshold compares the count of individuals the file gives, or the value of a count indicator. The charts are
role="img" with a text alternative naming every figure, and draw no bar for a figure resting on few individuals.
"""

import html
import io
import re

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.indicators.models import Indicator, IndicatorValue
from impact.org.models import Area
from tests import factories
from tests.assessment_helpers import own_draft, post_page
from tests.conftest import AuthActions, csrf_token

# A place's row in the key figures' table: its header, the card's title on a phone.
ROW_HEADER = '<th scope="row" class="table__lead">'

HEADER = "områdeskod;nyckeltalskod;nyckeltal;nyckeltal (en);år;värde;enhet;kön;källa;få;antal individer\r\n"
ROWS = (
    "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;Economic assistance;2024;12,5;%;;Kolada;;410",
    "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;11,9;%;;Kolada;;3",
    "Norrby;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;9,1;%;;Kolada;;1 250",
    "1490;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;4,2;%;;Kolada;;",
    "OMR-HASSLEHOLMEN;BARNFAM;Barnfamiljer med bistånd;Families with children on assistance;2024;7;st;;SCB;;",
    "OMR-HASSLEHOLMEN;BARNFAM;Barnfamiljer med bistånd;Families with children on assistance;2025;4;st;;SCB;;",
)


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + HEADER + "".join(row + "\r\n" for row in rows)).encode("utf-8")


def _upload(client, data: bytes):
    path = "/admin/indicators/import"
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), "nyckeltal.csv")},
        content_type="multipart/form-data",
    )


def _set_threshold(client, indicator_id: int, few_below: str, counts_people: bool = False, grounds=("gender",)):
    path = f"/admin/indicators/{indicator_id}"
    data = {"csrf_token": csrf_token(client, path), "few_below": few_below, "grounds": list(grounds)}
    if counts_people:
        data["value_counts_people"] = "y"
    return client.post(path, data=data)


@pytest.fixture
def imported(app, client, login_as):
    """The file above imported by an admin (still logged in); the indicators' ids and Hässleholmen's."""
    with app.app_context():
        area = factories.ensure_area()
        db.session.commit()
        area_id = area.id
    login_as("admin")
    assert _upload(client, _csv(*ROWS)).status_code == 302
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Indicator.code, Indicator.id)).all())
    for indicator_id in ids.values():  # both shown on the gender ground, no threshold yet
        assert _set_threshold(client, indicator_id, "").status_code == 302
    return {"area": area_id, **ids}


def _officer_on_gender_ground(app, client, login_as, area_id: int) -> tuple[int, str]:
    AuthActions(client).logout()
    officer = login_as("case_officer")
    assessment_id = own_draft(app, officer, districts=())
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.areas = [db.session.get(Area, area_id)]
        db.session.commit()
    return assessment_id, f"/assessments/{assessment_id}/grounds/gender"


def test_the_import_keeps_the_number_of_individuals_and_refuses_a_count_that_is_not_whole(app, imported, client):
    with app.app_context():
        counts = db.session.execute(
            sa.select(IndicatorValue.place, IndicatorValue.year, IndicatorValue.individuals)
            .where(IndicatorValue.indicator_id == imported["EKBIST"])
            .order_by(IndicatorValue.place, IndicatorValue.year)
        ).all()
    assert [count for _place, _year, count in counts] == [410, 3, 1250, None]
    bad = ROWS[0].rsplit(";", 1)[0] + ";2,5"
    response = _upload(client, _csv(bad, ROWS[1].rsplit(";", 1)[0] + ";-1"))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Rad 2: ”2,5” är inte ett heltal av individer." in page and "Rad 3: ”-1”" in page  # each bad line


@pytest.mark.parametrize("typed", ["0", "abc", "2,5", "-3", "99999999"])
def test_the_threshold_is_a_whole_number_of_one_or_more_with_the_error_by_the_field(app, client, imported, typed):
    response = _set_threshold(client, imported["EKBIST"], typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="few_below-error"' in page and 'href="#few_below"' in page  # by the field and in the summary
    assert f'value="{html.escape(typed)}"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.get(Indicator, imported["EKBIST"]).few_below is None


def test_an_admin_sets_and_clears_the_threshold_and_the_trail_says_so(app, client, imported):
    assert _set_threshold(client, imported["EKBIST"], " 5 ").status_code == 302
    with app.app_context():
        assert db.session.get(Indicator, imported["EKBIST"]).few_below == 5
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "indicator.update").order_by(AuditEvent.id)
        ).all()
        assert events[-1].changes["few_below"] == {"before": None, "after": 5}
    assert 'value="5"' in client.get(f"/admin/indicators/{imported['EKBIST']}").get_data(as_text=True)
    assert "Färre än 5 individer" in client.get("/admin/indicators").get_data(as_text=True)
    assert _set_threshold(client, imported["EKBIST"], "").status_code == 302
    with app.app_context():
        assert db.session.get(Indicator, imported["EKBIST"]).few_below is None


def test_a_figure_below_the_threshold_is_shown_and_copied_as_fewer_than_and_never_drawn(
    app, client, english, login_as, imported
):
    assert _set_threshold(client, imported["EKBIST"], "5").status_code == 302
    assessment_id, path = _officer_on_gender_ground(app, client, login_as, imported["area"])
    page = client.get(path).get_data(as_text=True)
    table = page[page.index('id="figures-heading"') :]
    row = re.search(rf"{ROW_HEADER}Hässleholmen \(Norrby\)</th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0].startswith("fewer than 5") and "few individuals" in cells[0]
    assert cells[2] == "12.5 (2024)"  # the year before rests on 410: shown as the source gave it
    assert "11.9" not in page  # the number itself is nowhere: not in the table, the chart or the copy text
    copy = re.search(r'data-copy-text="([^"]*Hässleholmen \(Norrby\) 2025[^"]*)"', page).group(1)
    expected = "Economic assistance Hässleholmen (Norrby) 2025: fewer than 5 (source: Kolada)"
    assert html.unescape(copy).startswith(expected)
    chart = re.search(r"<svg[^>]*>.*?</svg>", table, re.S).group(0)
    assert 'role="img"' in chart and "fewer than 5 (few individuals)" in chart
    assert chart.count('class="figure-chart__bar"') == 0  # Hässleholmen is the only place: no solid bar
    assert chart.count("figure-chart__bar--alt") == 1  # the municipality's
    # Without JavaScript the copy adds the mark too.
    copy_button = r'name="copy_figure" value="(\d+)"[^>]*data-copy-text="[^"]*Hässleholmen \(Norrby\) 2025'
    figure_id = re.search(copy_button, page)
    response = post_page(client, path, {"copy_figure": figure_id.group(1)})
    evidence = re.search(r'<textarea[^>]*name="evidence"[^>]*>(.*?)</textarea>', response.get_data(as_text=True), re.S)
    assert "fewer than 5" in html.unescape(evidence.group(1)) and "11.9" not in evidence.group(1)
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).answers == []


def test_a_count_indicator_compares_its_value_when_the_admin_says_it_counts_people(
    app, client, english, login_as, imported
):
    # Without the tick, a value of 4 with no count of individuals is a figure like any other.
    assert _set_threshold(client, imported["BARNFAM"], "5").status_code == 302
    area = imported["area"]
    assert "fewer than 5" not in client.get(f"/areas/area/{area}").get_data(as_text=True)
    assert _set_threshold(client, imported["BARNFAM"], "5", counts_people=True).status_code == 302
    page = client.get(f"/areas/area/{area}").get_data(as_text=True)
    section = page[page.index("Families with children") :]
    assert re.search(r'<th scope="row">2025</th><td class="numeric">fewer than 5 <span', section)
    assert re.search(r'<th scope="row">2024</th><td class="numeric">7</td>', section)


def test_swedish_pages_say_farre_an(app, client, login_as, imported):
    assert _set_threshold(client, imported["EKBIST"], "5").status_code == 302
    _assessment_id, path = _officer_on_gender_ground(app, client, login_as, imported["area"])
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert "färre än 5" in page and "Ekonomiskt bistånd Hässleholmen (Norrby) 2025: färre än 5 (källa: Kolada)" in page


def test_the_ground_chart_compares_the_places_with_the_municipality_in_words_too(
    app, client, english, login_as, imported
):
    assessment_id, path = _officer_on_gender_ground(app, client, login_as, imported["area"])
    with app.app_context():  # the proposal touches Norrby too
        assessment = db.session.get(Assessment, assessment_id)
        assessment.districts = [db.session.get(Area, imported["area"]).district]
        db.session.commit()
    page = client.get(path).get_data(as_text=True)
    chart = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    title = re.search(r"<title[^>]*>(.*?)</title>", chart).group(1)
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1))
    assert title == "Economic assistance 2025: the places compared with the municipality"
    assert desc == "Norrby: 9.1 %; Hässleholmen (Norrby): 11.9 %; The municipality: 4.2 %."
    assert chart.count('class="figure-chart__bar"') == 2 and chart.count("figure-chart__bar--alt") == 1
    assert re.search(r'aria-labelledby="figure-chart-title-\d+ figure-chart-desc-\d+"', chart)
    # The widest bar is the largest figure; the others in proportion.
    widths = [int(width) for width in re.findall(r'<rect class="figure-chart__bar" x="0" y="\d+" width="(\d+)"', chart)]
    assert widths == [round(230 * 9.1 / 11.9), 230]


def test_the_profile_chart_draws_the_years_and_leaves_out_a_figure_on_few_individuals(app, client, english, imported):
    area = imported["area"]
    page = client.get(f"/areas/area/{area}").get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert len(charts) == 2  # one per indicator with two years drawn
    chart = charts[0]  # Barnfamiljer sorts first in Swedish
    assert "Families with children on assistance in Hässleholmen and the municipality, 2024–2025" in chart
    assert chart.count('class="figure-chart__bar"') == 2  # both years; the legend's keys are not bars
    assert "2025: Hässleholmen 4 st, the municipality no figure." in chart  # the file has none for the municipality
    assert _set_threshold(client, imported["EKBIST"], "5").status_code == 302
    page = client.get(f"/areas/area/{area}").get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert len(charts) == 1  # economic assistance has one year left to draw: no chart, only the table
    assert "fewer than 5" in page and "11.9" not in page


def test_the_ground_page_asks_as_many_queries_with_a_chart_for_more_figures(app, client, login_as, imported):
    _assessment_id, path = _officer_on_gender_ground(app, client, login_as, imported["area"])
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    client.get(path)
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(path)
        few = counter["n"]
        with app.app_context():
            for year in range(2010, 2020):
                db.session.add(
                    IndicatorValue(
                        indicator_id=imported["EKBIST"],
                        place=f"area:{imported['area']}",
                        area_id=imported["area"],
                        year=year,
                        value=year - 2000,
                        shown=str(year - 2000),
                        individuals=year,
                    )
                )
            db.session.commit()
        counter["n"] = 0
        client.get(path)
        assert counter["n"] == few
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_example_with_numbers_of_individuals_imports_and_a_threshold_hides_byttorp(app, client, english, login_as):
    """docs/examples/nyckeltal-antal-individer-exempel.csv: shares with the number of individuals behind each."""
    from pathlib import Path

    from impact.demo.organisation import ensure_areas, ensure_districts

    with app.app_context():
        byttorp = ensure_areas(ensure_districts())["OMR-BYTTORP"].id
        db.session.commit()
    login_as("admin")
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nyckeltal-antal-individer-exempel.csv"
    assert _upload(client, example.read_bytes()).status_code == 302
    with app.app_context():
        indicator = db.session.scalar(sa.select(Indicator).where(Indicator.code == "EX-BARNBIST"))
        assert db.session.scalar(sa.select(sa.func.count()).where(IndicatorValue.individuals.is_not(None))) == 12
        indicator_id = indicator.id
    assert _set_threshold(client, indicator_id, "10").status_code == 302
    page = client.get(f"/areas/area/{byttorp}").get_data(as_text=True)
    assert "fewer than 10" in page and "1.3" not in page and "1.9" not in page
