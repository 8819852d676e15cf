"""The register as an Excel workbook: the register, its actions and its districts, one sheet each.

The sheets are written one after another, each from its own streamed query, by ``sheetml``'s streaming writer:
each row is written as it is read (to a temporary file per sheet, then compressed into the workbook), so memory
stays flat however many rows there are. Dates and
times are real cells in local time (Excel has no time zones; the headers name the zone), columns are as wide as
their header and a width chosen for what they hold, the header row is frozen and has an autofilter, and text is
always a text cell, never a formula.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from impact.core.db import db
from impact.core.timefmt import XLSX_DATE_FORMAT, XLSX_TIME_FORMAT, local_zone, zone_name
from impact.reports import register, register_sheets, sheetml

DEFAULT_WIDTH = 14  # characters
MAX_HEADER_WIDTH = 40  # a longer header wraps rather than widen its column further
# A width per kind of column, for what it usually holds: columns are never measured row by row.
WIDTHS = {
    "assessment_id": 10,
    "case_number": 16,
    "title": 45,
    "department": 32,
    "status": 14,
    "created_at": 17,
    "submitted_at": 17,
    "decided_at": 17,
    "follow_up_date": 12,
    "outcome": 30,
    "national_minority": 22,
    "committee": 30,
    "committee_decision": 24,
    "meeting_date": 12,
    "paragraph": 10,
    "ground_key": 20,
    "ground": 30,
    "impact": 22,
    "remaining_impact": 22,
    "affected_groups": 40,
    "acceptance_justification": 45,
    "actual_impact": 22,
    "actual_comment": 45,
    "grounds": 30,
    "description": 50,
    "responsible": 24,
    "owner": 24,
    "owner_department": 32,
    "due_date": 12,
    "done": 45,
    "dropped_reason": 40,
    "district": 18,
}


@dataclass
class Sheet:
    """One sheet: its name, its columns' keys and headers, and its rows (read once, as they are written)."""

    name: str
    keys: Sequence[str]
    headers: Sequence[str]
    rows: Iterable[Sequence]
    repeated: int = 0  # how many first values of a row are often those of the row before


def column_width(key: str, header: str) -> int:
    """A column's width in characters: the width for what it holds, or its header's if that is wider."""
    return max(WIDTHS.get(key, DEFAULT_WIDTH), min(len(header) + 2, MAX_HEADER_WIDTH))


def _headers(columns) -> list[str]:
    """Headers in the user's language; a timestamp column names its zone, e.g. "Skapad (Europe/Stockholm)"."""
    return [f"{label} ({zone_name()})" if key in register.TIME_COLUMNS else str(label) for key, label in columns]


# Columns that describe the assessment in the actions and districts sheets.
ASSESSMENT_KEYS = frozenset({"assessment_id", "case_number", "title", "department", "status", "created_at"})
SHEET_NAMES = (_l("Register"), _l("Actions"), _l("Districts"))


def workbook_sheets(filters, user) -> list[Sheet]:
    """The workbook's sheets for what ``user`` may see under ``filters``. The queries run when each sheet's rows
    are first read."""
    ids = register.visible_ids(filters, user)
    actions = [key for key, _label in register_sheets.ACTION_COLUMNS]
    districts = [key for key, _label in register_sheets.DISTRICT_COLUMNS]
    return [
        Sheet(
            str(SHEET_NAMES[0]),
            [key for key, _label in register.COLUMNS],
            register.column_headers(),
            register.register_rows(filters, user),
            register.ASSESSMENT_COLUMNS,
        ),
        Sheet(
            str(SHEET_NAMES[1]),
            actions,
            _headers(register_sheets.ACTION_COLUMNS),
            register_sheets.action_rows(ids),
            _assessment_prefix(actions),
        ),
        Sheet(
            str(SHEET_NAMES[2]),
            districts,
            _headers(register_sheets.DISTRICT_COLUMNS),
            register_sheets.district_rows(ids),
            _assessment_prefix(districts),
        ),
    ]


def _assessment_prefix(keys: Sequence[str]) -> int:
    """How many first columns describe the assessment (the same on each of its rows, made once for them)."""
    return next((index for index, key in enumerate(keys) if key not in ASSESSMENT_KEYS), len(keys))


def count_rows(filters, user) -> int:
    """How many rows the workbook's sheets hold together (for a job's progress), in one query."""
    ids = register.visible_ids(filters, user)
    statements = (
        register.register_statement(filters, user),
        register_sheets.actions_statement(ids),
        register_sheets.districts_statement(ids),
    )
    counts = [sa.select(sa.func.count()).select_from(s.order_by(None).subquery()).scalar_subquery() for s in statements]
    return db.session.scalar(sa.select(sum(counts[1:], counts[0])))


def _local_minute(zone: ZoneInfo) -> Callable[[datetime], datetime]:
    """A date-time as a cell holds it: local wall-clock time to the minute (the zone is named in the header); a
    naive value is UTC, as the database stores it. The zone is looked up once, not once per cell."""

    def local_minute(value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)

    return local_minute


def write_workbook(sheets: Iterable[Sheet], output, advance: Callable[[int], object] = lambda rows: None) -> None:
    """The sheets as an XLSX workbook written to ``output`` (a path or a binary file); ``advance(n)`` is told of
    the rows written as they are (for a job's progress)."""
    formats = sheetml.Formats(
        date_format=XLSX_DATE_FORMAT,
        time_format=XLSX_TIME_FORMAT,
        yes=_("Yes"),
        no=_("No"),
        time=_local_minute(local_zone()),
    )
    with register.without_jit():
        _write(output, sheets, formats, advance)


def _write(output, sheets: Iterable[Sheet], formats: sheetml.Formats, advance) -> None:
    sheetml.write_xlsx(
        output,
        (
            sheetml.Sheet(
                sheet.name,
                sheet.headers,
                [column_width(key, header) for key, header in zip(sheet.keys, sheet.headers, strict=True)],
                sheet.rows,
                sheet.repeated,
            )
            for sheet in sheets
        ),
        formats,
        advance,
    )
