"""Roster files as offices export them: bytes and a file name → rows of cells, each row with
its place (the CSV line it starts on, or the sheet's row number).

The one module that knows spreadsheet and CSV formats. CSV: separator `,`, `;` or tab (found
from the header row); UTF-8 with or without BOM, UTF-16 with BOM, and Windows-1252 when the
bytes are not UTF-8 (Dutch Excel's plain "CSV"), said in a note. Workbooks (.xlsx, .ods) are
read with python-calamine: the first sheet, its date cells as dates. What a cell means is
awards.py's business, not this module's.

Why python-calamine rather than openpyxl: a 2,000-row sheet in 11 ms against 104 ms
(bench/bench_roster.py), an import of 1 ms against 120 ms (every check and build), date cells
as dates, and .ods from the same call; wheels for Linux (glibc and musl, x86_64 and arm64),
macOS and Windows (x64 and arm64), CPython 3.11-3.14. It is Rust, not pure Python: where no
wheel fits, pip needs a Rust toolchain. It does not write; ops/xlsx.py writes the template.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SEALED_SUFFIX = ".age"
CSV_SUFFIX = ".csv"
WORKBOOK_SUFFIXES = (".xlsx", ".ods")
ROSTER_SUFFIXES = (CSV_SUFFIX, *WORKBOOK_SUFFIXES)
#: spreadsheets credpub does not read, and what to do instead
NOT_READ = {
    ".xls": "an Excel 97-2003 workbook", ".xlsb": "an Excel binary workbook", ".xlsm": "an Excel workbook with macros",
    ".numbers": "a Numbers spreadsheet", ".tsv": "tab-separated text", ".txt": "a text file",
}
#: what to do instead, where more can be said than "save it as .xlsx or CSV"
INSTEAD = {".txt": "if it is Excel's 'Unicode text' (or tab-separated), rename it to .csv: credpub reads that",
           ".tsv": "rename it to .csv: credpub reads tab-separated CSV"}
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

Cell = str | dt.date  # a date only where a workbook's cell is a date cell


@dataclass
class Row:
    line: int  # CSV: the line the row starts on; a sheet: its row number
    cells: list[Cell]


@dataclass
class Roster:
    place: Path  # the file, or "file:Sheet" for a workbook (what messages name)
    header: list[str] = field(default_factory=list)
    header_line: int = 1  # where the header is: a sheet may have rows above it
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not problems: what the issuer should know
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message): the file is not read past these


def roster_suffix(name: str) -> str:
    """".csv", ".xlsx" or ".ods" for a roster (sealed or not); "" for any other file."""
    base = name.removesuffix(SEALED_SUFFIX).lower()
    return next((s for s in ROSTER_SUFFIXES if base.endswith(s)), "")


def is_lock_file(name: str) -> bool:
    """Excel's `~$name.xlsx` while the workbook is open (LibreOffice's `.~lock…#` is hidden)."""
    return name.startswith("~$")


def read_roster(data: bytes, name: str, path: Path, *, known: frozenset[str] = frozenset(),
                decimal: str = ".") -> Roster:
    """The rows of one roster (`name`: its file name without .age; `path`: what messages name).
    `known`: the column names, to find a CSV's separator; `decimal`: the decimal sign a number
    cell is written with (the site's first language's), so that 8.5 reads as the issuer sees it."""
    if roster_suffix(name) == CSV_SUFFIX:
        return _read_csv(data, path, known)
    return _read_workbook(data, path, decimal)


# --- CSV ---------------------------------------------------------------------------------------

def _position(data: bytes, start: int, encoding: str) -> tuple[int, int]:
    """(line, column) of the byte at `start`, columns counted in characters, 1-based."""
    if encoding.startswith("utf-16"):
        start -= start % 2
    text = data[:start].decode(encoding, "replace")
    line_start = text.rfind("\n") + 1
    return text.count("\n") + 1, len(text) - line_start + 1


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name for people). ValueError naming line and column of the first byte that
    is not text in the encoding the file has (or, with no byte order mark, in UTF-8 nor Windows-1252)."""
    for bom, codec, label in ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
                              (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16")):
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec), label
            except UnicodeDecodeError as e:
                line, col = _position(body, e.start, codec)
                raise ValueError(f"line {line}, column {col}: is not {label} text (the file starts with a "
                                 f"{label} byte order mark); export the sheet again") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as e:
        line, col = _position(data, e.start, "cp1252")
        raise ValueError(f"line {line}, column {col}: byte 0x{data[e.start]:02X} is neither UTF-8 nor Windows-1252 "
                         f"text; export the sheet as 'CSV UTF-8'") from None


def find_separator(header_line: str, known: frozenset[str]) -> str:
    """The separator that splits the header row into the most known column names (then the most cells)."""
    def score(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=sep), [])
        return sum(c.strip() in known for c in cells), len(cells)
    return max(SEPARATORS, key=score)  # max keeps the first of equals: a comma


def _read_csv(data: bytes, path: Path, known: frozenset[str]) -> Roster:
    out = Roster(path)
    try:
        text, encoding = decode_csv(data)
    except ValueError as e:
        line, _, message = str(e).partition(", ")
        out.problems.append((int(line.removeprefix("line ")), message))
        return out
    if "\x00" in text:  # UTF-16 without its byte order mark decodes as "UTF-8" with a NUL in every other place
        line, col = _position(text.encode("utf-8"), text.encode("utf-8").index(b"\x00"), "utf-8")
        out.problems.append((line, f"column {col}: a NUL character: UTF-16 text without its byte order mark? "
                                   f"export the sheet as 'CSV UTF-8'"))
        return out
    if encoding == "Windows-1252":
        out.notes.append("read as Windows-1252 text (it is not UTF-8): if a name looks wrong, "
                         "export the sheet as 'CSV UTF-8'")
    lines = text.splitlines(keepends=True)
    sep = find_separator(lines[0] if lines else "", known)
    reader = csv.reader(lines, delimiter=sep, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        out.problems.append((1, f"malformed CSV header: {e}"))
        return out
    out.header = [h.strip() for h in header or []]
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            out.problems.append((reader.line_num, f"malformed CSV: {e}; check quotes"))
            break
        line = reader.line_num
        out.rows.append(Row(start, list(row)))
    return out


# --- workbooks ---------------------------------------------------------------------------------

def _number(value: float, decimal: str) -> str:
    """A number cell as the issuer's spreadsheet shows it: 42.0 → "42", 8.5 → "8,5" with a decimal comma."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value).replace(".", decimal)


def _cell(value: object, decimal: str) -> Cell:
    if isinstance(value, bool):  # before numbers: a TRUE/FALSE cell
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date()  # credpub issues by the day
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int):
        return _number(float(value), decimal)
    return "" if value is None else str(value)


#: what a workbook may unpack to: a roster of thousands of rows is a few MB; more is a zip bomb
MAX_UNPACKED = 200_000_000


def _unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0  # not a zip: calamine says what it is not


def _read_workbook(data: bytes, path: Path, decimal: str) -> Roster:
    import python_calamine  # only when a workbook is read

    if _unpacked_size(data) > MAX_UNPACKED:
        return Roster(path, problems=[(0, f"unpacks to more than {MAX_UNPACKED // 1_000_000} MB: not a roster")])
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if not sheets:
            return Roster(path, problems=[(0, "has no worksheet")])
        rows = book.get_sheet_by_name(sheets[0]).to_python(skip_empty_area=False)  # row 1 is row 1
        others = [s for s in sheets[1:] if any(any(c not in ("", None) for c in r)
                                               for r in book.get_sheet_by_name(s).to_python())]
    except Exception as e:  # noqa: BLE001 - a hostile or broken file: one message, never a traceback
        return Roster(path, problems=[(0, f"cannot be read as a spreadsheet ({type(e).__name__}: {e}); "
                                          f"save it again as .xlsx")])
    sheet = sheets[0].replace("/", "_").replace("\\", "_")  # Excel allows neither; a hostile file might
    out = Roster(path.with_name(f"{path.name}:{sheet}"))
    if others:
        out.notes.append(f"only the first sheet, {sheets[0]}, is read; not {', '.join(others)}")
    cells = [[_cell(v, decimal) for v in r] for r in rows]
    first = next((i for i, r in enumerate(cells) if any(c != "" for c in r)), None)
    if first is None:
        return out
    out.header = [str(c).strip() for c in cells[first]]
    out.header_line = first + 1
    out.rows = [Row(i + 1, r) for i, r in enumerate(cells) if i > first]
    if first:  # the header on a later row: rows are numbered as the sheet numbers them
        out.notes.append(f"the columns are named on row {first + 1}; rows above it are not read")
    return out
