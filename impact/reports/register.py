"""The register of assessments: one row per assessment and ground, streamed from the database."""

import csv
import io
from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus, Impact
from impact.assessments.filters import OPEN_MITIGATION_STATES, AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.core.db import db
from impact.grounds.models import Ground, localized
from impact.org.models import Department

BATCH = 500
COLUMNS = (
    ("assessment_id", _l("Assessment id")),
    ("case_number", _l("Case number")),
    ("title", _l("Title")),
    ("department", _l("Department")),
    ("status", _l("Status")),
    ("created_at", _l("Created")),
    ("submitted_at", _l("Submitted")),
    ("decided_at", _l("Decided")),
    ("follow_up_date", _l("Follow-up date")),
    ("ground_key", _l("Ground key")),
    ("ground", _l("Ground")),
    ("relevant", _l("Relevant")),
    ("impact", _l("Impact")),
    ("score", _l("Score (-2..2)")),
    ("affected_groups", _l("Affected groups")),
    ("mitigations", _l("Mitigations")),
    ("open_mitigations", _l("Open mitigations")),
    ("acceptance_justification", _l("Justification for accepting")),
)
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register_rows(filters: AssessmentFilterForm, user) -> Iterator[dict]:
    """Rows of the register for what ``user`` may see under ``filters``, fetched in batches."""
    ids = filters.apply(sa.select(Assessment.id).where(access.visible_filter(user)))
    mitigations = (
        sa.select(sa.func.count(Mitigation.id))
        .where(Mitigation.ground_answer_id == GroundAnswer.id)
        .correlate(GroundAnswer)
        .scalar_subquery()
    )
    open_mitigations = (
        sa.select(sa.func.count(Mitigation.id))
        .where(Mitigation.ground_answer_id == GroundAnswer.id, Mitigation.status.in_(OPEN_MITIGATION_STATES))
        .correlate(GroundAnswer)
        .scalar_subquery()
    )
    statement = (
        sa.select(
            Assessment.id,
            Assessment.case_number,
            Assessment.title,
            Department.name,
            Assessment.status,
            Assessment.created_at,
            Assessment.submitted_at,
            Assessment.decided_at,
            Assessment.follow_up_date,
            Ground.key,
            Ground.name_sv,
            Ground.name_en,
            GroundAnswer.relevant,
            GroundAnswer.impact,
            GroundAnswer.affected_groups,
            mitigations,
            open_mitigations,
            GroundAnswer.acceptance_justification,
        )
        .join(Department, Department.id == Assessment.department_id)
        .join(Ground, Ground.template_version_id == Assessment.template_version_id)
        .outerjoin(
            GroundAnswer, sa.and_(GroundAnswer.assessment_id == Assessment.id, GroundAnswer.ground_id == Ground.id)
        )
        .where(Assessment.id.in_(ids))
        .order_by(Assessment.created_at, Assessment.id, Ground.position)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(statement):
        (aid, case, title, dept, status, created, submitted, decided, follow_up) = row[:9]
        (key, name_sv, name_en, relevant, impact, groups, n_mit, n_open, justification) = row[9:]
        yield {
            "assessment_id": aid,
            "case_number": case,
            "title": title,
            "department": dept,
            "status": AssessmentStatus(status).label,
            "created_at": created,
            "submitted_at": submitted,
            "decided_at": decided,
            "follow_up_date": follow_up,
            "ground_key": key,
            "ground": localized(name_sv, name_en),
            "relevant": relevant,
            "impact": Impact(impact).label if impact is not None else None,
            "score": Impact(impact).score if impact is not None and relevant else None,
            "affected_groups": groups if relevant else "",
            "mitigations": n_mit or 0,
            "open_mitigations": n_open or 0,
            "acceptance_justification": justification or "",
        }


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets: a leading formula character gets an apostrophe before it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def text_value(value) -> str | int | None:
    """A cell as text for CSV: dates ISO, booleans yes/no, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    return neutralise(str(value))


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV for Swedish Excel: UTF-8 with a byte-order mark and semicolons; one chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise(str(name)) for name in header])
    yield "\ufeff" + take()
    for row in rows:
        writer.writerow([text_value(value) for value in row])
        yield take()
