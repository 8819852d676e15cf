"""Full-text search: the list's search box, highlighting, the similar assessments, and who sees which results."""

import re

import pytest

from impact.api.models import ApiToken
from impact.assessments.search import query
from impact.core.db import db
from tests import factories


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _titles(html: str) -> list[str]:
    """The assessments' titles in the list, in order, without their highlights."""
    cells = re.findall(r'<td><a href="/assessments/\d+">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", cell) for cell in cells]


def test_search_finds_words_anywhere_ranks_the_title_first_and_finds_by_prefix(app, client, login_as):
    with app.app_context():
        factories.create_assessment(
            "approved",
            title="Nytt bibliotek",
            answers={"age": {"impact": "negative", "evidence": "Simhallen ligger långt från skolan."}},
        )
        factories.create_assessment("approved", title="Ny simhall i Sjöbo")
        factories.create_assessment("approved", title="Parkering vid torget", description="Inget om bad.")
        db.session.commit()
    login_as("case_officer", department="GSF")
    html = _page(client, "/assessments/?q=simhall")
    assert _titles(html) == ["Ny simhall i Sjöbo", "Nytt bibliotek"]  # the title weighs more than the evidence
    assert "<mark>simhall</mark>" in html.lower()
    assert "<mark>Simhallen</mark>" in html, "the evidence's passage is shown with the matched word marked"
    # The last word is also the start of a longer word; an earlier word is not.
    assert _titles(_page(client, "/assessments/?q=Sjöbo+simh")) == ["Ny simhall i Sjöbo"]
    assert _titles(_page(client, "/assessments/?q=simh+Sjöbo")) == []
    # Another order when the person chooses one; a search with no words finds nothing.
    assert _titles(_page(client, "/assessments/?q=simhall&sort=title")) == ["Ny simhall i Sjöbo", "Nytt bibliotek"]
    assert _titles(_page(client, "/assessments/?q=%22%3A*%26%7C")) == []


def test_a_case_number_is_found_by_its_parts(app, client, login_as):
    with app.app_context():
        factories.create_assessment("approved", title="Lekplats", case_number="2026-00789 1.1.2.25")
        factories.create_assessment("approved", title="Gångväg", case_number="2026-00790")
        db.session.commit()
    login_as("case_officer")
    assert _titles(_page(client, "/assessments/?q=2026-00789")) == ["Lekplats"]
    assert _titles(_page(client, "/assessments/?q=00790")) == ["Gångväg"]


def test_highlighting_escapes_everything_but_the_marks(app, client, login_as):
    with app.app_context():
        factories.create_assessment(
            "approved",
            title="<script>alert('x')</script> Skolskjuts \x02 <b>fet</b>",
            description="Skolskjuts för <img src=x onerror=alert(1)> elever.",
        )
        db.session.commit()
    login_as("case_officer")
    html = _page(client, "/assessments/?q=skolskjuts")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>fet</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>Skolskjuts</mark>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "\x02" not in html


def test_marked_escapes_first_and_drops_unbalanced_markers():
    assert query.marked("a <b> \x02ord\x03 & c") == "a &lt;b&gt; <mark>ord</mark> &amp; c"
    assert query.marked("\x02<i>") == "&lt;i&gt;"


@pytest.mark.parametrize("term", ["Hemligt", "badplats"])
def test_nobody_finds_what_they_may_not_read(app, client, auth, login_as, term):
    """A draft of another department is neither in the list, the API, nor among the similar assessments."""
    with app.app_context():
        secret = factories.create_assessment(
            "draft",
            department="FFF",
            title="Hemligt förslag om badplats",
            description="Ny badplats vid Öresjö.",
        )
        mine = factories.create_assessment(
            "draft", department="GSF", title="Badplats för skolor", description="En badplats vid Öresjö."
        )
        db.session.commit()
        secret_id, mine_id = secret.id, mine.id
        reader = factories.create_user(roles=("auditor",), department="GSF")
        _token, plain = ApiToken.issue(reader, "test")
        db.session.commit()
    login_as("case_officer", department="GSF")
    html = _page(client, f"/assessments/?q={term}")
    assert "Hemligt förslag" not in html
    assert _titles(html) == (["Badplats för skolor"] if term == "badplats" else [])
    for path in (f"/assessments/{mine_id}", f"/assessments/{mine_id}/proposal"):
        assert "Hemligt förslag" not in _page(client, path)
    body = client.get(f"/api/v1/assessments?q={term}", headers={"Authorization": f"Bearer {plain}"}).get_json()
    assert secret_id not in [item["id"] for item in body["items"]]
    # Their own department finds it.
    auth.logout()
    login_as("case_officer", department="FFF")
    assert "Hemligt förslag om badplats" in _titles(_page(client, f"/assessments/?q={term}"))


def test_similar_assessments_show_on_the_proposal_and_the_assessment_page_without_its_versions(app, client, auth):
    from impact.review import operations as review

    with app.app_context():
        text = "Förändrade öppettider i simhallen för skolklasser och föreningar."
        factories.create_assessment(
            "approved",
            title="Simhallens öppettider för föreningar",
            description=text,
            answers={"age": "negative", "gender": "neutral", "religion": "not_relevant"},
        )
        factories.create_assessment("approved", title="Nya öppettider i simhallen", description="Kvällsöppet.")
        factories.create_assessment("approved", title="Parkering vid torget", description="Avgifter.")
        old = factories.create_assessment("approved", title="Simhallens öppettider", description=text)
        author = old.authors[0]
        db.session.commit()
        new = review.amend(old, author)
        db.session.commit()
        old_id, new_id, email = old.id, new.id, author.email
    auth.login(email)
    for path in (f"/assessments/{new_id}/proposal", f"/assessments/{old_id}"):
        html = _page(client, path)
        section = html[html.index('id="similar-title"') :]
        titles = re.findall(r'<a href="/assessments/(\d+)">(.*?)</a>', section)
        names = [title for _id, title in titles]
        assert names[0] == "Simhallens öppettider för föreningar", path
        assert "Nya öppettider i simhallen" in names and "Parkering vid torget" not in names
        assert not {int(found) for found, _title in titles} & {old_id, new_id}, "itself and its versions are left out"
        assert "<dt>Ålder</dt><dd>Negativ</dd>" in section and "Religion" not in section


def test_newer_assessments_sharing_only_common_words_do_not_crowd_out_one_on_the_same_topic(app, monkeypatch):
    """Only the newest few assessments that share a word of the title are ranked (the cost stays flat as the data
    grows): many newer ones sharing only the description's everyday words never push out an older one on the
    same subject, which they would if any shared word made a candidate."""
    from impact.assessments.search import similar

    monkeypatch.setattr(similar, "CANDIDATES", 2)
    common = "Förslaget påverkar boende och föreningar i kommundelen."
    with app.app_context():
        older = factories.create_assessment("approved", title="Ny simhall i Sjöbo", description="Bad för alla.")
        for number in range(3):
            factories.create_assessment("approved", title=f"Bibliotekets öppettider {number}", description=common)
        draft = factories.create_assessment("draft", title="Simhall i Norrby", description=common)
        db.session.commit()
        found = similar.similar_to(draft, draft.created_by)
        assert found[0].id == older.id
        assert len(found) == 1, "only the candidates sharing a word of the title are ranked"


def test_the_demo_draft_on_rents_for_associations_has_similar_assessments(app, runner):
    import sqlalchemy as sa

    from impact.assessments.models import Assessment
    from impact.assessments.search.similar import similar_to

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        draft = db.session.scalar(
            sa.select(Assessment).where(Assessment.title == "Avgifter för föreningars lokalhyra 2027")
        )
        titles = [other.title for other in similar_to(draft, draft.created_by)]
        assert titles[:2] == [
            "Avgifter för föreningars lokalhyra 2026",
            "Ny taxa för föreningars lokalhyra i Kulturhuset",
        ]
