"""Who sees the summaries, and that auditors cannot change anything through them."""

import re

import pytest

from tests.conftest import csrf_token

PAGES = ["/reports/", "/reports/districts", "/reports/register.csv", "/reports/register.xlsx", "/reports/figures.csv"]


@pytest.mark.parametrize("role", ["case_officer", "reviewer", "auditor", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_every_role_may_open_the_summaries(client, login_as, seeded, role, path):
    login_as(role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES + ["/profile/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", PAGES + ["/reports/assessments/1.pdf", "/reports/assessments/1.docx"])
def test_summaries_accept_no_writes(client, login_as, seeded, path):
    login_as("auditor", department="KS", municipality_wide=True)
    token = csrf_token(client, "/profile/")
    assert client.post(path, data={"csrf_token": token}).status_code == 405


def test_auditor_cannot_change_an_assessment(client, login_as, seeded):
    """The summaries only link to the read-only assessment page; the auditor has no edit or review rights there."""
    login_as("auditor", department="KS", municipality_wide=True)
    page = client.get(f"/assessments/{seeded['submitted_sof']}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'method="post"' not in body.split("<main", 1)[1].split("</main>")[0]


def test_filter_form_shows_what_was_chosen_and_explains_bad_filters(client, login_as, seeded):
    login_as("auditor", department="KS", municipality_wide=True)
    body = client.get("/reports/?ground=gender&date_from=2026-13-01&department=NOPE").get_data(as_text=True)
    assert '<option selected value="gender">' in body
    assert "Några filter användes inte" in body


def test_district_view_shows_real_counts_with_links(client, login_as, seeded):
    """Counts of assessments are public records, not people: 1 to 4 are shown as they are, each a link."""
    login_as("auditor", department="KS", municipality_wide=True)
    body = client.get("/reports/districts").get_data(as_text=True)
    assert "&lt; 5" not in body
    norrby = body.split('<th scope="row">Norrby</th>', 1)[1].split("</tr>", 1)[0]
    # Two approved assessments name Norrby; the count links to the approved assessments there.
    assert re.search(r'<td class="numeric"><a href="/assessments/\?[^"]*district=Norrby[^"]*">2</a></td>', norrby)
    assert "status=approved" in re.search(r'<td class="numeric"><a href="([^"]*)"', norrby).group(1)
    # One negative impact on gender there (the approved FFF assessment), as a link too.
    assert re.search(r'ground=gender[^"]*impact=negative[^"]*">1</a>', norrby)


@pytest.mark.parametrize(
    "query",
    ["committee=Kulturn%C3%A4mnden", "involvement=none", "decision=none", "children=concerns", "area=OMR-HASSLE"],
)
def test_district_view_figures_follow_every_filter_as_their_lists_do(app, client, login_as, query):
    """The district view's figures under a filter its summary tables do not hold (the committee, who was heard, an
    area...) are counted live: each equals the list it links to."""
    from impact.core.db import db
    from tests import factories

    with app.app_context():
        culture = factories.create_assessment("approved", districts=("Norrby",), answers={"age": "negative"})
        culture.committee = "Kulturnämnden"
        culture.areas = [factories.ensure_area()]
        factories.create_assessment("approved", districts=("Norrby",), answers={"age": "negative"}).committee = "KS"
        db.session.commit()
    login_as("auditor", department="KS", municipality_wide=True)
    body = client.get(f"/reports/districts?{query}").get_data(as_text=True)
    norrby = body.split('<th scope="row">Norrby</th>', 1)[1].split("</tr>", 1)[0]
    url, count = re.search(r'<td class="numeric"><a href="([^"]*)">(\d+)</a></td>', norrby).groups()
    listing = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf"<caption>\s*{count} konsekvensanalys", listing), (query, count)
