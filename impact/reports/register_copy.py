"""The register as CSV written by PostgreSQL itself (``COPY … TO STDOUT``), byte for byte the CSV that
``register.csv_lines`` writes from ``register.register_rows``.

The register's query (``register.register_statement``, with the same filters and visibility) is wrapped in one
that turns each row into its CSV line in SQL: the labels in the user's language (looked up here, once, and written
into the query), timestamps in local time to the minute, yes/no, formula cells neutralised with an apostrophe, and
cells quoted as Python's ``csv`` module quotes them (only those holding a semicolon, a quote or a line break).
``COPY`` sends the lines in its text format, one per row; the only work left in Python is turning its
backslash escapes back into the characters and the row ends into CRLF. ``tests/reports/test_register_copy.py``
proves the two paths give the same bytes.

Used on PostgreSQL only; on SQLite, or if the query cannot be written out with its values (``CompileError``), the
CSV is written in Python as before.
"""

import re
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from impact.assessments.enums import (
    AssessmentStatus,
    CommitteeOutcome,
    Impact,
    MinorityAnswer,
    NationalMinority,
    Outcome,
)
from impact.assessments.filters import AssessmentFilterForm
from impact.core.db import db
from impact.core.timefmt import zone_name
from impact.grounds.models import Ground
from impact.reports import register
from impact.reports.register import (
    ASSESSMENT_COLUMNS,
    FORMULA_START,
    GroundNames,
    column_headers,
    csv_lines,
    neutralise,
)

_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v", b"\\": b"\\"}
_ESCAPED = re.compile(rb"\\(.)", re.DOTALL)


def copy_possible() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _text(value: str) -> sa.ColumnElement:
    return sa.literal(value, sa.Text)


def _labels(column: sa.ColumnElement, labels: dict) -> sa.ColumnElement:
    """The label of a stored value, or NULL; ``labels`` are already in the user's language."""
    return sa.case(*((column == value, _text(label)) for value, label in labels.items()), else_=sa.null())


def _label_cells(column: sa.ColumnElement, labels: dict) -> sa.ColumnElement:
    """The cell of a stored value's label, neutralised and quoted here, once, not once per row."""
    return _labels(column, {value: _quoted(neutralise(str(label))) for value, label in labels.items()})


def _quoted(text: str) -> str:
    """A cell as ``csv.writer`` writes it (QUOTE_MINIMAL with a semicolon as the delimiter)."""
    return '"' + text.replace('"', '""') + '"' if any(char in text for char in ';"\r\n') else text


def _neutral(value: sa.ColumnElement) -> sa.ColumnElement:
    """``register.neutralise`` in SQL: a leading formula character gets an apostrophe before it."""
    return sa.case((sa.func.left(value, 1).in_(FORMULA_START), _text("'") + value), else_=value)


def _cell(value: sa.ColumnElement) -> sa.ColumnElement:
    """The text of a cell as ``csv.writer`` writes it (semicolon, quote, CR or LF: quoted, quotes doubled); NULL
    stays NULL, an empty cell once the line is joined."""
    quoted = _text('"') + sa.func.replace(value, '"', '""') + _text('"')
    special = sa.or_(*(sa.func.strpos(value, char) > 0 for char in ';"\r\n'))
    return sa.case((special, quoted), else_=value)


def _number(value: sa.ColumnElement) -> sa.ColumnElement:
    return sa.cast(value, sa.Text)


def _time(value: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.to_char(sa.func.timezone(zone_name(), value), "YYYY-MM-DD HH24:MI")


def _day(value: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.to_char(value, "YYYY-MM-DD")


def _yes_no(value: sa.ColumnElement, yes: str, no: str) -> sa.ColumnElement:
    yes, no = _quoted(neutralise(yes)), _quoted(neutralise(no))
    return sa.case((value.is_(True), _text(yes)), (value.is_(False), _text(no)), else_=sa.null())


def _minority_text(answer: sa.ColumnElement, minorities: sa.ColumnElement) -> sa.ColumnElement:
    """``register._MinorityText`` in SQL: "Yes: Sweden Finns, Roma", the answer alone, or NULL."""
    element = sa.column("value", sa.Text)
    position = sa.column("ordinality", sa.Integer)
    names = {minority.value: str(minority.label) for minority in NationalMinority}
    elements = sa.func.json_array_elements_text(sa.cast(minorities, sa.JSON)).table_valued(
        element, position, with_ordinality="ordinality"
    )
    joined = (
        sa.select(
            sa.func.string_agg(
                sa.func.coalesce(_labels(element, names), element), aggregate_order_by(_text(", "), position)
            )
        )
        .select_from(elements)
        .scalar_subquery()
    )
    label = _labels(answer, {answer.value: str(answer.label) for answer in MinorityAnswer})
    # The first branch spares the rows without an answer (most of them) the subquery.
    return sa.case(
        (answer.is_(None), sa.null()),
        (sa.func.coalesce(joined, "") != "", label + _text(": ") + joined),
        else_=label,
    )


def copy_statement(filters: AssessmentFilterForm, user) -> str:
    """The SQL of ``COPY (one CSV line per register row) TO STDOUT``, its values written in."""
    from flask_babel import gettext as _

    yes, no = _("Yes"), _("No")
    statuses = {status.value: str(status.label) for status in AssessmentStatus}
    impacts = {impact.value: str(impact.label) for impact in Impact}
    outcomes = {outcome.value: str(outcome.label) for outcome in Outcome}
    decisions = {outcome.value: str(outcome.label) for outcome in CommitteeOutcome}
    scores = {impact.value: str(impact.score) for impact in Impact if impact.score is not None}
    grounds = GroundNames()
    # Through the module, so the query is the one the Python path uses, whatever replaces it (a test does).
    statement = register.register_statement(filters, user)
    rows = statement.add_columns(Ground.position.label("ground_position")).subquery("r")
    c = list(rows.c)
    (aid, case, title, dept, status, created, submitted, decided, follow_up, outcome, n_alt) = c[:11]
    (n_heard, concerns_minority, minorities, children, children_heard, n_weakened) = c[11:17]
    (committee, decision, meeting, paragraph, changed) = c[17:22]
    (ground_id, relevant, impact, groups, n_mit, n_open, justification) = c[22:29]
    (remaining, actual, actual_comment, position) = c[29:]
    relevant_true = relevant.is_(True)
    # Free text is neutralised and quoted in SQL; labels, numbers, times and yes/no are cells as they are.
    cells = [
        _number(aid),
        _cell(_neutral(case)),
        _cell(_neutral(title)),
        _cell(_neutral(dept)),
        _label_cells(status, statuses),
        _time(created),
        _time(submitted),
        _time(decided),
        _day(follow_up),
        _label_cells(outcome, outcomes),
        _number(sa.func.coalesce(n_alt, 0)),
        _number(sa.func.coalesce(n_heard, 0)),
        _cell(_neutral(_minority_text(concerns_minority, minorities))),
        _yes_no(children, yes, no),
        _yes_no(children_heard, yes, no),
        _number(n_weakened),
        _cell(_neutral(committee)),
        _label_cells(decision, decisions),
        _day(meeting),
        _cell(_neutral(paragraph)),
        _yes_no(changed, yes, no),
        _label_cells(ground_id, {gid: key for gid, (key, _name) in grounds.items()}),
        _label_cells(ground_id, {gid: name for gid, (_key, name) in grounds.items()}),
        _yes_no(relevant, yes, no),
        _label_cells(impact, impacts),
        sa.case((relevant_true, _labels(impact, scores))),
        _label_cells(remaining, impacts),
        sa.case((relevant_true, _cell(_neutral(groups)))),
        _number(sa.func.coalesce(n_mit, 0)),
        _number(sa.func.coalesce(n_open, 0)),
        _cell(_neutral(justification)),
        _label_cells(actual, impacts),
        _cell(_neutral(actual_comment)),
    ]
    # concat_ws leaves NULLs out; an empty cell must stay a cell.
    line = sa.func.concat_ws(";", *(sa.func.coalesce(cell, _text("")) for cell in cells))
    query = sa.select(line).order_by(created, aid, position)
    compiled = query.compile(dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    return f"COPY ({compiled}) TO STDOUT"


def _unescaped(data: bytes) -> bytes:
    """COPY's text format back to the characters: each row ends in LF (made CRLF, as ``csv.writer`` ends rows);
    a line break, tab or backslash inside a row is a backslash escape."""
    data = data.replace(b"\n", b"\r\n")
    if b"\\" in data:
        data = _ESCAPED.sub(lambda match: _ESCAPES[match.group(1)], data)
    return data


def copy_csv_chunks(filters: AssessmentFilterForm, user, advance=None) -> Iterator[bytes]:
    """The register's CSV as UTF-8 bytes: the header (with its byte-order mark) from ``csv_lines``, then the rows
    from ``COPY``, in chunks of about ``CHUNK_SIZE`` bytes.

    The SQL is built when this is called, so a query that cannot be written out fails before the first byte.
    """
    sql = copy_statement(filters, user)
    header = next(csv_lines(column_headers(), ())).encode("utf-8")
    return _chunks(header, sql, advance or (lambda rows: None))


def _chunks(header: bytes, sql: str, advance) -> Iterator[bytes]:
    yield header
    cursor = db.session.connection().connection.driver_connection.cursor()
    parts, size = [], 0
    # The query's many CASE expressions make the planner's cost look high enough to JIT-compile them, which takes
    # seconds (5.6 of 5.9 s for a register of 1,000 assessments) and saves nothing: JIT is off for the COPY alone.
    jit = cursor.execute("SELECT current_setting('jit')").fetchone()[0]
    cursor.execute("SELECT set_config('jit', 'off', true)")
    with cursor, cursor.copy(sql, {}) as copy:
        for block in copy:
            parts.append(block)
            size += len(block)
            if size >= register.CHUNK_SIZE:
                yield _unescaped(b"".join(parts))
                advance(len(parts))  # one block per row
                parts, size = [], 0
    if parts:
        yield _unescaped(b"".join(parts))
        advance(len(parts))
    db.session.connection().exec_driver_sql("SELECT set_config('jit', %(jit)s, true)", {"jit": jit})


def register_csv_chunks(filters: AssessmentFilterForm, user, rows, advance=None) -> Iterator[str | bytes]:
    """The register's CSV: from COPY on PostgreSQL, else (or if its SQL cannot be written out) ``csv_lines`` over
    ``rows()``. ``advance(n)`` is told of the rows written (the COPY path; the rows count themselves otherwise)."""
    if copy_possible():
        try:
            return copy_csv_chunks(filters, user, advance)
        except sa.exc.CompileError:
            pass
    return csv_lines(column_headers(), rows(), repeated=ASSESSMENT_COLUMNS)
