"""Rosters as offices export them: CSV separators and encodings, workbooks, dates, and the
files in awards/ that credpub does not read."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest

from credpub import clock
from credpub.content.roster import decode_csv, find_separator, read_roster
from credpub.content.validate import check_content
from tests.content import sheets

KNOWN = frozenset(sheets.HEADER)


def _check(content_dir: Path, name: str, data: bytes):
    (content_dir / "awards" / name).write_bytes(data)
    content, errors = check_content(content_dir, clock.today())
    return content, [str(e) for e in errors]


def _mine(content) -> dict[str, object]:
    return {a.learner_id: a for a in content.awards if a.learner_id.startswith("BP-2026-1")}


@pytest.mark.parametrize("export", [sheets.dutch_csv, sheets.dutch_csv_utf8, sheets.unicode_text])
def test_dutch_excel_csv_exports_are_read_as_written(content_dir, export):
    content, errors = _check(content_dir, "cursisten.csv", export())
    assert errors == []
    mine = _mine(content)
    assert sorted(mine) == ["BP-2026-101", "BP-2026-102", "BP-2026-103"]  # the ;;;;;; row is skipped
    assert mine["BP-2026-101"].name == "Anaïs Dubois" and mine["BP-2026-103"].name == "Zoë van 't Hof"
    assert {a.issued_on for a in mine.values()} == {sheets.DAY}  # 12-06-2026, 12/06/2026 and 12-6-2026
    assert mine["BP-2026-101"].grade == "8,5" and mine["BP-2026-101"].share_grade is True  # "ja"
    assert mine["BP-2026-102"].share_grade is False  # "nee"


def test_windows_1252_is_said_in_a_note_and_utf8_is_not(content_dir):
    content, _ = _check(content_dir, "cursisten.csv", sheets.dutch_csv())
    assert [n for n in content.notes if "cursisten.csv" in n] == [
        f"{content_dir}/awards/cursisten.csv: read as Windows-1252 text (it is not UTF-8): if a name looks wrong, "
        "export the sheet as 'CSV UTF-8'"]
    (content_dir / "awards" / "cursisten.csv").write_bytes(sheets.dutch_csv_utf8())
    content, _ = check_content(content_dir, clock.today())
    assert content.notes == ()


def test_check_prints_the_assumed_encoding(content_dir):
    from click.testing import CliRunner

    from credpub.cli import main

    (content_dir / "awards" / "cursisten.csv").write_bytes(sheets.dutch_csv())
    r = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert r.exit_code == 0, r.output
    assert "note: " in r.output and "cursisten.csv: read as Windows-1252 text" in r.output


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_the_separator_is_found_from_the_header_row(sep):
    assert find_separator(sep.join(sheets.HEADER) + "\r\n", KNOWN) == sep


def test_a_name_with_commas_does_not_fool_the_separator():
    header = 'learner_id;name;email;achievement;issued_on\r\n'
    assert find_separator(header, KNOWN) == ";"
    rows = read_roster(header.encode() + b'1;"Dubois, Ana\xc3\xafs";a@b.be;x;2026-06-12\r\n', "r.csv", Path("r.csv"),
                       known=KNOWN).rows
    assert rows[0].cells[1] == "Dubois, Anaïs"


@pytest.mark.parametrize("data, where", [
    (codecs.BOM_UTF8 + b"learner_id,name\r\n1,ok\r\n2,Ana\xefs\r\n", "line 3, column 6: is not UTF-8 text"),
    (b"learner_id,name\r\n1,Ana\xefs\r\n2,x\x81y\r\n", "line 3, column 4: byte 0x81 is neither UTF-8 nor Windows-1252"),
    (codecs.BOM_UTF16_LE + "learner_id\tname\r\n1\tok\r\n".encode("utf-16-le") + b"\x00\xdc", "line 3, column 1: is not UTF-16 text"),
])
def test_every_decoding_error_names_line_and_column(data, where):
    with pytest.raises(ValueError, match=where):
        decode_csv(data)


def test_a_decoding_error_is_a_content_error_at_its_line(content_dir):
    _, errors = _check(content_dir, "cursisten.csv", codecs.BOM_UTF8 + sheets.excel_csv(encoding="cp1252"))
    assert any(e.startswith(f"{content_dir}/awards/cursisten.csv:2: column 16: is not UTF-8 text") for e in errors), errors


def test_a_workbook_is_read_with_its_date_cells_and_empty_rows_skipped(content_dir):
    content, errors = _check(content_dir, "cursisten.xlsx", sheets.xlsx())
    assert errors == []
    mine = _mine(content)
    assert sorted(mine) == ["BP-2026-101", "BP-2026-102"]
    assert mine["BP-2026-101"].issued_on == sheets.DAY
    assert mine["BP-2026-101"].grade == "8,5"  # the number 8.5 as a Dutch spreadsheet shows it (nl is the first language)
    assert mine["BP-2026-102"].share_grade is True  # a TRUE cell
    assert str(mine["BP-2026-102"].source) == f"{content_dir}/awards/cursisten.xlsx:Blad1:4"


def test_a_number_cell_takes_the_decimal_sign_of_the_sites_first_language():
    from credpub.content.awards import _decimal_sign
    from credpub.model import Issuer, SiteConfig

    def sign(languages):
        return _decimal_sign(SiteConfig("https://x.test/", Issuer("I", "https://x.test/", "i@x.test", "NL"), languages=languages))

    assert (sign(("nl", "en")), sign(("en", "nl"))) == (",", ".")
    rows = [sheets.HEADER, ["1", "N", "n@example.nl", "a", sheets.DAY, 8.5, ""], ["2", "N", "n@example.nl", "a", sheets.DAY, 8.0, ""]]
    for decimal, grades in ((",", ["8,5", "8"]), (".", ["8.5", "8"])):
        roster = read_roster(sheets.xlsx(rows), "c.xlsx", Path("c.xlsx"), decimal=decimal)
        assert [r.cells[5] for r in roster.rows] == grades


def test_a_workbook_problem_names_file_sheet_row_and_column(content_dir):
    rows = [sheets.HEADER] + [["BP-2026-1%02d" % i, "N", "n@example.nl", "dimensional-metrology", sheets.DAY, "", ""]
                              for i in range(5)]
    rows.append(["BP-2026-199", "N", "n@example.nl", "dimensional-metrology", "31-02-2026", "", ""])
    _, errors = _check(content_dir, "cursisten.xlsx", sheets.xlsx(rows))
    assert f"{content_dir}/awards/cursisten.xlsx:Blad1:7: issued_on: '31-02-2026' is not a real date, read day first " \
           "(site.yml `date_order` sets the order)" in errors


def test_a_grade_excel_turned_into_a_date_is_named(content_dir):
    rows = [sheets.HEADER, ["BP-2026-101", "N", "n@example.nl", "dimensional-metrology", sheets.DAY, dt.date(2026, 5, 8), ""]]
    _, errors = _check(content_dir, "cursisten.xlsx", sheets.xlsx(rows))
    assert any("cursisten.xlsx:Blad1:2: grade: is a date cell (2026-05-08)" in e for e in errors), errors


def test_only_the_first_sheet_is_read_and_the_others_are_named():
    import io
    import zipfile

    data = sheets.xlsx()
    # a second sheet, as Excel adds "Blad2"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/workbook.xml":
                body = body.replace(b"</sheets>", b'<sheet name="Blad2" sheetId="2" r:id="rId4"/></sheets>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            z.writestr(item, body)
    roster = read_roster(out.getvalue(), "c.xlsx", Path("awards/c.xlsx"))
    assert roster.notes == ["only the first sheet, Blad1, is read; not Blad2"]
    assert roster.place == Path("awards/c.xlsx:Blad1")


def test_an_ods_is_read_as_a_workbook(content_dir):
    rows = [sheets.HEADER, ["BP-2026-101", "Anaïs Dubois", "a@example.be", "dimensional-metrology", sheets.DAY, 7.5, "nee"]]
    content, errors = _check(content_dir, "cursisten.ods", sheets.ods(rows))
    assert errors == []
    award = _mine(content)["BP-2026-101"]
    assert (award.issued_on, award.grade, str(award.source)) == (sheets.DAY, "7,5", f"{content_dir}/awards/cursisten.ods:Blad1:2")


@pytest.mark.parametrize("data", [b"PK\x03\x04not a zip", b"", b"\xd0\xcf\x11\xe0 an old .xls renamed"])
def test_a_broken_workbook_is_one_problem_not_a_traceback(content_dir, data):
    _, errors = _check(content_dir, "cursisten.xlsx", data)
    assert [e for e in errors if "cursisten.xlsx" in e] == [
        e for e in errors if e.startswith(f"{content_dir}/awards/cursisten.xlsx: cannot be read as a spreadsheet")]
    assert any("cursisten.xlsx" in e for e in errors)


def test_a_sealed_workbook_is_read_like_a_sealed_csv(content_dir, tmp_path, monkeypatch):
    from credpub.content.seal import load_identity, seal

    monkeypatch.delenv("CREDPUB_AGE_KEY", raising=False)
    (content_dir / "awards" / "cursisten.xlsx").write_bytes(sheets.xlsx())
    report = seal(content_dir, tmp_path / "keys")
    assert content_dir / "awards" / "cursisten.xlsx.age" in report.sealed
    assert not (content_dir / "awards" / "cursisten.xlsx").exists()
    content, errors = check_content(content_dir, clock.today(), lambda: load_identity(tmp_path / "keys"))
    assert errors == []
    assert str(_mine(content)["BP-2026-102"].source) == f"{content_dir}/awards/cursisten.xlsx.age:Blad1:4"
    from credpub.content.seal import unseal

    assert content_dir / "awards" / "cursisten.xlsx" in unseal(content_dir, tmp_path / "keys")
    assert (content_dir / "awards" / "cursisten.xlsx").read_bytes() == sheets.xlsx()


def test_month_first_sites_say_so_in_site_yml(content_dir):
    site = content_dir / "site.yml"
    site.write_text(site.read_text() + "date_order: month-first\n")
    rows = [["BP-2026-101", "N", "n@example.nl", "dimensional-metrology", "06/12/2026", "", ""]]
    content, errors = _check(content_dir, "cursisten.csv", sheets.excel_csv(rows, sep=",", encoding="utf-8"))
    assert errors == [] and _mine(content)["BP-2026-101"].issued_on == sheets.DAY
    site.write_text(site.read_text().replace("month-first", "middle-endian"))
    _, errors = check_content(content_dir, clock.today())
    assert any("site.yml" in str(e) and "date_order: must be one of day-first, month-first" in str(e) for e in errors), errors


def test_a_file_credpub_does_not_read_is_an_error_and_a_lock_file_a_note(content_dir):
    (content_dir / "awards" / "oud.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (content_dir / "awards" / "~$cursisten.xlsx").write_bytes(b"owner")
    (content_dir / "awards" / ".DS_Store").write_bytes(b"")
    content, errors = check_content(content_dir, clock.today())
    assert [str(e) for e in errors] == [
        f"{content_dir}/awards/oud.xls: is an Excel 97-2003 workbook, and credpub reads only .csv, .xlsx and .ods "
        "rosters here (sealed: .age): save it as .xlsx or CSV, or move it out of awards/"]
    assert content.notes == (f"{content_dir}/awards/~$cursisten.xlsx: Excel's lock file (the workbook is open in Excel): not read",)


def test_build_refuses_a_file_it_does_not_read(content_dir, tmp_path):
    from credpub.build import pipeline
    from credpub.errors import ContentErrors
    from tests.conftest import context

    (content_dir / "awards" / "cursisten.numbers").write_bytes(b"PK")
    with pytest.raises(ContentErrors, match="cursisten.numbers: is a Numbers spreadsheet"):
        pipeline.build(context(content_dir), pipeline.BuildOptions(tmp_path / "site"))


def test_a_grade_is_shown_as_written_in_every_language(content_dir, keys, tmp_path):
    from credpub.build import pipeline
    from tests.conftest import context

    rows = [["BP-2026-101", "Anaïs Dubois", "a@example.be", "dimensional-metrology", "12-06-2026", "8,5", "ja"]]
    (content_dir / "awards" / "cursisten.csv").write_bytes(
        sheets.excel_csv(rows).replace(b"share_grade\r\n", b"share_grade;language\r\n").replace(b";ja\r\n", b";ja;en\r\n"))
    rows[0][0] = "BP-2026-102"
    (content_dir / "awards" / "nl.csv").write_bytes(sheets.excel_csv(rows))
    site = tmp_path / "site"
    report = pipeline.build(context(content_dir, keys=keys, today=dt.date(2026, 12, 1)), pipeline.BuildOptions(site))
    by = {p.award.learner_id: p for p in report.plan.awards}
    for learner in ("BP-2026-101", "BP-2026-102"):  # an English and a Dutch share page
        page = (site / by[learner].share_path / "index.html").read_text()
        assert ">8,5<" in page and "8.5" not in page
        credential = json.loads((site / by[learner].share_path / "credential.json").read_text())
        assert credential["credentialSubject"]["result"][0]["value"] == "8,5"


def test_excels_unicode_text_saved_as_txt_is_named_with_what_to_do(content_dir):
    _, errors = _check(content_dir, "cursisten.txt", sheets.unicode_text())
    assert errors == [f"{content_dir}/awards/cursisten.txt: is a text file, and credpub reads only .csv, .xlsx and .ods "
                      "rosters here (sealed: .age): if it is Excel's 'Unicode text' (or tab-separated), rename it to .csv: "
                      "credpub reads that, or move it out of awards/"]


def test_build_reports_the_assumed_encoding_in_its_notes(content_dir, keys, tmp_path):
    from credpub.build import pipeline
    from tests.conftest import context

    rows = [["BP-2026-101", "Anaïs Dubois", "a@example.be", "dimensional-metrology", "12-06-2026", "", ""]]
    (content_dir / "awards" / "cursisten.csv").write_bytes(sheets.excel_csv(rows))
    report = pipeline.build(context(content_dir, keys=keys, today=dt.date(2026, 12, 1)), pipeline.BuildOptions(tmp_path / "site"))
    assert any(n.endswith("awards/cursisten.csv: read as Windows-1252 text (it is not UTF-8): if a name looks wrong, "
                          "export the sheet as 'CSV UTF-8'") for n in report.notes), report.notes


def test_utf16_without_its_byte_order_mark_is_named_not_read_as_garbage():
    data = sheets.excel_csv(encoding="utf-16-le")
    roster = read_roster(data, "c.csv", Path("c.csv"), known=KNOWN)
    assert roster.problems == [(1, "column 2: a NUL character: UTF-16 text without its byte order mark? "
                                   "export the sheet as 'CSV UTF-8'")]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(monkeypatch):
    from credpub.content import roster as module

    monkeypatch.setattr(module, "MAX_UNPACKED", 1000)
    assert read_roster(sheets.xlsx(), "c.xlsx", Path("c.xlsx")).problems == [(0, "unpacks to more than 0 MB: not a roster")]


def test_a_header_below_a_title_row_is_named_at_its_own_row(content_dir):
    rows = [["Cursisten voorjaar 2026"], [], ["learner_id", "name", "email", "achievement", "datum"],
            ["BP-2026-101", "N", "n@example.nl", "dimensional-metrology", sheets.DAY]]
    roster = read_roster(sheets.xlsx(rows), "c.xlsx", Path("c.xlsx"))
    assert roster.header_line == 1 and roster.header[0] == "Cursisten voorjaar 2026"  # the first row with a value
    _, errors = _check(content_dir, "cursisten.xlsx", sheets.xlsx(rows[2:]))
    assert [e for e in errors if "cursisten" in e] == [
        f"{content_dir}/awards/cursisten.xlsx:Blad1:1: datum: unknown column; optional columns are grade, evidence_url, "
        "passphrase, share_grade, valid_until, language",
        f"{content_dir}/awards/cursisten.xlsx:Blad1:1: issued_on: required column missing (columns must include "
        "learner_id, name, email, achievement, issued_on)"]
    _, errors = _check(content_dir, "cursisten.xlsx", sheets.xlsx([[], [], *rows[2:]]))
    assert any(e.startswith(f"{content_dir}/awards/cursisten.xlsx:Blad1:3: issued_on: required column missing") for e in errors), errors
