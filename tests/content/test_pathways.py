"""Stackable pathways (pathways.py): automatic awards, dates, revocation that breaks a pathway,
the credential naming its components, pages, and file:line:field validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from credpub import clock
from credpub.build import pipeline
from credpub.cli import main
from credpub.verify import Resolver, verify_document
from credpub.content.validate import check_content

from tests.conftest import context

PATHWAY = "precision-metrology"


def _pathway_credentials(site: Path) -> dict[str, dict]:
    """learner_id → claim credential of the pathway."""
    out = {}
    for p in site.glob("c/*/credential.json"):
        c = json.loads(p.read_text())
        if c["credentialSubject"]["achievement"]["id"].endswith(f"/achievements/{PATHWAY}/"):
            ids = {i["identityType"]: i["identityHash"] for i in c["credentialSubject"]["identifier"]}
            out[ids["sisSourcedId"]] = c
    return out


def _status(site: Path, cred: dict) -> str:
    result = verify_document(cred, Resolver(site, offline=True))
    checks = {c.name: c.status for c in result.checks}
    assert checks["proof"] == "pass", result.checks
    return checks["status"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_demo_pathway_is_awarded_to_holders_of_two_components(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    creds = _pathway_credentials(site)
    # BP-2026-001: GD&T (2026-03-06) + dimensional (2026-04-17); BP-2026-002: dimensional + surface (2026-09-25)
    assert sorted(creds) == ["BP-2026-001", "BP-2026-002"]
    assert creds["BP-2026-001"]["validFrom"] == "2026-04-17T00:00:00Z"
    assert creds["BP-2026-002"]["validFrom"] == "2026-09-25T00:00:00Z"
    ach = creds["BP-2026-001"]["credentialSubject"]["achievement"]
    components = [a for a in ach["alignment"] if a.get("targetType") == "ceterms:Credential"]
    assert [a["targetCode"] for a in components] == ["dimensional-metrology", "surface-metrology", "gd-and-t-basics"]
    assert components[0]["targetUrl"].endswith("/achievements/dimensional-metrology/")
    assert "minstens 2 van" in ach["criteria"]["narrative"]  # the demo's default language, Dutch
    assert all(_status(site, c) == "pass" for c in creds.values())
    # pages: the pathway's page lists its components, a component's page its pathway
    component_page = (site / "achievements" / "surface-metrology" / "index.html").read_text()
    assert f'href="../../achievements/{PATHWAY}/"' in component_page and "Telt mee voor" in component_page  # Dutch first
    pathway_page = (site / "achievements" / PATHWAY / "index.html").read_text()
    assert 'href="../../achievements/gd-and-t-basics/"' in pathway_page and "minstens 2 van" in pathway_page


def test_pathway_awards_have_claim_and_share_pages_and_links(content_dir, keys, tmp_path, monkeypatch):
    site = tmp_path / "site"
    signed = pipeline.sign_content(context(content_dir, keys=keys))
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    mine = [s.planned for s in signed.awards if s.planned.award.achievement == PATHWAY]
    assert len(mine) == 2
    for p in mine:
        assert (site / p.claim_path / "index.html").is_file()
        share = (site / p.share_path / "index.html").read_text()
        assert "Precisiemeettechnicus" in share and p.award.name in share
    # emails go out like any award's (send --dry-run writes them)
    from credpub.mail.send import run_send

    report = run_send(context(content_dir, keys=keys), site_dir=site, journal=tmp_path / "j.jsonl", dry_run=tmp_path / "eml", env={"CREDPUB_SMTP_FROM": "credentials@bpes.example.org"})
    assert {(d.learner_id, d.achievement) for d in report.sent} >= {("BP-2026-001", PATHWAY), ("BP-2026-002", PATHWAY)}


def test_revoking_a_component_revokes_the_pathway_in_the_same_build(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    before = _pathway_credentials(site)["BP-2026-002"]
    runner = CliRunner()
    r = runner.invoke(main, ["revoke", "BP-2026-002", "surface-metrology", "--reason", "exam irregularity",
                             "--date", "2026-11-01", "--content", str(content_dir)])
    assert r.exit_code == 0, r.output
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    after = _pathway_credentials(site)
    assert after["BP-2026-002"]["id"] == before["id"]  # the same credential, now revoked
    assert _status(site, after["BP-2026-002"]) == "fail"
    assert _status(site, before) == "fail"  # the copy the learner downloaded earlier too
    assert _status(site, after["BP-2026-001"]) == "pass"
    share = next(p for p in site.glob("s/*/index.html") if "Jānis" in p.read_text() and "Precisiemeettechnicus" in p.read_text())
    assert "revoked" in share.read_text().lower()


def test_all_components_and_the_date_of_the_last_one(content_dir, keys, tmp_path):
    _edit(content_dir / "pathways" / f"{PATHWAY}.yml", "  min: 2\n  of:\n", "  all:\n")
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text() + "BP-2026-001,Aistė Jankauskienė,aiste.jankauskiene@example.lt,surface-metrology,2026-08-01,,,no\n")
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    creds = _pathway_credentials(site)
    assert sorted(creds) == ["BP-2026-001"]  # only she holds all three
    assert creds["BP-2026-001"]["validFrom"] == "2026-08-01T00:00:00Z"


@pytest.mark.parametrize("old, new, expected", [
    ("    - gd-and-t-basics\n", "    - gd-and-t-basic\n", "precision-metrology.yml:9: components: unknown achievement 'gd-and-t-basic'"),
    ("  min: 2\n", "  min: 4\n", "precision-metrology.yml:10: components.min: is 4, but the pathway lists only 3 components"),
    ("  min: 2\n", "  min: two\n", "components.min: must be a number"),
    ("    - gd-and-t-basics\n", "    - surface-metrology\n", "components.of: lists 'surface-metrology' twice"),
    ("components:\n  min: 2\n  of:\n", "components:\n  any:\n", "precision-metrology.yml:9: components: must be `all: [slug, …]`"),
    ("assessment:\n", "colour: red\nassessment:\n", "colour: unknown field"),
])
def test_pathway_validation_names_file_line_field(content_dir, old, new, expected):
    _edit(content_dir / "pathways" / f"{PATHWAY}.yml", old, new)
    _, errors = check_content(content_dir, clock.today())
    assert any(expected in str(e) for e in errors), [str(e) for e in errors]


def test_a_pathway_cannot_be_awarded_by_hand_or_share_a_slug(content_dir):
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text() + f"BP-2026-099,Ana,ana@example.org,{PATHWAY},2026-05-01,,,no\n")
    (content_dir / "pathways" / "surface-metrology.yml").write_text(
        (content_dir / "pathways" / f"{PATHWAY}.yml").read_text())
    errors = [str(e) for e in check_content(content_dir, clock.today())[1]]
    assert any("2026-spring.csv:17: achievement: 'precision-metrology' is a pathway" in e for e in errors), errors
    assert any("pathways/surface-metrology.yml:1: a pathway and an achievement are both named" in e for e in errors), errors


@pytest.mark.parametrize("component, layer", [("surface-metrology", "encrypted"), ("gd-and-t-basics", "passphrase")])
def test_a_pathway_weaker_than_a_component_layer_is_refused_naming_both_files(content_dir, component, layer):
    _edit(content_dir / "achievements" / f"{component}.yml", "claim_security: link", f"claim_security: {layer}")
    errors = [str(e) for e in check_content(content_dir, clock.today())[1]]
    expected = f"pathways/{PATHWAY}.yml:9: claim_security: is link, weaker than {layer} of its component {component!r}"
    assert any(expected in e and f"achievements/{component}.yml" in e for e in errors), errors
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1 and expected in result.output


@pytest.mark.parametrize("pathway_layer, ok", [("link", False), ("encrypted", True), ("passphrase", True)])
def test_a_pathway_at_least_as_strong_as_its_components_is_accepted(content_dir, pathway_layer, ok):
    _edit(content_dir / "achievements" / "surface-metrology.yml", "claim_security: link", "claim_security: encrypted")
    _edit(content_dir / "pathways" / f"{PATHWAY}.yml", "claim_security: link", f"claim_security: {pathway_layer}")
    errors = [e for e in check_content(content_dir, clock.today())[1] if e.field == "claim_security"]
    assert (errors == []) == ok, [str(e) for e in errors]


def _evidence_of(site: Path, learner_id: str) -> tuple[dict, dict]:
    """(claim, share) credential of a learner's pathway award, from the built site."""
    claim = _pathway_credentials(site)[learner_id]
    share = next(json.loads(p.read_text()) for p in site.glob("s/*/credential.json")
                 if json.loads(p.read_text())["credentialSubject"]["achievement"]["id"] == claim["credentialSubject"]["achievement"]["id"]
                 and json.loads(p.read_text())["validFrom"] == claim["validFrom"])
    return claim, share


def test_the_pathway_credential_names_the_learners_own_component_credentials(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    signed = pipeline.sign_content(context(content_dir, keys=keys))
    ids = {s.planned.award.key: s.credential["id"] for s in signed.awards}
    claim, share = _evidence_of(site, "BP-2026-001")
    # in the pathway's order: dimensional (2026-04-17), then GD&T (2026-03-06); she holds no surface-metrology
    assert claim["evidence"] == [
        {"id": ids[("BP-2026-001", "dimensional-metrology")], "type": ["Evidence"], "name": "Coördinatenmeettechniek voor maatvoering",
         "url": "https://baltic-precision.github.io/credentials/achievements/dimensional-metrology/", "awardedDate": "2026-04-17T00:00:00Z"},
        {"id": ids[("BP-2026-001", "gd-and-t-basics")], "type": ["Evidence"], "name": "Vorm- en plaatstoleranties, de basis",
         "url": "https://baltic-precision.github.io/credentials/achievements/gd-and-t-basics/", "awardedDate": "2026-03-06T00:00:00Z"},
    ]
    assert all(e["id"].startswith("urn:uuid:") for e in claim["evidence"])
    # the share credential: the same achievements and dates, not the ids of the private claim credentials
    assert share["evidence"] == [{k: v for k, v in e.items() if k != "id"} for e in claim["evidence"]]
    assert not any(e["id"] in json.dumps(share) for e in claim["evidence"])
    assert _status(site, claim) == "pass" and _status(site, share) == "pass"  # _status also asserts the proof


def test_the_signature_covers_the_component_evidence(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    claim, _ = _evidence_of(site, "BP-2026-002")
    claim["evidence"][0]["awardedDate"] = "2025-01-01T00:00:00Z"
    result = verify_document(claim, Resolver(site, offline=True))
    assert {c.name: c.status for c in result.checks}["proof"] == "fail"


def test_a_revoked_component_is_not_named_while_the_pathway_holds(content_dir, keys, tmp_path):
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text() + "BP-2026-001,Aistė Jankauskienė,aiste.jankauskiene@example.lt,surface-metrology,2026-08-01,,,no\n")
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    assert [e["url"].split("/")[-2] for e in _evidence_of(site, "BP-2026-001")[0]["evidence"]] == [
        "dimensional-metrology", "surface-metrology", "gd-and-t-basics"]
    r = CliRunner().invoke(main, ["revoke", "BP-2026-001", "surface-metrology", "--reason", "exam irregularity",
                                  "--date", "2026-11-01", "--content", str(content_dir)])
    assert r.exit_code == 0, r.output
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    claim, _ = _evidence_of(site, "BP-2026-001")
    assert [e["url"].split("/")[-2] for e in claim["evidence"]] == ["dimensional-metrology", "gd-and-t-basics"]
    assert _status(site, claim) == "pass"
