"""Keyset pagination of the assessment list: every row exactly once, forwards and backwards, in every sort order."""

import html
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from impact.assessments import keyset
from impact.assessments.models import Assessment
from impact.assessments.views import PER_PAGE, SORTS
from impact.core.db import db
from impact.reports import derived
from tests import factories
from tests.databases import recorded_statements

ROW_LINK = re.compile(r'<td><a href="/assessments/(\d+)">')
NEXT = re.compile(r'rel="next" href="([^"]+)"')
PREV = re.compile(r'rel="prev" href="([^"]+)"')
ROWS = 2 * PER_PAGE + 7
# Few distinct values, so most rows tie on the sort column and only the id tells them apart.
TIMES = [datetime(2025, 3, 1, 12, 0, tzinfo=UTC), datetime(2025, 3, 1, 12, 0, 0, 500, tzinfo=UTC)]


@pytest.fixture
def many(app, login_as):
    user = login_as("case_officer", department="FFF")
    with app.app_context():
        me = db.session.get(factories.User, user.id)
        for number in range(ROWS):
            factories.create_assessment(
                author=me,
                title=f"Förslag {number % 3}",
                status="submitted" if number % 4 == 0 else "draft",
                case_number=f"2025-{number % 4:05d}",  # searched text: set by the ORM, so the index keeps it
            )
        db.session.commit()
        ids = db.session.scalars(sa.select(Assessment.id).order_by(Assessment.id)).all()
        with derived.recounting():  # the creation month is counted on the dashboard
            for position, assessment_id in enumerate(ids):
                db.session.execute(
                    sa.update(Assessment)
                    .where(Assessment.id == assessment_id)
                    .values(
                        created_at=TIMES[position % 2],
                        updated_at=TIMES[(position // 3) % 2],
                    )
                )
        db.session.commit()
    return user


def _walk(client, start: str, link: re.Pattern) -> list[list[int]]:
    pages, url = [], start
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append([int(found) for found in ROW_LINK.findall(page)])
        following = link.search(page)
        url = html.unescape(following.group(1)) if following else None
        assert len(pages) <= ROWS, "pagination does not end"
    return pages


def _expected(app, sort: str) -> list[int]:
    with app.app_context():
        order = [key.expression() for key in SORTS[sort][1]]
        return db.session.scalars(sa.select(Assessment.id).order_by(*order)).all()


@pytest.mark.parametrize("sort", list(SORTS))
def test_forward_pages_show_every_row_once_in_order(app, client, many, sort):
    pages = _walk(client, f"/assessments/?sort={sort}", NEXT)
    assert [len(page) for page in pages] == [PER_PAGE, PER_PAGE, ROWS - 2 * PER_PAGE]
    assert [row for page in pages for row in page] == _expected(app, sort)


@pytest.mark.parametrize("sort", list(SORTS))
def test_previous_links_lead_back_through_the_same_pages(client, many, sort):
    forward = _walk(client, f"/assessments/?sort={sort}", NEXT)
    last = client.get(f"/assessments/?sort={sort}")
    url = f"/assessments/?sort={sort}"
    for _page in forward[:-1]:
        url = html.unescape(NEXT.search(client.get(url).get_data(as_text=True)).group(1))
    last = client.get(url).get_data(as_text=True)
    backward = _walk(client, html.unescape(PREV.search(last).group(1)), PREV)
    assert list(reversed(backward)) == forward[:-1]


def test_filters_and_sort_stay_in_the_page_links(client, many):
    page = client.get("/assessments/?status=draft&sort=title").get_data(as_text=True)
    link = html.unescape(NEXT.search(page).group(1))
    assert "status=draft" in link and "sort=title" in link and "after=" in link


def test_a_malformed_cursor_shows_the_first_page(client, many):
    first = client.get("/assessments/").get_data(as_text=True)
    for cursor in ("nonsense", "x|y", "2025-01-01T00:00:00|notanumber"):
        response = client.get(f"/assessments/?after={cursor}")
        assert response.status_code == 200
        assert ROW_LINK.findall(response.get_data(as_text=True)) == ROW_LINK.findall(first)


def test_total_beyond_the_cap_says_more_than(app, client, many, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 10)
    page = client.get("/assessments/").get_data(as_text=True)
    assert "10" in page and str(ROWS) not in page.split("<caption>")[1].split("</caption>")[0]
    monkeypatch.setattr(keyset, "COUNT_CAP", 1000)
    caption = client.get("/assessments/").get_data(as_text=True).split("<caption>")[1].split("</caption>")[0]
    assert str(ROWS) in caption


def test_a_deep_page_makes_as_many_queries_as_the_first_and_none_per_row(app, client, many):
    with recorded_statements(app) as statements:
        first = client.get("/assessments/").get_data(as_text=True)
        first_count = len(statements)
        statements.clear()
        client.get(html.unescape(NEXT.search(first).group(1)))
        deep_count = len(statements)
    assert first_count == deep_count
    # Login, filter choices, the count and the page: far fewer queries than the 25 rows shown.
    assert first_count < PER_PAGE // 2
    assert not any("FROM departments WHERE departments.id =" in statement for statement in statements)
