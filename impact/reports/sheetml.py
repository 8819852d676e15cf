"""A streaming XLSX writer: sheets of plain values written as SpreadsheetML straight into a ZIP file.

Made for exports of a million rows, where xlsxwriter's constant-memory mode spends most of its time in its general
per-cell machinery: each row becomes its XML at once, so memory stays flat. What it supports is what an export
needs and no more: text, numbers, yes/no, dates and date-times (real date cells with a number format), a bold
header row that is frozen and filtered, and column widths.

Each sheet's rows go to a temporary file as they are read, then into the ZIP member behind the sheet's
``<dimension>``, which names the last row and so must come first. Speed comes from making each cell's XML once
where values repeat. The row number goes into each cell reference (``r="B17"``, as Excel writes them) through a
placeholder replaced once per row, so a cell's XML does not depend on its row: the first ``repeated`` cells of a
row (the register repeats an assessment on each of its grounds' rows) are made once per change of their values,
and short texts, numbers and dates are made once per column and value (those texts go to the shared string table,
the rest inline), up to ``CACHED_PER_COLUMN`` values per column.

Text is XML-escaped; control characters are removed (XML cannot hold most of them), except tabs and line breaks;
a CR LF or a lone CR becomes a LF, the line break of a cell in Excel. Text that looks like Excel's escape of a
character (``_x0041_``) has its underscore escaped, so that it is read as written. Text is a
string cell whatever it looks like, so a cell starting with ``=`` stays text, never a formula. A text longer than
Excel's 32,767 characters is cut there.

A sheet holds at most ``MAX_ROWS`` rows with its header (Excel's limit, 1,048,576); beyond that the rows go on in
a further sheet with the same header, named "Register (2)", "Register (3)" and so on.
"""

import itertools
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CELL_CHARS = 32_767  # Excel's characters per cell
MAX_NAME_CHARS = 31  # Excel's characters per sheet name
CACHED_PER_COLUMN = 256  # values per column whose cell XML is kept
CACHED_TEXT_CHARS = 100  # a longer text is not kept: it is likely free text, written once
CHUNK_CHARS = 256 * 1024  # characters of rows written to the temporary file at a time
COPY_BYTES = 1024 * 1024  # bytes copied from the temporary file into the ZIP file at a time
ZIP64_LIMIT = 2**31 - 1  # a ZIP member larger than this needs ZIP64 extensions
PROGRESS_ROWS = 1000  # rows between calls of ``advance``

HEADER_STYLE, DATE_STYLE, TIME_STYLE = 1, 2, 3  # indexes into styles.xml's cellXfs
ROW = "\x01"  # stands for the row number in a cell's XML; never in text, where control characters are removed
_BY_VALUE = frozenset({str, type(None), date, datetime})
_END = object()  # the end of a sheet's rows
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial day 0 (day 60 is Excel's fictitious 1900-02-29)

_FORBIDDEN_IN_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Characters to escape or remove, and text that Excel would read as its own _xHHHH_ escape.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\ufffe": None, "\uffff": None}
    | {chr(code): None for code in range(0x20) if chr(code) not in "\t\n"}
)
_EXCEL_ESCAPE = re.compile("_(x[0-9a-fA-F]{4}_)")

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Sheet:
    """One sheet to write: its name, header, column widths (in characters) and rows (read once).

    A row holds one value per header: None or "" (no cell), text, an int or float, a bool (yes/no), a date or a
    date-time; any other (hashable) value is written as its text. The first ``repeated`` values of a row are often
    those of the row before; their cells are then not made again.
    """

    name: str
    headers: Sequence[str]
    widths: Sequence[float]
    rows: Iterable[Sequence]
    repeated: int = 0


@dataclass
class Formats:
    """How values become cells: the number formats of dates and date-times, the words for yes and no, and what
    is done to a date-time first (e.g. to local time, to the minute)."""

    date_format: str = "yyyy-mm-dd"
    time_format: str = "yyyy-mm-dd hh:mm"
    yes: str = "Yes"
    no: str = "No"
    time: Callable[[datetime], datetime] = field(default=lambda value: value)


def escape(text: str) -> str:
    """Text as XML character data: escaped, control characters removed, line breaks as Excel's (LF alone)."""
    if not _SPECIAL.search(text):
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", text).translate(_ESCAPES)


def column_letter(index: int) -> str:
    """The letters of a column from 0: A, B, …, Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(value: date | datetime) -> int | float:
    """A date as Excel's serial number: days since 1899-12-30, the time of day as a fraction."""
    days = value.toordinal() - _EXCEL_EPOCH
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return days + seconds / 86400 if seconds else days
    return days


def sheet_name(name: str, taken: set[str], part: int = 1) -> str:
    """A sheet name Excel accepts, unique in ``taken`` (case-insensitively): forbidden characters replaced, cut to
    31 characters, and " (2)" and onwards for a sheet's continuations or a name already taken."""
    base = _FORBIDDEN_IN_NAME.sub("_", name).strip("'") or "Sheet"
    while True:
        suffix = f" ({part})" if part > 1 else ""
        candidate = base[: MAX_NAME_CHARS - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            return candidate
        part += 1


class SharedStrings:
    """The shared string table: the texts kept by the cell caches (so few, and bounded), each once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> Iterator[str]:
        yield f'{DECLARATION}<sst xmlns="{NS}" uniqueCount="{len(self.index)}">'
        for text in self.index:  # in insertion order, which is the index order
            yield f"<si><t{_space(text)}>{escape(text)}</t></si>"
        yield "</sst>"


def _space(text: str) -> str:
    """xml:space="preserve" for text with leading or trailing white space, which Excel would otherwise drop."""
    return ' xml:space="preserve"' if text and (text[0] in " \t\n\r" or text[-1] in " \t\n\r") else ""


class CellMaker:
    """Makes the XML of cells (with ``ROW`` for the row number), keeping that of repeated values per column."""

    def __init__(self, columns: int, formats: Formats, strings: SharedStrings) -> None:
        self.formats, self.strings = formats, strings
        self.refs = [f'<c r="{column_letter(column)}{ROW}"' for column in range(columns)]
        self.caches: list[dict] = [{} for _ in range(columns)]
        # Each column's cache looked up by value, without a call of ``cell`` for what is kept (most cells).
        self.lookups = [cache.get for cache in self.caches]

    def cell(self, column: int, value) -> str:
        """A cell's XML, or "" for an empty value (no cell is written)."""
        kind = type(value)
        # Keyed by the value alone where no value of another kind equals it; yes/no, 0, 1 and floats by type as
        # well (True == 1 == 1.0, but they are "Yes", 1 and 1.0): those are found here, never by ``lookups``.
        key = value if kind in _BY_VALUE or (kind is int and value not in (0, 1)) else (kind, value)
        cache = self.caches[column]
        made = cache.get(key)
        if made is None:
            room = len(cache) < CACHED_PER_COLUMN
            made, keep = self._make(column, value, kind, room)
            if keep and room:
                cache[key] = made
        return made

    def _make(self, column: int, value, kind: type, shared: bool) -> tuple[str, bool]:
        """A cell's XML and whether to keep it; a text is shared only if ``shared`` (it is kept, the table too)."""
        ref = self.refs[column]
        if value is None or value == "":
            return "", True
        if kind is str:
            text = value[:MAX_CELL_CHARS]
            if shared and len(text) <= CACHED_TEXT_CHARS:
                return f'{ref} t="s"><v>{self.strings.add(text)}</v></c>', True
            return f'{ref} t="inlineStr"><is><t{_space(text)}>{escape(text)}</t></is></c>', False
        if kind is bool:
            return self._make(column, self.formats.yes if value else self.formats.no, str, shared)
        if kind is int or kind is float:
            return f"{ref}><v>{value!r}</v></c>", True
        if kind is datetime:
            return f'{ref} s="{TIME_STYLE}"><v>{serial(self.formats.time(value))!r}</v></c>', True
        if kind is date:
            return f'{ref} s="{DATE_STYLE}"><v>{serial(value)}</v></c>', True
        return self._make(column, str(value), str, shared)

    def header(self, column: int, text: str) -> str:
        return f'{self.refs[column]} s="{HEADER_STYLE}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


@dataclass
class WrittenSheet:
    """A sheet as written: its name, its ZIP member's number and how many rows (with the header) it holds."""

    name: str
    number: int
    rows: int
    columns: int


def _width(characters: float) -> float:
    """A width in characters as Excel stores it: with the cell's padding, in whole pixels of the default font."""
    pixels = int(characters * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


class _SheetWriter:
    """Writes the rows of one ``Sheet`` into as many ZIP members as its limits need."""

    def __init__(self, book: "StreamingWorkbook", sheet: Sheet):
        if not sheet.headers or len(sheet.widths) != len(sheet.headers):
            raise ValueError(f"sheet {sheet.name!r}: one column at least, and a width per column")
        self.book, self.sheet = book, sheet
        self.cells = CellMaker(len(sheet.headers), book.formats, book.strings)
        self.header_xml = (
            f'<row r="1">{"".join(self.cells.header(c, h) for c, h in enumerate(sheet.headers))}</row>'.replace(
                ROW, "1"
            )
        )

    def write(self) -> None:
        rows = iter(self.sheet.rows)
        full = self._write_part(rows, 1)  # one sheet at least: an empty one holds its header
        part = 2
        while full and (first := next(rows, _END)) is not _END:
            full = self._write_part(itertools.chain((first,), rows), part)
            part += 1

    def _write_part(self, rows: Iterator[Sequence], part: int) -> bool:
        """One sheet of rows, until they end (False) or it is full (True: rows may be left).

        The rows go to a temporary file first: the sheet's ``<dimension>``, which readers use to size it, comes
        before them and names the last row.
        """
        with tempfile.TemporaryFile() as body:
            last_row, full = self._write_rows(rows, body)
            self._add_member(part, body, last_row)
        return full

    def _write_rows(self, rows: Iterator[Sequence], body) -> tuple[int, bool]:
        cell, repeated = self.cells.cell, self.sheet.repeated
        lookups = list(enumerate(self.cells.lookups))[repeated:]
        advance, max_rows = self.book.advance, self.book.max_rows
        last_head, head_xml = None, ""
        buffer: list[str] = []
        buffered = 0
        row_number = 1
        full = False
        for row in rows:
            row_number += 1
            if repeated:
                head = row[:repeated]
                if head != last_head:
                    last_head, head_xml = head, "".join([cell(c, v) for c, v in enumerate(head)])
            # A kept cell is found by its value; ``cell`` makes (and keeps) the rest.
            tail = [made if (made := find(row[c])) is not None else cell(c, row[c]) for c, find in lookups]
            xml = f'<row r="{ROW}">{head_xml}{"".join(tail)}</row>'
            xml = xml.replace(ROW, str(row_number))
            buffer.append(xml)
            buffered += len(xml)
            if buffered >= CHUNK_CHARS:
                body.write("".join(buffer).encode())
                buffer, buffered = [], 0
            if row_number % PROGRESS_ROWS == 1:  # every PROGRESS_ROWS rows under the header
                advance(PROGRESS_ROWS)
            if row_number >= max_rows:
                full = True
                break
        body.write("".join(buffer).encode())
        advance((row_number - 1) % PROGRESS_ROWS)
        return row_number, full

    def _add_member(self, part: int, body, last_row: int) -> None:
        book = self.book
        number = len(book.written) + 1
        name = sheet_name(self.sheet.name, book.names, part)
        area = f"A1:{column_letter(len(self.sheet.headers) - 1)}{last_row}"
        cols = "".join(
            f'<col min="{c}" max="{c}" width="{_width(w)}" customWidth="1"/>'
            for c, w in enumerate(self.sheet.widths, start=1)
        )
        selected = ' tabSelected="1"' if number == 1 else ""
        head = (
            f'{DECLARATION}<worksheet xmlns="{NS}" xmlns:r="{REL_NS}"><dimension ref="{area}"/>'
            f'<sheetViews><sheetView{selected} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>{self.header_xml}"
        ).encode()
        tail = f'</sheetData><autoFilter ref="{area}"/></worksheet>'.encode()
        size = len(head) + body.tell() + len(tail)
        body.seek(0)
        # ZIP64 only where a member needs it: Excel reads ZIP64 members only in a strict form of its own.
        with book.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=size > ZIP64_LIMIT) as stream:
            stream.write(head)
            shutil.copyfileobj(body, stream, COPY_BYTES)
            stream.write(tail)
        book.written.append(WrittenSheet(name, number, last_row, len(self.sheet.headers)))


class StreamingWorkbook:
    """An XLSX file written as it goes: ``write(sheet)`` for each sheet in turn, then ``close()``.

    ``output`` is a path or a binary file (seekable or not); ``advance(n)`` is told of rows written, every
    ``PROGRESS_ROWS`` or so.
    """

    def __init__(
        self,
        output,
        formats: Formats | None = None,
        advance: Callable[[int], object] = lambda rows: None,
        *,
        compresslevel: int = 1,
        max_rows: int = MAX_ROWS,
    ) -> None:
        # Level 1 compresses the repetitive XML almost as well as the default at a fraction of its time.
        self.zip = zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self.formats = formats or Formats()
        self.advance = advance
        self.max_rows = max_rows
        self.strings = SharedStrings()
        self.names: set[str] = set()
        self.written: list[WrittenSheet] = []

    def write(self, sheet: Sheet) -> None:
        _SheetWriter(self, sheet).write()

    def close(self) -> None:
        """Write the package's other parts (they name the sheets, so they come last) and close the file."""
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": _relationships([("officeDocument", "xl/workbook.xml")]),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": _relationships(
                [("worksheet", f"worksheets/sheet{sheet.number}.xml") for sheet in self.written]
                + [("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml")]
            ),
            "xl/styles.xml": self._styles(),
            "xl/sharedStrings.xml": "".join(self.strings.xml()),
        }
        for name, xml in parts.items():
            self.zip.writestr(name, xml.encode())
        self.zip.close()

    def __enter__(self) -> "StreamingWorkbook":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.zip.close()

    def _content_types(self) -> str:
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = [("/xl/workbook.xml", f"{main}.sheet.main+xml")]
        overrides += [(f"/xl/worksheets/sheet{s.number}.xml", f"{main}.worksheet+xml") for s in self.written]
        overrides += [("/xl/styles.xml", f"{main}.styles+xml"), ("/xl/sharedStrings.xml", f"{main}.sharedStrings+xml")]
        return (
            f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
            + "</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{_attribute(s.name)}" sheetId="{s.number}" r:id="rId{s.number}"/>' for s in self.written
        )
        # Excel keeps each sheet's filtered range as this hidden name; it is written as Excel writes it.
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{s.number - 1}" hidden="1">'
            f"{_attribute(_quoted(s.name))}!$A$1:${column_letter(s.columns - 1)}${s.rows}</definedName>"
            for s in self.written
        )
        return (
            f'{DECLARATION}<workbook xmlns="{NS}" xmlns:r="{REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
        )

    def _styles(self) -> str:
        formats = self.formats
        return (
            f'{DECLARATION}<styleSheet xmlns="{NS}">'
            f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{_attribute(formats.date_format)}"/>'
            f'<numFmt numFmtId="165" formatCode="{_attribute(formats.time_format)}"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            # The order is that of HEADER_STYLE, DATE_STYLE and TIME_STYLE.
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
            '<alignment vertical="top" wrapText="1"/></xf>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _attribute(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def _quoted(name: str) -> str:
    """A sheet name as a formula refers to it: in single quotes, a quote in it doubled."""
    return "'" + name.replace("'", "''") + "'"


def _relationships(targets: list[tuple[str, str]]) -> str:
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return (
        f'{DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{kinds}/{kind}" Target="{target}"/>'
            for number, (kind, target) in enumerate(targets, start=1)
        )
        + "</Relationships>"
    )


def write_xlsx(
    output, sheets: Iterable[Sheet], formats: Formats | None = None, advance=lambda rows: None, **limits
) -> list[WrittenSheet]:
    """Write ``sheets`` as an XLSX file to ``output`` (a path or a binary file); the sheets as written."""
    with StreamingWorkbook(output, formats, advance, **limits) as book:
        for sheet in sheets:
            book.write(sheet)
    return book.written
