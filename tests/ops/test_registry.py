"""`credpub registry-entry`: the issuer's entry for a wallet's issuer registry, from site.yml,
in DCC's registry.json shape and as OpenID Federation metadata; and the DCC entry, put in a
registry.json, turns verifier-core's (the Learner Credential Wallet's) "unknown issuer" into a
known one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from credpub.cli import main
from credpub.ops.registry import entry_for

from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "issuer"
DID = "did:web:fijnmech.github.io:certificaten"


def test_the_dcc_entry_is_keyed_by_the_did_and_holds_name_location_and_url():
    assert entry_for(GOLDEN / "content") == {
        DID: {"name": "Stichting Fijnmechanica Oost", "location": "Netherlands", "url": "https://fijnmech.github.io/"}}


def test_the_federation_entry_carries_the_logo_as_published():
    entry = entry_for(GOLDEN / "content", "oidf")
    assert entry == {"sub": DID, "metadata": {"federation_entity": {
        "organization_name": "Stichting Fijnmechanica Oost", "homepage_uri": "https://fijnmech.github.io/",
        "logo_uri": "https://fijnmech.github.io/certificaten/assets/logo.svg", "location": "Netherlands"}}}
    # the logo the entry names is the one the build publishes and the credentials name
    assert (GOLDEN / "site" / "assets" / "logo.svg").is_file()
    cred = json.loads(next((GOLDEN / "site" / "s").glob("*/credential.json")).read_text())
    assert cred["issuer"]["image"]["id"] == entry["metadata"]["federation_entity"]["logo_uri"]
    assert cred["issuer"]["id"] == DID


def test_the_command_prints_json_only_on_stdout(tmp_path):
    result = CliRunner().invoke(main, ["registry-entry", "--content", str(GOLDEN / "content")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == entry_for(GOLDEN / "content")
    assert 'inside "registry" in registry.json' in result.stderr


def test_the_command_names_a_missing_site_yml(tmp_path):
    result = CliRunner().invoke(main, ["registry-entry", "--content", str(tmp_path)])
    assert result.exit_code == 1
    assert "site.yml: missing" in result.stderr and "Traceback" not in result.output


def _node_ready() -> Path:
    js = REPO / "verifier-js"
    if shutil.which("node") is None or not (js / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node or verifier-js/node_modules is missing: `make test` runs npm ci first")
        pytest.skip("node and verifier-js/node_modules are needed for the verifier-core check")
    return js


def test_verifier_core_knows_the_issuer_from_a_registry_holding_the_entry(tmp_path):
    js = _node_ready()
    site = GOLDEN / "site"
    cred = next(p for p in sorted(site.glob("s/*/credential.json")))
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps({"meta": {"created": "2026-01-01T00:00:00+00:00", "updated": "2026-01-01T00:00:00+00:00"},
                                    "registry": entry_for(GOLDEN / "content")}))
    runs = {}
    for name, extra in (("without", []), ("with", [str(registry)])):
        proc = subprocess.run(["node", "test-support/wallet-check.js", str(site), str(cred), *extra], cwd=js,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs[name] = json.loads(proc.stdout)["credentials"][0]["steps"]
    assert runs["without"]["registered_issuer"]["valid"] is False
    known = runs["with"]["registered_issuer"]
    assert known["valid"] is True and known["uncheckedRegistries"] == []
    assert [m["issuer"]["federation_entity"] for m in known["matchingIssuers"]] == [
        {"organization_name": "Stichting Fijnmechanica Oost", "homepage_uri": "https://fijnmech.github.io/", "location": "Netherlands"}]
    assert runs["with"]["valid_signature"]["valid"] is True
