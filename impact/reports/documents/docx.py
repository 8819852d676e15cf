"""The assessment as a Word document (python-docx), for pasting into the decision memo: the same blocks as the PDF,
with Word's own heading styles, real tables whose first row repeats as a header, and the document language set."""

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from impact.assessments.models import Assessment
from impact.reports.documents.content import document_content

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
DRAFT_RED = RGBColor(0xA4, 0x00, 0x0F)


def _set_language(document, tag: str) -> None:
    """The proofing language of every style, so Word spell-checks and reads aloud in the right language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)
    document.core_properties.language = tag


def _header_row(row) -> None:
    """Marks a table's first row as its header: Word repeats it on every page and screen readers announce it."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _text(paragraph, text: str, bold: bool = False) -> None:
    """``text`` with its line breaks kept."""
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        paragraph.add_run(line).bold = bold


def _table(document, header: list[str], rows: list[list[str]], caption: str) -> None:
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _text(cell.paragraphs[0], text)
    _header_row(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _text(cell.paragraphs[0], text)


def render_docx(content: dict) -> bytes:
    """The Word document of ``content`` (``document_content``'s dict)."""
    document = Document()
    document.core_properties.title = content["title"]
    document.core_properties.author = content["author"]
    _set_language(document, LANGUAGE_TAGS.get(content["lang"], content["lang"]))
    document.styles["Normal"].font.size = Pt(10)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = content["footer"]
    if content["draft"]:
        header = document.sections[0].header.paragraphs[0].add_run(content["draft_label"].upper())
        header.bold = True
        header.font.color.rgb = DRAFT_RED
    for block in content["blocks"]:
        kind = block["kind"]
        if kind == "heading":
            document.add_heading(block["text"], level=block["level"])
        elif kind == "paragraph":
            _text(document.add_paragraph(), block["text"])
        elif kind == "mark":
            paragraph = document.add_paragraph()
            _text(paragraph, block["text"], bold=True)
            for run in paragraph.runs:
                run.font.color.rgb = DRAFT_RED
        elif kind == "facts":
            for term, value in block["rows"]:
                paragraph = document.add_paragraph()
                _text(paragraph, term if term.endswith("?") else f"{term}:", bold=True)
                paragraph.add_run(" ")
                _text(paragraph, value)
        elif kind == "table":
            _table(document, block["header"], block["rows"], block["caption"])
        elif kind == "chart":
            # Word gets the chart's data as a table: the same words, and readable without the picture.
            rows = [[bar["label"], bar["value"]] for bar in block["bars"]]
            _table(document, [block["ground_label"], block["impact_label"]], rows, block["caption"])
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assessment_docx(assessment: Assessment, public: bool = False) -> bytes:
    """The Word document of ``assessment`` in the current language; ``public`` for the public register (no names)."""
    return render_docx(document_content(assessment, public=public))
