"""Downloads: the register as CSV and XLSX (``impact.reports.workbook``), the dashboard's figures as CSV, one
assessment as PDF and Word (``impact.reports.documents``)."""

import tempfile

from flask import Response, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from impact.assessments.enums import AssessmentStatus
from impact.assessments.filters import IMPACT_CLASS_LABELS
from impact.assessments.loaders import get_assessment_or_404, page_options
from impact.auth.permissions import role_required
from impact.core.timefmt import local_today
from impact.reports import bp
from impact.reports.documents.docx import DOCX_TYPE, assessment_docx
from impact.reports.documents.pdf import assessment_pdf
from impact.reports.register import ASSESSMENT_COLUMNS, column_headers, csv_lines, register_rows
from impact.reports.scope import scoped_filters
from impact.reports.summary import HEAT_CLASSES, compute_summary, quarter_bounds
from impact.reports.views import ANY_ROLE
from impact.reports.workbook import workbook_sheets, write_workbook

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@bp.get("/register.csv")
@role_required(*ANY_ROLE)
def register_csv():
    filters = scoped_filters(current_user)
    header = column_headers()
    body = csv_lines(header, register_rows(filters, current_user), repeated=ASSESSMENT_COLUMNS)
    filename = f"impact-register-{local_today().isoformat()}.csv"
    return Response(stream_with_context(body), mimetype=CSV_TYPE, headers=_attachment(filename))


@bp.get("/register.xlsx")
@role_required(*ANY_ROLE)
def register_xlsx():
    filters = scoped_filters(current_user)
    # The finished workbook is a temporary file that is streamed and then removed.
    output = tempfile.TemporaryFile()  # noqa: SIM115  (closed, and so removed, once it has been streamed)
    write_workbook(workbook_sheets(filters, current_user), output)
    output.seek(0)

    def chunks():
        try:
            while data := output.read(64 * 1024):
                yield data
        finally:
            output.close()

    filename = f"impact-register-{local_today().isoformat()}.xlsx"
    return Response(chunks(), mimetype=XLSX_TYPE, headers=_attachment(filename))


def summary_table(filters, user) -> tuple[list[str], list[list]]:
    """The dashboard's figures as rows: figure, department, ground, status, impact, period, count."""
    summary = compute_summary(filters, user)
    header = [_("Figure"), _("Department"), _("Ground"), _("Status"), _("Impact"), _("Period"), _("Count")]
    rows: list[list] = []
    departments = dict(summary.departments)
    for status in AssessmentStatus:
        for code, name in summary.departments:
            count = summary.by_department_status.get((code, status.value), 0)
            rows.append([_("Assessments"), name, "", status.label, "", "", count])
    for code, _name in summary.departments:
        for key, ground in summary.grounds:
            for klass in HEAT_CLASSES:
                rows.append(
                    [
                        _("Impacts"),
                        departments[code],
                        ground,
                        "",
                        IMPACT_CLASS_LABELS[klass],
                        "",
                        summary.heat.get((code, key, klass), 0),
                    ]
                )
    for key, ground in summary.grounds:
        rows.append(
            [
                _("Negative impacts without mitigation"),
                "",
                ground,
                "",
                "",
                "",
                summary.unmitigated_by_ground.get(key, 0),
            ]
        )
    rows.append(
        [
            _("Assessments with a negative impact without mitigation or justification"),
            "",
            "",
            "",
            "",
            "",
            summary.unmitigated_assessments,
        ]
    )
    rows.append([_("Overdue mitigations"), "", "", "", "", "", summary.overdue_mitigations])
    rows.append([_("Assessments with overdue mitigations"), "", "", "", "", "", summary.overdue_mitigation_assessments])
    rows.append([_("Overdue follow-ups"), "", "", "", "", "", summary.overdue_follow_ups])
    for year, quarter in summary.quarters:
        start, end = quarter_bounds(year, quarter)
        period = f"{year} Q{quarter} ({start.isoformat()}–{end.isoformat()})"
        rows.append([_("Assessments created"), "", "", "", "", period, summary.by_quarter.get((year, quarter), 0)])
        rows.append(
            [
                _("with a negative impact"),
                "",
                "",
                "",
                _("Negative"),
                period,
                summary.negative_by_quarter.get((year, quarter), 0),
            ]
        )
    return header, rows


@bp.get("/figures.csv")
@role_required(*ANY_ROLE)
def summary_csv():
    filters = scoped_filters(current_user)
    header, rows = summary_table(filters, current_user)
    filename = f"impact-figures-{local_today().isoformat()}.csv"
    return Response("".join(csv_lines(header, rows)), mimetype=CSV_TYPE, headers=_attachment(filename))


@bp.get("/assessments/<int:assessment_id>.pdf")
@login_required
def assessment_pdf_view(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, options=page_options())
    return Response(
        assessment_pdf(assessment),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="impact-{assessment.case_number}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/assessments/<int:assessment_id>.docx")
@login_required
def assessment_docx_view(assessment_id: int):
    """The same content as the PDF, as Word, with the same access check."""
    assessment = get_assessment_or_404(assessment_id, options=page_options())
    return Response(
        assessment_docx(assessment),
        mimetype=DOCX_TYPE,
        headers=_attachment(f"impact-{assessment.case_number}.docx"),
    )
