"""The cumulative view: per year of approval, district and ground, the assessments in force negative on the ground
that touched the district (named or through an area); each figure equals the list it links to; remit per role and
department; a fixed number of queries; bad years are 400 with the field named; the CSV holds the same figures."""

import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest

from impact.core.db import db
from impact.core.timefmt import local_today
from tests import factories
from tests.databases import page_statements

THIS_YEAR = local_today().year
LAST_YEAR = THIS_YEAR - 1
LINK = re.compile(r'<td class="numeric"><a href="([^"]+)">(\d+)</a></td>')
COUNT = re.compile(r"<caption>\s*(\d+) (?:konsekvensanalyser|konsekvensanalys|assessments?)\s*</caption>")


def _approved(status: str, decided_at: datetime, **fields):
    assessment = factories.create_assessment(status, **fields)
    assessment.decided_at = decided_at
    return assessment


def _in(year: int, month: int = 6) -> datetime:
    return datetime(year, month, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def cumulative(app) -> dict[str, int]:
    """Approved and decided assessments negative on grounds in Norrby, Sjöbo and Centrum over two years, and ones
    that must not count: a draft, a submitted one, a neutral answer, one approved three years ago."""
    with app.app_context():
        hassle = factories.ensure_area("OMR-HASSLE", "Hässleholmen", "Norrby")
        lunden = factories.ensure_area("OMR-LUNDEN", "Lunden", "Norrby")
        made = {
            # Named directly and through two of its areas: counted once for Norrby.
            "both": _approved(
                "approved",
                _in(THIS_YEAR, 1),
                department="FFF",
                districts=("Norrby",),
                areas=[hassle, lunden],
                answers={"gender": "negative", "age": "significantly_negative", "religion": "neutral"},
            ),
            # Only through an area whose district it does not name (the area was moved since): still Norrby.
            "area_only": _approved(
                "decided",
                _in(THIS_YEAR, 2),
                department="SOF",
                districts=("Sjöbo",),
                areas=[hassle],
                answers={"gender": "negative"},
            ),
            "sof_last_year": _approved(
                "approved",
                _in(LAST_YEAR),
                department="SOF",
                districts=("Sjöbo", "Centrum"),
                answers={"age": "negative"},
            ),
            "neutral": _approved("approved", _in(THIS_YEAR, 3), districts=("Norrby",), answers={"gender": "neutral"}),
            "old": _approved("approved", _in(THIS_YEAR - 3), districts=("Norrby",), answers={"gender": "negative"}),
            "draft": factories.create_assessment("draft", districts=("Norrby",), answers={"gender": "negative"}),
            "submitted": factories.create_assessment(
                "submitted", districts=("Norrby",), answers={"gender": "negative"}
            ),
            "not_relevant": _approved(
                "approved",
                _in(THIS_YEAR, 4),
                districts=("Norrby",),
                answers={"gender": {"impact": "negative", "relevant": False}},
            ),
        }
        db.session.commit()
        return {name: assessment.id for name, assessment in made.items()}


def figures(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]


def table(page: str, year: int) -> str:
    start = page.index(f'id="year-{year}"')
    return page[start : page.index("</table>", start)]


def test_every_figure_counts_once_per_district_ground_and_year_and_equals_its_list(client, login_as, cumulative):
    login_as("auditor", department="SLK", municipality_wide=True)
    response = client.get("/reports/cumulative")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    this_year = dict(
        (tuple(sorted(re.findall(r"(district|ground)=([^&]+)", url))), n) for url, n in figures(table(page, THIS_YEAR))
    )
    assert this_year == {
        (("district", "Norrby"), ("ground", "gender")): 2,  # "both" once though it names two areas, and "area_only"
        (("district", "Norrby"), ("ground", "age")): 1,
        (("district", "Norrby"),): 2,  # any ground: two assessments, not three negative answers
        (("district", "Sj%C3%B6bo"), ("ground", "gender")): 1,
        (("district", "Sj%C3%B6bo"),): 1,
    }
    last_year = figures(table(page, LAST_YEAR))
    assert sorted(n for _url, n in last_year) == [1, 1, 1, 1]  # Sjöbo and Centrum, age and any ground
    # The totals count each assessment once: this year two on gender (both, area_only), one on age; in all two.
    assert re.search(r"<tfoot>.*?<td class=\"numeric\">2</td>\s*</tr>", table(page, THIS_YEAR) + "</table>", re.S)
    for url, expected in figures(page):
        listing = client.get(url).get_data(as_text=True)
        assert int(COUNT.search(listing).group(1)) == expected, url


def test_older_years_and_a_department_and_a_ground_are_chosen_by_the_form(client, login_as, cumulative):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get(f"/reports/cumulative?year_from={THIS_YEAR - 3}&year_to={THIS_YEAR - 3}").get_data(as_text=True)
    assert [n for _url, n in figures(page)] == [1, 1]  # "old": Norrby, gender and any ground
    page = client.get("/reports/cumulative?department=SOF&ground=gender").get_data(as_text=True)
    found = figures(table(page, THIS_YEAR))
    assert [n for _url, n in found] == [1, 1, 1, 1]  # area_only: Norrby and Sjöbo, gender and "any ground" (= gender)
    assert all("department=SOF" in url and "ground=gender" in url for url, _n in found)
    assert "Ålder" not in table(page, THIS_YEAR)  # only the chosen ground's column


def test_a_department_officer_with_a_remit_sees_only_their_department(client, login_as, cumulative):
    login_as("reviewer", department="SOF")  # a reviewer whose remit is their own department
    page = client.get("/reports/cumulative?department=FFF").get_data(as_text=True)
    found = figures(page)
    assert found and all("department=SOF" in url for url, _n in found)
    assert sum(n for _url, n in figures(table(page, THIS_YEAR))) == 4  # area_only only


@pytest.mark.parametrize("role", ["case_officer", "committee_secretary"])
def test_other_roles_do_not_get_it(client, login_as, role):
    login_as(role)
    assert client.get("/reports/cumulative").status_code == 403
    assert client.get("/reports/cumulative.csv").status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year_from=abc", "year_from", None),
        ("year_from=1999", "year_from", "Ange ett år från 2000"),
        (f"year_to={THIS_YEAR + 1}", "year_to", "Ange ett år från 2000"),
        (f"year_from={THIS_YEAR}&year_to={THIS_YEAR - 1}", "year_to", "Det sista året"),
        (f"year_from={THIS_YEAR - 12}&year_to={THIS_YEAR}", "year_to", "Välj högst 10 år"),
        ("year_from=99999999999999999999999", "year_from", "Ange ett år från 2000"),
        ("ground=nonsense", "ground", None),
        ("district=Atlantis", "district", None),
    ],
)
def test_a_bad_choice_is_400_with_the_field_named_and_kept(client, login_as, cumulative, query, field, message):
    login_as("auditor", department="SLK", municipality_wide=True)
    response = client.get(f"/reports/cumulative?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page and f'href="#{field}"' in page
    assert 'aria-invalid="true"' in page
    if message:
        assert message in page
    value = query.split("&")[0].split("=", 1)[1]
    assert f'value="{value}"' in page or field in ("ground", "district")  # what was typed stays in its box
    assert client.get(f"/reports/cumulative.csv?{query}").status_code == 400


def test_the_csv_holds_the_same_figures_with_names_neutralised(app, client, login_as, cumulative):
    with app.app_context():
        factories.ensure_district("=Lista")  # an active district named like a formula: a row of zeros
        db.session.commit()
    login_as("auditor", department="SLK", municipality_wide=True)
    response = client.get("/reports/cumulative.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["År då den godkändes", "Kommundel", "Grund", "Konsekvensanalyser med negativ påverkan"]
    counts = {(int(year), district, ground): int(n) for year, district, ground, n in rows[1:]}
    assert counts[(THIS_YEAR, "Norrby", "Kön")] == 2
    assert counts[(THIS_YEAR, "Norrby", "Alla grunder")] == 2
    assert counts[(THIS_YEAR, "Alla kommundelar", "Alla grunder")] == 2  # "both" and "area_only", each once
    assert counts[(LAST_YEAR, "Centrum", "Ålder")] == 1
    assert counts[(THIS_YEAR, "'=Lista", "Kön")] == 0
    assert {year for year, _district, _ground in counts} == {THIS_YEAR, LAST_YEAR, THIS_YEAR - 2}


def test_the_query_count_does_not_grow_with_the_assessments(app, client, login_as, cumulative):
    login_as("auditor", department="SLK", municipality_wide=True)
    few = page_statements(app, client, "/reports/cumulative")[0]
    with app.app_context():
        area = factories.ensure_area("OMR-SJOBO", "Sjöbo centrum", "Sjöbo")
        for number in range(12):
            _approved(
                ("approved", "decided")[number % 2],
                _in(THIS_YEAR - number % 3),
                department=("GSF", "KUF")[number % 2],
                districts=(("Norrby",), ("Sjöbo", "Centrum"), ("Brämhult",))[number % 3],
                areas=[area] if number % 4 == 0 else [],
                answers={"gender": "negative", "age": "negative", "disability": "significantly_negative"},
            )
        db.session.commit()
    many, page = page_statements(app, client, "/reports/cumulative")
    assert many == few
    assert "Brämhult" in page


@pytest.mark.parametrize(
    ("role", "fields", "departments"),
    [
        ("auditor", {"department": "SLK", "municipality_wide": True}, {"FFF", "SOF"}),
        ("reviewer", {"department": "SLK", "municipality_wide": True}, {"FFF", "SOF"}),
        ("admin", {"department": "SLK"}, {"FFF", "SOF"}),
        ("auditor", {"department": "FFF"}, {"FFF"}),  # an auditor whose remit is their own department
    ],
)
def test_each_role_sees_its_remit(client, login_as, cumulative, role, fields, departments):
    login_as(role, **fields)
    page = client.get("/reports/cumulative").get_data(as_text=True)
    shown = {url: n for url, n in figures(table(page, THIS_YEAR))}
    expected = 3 if departments == {"FFF"} else 5  # FFF: "both" in Norrby (gender, age, any ground)
    assert len(shown) == expected
    for url, n in shown.items():
        listing = client.get(url).get_data(as_text=True)
        assert int(COUNT.search(listing).group(1)) == n, url


def test_the_profiles_link_to_the_view_for_those_it_opens_for(app, client, login_as, cumulative):
    with app.app_context():
        from impact.org.models import Area, District

        norrby = db.session.query(District).filter_by(name="Norrby").one().id
        area = db.session.query(Area).filter_by(code="OMR-HASSLE").one().id
    login_as("auditor", department="SLK", municipality_wide=True)
    for path in (f"/areas/district/{norrby}", f"/areas/area/{area}"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/reports/cumulative?district=Norrby"' in page, path
    assert 'href="/reports/cumulative"' in client.get("/reports/districts").get_data(as_text=True)


def test_the_profiles_offer_no_link_to_those_it_refuses(app, client, login_as, cumulative):
    with app.app_context():
        from impact.org.models import District

        norrby = db.session.query(District).filter_by(name="Norrby").one().id
    login_as("case_officer")
    assert "/reports/cumulative" not in client.get(f"/areas/district/{norrby}").get_data(as_text=True)
    assert "/reports/cumulative" not in client.get("/reports/districts").get_data(as_text=True)
