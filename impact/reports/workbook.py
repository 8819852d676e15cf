"""The register as an Excel workbook: the register, its actions and its districts, one sheet each.

xlsxwriter's ``constant_memory`` mode writes each row to a temporary file as it goes, so memory stays flat however
many rows there are; a row, once left, cannot be written again, so the sheets are written one after another, each
from its own streamed query. Dates and times are real cells in local time (Excel has no time zones; the headers
name the zone), columns are as wide as their header and a width chosen for what they hold, the header row is
frozen and has an autofilter.
"""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import xlsxwriter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from impact.core.db import db
from impact.core.timefmt import XLSX_DATE_FORMAT, XLSX_TIME_FORMAT, local_naive, zone_name
from impact.reports import register, register_sheets

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


def column_width(key: str, header: str) -> int:
    """A column's width in characters: the width for what it holds, or its header's if that is wider."""
    return max(WIDTHS.get(key, DEFAULT_WIDTH), min(len(header) + 2, MAX_HEADER_WIDTH))


def _headers(columns) -> list[str]:
    """Headers in the user's language; a timestamp column names its zone, e.g. "Skapad (Europe/Stockholm)"."""
    return [f"{label} ({zone_name()})" if key in register.TIME_COLUMNS else str(label) for key, label in columns]


SHEET_NAMES = (_l("Register"), _l("Actions"), _l("Districts"))


def workbook_sheets(
    filters, user, counted: Callable[[Iterable[Sequence]], Iterable[Sequence]] = lambda rows: rows
) -> list[Sheet]:
    """The workbook's sheets for what ``user`` may see under ``filters``; ``counted`` wraps each sheet's rows (for
    a job's progress). The queries run when each sheet's rows are first read."""
    ids = register.visible_ids(filters, user)
    register_keys = [key for key, _label in register.COLUMNS]
    return [
        Sheet(
            str(SHEET_NAMES[0]),
            register_keys,
            register.column_headers(),
            counted(register.register_rows(filters, user)),
        ),
        Sheet(
            str(SHEET_NAMES[1]),
            [key for key, _label in register_sheets.ACTION_COLUMNS],
            _headers(register_sheets.ACTION_COLUMNS),
            counted(register_sheets.action_rows(ids)),
        ),
        Sheet(
            str(SHEET_NAMES[2]),
            [key for key, _label in register_sheets.DISTRICT_COLUMNS],
            _headers(register_sheets.DISTRICT_COLUMNS),
            counted(register_sheets.district_rows(ids)),
        ),
    ]


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


def write_workbook(sheets: Iterable[Sheet], output) -> None:
    """The sheets as an XLSX workbook written to ``output`` (a path or a binary file)."""
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"num_format": XLSX_DATE_FORMAT}),
        "time": workbook.add_format({"num_format": XLSX_TIME_FORMAT}),
    }
    for sheet in sheets:
        _write_sheet(workbook.add_worksheet(sheet.name), sheet, formats)
    workbook.close()


def _write_sheet(worksheet, sheet: Sheet, formats: dict) -> None:
    for column, (key, header) in enumerate(zip(sheet.keys, sheet.headers, strict=True)):
        worksheet.set_column(column, column, column_width(key, header))
        worksheet.write_string(0, column, header, formats["header"])
    worksheet.freeze_panes(1, 0)
    write_string, write_number = worksheet.write_string, worksheet.write_number
    write_datetime = worksheet.write_datetime
    dates, times = formats["date"], formats["time"]
    yes, no = _("Yes"), _("No")  # translated once, not once per cell
    last = 0
    for last, row in enumerate(sheet.rows, start=1):
        for column, value in enumerate(row):
            kind = type(value)
            if value is None or value == "":
                continue  # a blank cell without a format is not written at all
            elif kind is str:
                # write_string never makes a formula, so spreadsheet injection cannot happen here.
                write_string(last, column, value)
            elif kind is int:
                write_number(last, column, value)
            elif kind is bool:
                write_string(last, column, yes if value else no)
            elif kind is datetime:
                # A real date-time cell in local time, to the minute; the zone is named in the header.
                write_datetime(last, column, local_naive(value).replace(second=0, microsecond=0), times)
            elif kind is date:
                write_datetime(last, column, value, dates)
            else:
                write_string(last, column, str(value))
    # The autofilter covers the header and every row written; an empty sheet filters its header alone.
    worksheet.autofilter(0, 0, last, len(sheet.keys) - 1)
