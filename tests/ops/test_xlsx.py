"""The roster template `credpub new` writes: awards.csv and awards.xlsx (ops/xlsx.py), read back
as rosters, with every column explained in the scaffold README."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from credpub import clock
from credpub.content.awards import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from credpub.content.roster import read_roster
from credpub.content.validate import check_content
from credpub.ops import scaffold
from credpub.ops.xlsx import workbook

ANSWERS = scaffold.Answers("Vereniging De Linde", "https://delinde.github.io/credentials/", "info@delinde.nl", "NL", ("nl", "en"))


def test_new_writes_the_roster_template_as_xlsx_and_csv_with_the_same_columns():
    out = scaffold.files(ANSWERS)
    xlsx, csv = out["content/awards/awards.xlsx"], out["content/awards/awards.csv"]
    from_xlsx = read_roster(xlsx, "awards.xlsx", Path("awards.xlsx"))
    from_csv = read_roster(csv, "awards.csv", Path("awards.csv"), known=frozenset(REQUIRED_COLUMNS))
    assert from_xlsx.header == from_csv.header == [c[0] for c in scaffold.ROSTER_COLUMNS]
    assert set(REQUIRED_COLUMNS) <= set(from_csv.header)
    assert (from_xlsx.rows, from_csv.rows, from_xlsx.place) == ([], [], Path("awards.xlsx:Blad1"))  # Dutch Excel's name
    assert read_roster(scaffold.files(dataclasses.replace(ANSWERS, languages=("en",)))["content/awards/awards.xlsx"],
                       "awards.xlsx", Path("awards.xlsx")).place == Path("awards.xlsx:Sheet1")


def test_the_template_keeps_typed_grades_as_text_and_dates_as_dates():
    sheet = zipfile.ZipFile(io.BytesIO(scaffold.files(ANSWERS)["content/awards/awards.xlsx"])).read("xl/worksheets/sheet1.xml").decode()
    styles = dict(re.findall(r'<col min="(\d+)" max="\d+" width="\d+" customWidth="1"(?: style="(\d)")?/>', sheet))
    names = [c[0] for c in scaffold.ROSTER_COLUMNS]
    assert styles[str(names.index("grade") + 1)] == "3" and styles[str(names.index("learner_id") + 1)] == "3"  # Text (@)
    assert styles[str(names.index("issued_on") + 1)] == "1"  # short date


def test_every_roster_column_is_explained_in_the_scaffold_readme():
    readme = scaffold.files(ANSWERS)["README.md"]
    for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        assert re.search(rf"^\| `{column}` \| (yes|no) \| \S", readme, re.M), column


def test_a_filled_in_template_is_read_with_its_date_cell_and_text_grade(tmp_path):
    target = tmp_path / "repo"
    scaffold.create(target, ANSWERS)
    slug = scaffold.FIRST_ACHIEVEMENT["nl"]
    names = [c[0] for c in scaffold.ROSTER_COLUMNS]
    row = dict(learner_id="0042", name="Anaïs Dubois", email="anais@example.be", achievement=slug,
               issued_on=dt.date(2026, 6, 12), grade="8,5", evidence_url="", share_grade="ja")
    (target / "content/awards/awards.xlsx").write_bytes(workbook("Blad1", [names, [row[n] for n in names]]))
    content, errors = check_content(target / "content", clock.today())
    assert errors == []
    [award] = content.awards
    assert (award.learner_id, award.issued_on, award.grade, award.share_grade) == ("0042", dt.date(2026, 6, 12), "8,5", True)
