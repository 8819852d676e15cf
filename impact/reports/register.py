"""The register of assessments: one row per assessment and ground, streamed from the database."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.due import OPEN_MITIGATION_STATES
from impact.assessments.enums import (
    AssessmentStatus,
    ChildRightEffect,
    CommitteeOutcome,
    Impact,
    MinorityAnswer,
    NationalMinority,
    Outcome,
)
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import (
    Alternative,
    Assessment,
    CommitteeDecision,
    Consultation,
    GroundAnswer,
    Involvement,
    Mitigation,
    mitigation_grounds,
)
from impact.core.db import db
from impact.core.timefmt import format_day, format_time, zone_name
from impact.grounds.models import Ground, localized
from impact.org.models import Department

BATCH = 2000  # rows fetched from the database at a time
CHUNK_SIZE = 64 * 1024  # characters per streamed CSV chunk: one socket write each, not one per row
COLUMNS = (
    ("assessment_id", _l("Assessment id")),
    ("case_number", _l("Case number")),
    ("title", _l("Title")),
    ("department", _l("Department")),
    ("status", _l("Status")),
    ("created_at", _l("Created")),
    ("submitted_at", _l("Submitted")),
    ("decided_at", _l("Reviewed")),
    ("follow_up_date", _l("Follow-up date")),
    ("outcome", _l("Outcome of the assessment")),
    ("alternatives", _l("Alternatives considered")),
    ("consultations", _l("Consultations")),
    ("national_minority", _l("National minority")),
    ("concerns_children", _l("Concerns children")),
    ("children_heard", _l("Children heard")),
    ("rights_weakened", _l("Rights of the child weakened")),
    ("committee", _l("Committee")),
    ("committee_decision", _l("The committee's decision")),
    ("meeting_date", _l("Date of the meeting")),
    ("paragraph", _l("Paragraph in the minutes")),
    ("analysis_changed", _l("The analysis changed the proposal")),
    ("ground_key", _l("Ground key")),
    ("ground", _l("Ground")),
    ("relevant", _l("Relevant")),
    ("impact", _l("Impact")),
    ("score", _l("Score (-2..2)")),
    ("remaining_impact", _l("Impact that remains after the actions")),
    ("affected_groups", _l("Affected groups")),
    ("mitigations", _l("Mitigations")),
    ("open_mitigations", _l("Open mitigations")),
    ("acceptance_justification", _l("Justification for accepting")),
    ("actual_impact", _l("Actual impact at follow-up")),
    ("actual_comment", _l("Comment on the actual impact")),
)
# Timestamps are exported in local time (impact.core.timefmt); their headers name the zone.
TIME_COLUMNS = frozenset({"created_at", "submitted_at", "decided_at"})
# The first columns describe the assessment, the same on each of its grounds' rows.
ASSESSMENT_COLUMNS = [key for key, _label in COLUMNS].index("ground_key")
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compilation off for the queries run inside (in this transaction, as it was after).

    The register's queries are costly enough to be compiled, which takes longer than it saves: at 100,000
    assessments the register's query ran in 5.7–7.4 s without and 7.6–8.8 s with it (a busy machine). Nothing to
    do on SQLite.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    jit = connection.exec_driver_sql("SELECT current_setting('jit')").scalar_one()
    connection.exec_driver_sql("SELECT set_config('jit', 'off', true)")
    yield
    # Only when all went well: after an error the transaction is rolled back, and the setting with it.
    db.session.connection().exec_driver_sql("SELECT set_config('jit', %(jit)s, true)", {"jit": jit})


def column_headers() -> list[str]:
    """The header row in the user's language; a timestamp column says its zone, e.g. "Skapad (Europe/Stockholm)"."""
    return [f"{label} ({zone_name()})" if key in TIME_COLUMNS else str(label) for key, label in COLUMNS]


def _mitigation_counts() -> sa.Subquery:
    """Actions and open actions per ground answer they address, grouped once for the whole export."""
    is_open = sa.case((Mitigation.status.in_(OPEN_MITIGATION_STATES), 1))
    return (
        sa.select(
            mitigation_grounds.c.ground_answer_id,
            sa.func.count(Mitigation.id).label("total"),
            sa.func.count(is_open).label("open"),
        )
        .join(Mitigation, Mitigation.id == mitigation_grounds.c.mitigation_id)
        .group_by(mitigation_grounds.c.ground_answer_id)
        .subquery("mitigation_counts")
    )


def visible_ids(filters: AssessmentFilterForm, user) -> sa.Select:
    """The ids of the assessments ``user`` may see under ``filters``: the rows of every sheet of the register."""
    return filters.apply(sa.select(Assessment.id).where(access.visible_filter(user)))


def register_statement(filters: AssessmentFilterForm, user) -> sa.Select:
    """The register's query: one row per visible assessment and ground of its template, in export order."""
    ids = visible_ids(filters, user)
    counts = _mitigation_counts()
    alternatives = (
        sa.select(Alternative.assessment_id, sa.func.count(Alternative.id).label("total"))
        .group_by(Alternative.assessment_id)
        .subquery("alternative_counts")
    )
    consultations = (
        sa.select(Consultation.assessment_id, sa.func.count(Consultation.id).label("total"))
        .group_by(Consultation.assessment_id)
        .subquery("consultation_counts")
    )
    weakened = (
        sa.select(ChildRightEffectRow.assessment_id, sa.func.count().label("total"))
        .where(ChildRightEffectRow.effect == ChildRightEffect.weakened)
        .group_by(ChildRightEffectRow.assessment_id)
        .subquery("weakened_counts")
    )
    return (
        sa.select(
            Assessment.id,
            Assessment.case_number,
            Assessment.title,
            Department.name,
            # The enums' stored values as plain text: the labels are looked up in a dict made once per export.
            sa.type_coerce(Assessment.status, sa.String),
            Assessment.created_at,
            Assessment.submitted_at,
            Assessment.decided_at,
            Assessment.follow_up_date,
            # The outcome as reported: a screening-only assessment implies that no major change is needed.
            sa.case(
                (Assessment.affects_people.is_(False), Outcome.no_major_change.value),
                else_=sa.type_coerce(Assessment.analysis_outcome, sa.String),
            ),
            alternatives.c.total,
            consultations.c.total,
            sa.type_coerce(Involvement.national_minority, sa.String),
            Involvement.minorities,
            # Whether it concerns children only where people are affected; the rest only where it does.
            sa.case((Assessment.affects_people.is_(True), ChildRights.concerns_children)),
            sa.case((_concerns_children(), ChildRights.children_heard)),
            sa.case((_concerns_children(), sa.func.coalesce(weakened.c.total, 0))),
            # The committee's decision, when recorded: the committee that decided it, else the one planned.
            sa.func.coalesce(CommitteeDecision.committee, Assessment.committee),
            sa.type_coerce(CommitteeDecision.outcome, sa.String),
            CommitteeDecision.meeting_date,
            CommitteeDecision.paragraph,
            CommitteeDecision.analysis_changed,
            Ground.id,
            GroundAnswer.relevant,
            sa.type_coerce(GroundAnswer.impact, sa.String),
            GroundAnswer.affected_groups,
            counts.c.total,
            counts.c.open,
            GroundAnswer.acceptance_justification,
            sa.type_coerce(GroundAnswer.remaining_impact, sa.String),
            sa.type_coerce(GroundAnswer.actual_impact, sa.String),
            GroundAnswer.actual_comment,
        )
        .join(Department, Department.id == Assessment.department_id)
        .outerjoin(alternatives, alternatives.c.assessment_id == Assessment.id)
        .outerjoin(consultations, consultations.c.assessment_id == Assessment.id)
        .outerjoin(Involvement, Involvement.assessment_id == Assessment.id)
        .outerjoin(ChildRights, ChildRights.assessment_id == Assessment.id)
        .outerjoin(weakened, weakened.c.assessment_id == Assessment.id)
        .outerjoin(CommitteeDecision, CommitteeDecision.assessment_id == Assessment.id)
        .join(Ground, Ground.template_version_id == Assessment.template_version_id)
        .outerjoin(
            GroundAnswer, sa.and_(GroundAnswer.assessment_id == Assessment.id, GroundAnswer.ground_id == Ground.id)
        )
        .outerjoin(counts, counts.c.ground_answer_id == GroundAnswer.id)
        .where(Assessment.id.in_(ids))
        .order_by(Assessment.created_at, Assessment.id, Ground.position)
    )


def _concerns_children() -> sa.ColumnElement[bool]:
    return sa.and_(Assessment.affects_people.is_(True), ChildRights.concerns_children.is_(True))


class GroundNames(dict):
    """Ground id → (key, name in the user's language), for every ground, read in one query."""

    def __init__(self) -> None:
        super().__init__({ground_id: (key, localized(sv, en)) for ground_id, key, sv, en in self._read()})

    @staticmethod
    def _read(*where: sa.ColumnElement[bool]) -> sa.Result:
        return db.session.execute(sa.select(Ground.id, Ground.key, Ground.name_sv, Ground.name_en).where(*where))

    def __missing__(self, ground_id: int) -> tuple[str, str]:
        # A ground published after the names were read (a new template version): read it alone.
        _id, key, sv, en = self._read(Ground.id == ground_id).one()
        self[ground_id] = key, localized(sv, en)
        return self[ground_id]


class _MinorityText:
    """Whether a national minority is concerned, and which, in words ("Yes: Sweden Finns"), made once per answer."""

    def __init__(self) -> None:
        self.answers = {answer.value: str(answer.label) for answer in MinorityAnswer}
        self.minorities = {minority.value: str(minority.label) for minority in NationalMinority}
        self.made: dict[tuple, str | None] = {}

    def text(self, answer: str | None, minorities: list | None) -> str | None:
        key = (answer, tuple(minorities or ()))
        if key not in self.made:
            names = ", ".join(self.minorities.get(value, value) for value in key[1])
            label = self.answers.get(answer) if answer else None
            self.made[key] = f"{label}: {names}" if label and names else label
        return self.made[key]


def register_rows(filters: AssessmentFilterForm, user) -> Iterator[tuple]:
    """Rows of the register for what ``user`` may see under ``filters``, as tuples in ``COLUMNS`` order.

    Two queries whatever the size: the grounds' names, then the rows, streamed in batches (a server-side cursor
    on PostgreSQL), so memory stays flat. Labels are translated once per export, not once per row.

    The query is built here, when called, and run when the rows are first read: whatever the filters hold fails
    before a streamed response has sent its first byte, never half-way through the file.
    """
    return _register_rows(_streamed(register_statement(filters, user)))


def _streamed(statement: sa.Select) -> Iterator[Sequence]:
    """The statement's rows, read in batches. On PostgreSQL straight from a server-side cursor of the driver: the
    register's rows are plain values (enumerations are read as their text, times are aware), and making a
    SQLAlchemy row of each of 900,000 took a fifth of the workbook's time. Elsewhere through SQLAlchemy, whose
    result processing SQLite needs (its times are text)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield from connection.execute(statement.execution_options(yield_per=BATCH))
        return
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    with connection.connection.driver_connection.cursor(name="register_rows") as cursor:
        cursor.itersize = BATCH
        # The empty parameters make the driver read "%%" in the written-out literals as "%".
        cursor.execute(sql, {})
        yield from cursor


def _register_rows(rows: Iterator[Sequence]) -> Iterator[tuple]:
    status_labels = {status.value: str(status.label) for status in AssessmentStatus}
    impact_labels = {impact.value: str(impact.label) for impact in Impact}
    outcome_labels = {outcome.value: str(outcome.label) for outcome in Outcome}
    decision_labels = {outcome.value: str(outcome.label) for outcome in CommitteeOutcome}
    scores = {impact.value: impact.score for impact in Impact}
    minority = _MinorityText()
    grounds = GroundNames()
    for row in rows:
        (aid, case, title, dept, status, created, submitted, decided, follow_up, outcome, n_alt) = row[:11]
        (n_heard, concerns_minority, minorities, children, children_heard, n_weakened) = row[11:17]
        (committee, decision, meeting, paragraph, changed) = row[17:22]
        (ground_id, relevant, impact, groups, n_mit, n_open, justification) = row[22:29]
        (remaining, actual, actual_comment) = row[29:]
        key, ground = grounds[ground_id]
        yield (
            aid,
            case,
            title,
            dept,
            status_labels[status],
            created,
            submitted,
            decided,
            follow_up,
            outcome_labels.get(outcome),
            n_alt or 0,
            n_heard or 0,
            minority.text(concerns_minority, minorities),
            children,
            children_heard,
            n_weakened,
            committee,
            decision_labels.get(decision),
            meeting,
            paragraph,
            changed,
            key,
            ground,
            relevant,
            impact_labels.get(impact),
            scores.get(impact) if relevant else None,
            impact_labels.get(remaining),
            groups if relevant else "",
            n_mit or 0,
            n_open or 0,
            justification or "",
            impact_labels.get(actual),
            actual_comment or "",
        )


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets: a leading formula character gets an apostrophe before it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def text_value(value) -> str | int | None:
    """A cell as text for CSV: dates ISO, times local to the minute, booleans yes/no, numbers as they are, text
    neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return format_day(value)
    return neutralise(str(value))


class _TextFormatters(dict):
    """``text_value`` split by type, for the types the register holds; any other type goes to ``text_value``."""

    def __init__(self) -> None:
        yes, no = _("Yes"), _("No")  # translated once, not once per cell
        super().__init__(
            {
                type(None): lambda value: "",
                bool: lambda value: yes if value else no,
                int: lambda value: value,
                str: neutralise,
                datetime: format_time,
                date: format_day,
            }
        )

    def __missing__(self, kind: type):
        return text_value


def csv_lines(header: Iterable[str], rows: Iterable[Sequence], repeated: int = 0) -> Iterator[str]:
    """CSV for Swedish Excel: UTF-8 with a byte-order mark and semicolons.

    The header comes at once, before any query has run; then chunks of about ``CHUNK_SIZE`` characters. When the
    first ``repeated`` values of a row equal those of the row before (the register repeats an assessment on each
    of its grounds), their cells are not formatted again.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writerow, tell = writer.writerow, buffer.tell
    formatters = _TextFormatters()
    last_head, head_cells = None, []

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writerow([neutralise(str(name)) for name in header])
    yield "\ufeff" + take()
    for row in rows:
        if repeated:
            head = row[:repeated]
            if head != last_head:
                last_head, head_cells = head, [formatters[type(value)](value) for value in head]
            writerow(head_cells + [formatters[type(value)](value) for value in row[repeated:]])
        else:
            writerow([formatters[type(value)](value) for value in row])
        if tell() >= CHUNK_SIZE:
            yield take()
    if tell():
        yield take()
