"""The assessment as a tagged, accessible PDF (PDF/UA-1), laid out by Typst from ``assessment.typ``.

Typst (the ``typst`` package, a compiled wheel: nothing else to install on a server) writes a structure tree with
headings, tables with header cells, lists, the chart as a figure with alternative text, the document's language
and title, and the PDF/UA identification. The content goes in as JSON through ``sys.inputs``, so nothing a user
types is ever read as Typst markup. Only the fonts in ``impact/reports/fonts`` are used (no system fonts), so the
file is the same on every machine.
"""

import json
from pathlib import Path

import typst

from impact.assessments.models import Assessment
from impact.reports.documents.content import document_content

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "assessment.typ"
FONT_DIR = HERE.parent / "fonts"


def render_pdf(content: dict) -> bytes:
    """The PDF of ``content`` (``document_content``'s dict)."""
    return typst.compile(
        TEMPLATE,
        format="pdf",
        pdf_standards=["ua-1"],
        font_paths=[FONT_DIR],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(content, ensure_ascii=False)},
    )


def assessment_pdf(assessment: Assessment, public: bool = False) -> bytes:
    """The PDF of ``assessment`` in the current language; ``public`` for the public register (no names)."""
    return render_pdf(document_content(assessment, public=public))
