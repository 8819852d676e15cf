"""The public register's PDF and Word file: the internal documents' loader with its public switch, so they say the
same as the internal ones except the names, and the PDF stays tagged (PDF/UA-1)."""

from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from impact.assessments.models import Assessment
from impact.core.db import db
from impact.public.publication import set_register_open
from impact.reports.documents.content import document_content
from tests import factories
from tests.reports.test_documents import assert_tagged_pdf_ua

TITLE = "Nya öppettider i simhallen"


@pytest.fixture
def published(app) -> int:
    """An approved assessment with authors, a reviewer, an action with an owner and one with a named responsible;
    the register is open."""
    with app.app_context():
        owner = factories.create_user(name="Olle Ägarsson", department="FFF")
        assessment = factories.create_assessment(
            status="approved",
            department="FFF",
            title=TITLE,
            author=factories.create_user(name="Karin Författarsson", department="FFF"),
            follow_up_date=date(2027, 3, 3),
            answers={
                "gender": {"relevant": False, "not_relevant_reason": "Lika för alla kön enligt statistiken."},
                "disability": {
                    "relevant": True,
                    "impact": "negative",
                    "remaining_impact": "neutral",
                    "mitigations": [
                        {"description": "Ledsagning vid entrén", "responsible": "Stina Ansvarsson"},
                        {"description": "Ramp vid bassängen", "owner": owner},
                    ],
                },
            },
        )
        assessment.decided_by = factories.create_user(roles=("reviewer",), name="Greta Granskarsson", department="FFF")
        set_register_open(True, factories.create_user(roles=("admin",), department="KS"))
        db.session.commit()
        return assessment.id


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_pdf_is_tagged_pdf_ua(client, published, tmp_path, language):
    from pdfua import validate

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(f"/public/assessments/{published}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_tagged_pdf_ua(response.get_data(), language, TITLE)
    path = tmp_path / "public.pdf"
    path.write_bytes(response.get_data())
    assert [(finding.rule_id, finding.message) for finding in validate(str(path)).findings] == []


def _without_names(content: dict, terms: set[str], column: str) -> dict:
    """``content`` with the facts rows of ``terms`` and the table column headed ``column`` taken out."""
    blocks = []
    for block in content["blocks"]:
        block = dict(block)
        if block["kind"] == "facts":
            block["rows"] = [row for row in block["rows"] if row[0] not in terms]
            if not block["rows"]:
                continue
        if block["kind"] == "table" and column in block["header"]:
            index = block["header"].index(column)
            block["header"] = [cell for i, cell in enumerate(block["header"]) if i != index]
            block["rows"] = [[cell for i, cell in enumerate(row) if i != index] for row in block["rows"]]
        blocks.append(block)
    return {**content, "blocks": blocks}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_content_is_the_internal_content_without_names(app, published, language):
    """One loader, one switch: what the public documents leave out is exactly the authors, the reviewer and who is
    responsible for each action; everything else is the same, block by block."""
    with app.test_request_context(), force_locale(language):
        assessment = db.session.get(Assessment, published)
        internal, public = document_content(assessment), document_content(assessment, public=True)
        terms, column = {_("Authors"), _("Reviewer")}, _("Who is responsible")
    assert internal != public
    assert _without_names(internal, terms, column) == public
    text = repr(public)
    for name in ("Karin Författarsson", "Greta Granskarsson", "Olle Ägarsson", "Stina Ansvarsson"):
        assert name in repr(internal) and name not in text, name
