"""Roster files as offices' spreadsheets save them, made in the test: Dutch Excel's "CSV"
(Windows-1252, `;`, CRLF, a `;;;;` row where a row was cleared), its "CSV UTF-8" (BOM, `;`), its
"Unicode text" (UTF-16LE with BOM, tabs), a workbook (Blad1, date cells: ops/xlsx.py writes as
Excel does) and a LibreOffice .ods."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from credpub.ops.xlsx import workbook

HEADER = ["learner_id", "name", "email", "achievement", "issued_on", "grade", "share_grade"]
ROWS = [
    ["BP-2026-101", "Anaïs Dubois", "anais.dubois@example.be", "dimensional-metrology", "12-06-2026", "8,5", "ja"],
    ["BP-2026-102", "Jürgen Müller", "juergen@example.de", "dimensional-metrology", "12/06/2026", "7", "nee"],
    ["BP-2026-103", "Zoë van 't Hof", "zoe@example.nl", "surface-metrology", "12-6-2026", "", ""],
]
DAY = dt.date(2026, 6, 12)


def excel_csv(rows=ROWS, *, sep=";", encoding="cp1252", bom=b"") -> bytes:
    """A roster as Excel writes CSV: CRLF line ends, quoting only where needed, a cleared row
    kept as separators only."""
    lines = [sep.join(HEADER), *(sep.join(r) for r in rows), sep * (len(HEADER) - 1)]
    return bom + "\r\n".join(lines).encode(encoding) + "\r\n".encode(encoding)


def dutch_csv() -> bytes:  # Excel: Opslaan als "CSV (gescheiden door lijstscheidingsteken)"
    return excel_csv()


def dutch_csv_utf8() -> bytes:  # "CSV UTF-8 (door komma's gescheiden)" — with `;` all the same
    return excel_csv(encoding="utf-8", bom=codecs.BOM_UTF8)


def unicode_text() -> bytes:  # "Unicode-tekst": UTF-16LE with a BOM, tabs
    return excel_csv(sep="\t", encoding="utf-16-le", bom=codecs.BOM_UTF16_LE)


def xlsx(rows: list[list] | None = None, *, sheet: str = "Blad1") -> bytes:
    """The roster as a workbook: issued_on as date cells, a grade typed as the number 8,5,
    an empty row left between two awards."""
    if rows is None:
        rows = [HEADER,
                ["BP-2026-101", "Anaïs Dubois", "anais.dubois@example.be", "dimensional-metrology", DAY, 8.5, "ja"],
                ["", "", "", "", "", "", ""],
                ["BP-2026-102", "Jürgen Müller", "juergen@example.de", "dimensional-metrology", DAY, "7", True]]
    return workbook(sheet, rows)


def ods(rows: list[list], *, sheet: str = "Blad1") -> bytes:
    """A LibreOffice Calc spreadsheet: dates as office:date-value, numbers as office:value."""
    def cell(v) -> str:
        if isinstance(v, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                    f'<text:p>{v.day}-{v.month}-{v.year}</text:p></table:table-cell>')
        if isinstance(v, float | int):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        if v == "":
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
    body = "".join(f"<table:table-row>{''.join(cell(v) for v in r)}</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
