"""Reading a committee's list of cases from CSV and adding it, all or nothing.

The columns, in any order, with a header row (Swedish or English names): case number (*diarienummer*), title
(*rubrik*), committee (*nämnd*) and meeting date (*sammanträdesdatum*, YYYY-MM-DD). Swedish Excel's semicolons and
its UTF-8 byte-order mark are accepted, as are commas. A file with any bad row adds nothing and says which lines
are wrong; a case already on the list (same committee, meeting and case number) is not added again.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.coverage.models import CommitteeCase

COLUMNS = {
    "case_number": ("diarienummer", "dnr", "case number", "case_number"),
    "title": ("rubrik", "titel", "ärende", "title"),
    "committee": ("nämnd", "committee"),
    "meeting_date": ("sammanträdesdatum", "sammanträde", "meeting date", "meeting_date"),
}
LIMITS = {"case_number": 60, "title": 300, "committee": 200}
MAX_ROWS = 20_000


class CaseListError(Refusal):
    """The file cannot be imported; ``problems`` lists what is wrong, line by line (at most the first 50)."""

    def __init__(self, message, problems: list[str] | None = None):
        super().__init__(message, field="file")
        self.problems = problems or []


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int


def read_cases(data: bytes, on_row: Callable[[], None] | None = None) -> list[dict]:
    """The rows of the file as dicts of the four columns; raises CaseListError naming every bad line. ``on_row`` is
    called after each row read (a background import's progress, which may stop it there)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseListError(_l("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CaseListError(_l("The file is empty."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    positions = {}
    for key, names in COLUMNS.items():
        found = [number for number, cell in enumerate(header) if cell in names]
        if not found:
            raise CaseListError(
                _l("The header row has no column for %(column)s.", column=_column_name(key)),
                [_l("Expected columns: diarienummer; rubrik; nämnd; sammanträdesdatum.")],
            )
        positions[key] = found[0]
    rows, problems = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # an empty line, as spreadsheets leave at the end
        row, wrong = _row(cells, positions)
        problems += [_l("Line %(line)d: %(problem)s", line=line, problem=problem) for problem in wrong]
        rows.append(row)
        if on_row is not None:
            on_row()
        if len(rows) > MAX_ROWS:
            raise CaseListError(_l("The file has more than %(max)d cases; split it.", max=MAX_ROWS))
    if problems:
        raise CaseListError(
            _l("Nothing was imported: %(count)d lines need correcting.", count=len(problems)), problems[:50]
        )
    if not rows:
        raise CaseListError(_l("The file has a header row but no cases."))
    return rows


def _row(cells: list[str], positions: dict[str, int]) -> tuple[dict, list]:
    row, wrong = {}, []
    for key, position in positions.items():
        value = cells[position].strip() if position < len(cells) else ""
        if not value:
            wrong.append(_l("%(column)s is missing.", column=_column_name(key)))
        elif key == "meeting_date":
            try:
                value = date.fromisoformat(value)
            except ValueError:
                wrong.append(_l("“%(value)s” is not a date like 2026-11-27.", value=value[:40]))
        elif len(value) > LIMITS[key]:
            wrong.append(_l("%(column)s is longer than %(max)d characters.", column=_column_name(key), max=LIMITS[key]))
        row[key] = value
    return row, wrong


def _column_name(key: str):
    return {
        "case_number": _l("the case number"),
        "title": _l("the title"),
        "committee": _l("the committee"),
        "meeting_date": _l("the meeting date"),
    }[key]


def import_cases(data: bytes, actor, on_row: Callable[[], None] | None = None) -> ImportResult:
    """Add the cases of the file that are not on the list yet (the caller commits); raises CaseListError."""
    rows = read_cases(data, on_row)
    unique = {(row["committee"], row["meeting_date"], row["case_number"]): row for row in rows}
    committees = {committee for committee, _meeting, _case in unique}
    existing = set(
        db.session.execute(
            sa.select(CommitteeCase.committee, CommitteeCase.meeting_date, CommitteeCase.case_number).where(
                CommitteeCase.committee.in_(committees)
            )
        ).tuples()
    )
    new = [row for key, row in unique.items() if key not in existing]
    db.session.add_all(CommitteeCase(**row, imported_by_id=getattr(actor, "id", None)) for row in new)
    result = ImportResult(added=len(new), already_there=len(unique) - len(new))
    trail.record(
        "committee_cases.import",
        actor=actor,
        changes={"added": result.added, "already_there": result.already_there, "committees": sorted(committees)},
    )
    return result
