"""The assessment's documents read back: the PDF's structure tree and metadata (PDF/UA-1), the Word file's headings
and tables, what both say on the summary page, who may download them, and that user text is never markup."""

import html
import io
import re
from datetime import date

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader

from impact.assessments.models import Assessment
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_of(client, assessment_id: int) -> bytes:
    response = client.get(f"/reports/assessments/{assessment_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


def docx_of(client, assessment_id: int):
    response = client.get(f"/reports/assessments/{assessment_id}.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert "attachment" in response.headers["Content-Disposition"]
    return Document(io.BytesIO(response.get_data()))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return flat(" ".join(parts))


def page_text(client, assessment_id: int) -> str:
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in the tree's (reading) order."""
    found = []

    def walk(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


@pytest.fixture
def approved(app, login_as):
    """An approved assessment with a not-relevant ground, a negative impact accepted without actions, another
    mitigated, a planned decision date and a follow-up date; and a reviewer who can see it."""
    with app.app_context():
        assessment = factories.create_assessment(
            status="approved",
            department="FFF",
            title="Nya öppettider i sporthallen",
            follow_up_date=date(2027, 3, 3),
            answers={
                "gender": {"relevant": False, "not_relevant_reason": "Lika för alla kön enligt statistiken."},
                "age": {
                    "relevant": True,
                    "impact": "negative",
                    "acceptance_justification": "Påverkan är liten och nyttan stor.",
                },
                "disability": {
                    "relevant": True,
                    "impact": "negative",
                    "remaining_impact": "neutral",
                    "mitigations": [{"description": "Ledsagning vid entrén", "responsible": "Enhetschefen"}],
                },
            },
        )
        assessment.decision_date = date(2026, 3, 3)
        db.session.commit()
        assessment_id = assessment.id
    login_as("reviewer", department="FFF")
    return assessment_id


def assert_tagged_pdf_ua(data: bytes, language: str, title: str) -> None:
    """The PDF is tagged as PDF/UA-1 asks: marked, language and title, headings in order, tables with header cells,
    lists, figures with alternative text, every page's content in the structure tree, the shipped fonts embedded."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == language
    assert root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == title
        assert meta["pdfuaid:part"] == "1"
    elements = structure(pdf)
    kinds = [str(element.S) for element in elements]
    headings = [kind for kind in kinds if re.fullmatch(r"/H\d", kind)]
    assert headings[0] == "/H1" and headings.count("/H1") == 1 and headings[1] == "/H2"
    # Never a level skipped on the way down.
    assert all(int(b[2]) <= int(a[2]) + 1 for a, b in zip(headings, headings[1:], strict=False))
    assert "/Table" in kinds and "/TH" in kinds and "/TD" in kinds and "/L" in kinds
    figures = [element for element in elements if element.S == "/Figure"]
    assert figures and all(str(figure.get("/Alt", "")).strip() for figure in figures)
    assert ("Kön" if language == "sv" else "Gender") in str(figures[0].Alt)
    # Every page's content belongs to the tree (its marked content is found through the parent tree).
    parent_tree = root.StructTreeRoot.ParentTree
    numbers = parent_tree.Nums if "/Nums" in parent_tree else [n for kid in parent_tree.Kids for n in kid.Nums]
    keys = {int(numbers[i]) for i in range(0, len(numbers), 2)}
    for page in pdf.pages:
        assert int(page.obj.StructParents) in keys
        page.contents_coalesce()
        assert b"BDC" in page.obj.Contents.read_bytes()  # marked content, tied to the tree by its MCID
    # Fonts embedded, and only the ones shipped with the application.
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "DejaVu" in str(descriptor.FontName)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_is_tagged_pdf_ua(app, client, approved, language):
    if language == "en":
        client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    assert_tagged_pdf_ua(pdf_of(client, approved), language, "Nya öppettider i sporthallen")


def test_the_summary_page_says_what_a_politician_needs(app, client, approved):
    reader = PdfReader(io.BytesIO(pdf_of(client, approved)))
    first = flat(reader.pages[0].extract_text())
    assert "Sammanfattning" in first and "Påverkansprofil" in first
    assert "Planerat beslutsdatum: 3 mars 2026" in first and "Beslutsdatum" not in first
    assert "Godkänd den:" in first and "Version: 1" in first
    assert "Accepteras utan åtgärder: Påverkan är liten och nyttan stor." in first
    assert "Ledsagning vid entrén" in first and "Åtgärder 0" not in first
    assert not re.search(r"\d{2}:\d{2}:\d{2}", pdf_text(pdf_of(client, approved)))  # no seconds anywhere
    text = pdf_text(pdf_of(client, approved))
    assert "Lika för alla kön enligt statistiken." in text  # the reason for a not-relevant ground
    assert not re.search(r"[:?] –( |$)", text)  # no rows with an empty "–" for a value
    assert "UTKAST" not in text


def test_a_draft_is_marked_as_such(app, client, login_as):
    user = login_as("case_officer", department="FFF")
    with app.app_context():
        assessment_id = factories.create_assessment(status="draft", department="FFF", author=db.session.merge(user)).id
        db.session.commit()
    text = pdf_text(pdf_of(client, assessment_id))
    assert "UTKAST" in text and "Utkast: inte en godkänd konsekvensanalys" in text
    document = docx_of(client, assessment_id)
    assert "UTKAST" in document.sections[0].header.paragraphs[0].text


def test_user_text_is_never_read_as_markup(app, client, login_as):
    user = login_as("case_officer", department="FFF")
    tricky = '#import "x.typ": * *bold* $x^2$ ] #{panic("no")} <label> @ref \\ `raw` = heading'
    with app.app_context():
        assessment = factories.create_assessment(
            status="draft", department="FFF", author=db.session.merge(user), title=tricky
        )
        assessment.description = tricky
        db.session.commit()
        assessment_id = assessment.id
    data = pdf_of(client, assessment_id)
    assert tricky in pdf_text(data)
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_metadata() as meta:
        assert meta["dc:title"] == tricky
    assert tricky in docx_text(docx_of(client, assessment_id))


def test_the_word_file_has_headings_tables_and_language(app, client, approved):
    document = docx_of(client, approved)
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert styles[0] == ("Heading 1", "Nya öppettider i sporthallen")
    assert ("Heading 2", "Sammanfattning") in styles and ("Heading 2", "Grunderna") in styles
    assert ("Heading 3", "Kön") in styles
    assert document.core_properties.title == "Nya öppettider i sporthallen"
    assert document.core_properties.language == "sv-SE"
    assert len(document.tables) >= 2
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.xpath("./w:tblHeader")
    negative = next(t for t in document.tables if t.rows[0].cells[0].text == "Grund" and len(t.columns) == 4)
    assert [cell.text for cell in negative.rows[0].cells] == ["Grund", "Påverkan", "Åtgärder", "Påverkan som kvarstår"]


def test_the_word_link_is_beside_the_pdf_link(client, approved):
    page = client.get(f"/assessments/{approved}").get_data(as_text=True)
    assert f'href="/reports/assessments/{approved}.pdf"' in page
    assert f'href="/reports/assessments/{approved}.docx"' in page


@pytest.mark.parametrize("extension", ["pdf", "docx"])
def test_neither_document_is_given_to_who_may_not_see_the_assessment(app, client, login_as, extension):
    with app.app_context():
        assessment_id = factories.create_assessment(status="draft", department="FFF").id
        db.session.commit()
    login_as("case_officer", department="KS")
    assert client.get(f"/reports/assessments/{assessment_id}.{extension}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(f"/reports/assessments/{assessment_id}.{extension}").status_code == 302  # to the login


def key_texts(assessment: Assessment) -> list[str]:
    """What the page, the PDF and the Word file must all say about one assessment."""
    texts = [assessment.title, assessment.case_number, assessment.department.name]
    if assessment.screening_only:
        texts.append(assessment.screening_reason)
    else:
        texts += [assessment.overall_assessment, assessment.recommendation, assessment.outcome_text]
        texts += [str(assessment.analysis_outcome.label)] if assessment.analysis_outcome else []
        for ground in assessment.template_version.grounds:
            answer = assessment.answer_for(ground)
            texts.append(ground.name)
            if answer is not None and answer.relevant is False:
                texts.append(answer.not_relevant_reason)
            if answer is not None and answer.relevant:
                texts += [answer.impact_text, answer.acceptance_justification]
                texts += [action.description for action in answer.mitigations]
        texts += [action.who for action in assessment.actions if action.who]
        texts += [alternative.description for alternative in assessment.alternatives]
        texts += [consultation.who for consultation in assessment.consultations]
    return [flat(text) for text in texts if text and text.strip()]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_page_pdf_and_word_say_the_same_for_the_demo_assessments(app, client, runner, login_as, language):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    if language == "en":
        client.post("/language/en", data={"csrf_token": csrf_token(client)})
    login_as("auditor", department="KS", municipality_wide=True)
    with app.test_request_context(headers={"Accept-Language": language}):
        assessments = db.session.scalars(db.select(Assessment).order_by(Assessment.id)).all()
        expected = {a.id: key_texts(a) for a in assessments if a.status.value in ("approved", "decided", "submitted")}
    assert len(expected) >= 10
    for assessment_id, texts in expected.items():
        page, pdf = page_text(client, assessment_id), pdf_text(pdf_of(client, assessment_id))
        word = docx_text(docx_of(client, assessment_id))
        for text in texts:
            assert text in page, (assessment_id, "page", text)
            assert text in pdf, (assessment_id, "pdf", text)
            assert text in word, (assessment_id, "docx", text)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_open_source_pdf_ua_checker_finds_nothing(app, client, approved, tmp_path, language):
    from pdfua import validate

    if language == "en":
        client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    path = tmp_path / "assessment.pdf"
    path.write_bytes(pdf_of(client, approved))
    report = validate(str(path))
    assert [(finding.rule_id, finding.message) for finding in report.findings] == []
    assert report.exit_code == 0
    # It does find the faults of an untagged file, so an empty report means something.
    untagged = pikepdf.new()
    untagged.add_blank_page()
    untagged.save(tmp_path / "untagged.pdf")
    assert validate(str(tmp_path / "untagged.pdf")).findings
