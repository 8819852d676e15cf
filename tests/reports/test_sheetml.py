"""The streaming XLSX writer read back with openpyxl: values and their types, dates, the frozen header, the
autofilter, widths, escaping, formula-looking text, the row limit and a valid package."""

import io
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
import pytest

from impact.reports import sheetml
from impact.reports.sheetml import Formats, Sheet, write_xlsx

HEADERS = ["Id", "Title", "Created", "Due", "Done", "Score"]


def written(*sheets: Sheet, **options) -> bytes:
    output = io.BytesIO()
    write_xlsx(output, sheets, Formats(yes="Ja", no="Nej"), **options)
    return output.getvalue()


def read(data: bytes, read_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only)


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


ROWS = [
    (1, "Förskola", datetime(2026, 1, 15, 0, 30), date(2026, 9, 1), True, -2),
    (2, "Bibliotek & <kultur>", datetime(2026, 7, 15, 23, 59), None, False, 1.5),
    (3, "", None, date(1900, 3, 1), None, 0),
]


@pytest.mark.parametrize("read_only", [False, True])
def test_values_come_back_with_their_types(read_only):
    book = read(written(Sheet("Data", HEADERS, [10] * 6, ROWS)), read_only)
    assert rows_of(book["Data"]) == [
        HEADERS,
        [1, "Förskola", datetime(2026, 1, 15, 0, 30), datetime(2026, 9, 1), "Ja", -2],
        [2, "Bibliotek & <kultur>", datetime(2026, 7, 15, 23, 59), None, "Nej", 1.5],
        [3, None, None, datetime(1900, 3, 1), None, 0],  # an empty text is no cell
    ]


def test_dates_are_date_cells_with_their_formats_and_the_header_is_frozen_filtered_and_bold():
    book = read(written(Sheet("Data", HEADERS, [10, 45, 17, 12, 8, 8], ROWS)))
    sheet = book["Data"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet.dimensions == "A1:F4"
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in sheet[1])
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].data_type == "n" and sheet["B2"].data_type == "s"
    widths = {key: dimension.width for key, dimension in sheet.column_dimensions.items()}
    assert widths["A"] >= 10 and widths["B"] >= 45 and widths["B"] < 47


def test_a_time_is_converted_as_the_formats_say():
    formats = Formats(time=lambda value: value.replace(hour=0))
    output = io.BytesIO()
    write_xlsx(output, [Sheet("Data", ["When"], [10], [(datetime(2026, 5, 1, 14, 3),)])], formats)
    assert read(output.getvalue())["Data"]["A2"].value == datetime(2026, 5, 1, 0, 3)


def test_text_is_escaped_and_control_characters_removed():
    texts = [
        "a\x00b\x07c\x1fd\ufffe",  # removed: XML cannot hold them
        "tab\there\nnew line",
        "Windows\r\nline\rend",  # a cell's line break in Excel is a LF alone
        "_x0041_ stays as written",  # not read as Excel's escape for "A"
        "\"quotes\" & 'apostrophes' <b>",
        "  spaces kept  ",
        "x" * 150 + " & <long>",  # longer than a shared string: written inline
    ]
    rows = [(text,) for text in texts]
    data = written(Sheet("Data", ["Text"], [10], rows))
    got = [row[0] for row in rows_of(read(data)["Data"])[1:]]
    assert got == [
        "abcd",
        "tab\there\nnew line",
        "Windows\nline\nend",
        "_x0041_ stays as written",
        "\"quotes\" & 'apostrophes' <b>",
        "  spaces kept  ",
        "x" * 150 + " & <long>",
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # noqa: S314  (well-formed? the test's own file)


def test_a_text_longer_than_excel_allows_is_cut():
    data = written(Sheet("Data", ["Text"], [10], [("å" * 40_000,)]))
    assert read(data)["Data"]["A2"].value == "å" * sheetml.MAX_CELL_CHARS


def test_formula_looking_text_stays_text():
    texts = ["=1+1", '=HYPERLINK("http://evil.example")', "+A1", "-2", "@SUM(A1:A2)"]
    sheet = read(written(Sheet("Data", ["Text"], [10], [(text,) for text in texts])))["Data"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == texts
    assert all(cell.data_type == "s" for cell in cells)


def test_repeated_first_cells_and_kept_values_are_written_right():
    """The first two values repeat from row to row (made once), True, 1 and 1.0 (equal, with one hash) are kept
    apart, and a value seen again after others is written as it is."""
    rows = [
        (1, "A", True, 1),
        (1, "A", 1, True),
        (2, "B", None, 1),
        (1, "A", True, None),
        (1, "A", "Ja", 0),
        (1, "A", 0, False),
        (3, "C", 1, 1.0),
    ]
    sheet = read(written(Sheet("Data", ["Id", "Name", "X", "Y"], [8] * 4, rows, repeated=2)))["Data"]
    assert rows_of(sheet)[1:] == [
        [1, "A", "Ja", 1],
        [1, "A", 1, "Ja"],
        [2, "B", None, 1],
        [1, "A", "Ja", None],
        [1, "A", "Ja", 0],
        [1, "A", 0, "Nej"],
        [3, "C", 1, 1.0],
    ]


def test_more_distinct_values_than_are_kept():
    rows = [(f"text {number}", number) for number in range(sheetml.CACHED_PER_COLUMN * 2)]
    sheet = read(written(Sheet("Data", ["Text", "Number"], [8, 8], rows)), read_only=True)["Data"]
    assert [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == rows


def test_rows_beyond_the_limit_go_on_in_further_sheets():
    rows = [(number,) for number in range(7)]
    data = written(Sheet("Register", ["N"], [8], rows), Sheet("Other", ["M"], [8], [(9,)]), max_rows=4)
    book = read(data)
    assert book.sheetnames == ["Register", "Register (2)", "Register (3)", "Other"]
    parts = [rows_of(book[name]) for name in book.sheetnames]
    assert parts == [[["N"], [0], [1], [2]], [["N"], [3], [4], [5]], [["N"], [6]], [["M"], [9]]]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:A{sheet.max_row}"


def test_a_full_sheet_with_nothing_left_makes_no_empty_sheet():
    book = read(written(Sheet("Register", ["N"], [8], [(n,) for n in range(3)]), max_rows=4))
    assert book.sheetnames == ["Register"]


def test_an_empty_sheet_has_its_header_and_filter():
    sheet = read(written(Sheet("Tom", ["A", "B", "C"], [8] * 3, [])))["Tom"]
    assert rows_of(sheet) == [["A", "B", "C"]]
    assert sheet.auto_filter.ref == "A1:C1"


def test_sheet_names_are_ones_excel_accepts():
    names = ["Åtgärder: [2026]/*?\\", "x" * 40, "X" * 40, "'Citat'"]
    book = read(written(*(Sheet(name, ["N"], [8], [(1,)]) for name in names)))
    assert book.sheetnames == ["Åtgärder_ _2026_____", "x" * 31, "X" * 27 + " (2)", "Citat"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_progress_counts_every_row():
    told = []
    rows = [(n,) for n in range(2500)]
    written(Sheet("A", ["N"], [8], rows), Sheet("B", ["N"], [8], rows[:10]), advance=told.append)
    assert sum(told) == 2510
    assert max(told) == sheetml.PROGRESS_ROWS  # told as it goes, not once at the end


def test_the_package_names_every_part():
    data = written(Sheet("Data", HEADERS, [10] * 6, ROWS), Sheet("Mer", ["N"], [8], [(1,)]))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        types = package.read("[Content_Types].xml").decode()
        relations = package.read("xl/_rels/workbook.xml.rels").decode()
        workbook = package.read("xl/workbook.xml").decode()
    assert names == {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
    }
    for part in ("/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml", "/xl/styles.xml", "/xl/workbook.xml"):
        assert f'PartName="{part}"' in types
    assert 'Target="worksheets/sheet2.xml"' in relations
    assert "'Mer'!$A$1:$A$2" in workbook  # the filter's hidden name, as Excel writes it


def test_writes_to_a_path(tmp_path):
    path = tmp_path / "register.xlsx"
    write_xlsx(str(path), [Sheet("Data", HEADERS, [10] * 6, ROWS)])
    assert read(path.read_bytes())["Data"]["B2"].value == "Förskola"


@pytest.mark.parametrize(("headers", "widths"), [([], []), (["A", "B"], [8])])
def test_a_sheet_needs_columns_and_their_widths(headers, widths):
    with pytest.raises(ValueError, match="one column at least"):
        written(Sheet("Data", headers, widths, []))
