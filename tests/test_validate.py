"""load.py + validate.py (`credpub check`): each bad input names file, line and field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from credpub.cli import main
from credpub.validate import check


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _problems(content_dir):
    _, errors = check(content_dir)
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
    ("achievements/cnc-five-axis.yml", "claim_security: link", "claim_security: carrier-pigeon", "cnc-five-axis.yml:49: claim_security: must be one of link, encrypted, passphrase"),
    ("achievements/cnc-five-axis.yml", "ects: 4\n", "", "cnc-five-axis.yml:1: ects: is required"),
    ("achievements/cnc-five-axis.yml", "eqf_level: 5", "eqf_level: 11", "eqf_level: must be between 1 and 8"),
    ("achievements/cnc-five-axis.yml", "participation: onsite", "participation: telepathy", "participation: must be one of online, onsite, blended"),
    ("achievements/dimensional-metrology.yml", "valid_for: P3Y", "valid_for: 3 years", "valid_for: must be an ISO 8601 duration"),
    (CSV, ROW, ROW.replace("dimensional-metrology", "dimensional-metrolgy"), "2026-spring.csv:6: achievement: unknown achievement 'dimensional-metrolgy'; did you mean 'dimensional-metrology'?"),
    (CSV, ROW, ROW.replace("juergen.mueller@example.de", "juergen.mueller@"), "2026-spring.csv:6: email: is not a valid email address"),
    (CSV, ROW, ROW.replace("2026-04-17", "2026-02-30"), "2026-spring.csv:6: issued_on: '2026-02-30' is not a real date"),
    (CSV, ROW, ROW.replace("2026-04-17", "17/04/2026"), "2026-spring.csv:6: issued_on: must be a date as YYYY-MM-DD"),
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
    content, errors = check(content_dir)
    assert errors == []
    assert any(a.name == hostile for a in content.awards)


def test_revoke_command_records_a_revocation(content_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["revoke", "BP-2026-003", "dimensional-metrology", "--reason", 'Plagiarism: "copied" report',
                                  "--date", "2026-11-01", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    content, errors = check(content_dir)
    assert errors == []
    r = next(r for r in content.revocations if r.learner_id == "BP-2026-003")
    assert r.reason == 'Plagiarism: "copied" report' and str(r.date) == "2026-11-01"
    again = runner.invoke(main, ["revoke", "BP-2026-003", "dimensional-metrology", "--reason", "x", "--content", str(content_dir)])
    assert again.exit_code == 1 and "already revoked" in again.output
    unknown = runner.invoke(main, ["revoke", "NOBODY", "dimensional-metrology", "--reason", "x", "--content", str(content_dir)])
    assert unknown.exit_code == 1 and "no award" in unknown.output


def test_linkedin_organization_id(content_dir, keys, tmp_path):
    """Issue 9, point 14: optional; a number (the issuer's LinkedIn page), else a clear error;
    pages get it in their site data, for the "Add to LinkedIn" link's organizationId."""
    site = content_dir / "site.yml"
    _edit(site, "  country: NL\n", "  country: NL\n  linkedin_organization_id: linkedin.com/company/bpes\n")
    assert any("site.yml:10: issuer.linkedin_organization_id: must be the number of the issuer's LinkedIn page" in p
               for p in _problems(content_dir))
    _edit(site, "linkedin_organization_id: linkedin.com/company/bpes", "linkedin_organization_id: 12345678")
    assert _problems(content_dir) == []
    from credpub.pipeline import build

    build(content_dir, tmp_path / "site", keys=keys)
    verify = (tmp_path / "site" / "verify" / "index.html").read_text("utf-8")
    assert '"linkedin_organization_id":"12345678"' in verify
