"""Key rotation (keys.py, did.py, `credpub keygen --rotate / --retire KEY --compromised`), end
to end with three verifiers: credpub's Python verifier, its JS verifier (verifier-js) and
Digital Bazaar's @digitalbazaar/vc."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from credpub.cli import main
from credpub.verify import Resolver, verify_document

from tests.conftest import REPO

JS = REPO / "verifier-js"
NODE_CHECK = """
import {checkSite} from './test-support/site-check.js';
const {rows} = await checkSite(process.env.CREDPUB_SITE);
console.log(JSON.stringify(rows.map((r) => ({path: r.path, db: r.db.verified === true, ours: r.ours.verified === true}))));
"""


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _share_credentials(site: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in site.glob("s/*/credential.json")}


def _js_verdicts(site: Path) -> dict[str, tuple[bool, bool]]:
    """path → (Digital Bazaar verified, credpub JS verified), for every credential of `site`."""
    if not (JS / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        if os.environ.get("CI"):
            pytest.fail("verifier-js/node_modules is missing: `make test` runs npm ci first")
        pytest.skip("run `npm ci` in verifier-js to enable the JS and Digital Bazaar checks")
    proc = subprocess.run(["node", "--input-type=module", "-e", NODE_CHECK], cwd=JS, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "CREDPUB_SITE": str(site)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"/".join(Path(r["path"]).parts[-3:-1]): (r["db"], r["ours"]) for r in rows}


def _with_old_copies(site: Path, old: dict[str, dict], dst: Path) -> Path:
    """The site plus the learners' earlier copies at s/old-<token>/ (what their wallets hold)."""
    shutil.copytree(site, dst)
    for token, cred in old.items():
        (dst / "s" / f"old-{token}").mkdir()
        (dst / "s" / f"old-{token}" / "credential.json").write_text(json.dumps(cred))
    return dst


def _python_verified(site: Path, cred: dict) -> bool:
    return verify_document(cred, Resolver(site, offline=True)).verified


def test_rotate_then_retire_compromised(content_dir, tmp_path, monkeypatch):
    for var in ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_KEY_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)
    keys, site = tmp_path / "keys", tmp_path / "site"
    _cli("keygen", "--keys", str(keys))
    _cli("build", "--content", str(content_dir), "--keys", str(keys), "--out", str(site))
    old = {t: c for t, c in _share_credentials(site).items() if "Dovydas" not in json.dumps(c, ensure_ascii=False)}
    old_vm = next(iter(old.values()))["proof"][0]["verificationMethod"]
    old_key = old_vm.split("#")[1]

    out = _cli("keygen", "--keys", str(keys), "--rotate")
    assert old_key in out
    assert (keys / "retired" / f"{old_key}.pem").is_file()  # the old private key is kept
    _cli("build", "--content", str(content_dir), "--keys", str(keys), "--out", str(site))
    did = json.loads((site / "did.json").read_text())
    new = _share_credentials(site)
    new_vm = next(iter(new.values()))["proof"][0]["verificationMethod"]
    assert new_vm != old_vm and {new_vm, old_vm} <= set(did["assertionMethod"])
    assert all(c["proof"][0]["verificationMethod"] == new_vm for c in new.values())

    both = _with_old_copies(site, old, tmp_path / "rotated")
    assert all(_python_verified(both, c) for c in old.values())
    verdicts = _js_verdicts(both)
    olds = {k: v for k, v in verdicts.items() if k.startswith("s/old-")}
    assert len(olds) == len(old) and all(db and ours for db, ours in olds.values()), olds

    # the old key leaks: retire it as compromised; the next build re-signs at the same URLs
    current = _cli("keygen", "--keys", str(keys), "--retire", old_key, "--compromised")
    assert "compromised" in current
    _cli("build", "--content", str(content_dir), "--keys", str(keys), "--out", str(site))
    did = json.loads((site / "did.json").read_text())
    assert old_vm not in did["assertionMethod"] and new_vm in did["assertionMethod"]
    resigned = _share_credentials(site)
    assert set(resigned) == set(new)  # same URLs
    assert all(c["proof"][0]["verificationMethod"] == new_vm for c in resigned.values())

    after = _with_old_copies(site, old, tmp_path / "compromised")
    assert not any(_python_verified(after, c) for c in old.values())
    verdicts = _js_verdicts(after)
    assert sum(k.startswith("s/old-") for k in verdicts) == len(old)
    for name, (db, ours) in verdicts.items():
        if name.startswith("s/old-"):
            assert not db and not ours, name  # signed with the compromised key: refused by all
        elif "Dovydas" not in (after / name / "credential.json").read_text():
            assert db and ours, name


def test_keygen_refuses_what_makes_no_sense(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDPUB_SIGNING_KEY", raising=False)
    keys = tmp_path / "keys"
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", str(keys), "--rotate"]).exit_code != 0  # nothing to rotate
    assert runner.invoke(main, ["keygen", "--keys", str(keys)]).exit_code == 0
    current = next(ln for ln in runner.invoke(main, ["keygen", "--keys", str(keys), "--rotate"]).output.splitlines()
                   if ln.startswith("new signing key:")).split(": ")[1]
    r = runner.invoke(main, ["keygen", "--keys", str(keys), "--retire", current, "--compromised"])
    assert r.exit_code != 0 and "current signing key" in r.output
    r = runner.invoke(main, ["keygen", "--keys", str(keys), "--compromised"])
    assert r.exit_code != 0 and "--retire" in r.output
    r = runner.invoke(main, ["keygen", "--keys", str(keys), "--retire", "z6MkNotAKey", "--compromised"])
    assert r.exit_code != 0 and "not a retired key" in r.output
