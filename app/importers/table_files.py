"""The bytes of a council table: CSV text (encoding, quoting, NUL bytes) and Excel .xlsx.

Each check names the row and says what to do; limits keep one upload from growing a worker
to gigabytes (an .xlsx is a zip: its unpacked size is checked before it is opened).
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path

from app.domain.said import Said
from app.importers.report import ImportFailed, RowError

ENCODINGS = ("utf-8-sig", "cp932")
MAX_CELL = 2_000  # characters in one cell
MAX_XLSX_UNPACKED_MB = 50
MAX_XLSX_ROWS = 20_001  # header and rows read at most; more is refused by the caller
# A small .xlsx can declare a sheet of a million rows by 16,384 columns: the rows scanned (empty
# ones too), the columns read and the seconds spent are bounded, so no upload pins a core.
MAX_XLSX_COLUMNS = 101
MAX_XLSX_SCANNED = 100_000
MAX_XLSX_SECONDS = 20.0


class Line(list):
    """The cells of one row, with the number Excel shows beside it (the header is row 1).

    Blank rows are dropped when read, so a row's place in the list is not its number: a
    coordinator looks for 「row 14」 in Excel, where blank rows count.
    """

    def __init__(self, cells, number: int):
        super().__init__(cells)
        self.number = number


def _fail(name: str, row: int | None, message: str) -> None:
    raise ImportFailed([RowError(name, row, None, message)])


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Decode a CSV file's bytes; return the text and the encoding that fitted.

    Strict UTF-8 (with or without BOM) is tried first, then CP932 (Shift_JIS with the
    Windows extensions councils' Excel writes). Anything else is rejected with the first
    line that does not decode, rather than guessed, because a wrong guess corrupts names.
    """
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        _fail(name, line, Said("nul_byte"))
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    line, expected = _first_bad_line(raw)
    said = Said("mixed_encoding", expected=expected) if expected else Said("unknown_encoding")
    raise ImportFailed([RowError(name, line, None, said)])


def _first_bad_line(raw: bytes) -> tuple[int, str | None]:
    """The first line that does not decode as the encoding its earlier lines were in."""
    expected = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        fits = [e for e in ENCODINGS if _decodes(line, e)]
        if not fits or (expected and expected not in fits):
            return number, expected
        if expected is None and not line.isascii():
            expected = fits[0]
    return 1, expected


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def csv_rows(text: str, name: str) -> list[list[str]]:
    """Parse CSV text into rows (blank rows dropped), refusing cells a reader cannot trust."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows, number = [], 0
    try:
        for row in reader:
            number += 1  # a CSV record is one row in Excel, a blank one too
            if any(c.strip() for c in row):
                rows.append(Line(row, number))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            # The row being read when the file ended is where the quote was opened.
            _fail(name, number + 1, "an unbalanced quote (\") in this row runs to the end of the "
                                    "file; check the quotes")
        _fail(name, number + 1, f"the CSV cannot be read here ({exc}); check the quotes (\") "
                                "on this row, or save the file again from Excel")
    width = len(rows[0]) if rows else 0
    for row in rows[1:]:
        for cell in row:
            _check_cell(name, row.number, cell, width)
    return rows


def _check_cell(name: str, number: int, cell: str, width: int) -> None:
    if len(cell) > MAX_CELL:
        _fail(name, number, f"a cell has {len(cell):,} characters, more than the {MAX_CELL:,} allowed; "
                            "shorten it, or check for an unbalanced quote (\")")
    # A quote opened and closed rows later folds those rows into one cell, whose lines then
    # look like whole rows: say so rather than store a row with the next rows in its notes.
    if "\n" in cell and width > 2 and any(line.count(",") >= width - 1 for line in cell.split("\n")):
        _fail(name, number, "an unbalanced quote (\") in this row joins the following rows into one cell; "
                            "check the quotes")


def _bounded_rows(name: str, sheet) -> list[list[str]]:
    """The sheet's non-empty rows, reading at most the bounds above (else refused, by name)."""
    values, deadline = [], time.monotonic() + MAX_XLSX_SECONDS
    # From row 1 (not the sheet's first used row), so that ``scanned`` is the row Excel shows.
    rows = sheet.iter_rows(min_row=1, values_only=True, max_col=MAX_XLSX_COLUMNS)
    for scanned, row in enumerate(rows, start=1):
        cells = list(row)
        while cells and cells[-1] in (None, ""):  # max_col pads every row to its width
            cells.pop()
        if cells:
            values.append(Line(["" if v is None else str(v) for v in cells], scanned))
        if len(values) > MAX_XLSX_ROWS:
            break
        if scanned > MAX_XLSX_SCANNED or (scanned % 1000 == 0 and time.monotonic() > deadline):
            _fail(name, None, "the sheet declares far more rows than it holds (or takes too long to read); "
                              "copy the list into a new sheet, or save it as CSV")
    return values


def xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's non-empty rows as text, after checking the unpacked size."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        _fail(path.name, None, "not a readable .xlsx file (not a zip archive); save it again from Excel")
    if unpacked > MAX_XLSX_UNPACKED_MB * 1024 * 1024:
        _fail(path.name, None, f"the .xlsx unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                               f"{MAX_XLSX_UNPACKED_MB} MB allowed; save only the list's sheet, or as CSV")
    # deferred: openpyxl takes a moment to import, and most lists arrive as CSV
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        _fail(path.name, None, f"not a readable .xlsx file: {exc}")
    values = _bounded_rows(path.name, book.worksheets[0])
    book.close()
    if not values:
        _fail(path.name, None, "the first sheet is empty")
    for row in values[1:]:
        for cell in row:
            _check_cell(path.name, row.number, cell, 0)
    return values
