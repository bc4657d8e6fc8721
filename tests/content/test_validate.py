"""load.py + validate.py (`credpub check`): each bad input names file, line and field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from credpub import clock
from credpub.cli import main
from credpub.content.validate import check_content

from tests.conftest import context


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _problems(content_dir):
    _, errors = check_content(content_dir, clock.today())
    return [str(e) for e in errors]


def test_demo_content_is_valid(content_dir):
    assert _problems(content_dir) == []


CSV = "awards/2026-spring.csv"
ROW = "BP-2026-005,Jürgen Müller,juergen.mueller@example.de,dimensional-metrology,2026-04-17,B,,no"


@pytest.mark.parametrize("file, old, new, expected", [
    ("site.yml", "url: https://baltic", "url: http://baltic", "site.yml:3: url: must be an https:// URL"),
    ("site.yml", "  name: Nederlandse Vereniging voor Precisietechniek\n", "  name: [unclosed\n", "site.yml:7: malformed YAML"),
    ("site.yml", "  email: credentials@bpes.example.org", "  email: not-an-address", "site.yml:8: issuer.email: is not a valid email"),
    ("site.yml", "cryptosuite: eddsa-rdfc-2022", "cryptosuite: rsa-2048", "cryptosuite: must be one of"),
    ("site.yml", 'primary: "#17456b"', 'primary: "red;}body{x"', "site.yml:15: colours.primary: must be primary or accent as #rrggbb"),
    ("site.yml", 'accent: "#e0a030"', 'accent: "#fff"', "site.yml:16: colours.accent: must be primary or accent as #rrggbb"),
    ("achievements/cnc-five-axis.yml", "claim_security: link", "claim_security: carrier-pigeon", "cnc-five-axis.yml:52: claim_security: must be one of link, encrypted, passphrase"),
    ("achievements/cnc-five-axis.yml", "ects: 4\n", "", "cnc-five-axis.yml:1: ects: is required"),
    ("achievements/cnc-five-axis.yml", "eqf_level: 5", "eqf_level: 11", "eqf_level: must be between 1 and 8"),
    ("achievements/cnc-five-axis.yml", "participation: onsite", "participation: telepathy", "participation: must be one of online, onsite, blended"),
    ("achievements/dimensional-metrology.yml", "valid_for: P3Y", "valid_for: 3 years", "valid_for: must be an ISO 8601 duration"),
    (CSV, ROW, ROW.replace("dimensional-metrology", "dimensional-metrolgy"), "2026-spring.csv:6: achievement: unknown achievement 'dimensional-metrolgy'; did you mean 'dimensional-metrology'?"),
    (CSV, ROW, ROW.replace("juergen.mueller@example.de", "juergen.mueller@"), "2026-spring.csv:6: email: is not a valid email address"),
    (CSV, ROW, ROW.replace("2026-04-17", "2026-02-30"), "2026-spring.csv:6: issued_on: '2026-02-30' is not a real date"),
    (CSV, ROW, ROW.replace("2026-04-17", "17 april 2026"), "2026-spring.csv:6: issued_on: must be a date such as 2026-06-12 or 12-06-2026"),
    (CSV, ROW, ROW.replace("BP-2026-005", "BP-2026-004"), "2026-spring.csv:6: learner_id: duplicate award: 'BP-2026-004' already has 'dimensional-metrology' at"),
    (CSV, ROW, ROW.replace("Jürgen Müller", '"Jürgen Müller'), "2026-spring.csv"),
    (CSV, "learner_id,name,email,", "learner_id,name,", "2026-spring.csv:1: email: required column missing"),
    (CSV, ",share_grade", ",share_grade,nickname", "2026-spring.csv:1: nickname: unknown column"),
    ("revocations.yml", "learner_id: BP-2026-010", "learner_id: BP-9999-999", "revocations.yml:3: learner_id: revokes an award that does not exist"),
    ("revocations.yml", "date: 2026-07-14", "date: 2026-13-45", "revocations.yml:6: [0].date: '2026-13-45' is not a real date"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_bad_input_is_reported_with_file_line_field(content_dir, file, old, new, expected):
    _edit(content_dir / file, old, new)
    problems = _problems(content_dir)
    assert problems, "the problem was not found"
    assert any(expected in p for p in problems), problems
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert expected in result.output


def test_all_problems_are_reported_at_once(content_dir):
    _edit(content_dir / CSV, ROW, ROW.replace("juergen.mueller@example.de", "nope").replace("2026-04-17", "2026-02-31"))
    _edit(content_dir / "site.yml", "url: https://baltic", "url: http://baltic")
    problems = _problems(content_dir)
    assert len(problems) >= 3
    assert any("email" in p for p in problems) and any("issued_on" in p for p in problems) and any("url" in p for p in problems)


def test_hostile_text_is_accepted_as_data(content_dir):
    hostile = '<script>alert(1)</script> "quoted" \u202eRTL\u202c 🎓 ' + "x" * 500
    _edit(content_dir / CSV, "Jürgen Müller", hostile.replace('"', '""').join('""'))
    content, errors = check_content(content_dir, clock.today())
    assert errors == []
    assert any(a.name == hostile for a in content.awards)


def test_revoke_command_records_a_revocation(content_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["revoke", "BP-2026-003", "dimensional-metrology", "--reason", 'Plagiarism: "copied" report',
                                  "--date", "2026-11-01", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    content, errors = check_content(content_dir, clock.today())
    assert errors == []
    r = next(r for r in content.revocations if r.learner_id == "BP-2026-003")
    assert r.reason == 'Plagiarism: "copied" report' and str(r.date) == "2026-11-01"
    again = runner.invoke(main, ["revoke", "BP-2026-003", "dimensional-metrology", "--reason", "x", "--content", str(content_dir)])
    assert again.exit_code == 1 and "already revoked" in again.output
    unknown = runner.invoke(main, ["revoke", "NOBODY", "dimensional-metrology", "--reason", "x", "--content", str(content_dir)])
    assert unknown.exit_code == 1 and "no award" in unknown.output


# ---------------------------------------------------------------- revoke on any valid list

@pytest.mark.parametrize("text", [
    "[]\n",
    "# withdrawn awards\n[]\n",
    "",
    "# only a comment\n",
    '[{learner_id: BP-2026-010, achievement: cnc-five-axis, reason: "x", date: 2026-07-14}]\n',
    "- learner_id: BP-2026-010\n  achievement: cnc-five-axis\n  reason: x\n  date: 2026-07-14",  # no final newline
], ids=["empty-flow", "comment-then-flow", "empty-file", "comment-only", "flow-list", "no-final-newline"])
def test_revoke_works_on_every_list_form_check_accepts(content_dir, text):
    (content_dir / "revocations.yml").write_text(text, "utf-8")
    before, errors = check_content(content_dir, clock.today())
    assert errors == []
    result = CliRunner().invoke(main, ["revoke", "BP-2026-003", "dimensional-metrology", "--reason", "x: y",
                                       "--date", "2026-11-01", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    after, errors = check_content(content_dir, clock.today())
    assert errors == []
    assert [(r.learner_id, r.achievement) for r in after.revocations] == [
        (r.learner_id, r.achievement) for r in before.revocations] + [("BP-2026-003", "dimensional-metrology")]
    if text.startswith("#"):
        assert (content_dir / "revocations.yml").read_text("utf-8").startswith(text.splitlines()[0])


# ---------------------------------------------------------------- CSV formula injection

@pytest.mark.parametrize("value, cell", [
    ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Ana Núñez", "Ana Núñez"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value, cell):
    from credpub import csvsafe

    assert csvsafe.cell(value) == cell


def test_links_csv_neutralises_formulas_in_names(content_dir, tmp_path):
    import csv
    import io

    hostile = ['=HYPERLINK(""https://evil.example"",""click"")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+2"]
    rows = "".join(f'X-{i},"{name}",x{i}@example.org,dimensional-metrology,2026-04-17,,,no\n' for i, name in enumerate(hostile))
    with (content_dir / CSV).open("a", encoding="utf-8") as f:
        f.write(rows)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", str(tmp_path / "k")]).exit_code == 0
    result = runner.invoke(main, ["links", "--content", str(content_dir), "--keys", str(tmp_path / "k"), "--csv"])
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.stdout)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    names = {row[2] for row in csv.reader(io.StringIO(result.stdout))}
    assert "'@SUM(1+1)" in names and "'+cmd|' /C calc'!A0" in names


# ---------------------------------------------------------------- check finds what build refuses

BADGE_IMAGE = "image: assets/badge.svg\n"
OUTSIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">\n'
               '<image href="../../outside.png" width="64" height="64"/></svg>\n')


def _with_badge(content_dir, svg):
    (content_dir / "assets" / "badge.svg").write_text(svg, "utf-8")
    with (content_dir / "achievements" / "cnc-five-axis.yml").open("a", encoding="utf-8") as f:
        f.write(BADGE_IMAGE)


@pytest.mark.parametrize("case, expected", [
    ("missing privacy page", "pages/privacy.md: privacy_page: the privacy terms page is missing"),
    ("smtp password", "site.yml:22: smtp.password: never put the SMTP password in site.yml"),
    ("smtp unknown field", "site.yml:21: smtp.passwd: unknown field"),
    ("damaged badge PNG", "assets/badge.png: image: the PNG is damaged"),
    ("badge that is no image", "assets/badge.svg: image: is not a PNG or SVG image"),
    ("badge with a script", "assets/badge.svg:2: image: <script>: scripts are not allowed"),
    ("badge reading an outside file", "assets/badge.svg:2: image: <image href='../../outside.png'>: references to other files"),
    ("logo with an event handler", "assets/logo.svg:1: issuer.logo: <svg onload=…>: event handlers"),
    ("page with meta refresh", "pages/privacy.md:5: html: not allowed in a page: <meta http-equiv>"),
    ("page with onerror", "pages/about.md:3: html: not allowed in a page: the event handler onerror= on <img>"),
    ("page with a javascript: link", "pages/about.md:3: html: not allowed in a page: a javascript: URL in href= on <a>"),
    ("page with an iframe", "pages/index.md:3: html: not allowed in a page: <iframe>"),
    ("page with an attr_list handler", "pages/about.md:4: html: not allowed in a page: the event handler onclick= on <p>"),
    ("HTML file among the pages", "pages/team/offer.html: a .html file in pages/ would be published as it is"),
    ("page front matter", "pages/about.md:2: front matter: must be fields such as title: …, with nav_order a whole number"),
    ("page nested too deeply", "pages/about.md: the Markdown is nested too deeply to render"),
    ("hashed name with a bidi override", "awards/2026-autumn.csv:2: name: contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
])
def test_check_finds_everything_build_refuses(content_dir, keys, tmp_path, case, expected):
    from credpub.build import pipeline
    from credpub.errors import ContentErrors

    pages = content_dir / "pages"
    if case == "missing privacy page":
        (pages / "privacy.md").unlink()
    elif case == "smtp password":
        (content_dir / "site.yml").write_text((content_dir / "site.yml").read_text() + "smtp:\n  host: mail.example.org\n  password: hunter2\n")
    elif case == "smtp unknown field":
        (content_dir / "site.yml").write_text((content_dir / "site.yml").read_text() + "smtp:\n  passwd: hunter2\n")
    elif case == "damaged badge PNG":
        (content_dir / "assets" / "badge.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0garbage")
        with (content_dir / "achievements" / "cnc-five-axis.yml").open("a", encoding="utf-8") as f:
            f.write("image: assets/badge.png\n")
    elif case == "badge that is no image":
        _with_badge(content_dir, "hello")
    elif case == "badge with a script":
        _with_badge(content_dir, '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>')
    elif case == "badge reading an outside file":
        _with_badge(content_dir, OUTSIDE_SVG)
    elif case == "logo with an event handler":
        (content_dir / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    elif case == "page with meta refresh":
        text = (pages / "privacy.md").read_text().replace("# Privacyvoorwaarden", '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n\n# Privacyvoorwaarden', 1)
        (pages / "privacy.md").write_text(text)
    elif case == "page with onerror":
        (pages / "about.md").write_text("# About\n\n<img src=x onerror=alert(1)>\n")
    elif case == "page with a javascript: link":
        (pages / "about.md").write_text('# About\n\n<a href=" JaVa&#x09;ScRiPt:alert(1)">prize</a>\n')
    elif case == "page with an iframe":
        (pages / "index.md").write_text('# Home\n\n<iframe src="https://evil.example/"></iframe>\n')
    elif case == "HTML file among the pages":
        (pages / "team").mkdir()
        (pages / "team" / "offer.html").write_text("<script>alert(document.domain)</script>")
    elif case == "page nested too deeply":
        (pages / "about.md").write_text("# About\n\n" + "".join("    " * i + "- x\n" for i in range(400)))
    elif case == "page front matter":
        (pages / "about.md").write_text("---\nnav_order: first\n---\n# About\n")
    elif case == "hashed name with a bidi override":
        ach = content_dir / "achievements" / "surface-metrology.yml"
        ach.write_text(ach.read_text().replace("claim_security: link", "claim_security: encrypted"))
        csv = content_dir / "awards" / "2026-autumn.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("Nguyễn Thị Hương", "Nguyễn Thị\u202e Hương"), encoding="utf-8")
    elif case == "page with an attr_list handler":
        (pages / "about.md").write_text("# About\n\nClick me\n{: onclick=alert(1) }\n")
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    with pytest.raises(ContentErrors) as e:
        pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site"))
    assert any(expected in str(err) for err in e.value.errors), str(e.value)
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------- no ./content

def test_build_without_content_refuses_instead_of_building_the_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen"]).exit_code == 0
    for command in (["build"], ["links"], ["check"], ["serve", "--links"], ["revoke", "BP-1", "x", "--reason", "y"],
                    ["send", "--dry-run", "out"], ["seal"], ["unseal"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        assert "no ./content folder here" in result.output and "credpub demo" in result.output and "credpub new DIR" in result.output
    assert not (tmp_path / "site").exists() and not (tmp_path / "out").exists()


def test_seal_with_nothing_to_seal_makes_no_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "awards").mkdir(parents=True)
    result = CliRunner().invoke(main, ["seal"])
    assert result.exit_code == 2 and "no plain *.csv, *.xlsx or *.ods to seal" in result.output, result.output
    assert not (tmp_path / ".credpub").exists()


def test_serve_in_a_folder_that_is_not_a_built_site_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--dir", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2, result.output
    assert "no index.html here; run `credpub build` first" in result.output and "Traceback" not in result.output


def test_demo_still_builds_the_bundled_demo(tmp_path, monkeypatch):
    from credpub import paths

    bundled = paths.demo_content_dir()
    before = {f: f.read_bytes() for f in bundled.rglob("*") if f.is_file()}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "signed with the DEMO key" in result.output and (tmp_path / "site" / "index.html").is_file()
    # the build records status indexes in a working copy, never in the bundled demo (a wheel's
    # files, or this checkout's committed content/)
    assert {f: f.read_bytes() for f in bundled.rglob("*") if f.is_file()} == before
    assert (tmp_path / ".credpub-demo" / "content" / "status-lock.json").is_file()


def test_linkedin_organization_id(content_dir, keys, tmp_path):
    """LinkedIn organisation id: optional; a number (the issuer's LinkedIn page), else a clear error;
    pages get it in their site data, for the "Add to LinkedIn" link's organizationId."""
    site = content_dir / "site.yml"
    _edit(site, "  country: NL\n", "  country: NL\n  linkedin_organization_id: linkedin.com/company/bpes\n")
    assert any("site.yml:10: issuer.linkedin_organization_id: must be the number of the issuer's LinkedIn page" in p
               for p in _problems(content_dir))
    _edit(site, "linkedin_organization_id: linkedin.com/company/bpes", "linkedin_organization_id: 12345678")
    assert _problems(content_dir) == []
    from credpub.build.pipeline import BuildOptions, build

    build(context(content_dir, keys=keys), BuildOptions(tmp_path / "site"))
    verify = (tmp_path / "site" / "verify" / "index.html").read_text("utf-8")
    assert '"linkedin_organization_id":"12345678"' in verify


def test_names_with_line_breaks_or_control_characters_are_refused(content_dir):
    """A cell with a line break (a spreadsheet slip) or a control character would reach the
    credential, the pages and the email: refused with file, line and field."""
    with (content_dir / CSV).open("a", encoding="utf-8") as f:
        f.write('X-9,"Line\nBreak",x9@example.org,dimensional-metrology,2026-04-17,,,no\n')
        f.write('X-8,Bell\x07Name,x8@example.org,dimensional-metrology,2026-04-17,,,no\n')
    _, errors = check_content(content_dir, clock.today())
    messages = [str(e) for e in errors]
    assert any("name: contains a line break or control character: 'Line\\nBreak'" in m for m in messages), messages
    assert any("name: contains a line break or control character: 'Bell\\x07Name'" in m for m in messages), messages


# ---------------------------------------------------------------- one learner, one identity

AUTUMN = "awards/2026-autumn.csv"
JANIS = "BP-2026-002,Jānis Bērziņš,janis.berzins@example.lv,surface-metrology,2026-09-25,95 %,,no,"


@pytest.mark.parametrize("row, differs", [
    (JANIS.replace("BP-2026-002", "BP-2026-002 ").replace("Jānis Bērziņš", "Someone Else2"), "has another name"),
    (JANIS.replace("BP-2026-002", "\u00a0BP-2026-002\u00a0").replace("janis.berzins@", "else2@"), "has another email address"),
    (JANIS.replace("BP-2026-002", "bp-2026-002"), "is written differently"),
    (JANIS.replace("BP-2026-002", "BP-2026-002\u200b"), "is written differently"),
], ids=["trailing-space-other-name", "nbsp-other-email", "other-case", "zero-width-space"])
def test_one_learner_id_is_one_person_across_award_files(content_dir, row, differs):
    _edit(content_dir / AUTUMN, JANIS, row)
    problems = _problems(content_dir)
    # both lines are named: the one read later, and the one it contradicts
    mine = [p for p in problems if "2026-autumn.csv:7" in p and "2026-spring.csv:3" in p]
    assert len(mine) == 1 and differs in mine[0] and ": learner_id: " in mine[0], problems
    assert "Someone Else2" not in mine[0] and "else2@" not in mine[0]  # names and addresses are not echoed
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1 and "2026-spring.csv:3" in result.output and "2026-autumn.csv:7" in result.output


def test_the_same_learner_with_an_address_in_other_case_is_one_person(content_dir):
    _edit(content_dir / AUTUMN, JANIS, JANIS.replace("janis.berzins@example.lv", "Janis.Berzins@Example.LV"))
    assert _problems(content_dir) == []


# -- texts a language lacks --------------------------------------------------------------------------

def _notes(content_dir):
    from credpub.content.validate import missing_translations

    content, errors = check_content(content_dir, clock.today())
    assert not errors, errors
    return missing_translations(content)


def test_check_notes_each_text_given_once_by_file_field_and_language(content_dir):
    path = content_dir / "achievements/gd-and-t-basics.yml"
    _edit(path, "prerequisites:\n  nl: Geen.\n  en: None.\n", "prerequisites: Geen.\n")
    (content_dir / "pages/about.en.md").unlink()
    notes = _notes(content_dir)
    mine = [n for n in notes if "gd-and-t-basics.yml" in n]
    assert mine == [f"{path}: prerequisites: no en text; the en pages show the one given "
                    "(write it per language, prerequisites: {nl: …, en: …})"]
    # An issuer page without a variant in a language is named too.
    assert f"{content_dir / 'pages/about.md'}: no en version; the en pages show this one (add pages/about.en.md)" in notes
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "note: " + mine[0] in result.output and "no problems found" in result.output


def test_labelled_skills_given_once_are_noted_and_may_be_given_per_language(content_dir):
    path = content_dir / "achievements/cnc-five-axis.yml"
    text = path.read_text("utf-8")
    start, end = text.index("skills:"), text.index("claim_security:")
    uri = "http://data.europa.eu/esco/skill/6b8b1d0a-38ef-4bd1-9a51-3a0f8fb5f3f4"
    path.write_text(text[:start] + f"skills:\n  - Program a CNC controller|{uri}\n" + text[end:], "utf-8")
    assert any(n.startswith(f"{path}: skills: no en text") for n in _notes(content_dir))
    path.write_text(text[:start] + f"skills:\n  nl:\n    - CNC-besturing programmeren|{uri}\n"
                    f"  en:\n    - Program a CNC controller|{uri}\n" + text[end:], "utf-8")
    assert not any("cnc-five-axis" in n for n in _notes(content_dir))
    content, _ = check_content(content_dir, clock.today())
    a = content.achievements["cnc-five-axis"]
    assert a.skills == (f"CNC-besturing programmeren|{uri}",)
    assert a.in_language("en").skills == (f"Program a CNC controller|{uri}",)
    # Only the labels change per language: another URI is refused, naming the language.
    path.write_text(text[:start] + f"skills:\n  nl:\n    - CNC-besturing programmeren|{uri}\n"
                    f"  en:\n    - Program a CNC controller|{uri}0\n" + text[end:], "utf-8")
    problems = _problems(content_dir)
    assert any("skills.en: must list the same skill URIs" in p for p in problems), problems
