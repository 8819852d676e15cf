"""The voices figures on the dashboard and the district view: computed by the database, each equal to the list it
links to (under any filters, the children and involvement filters included), a fixed number of queries."""

import html
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from impact.core.db import db
from tests import factories
from tests.databases import page_statements
from tests.reports.test_voices_figures import COUNT, LINK, _heard


@pytest.fixture
def heard(app):
    """FFF: children concerned and heard with a right weakened (approved, Norrby and Sjöbo, the youth council twice);
    children concerned and not heard (approved, Norrby, a named group); nobody heard (decided, Sjöbo); a draft that
    heard the youth council and another department's returned assessment, neither of them the auditor's to read."""
    with app.app_context():
        created = datetime.now(UTC) - timedelta(days=30)
        youth = factories.ensure_group_kind()
        pensioners = factories.ensure_group_kind("Pensionärsrådet", "The pensioners' council")
        factories.create_assessment(
            "approved",
            created_at=created,
            districts=("Norrby", "Sjöbo"),
            child_rights=factories.full_child_rights(),
            consultations=[_heard(youth), _heard(youth), _heard(pensioners)],
        )
        factories.create_assessment(
            "approved",
            created_at=created,
            child_rights=factories.full_child_rights(children_heard=False, effects=[]),
            consultations=[_heard(name="Föräldrar i Norrby")],
        )
        factories.create_assessment("decided", created_at=created, districts=("Sjöbo",))  # nobody heard
        factories.create_assessment("draft", created_at=created, consultations=[_heard(youth)])
        factories.create_assessment("returned", department="GSF", created_at=created, consultations=[_heard(youth)])
        db.session.commit()
        return {"youth": youth.id, "pensioners": pensioners.id}


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def _dashboard_voices(page: str) -> str:
    return _section(page, '<section aria-labelledby="voices">', "</section>")


def _district_voices(page: str) -> str:
    return _section(page, 'id="district-voices"', "</main>")


def _figures(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]


def _assert_lists_agree(client, figures) -> None:
    for url, expected in figures:
        assert int(COUNT.search(client.get(url).get_data(as_text=True)).group(1)) == expected, url


def _assert_filters_carried(query: str, figures) -> None:
    """Every link keeps the page's filters, but the figure's own (children or involvement)."""
    kept = [(key, value) for key, value in parse_qsl(query.removeprefix("?")) if key not in ("children", "involvement")]
    for url, _n in figures:
        assert set(kept) <= set(parse_qsl(urlsplit(url).query)), url


def test_dashboard_figures_equal_their_lists(client, login_as, heard):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/").get_data(as_text=True)
    figures = _figures(_dashboard_voices(page))
    _assert_lists_agree(client, figures)
    # concern children, heard, a right weakened, nobody heard, all; the youth council's and pensioners' assessments
    assert [n for _url, n in figures] == [2, 1, 1, 1, 3, 1, 1]
    assert '<td class="numeric">50 %</td>' in _dashboard_voices(page), "heard: 1 of the 2 concerning children"
    assert "Föräldrar i Norrby" not in page


@pytest.mark.parametrize(
    "query",
    [
        "?children=heard",
        "?children=concerns&involvement=none",
        "?involvement=none",
        "?involvement=kind-{youth}",
        "?status=approved&status=draft",
        "?department=FFF&children=weakened",
        "?district=Sjöbo",
    ],
)
def test_dashboard_figures_keep_the_filters_and_equal_their_lists(client, login_as, heard, query):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/" + query.format(**heard)).get_data(as_text=True)
    figures = _figures(_dashboard_voices(page))
    assert figures
    _assert_lists_agree(client, figures)
    _assert_filters_carried(query.format(**heard), figures)


def test_district_figures_equal_their_lists(client, login_as, heard):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/districts").get_data(as_text=True)
    section = _district_voices(page)
    figures = _figures(section)
    _assert_lists_agree(client, figures)
    norrby = [n for url, n in figures if "district=Norrby" in url]
    sjobo = [n for url, n in figures if "district=Sj%C3%B6bo" in url]
    # approved, concern children, heard, weakened, nobody heard; then the youth council's and pensioners' assessments
    assert norrby == [2, 2, 1, 1, 0, 1, 1]
    assert sjobo == [2, 1, 1, 1, 1, 1, 1]
    assert "<caption>" in section and '<th scope="col">' in section


@pytest.mark.parametrize("query", ["?children=concerns", "?involvement=kind-{youth}", "?district=Norrby"])
def test_district_figures_keep_the_filters(client, login_as, heard, query):
    login_as("auditor", department="SLK", municipality_wide=True)
    page = client.get("/reports/districts" + query.format(**heard)).get_data(as_text=True)
    figures = _figures(_district_voices(page))
    assert figures
    _assert_lists_agree(client, figures)
    _assert_filters_carried(query.format(**heard), [(url, n) for url, n in figures if "district=" not in query])


@pytest.mark.parametrize("path", ["/reports/", "/reports/districts"])
def test_the_query_count_does_not_grow_with_the_consultations(app, client, login_as, heard, path):
    login_as("auditor", department="SLK", municipality_wide=True)
    page_statements(app, client, path)  # warm up
    few = page_statements(app, client, path)[0]
    with app.app_context():
        for number in range(12):
            factories.create_assessment(
                ("approved", "submitted")[number % 2],
                department=("GSF", "KUF")[number % 2],
                districts=(f"Område {number % 3}",),
                child_rights=factories.full_child_rights() if number % 3 else None,
                consultations=[_heard(factories.ensure_group_kind(f"Råd {number}", f"Council {number}"))],
            )
        db.session.commit()
    assert page_statements(app, client, path)[0] == few
