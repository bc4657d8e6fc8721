"""batch.py (`credpub verify SOURCE...`): many files, folders and URLs in one run — one row per
credential in the order given, other files in a folder passed over, the exit code (0 all
verified, 1 any not, 2 any unreadable), JSON lines, and the process pool giving the same rows as
one process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials import bake
from credpub.credentials.keys import Keys
from credpub.verify import batch

from tests.conftest import REPO, context


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from credpub.build.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("batch-site")
    shutil.copytree(REPO / "content", root / "content")
    f = root / "content" / "achievements" / "cnc-five-axis.yml"  # one encrypted claim layer
    f.write_text(f.read_text().replace("claim_security: link", "claim_security: encrypted"))
    build(context(root / "content", keys=Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)),
          BuildOptions(root / "site"))
    return root / "site"


def _shares(site: Path) -> list[Path]:
    return sorted((site / "s").glob("*/credential.json"))


def _revoked(site: Path, path: Path) -> bool:
    from credpub.credentials import statuslist

    doc = json.loads(path.read_text())
    entry = doc["credentialStatus"]
    lst = json.loads((site / "status" / entry["statusListCredential"].rsplit("/", 1)[1]).read_text())
    return statuslist.get_bit(statuslist.decode(lst["credentialSubject"]["encodedList"]), int(entry["statusListIndex"]))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "credpub", "verify", *args], capture_output=True, text=True, timeout=120)


def test_a_folder_gives_one_line_per_credential_in_order_and_passes_other_files_over(site):
    out = _cli(str(site), "--site", str(site))
    assert "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    plain = [p for p in sorted(site.rglob("credential.json")) if json.loads(p.read_text()).get("type") != "credpub-encrypted-claim"]
    encrypted = [p for p in sorted(site.rglob("credential.json")) if p not in plain]
    assert plain and encrypted
    rows = lines[:-1]
    assert len(rows) == len(plain) + len(encrypted)
    # in the order of the walk, each naming its file; the encrypted claims cannot be read
    named = [next(str(p) for p in plain + encrypted if str(p) in line) for line in rows]
    assert named == sorted(named, key=lambda s: [x for x in Path(s).relative_to(site).parts])
    for p in encrypted:
        line = next(x for x in rows if str(p) in x)
        assert line.startswith("! ERROR") and "encrypted claim" in line
    share = _shares(site)[0]
    doc = json.loads(share.read_text())
    line = next(x for x in rows if str(share) in x)
    assert doc["issuer"]["name"] in line and doc["credentialSubject"]["achievement"]["name"] in line
    revoked = next(p for p in _shares(site) if _revoked(site, p))
    assert "NOT VERIFIED" in next(x for x in rows if str(revoked) in x) and "status: revoked" in next(x for x in rows if str(revoked) in x)
    # did.json, the status lists, badge images and facts.json are not credentials: passed over, counted
    assert all("did.json" not in x and "/status/" not in x and "badge.png" not in x for x in rows)
    summary = lines[-1]
    assert summary.startswith(f"{len(rows)} credentials: ") and "other files passed over (not credentials)" in summary
    assert f"{len(encrypted)} could not be read" in summary
    assert out.returncode == 2  # some could not be read (the encrypted claims)


def test_json_lines_one_object_per_credential_and_exit_1_when_one_is_revoked(site):
    shares = _shares(site)
    out = _cli(*map(str, shares), "--site", str(site), "--json")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["source"] for r in rows] == [str(p) for p in shares]
    for r, p in zip(rows, shares):
        doc = json.loads(p.read_text())
        assert [c["name"] for c in r["checks"]] == ["format", "proof", "issuer", "dates", "status"]
        assert r["issuer"] == doc["issuer"]["id"] and r["issuer_name"] == doc["issuer"]["name"]
        assert r["achievement"] == doc["credentialSubject"]["achievement"]["name"]
        names = [i for i in doc["credentialSubject"]["identifier"] if i["identityType"] == "name"]
        assert r["learner"] == next((i["identityHash"] for i in names if i["hashed"] is False), "")  # only if shown
        assert r["verified"] is (not _revoked(site, p)) and r["issued_by_site"] is True
    assert any(r["learner"] for r in rows) and any(not r["learner"] for r in rows)
    assert any(not r["verified"] for r in rows)
    assert out.returncode == 1
    assert out.stderr.startswith(f"{len(rows)} credentials: ")  # the summary, off the JSON lines


def test_exit_0_when_all_verify_and_2_when_any_cannot_be_read(site, tmp_path):
    good = [str(p) for p in _shares(site) if not _revoked(site, p)][:3]
    assert _cli(*good, "--site", str(site)).returncode == 0
    broken = tmp_path / "broken.json"
    broken.write_text("[" * 100_000)
    out = _cli(*good, str(broken), str(tmp_path / "missing.json"), "--site", str(site))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    errors = [x for x in out.stdout.splitlines() if x.startswith("! ERROR")]
    assert len(errors) == 2 and str(broken) in errors[0] and "missing.json" in errors[1]
    assert out.stdout.count("✓ VERIFIED") == 3


def test_a_baked_image_in_a_folder_is_verified_a_plain_one_passed_over_a_named_one_judged(site, tmp_path):
    share = _shares(site)[0]
    png = next((site / "achievements").glob("*/badge.png"))
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "baked.png").write_bytes(bake.bake(png.read_bytes(), share.read_bytes()))
    shutil.copy(png, folder / "plain.png")
    shutil.copy(site / "did.json", folder / "did.json")
    rows = list(batch.verify_all(batch.expand([str(folder)]), site_dir=site, offline=False, workers=1))
    by_name = {Path(r["source"]).name: r for r in rows}
    assert by_name["baked.png"]["verified"] is True and by_name["baked.png"]["learner"]
    assert by_name["plain.png"]["skipped"] == bake.NOTHING_BAKED and by_name["did.json"]["skipped"]
    assert batch.exit_code(rows) == 0
    # named on the command line, a file is always judged: a DID document is not a credential
    named = list(batch.verify_all(batch.expand([str(folder / "did.json"), str(folder / "plain.png")]),
                                  site_dir=site, offline=False, workers=1))
    assert named[0]["verified"] is False and "error" in named[1] and batch.exit_code(named) == 2


def test_a_folder_with_no_credentials_is_exit_2(tmp_path):
    (tmp_path / "notes.json").write_text('{"hello": "world"}')
    out = _cli(str(tmp_path), "--offline")
    assert out.returncode == 2 and out.stdout.strip() == f"no credentials found in {tmp_path}"


def test_the_pool_gives_the_rows_one_process_gives(site, monkeypatch):
    monkeypatch.setattr(batch, "MIN_PER_WORKER", 1)
    items = batch.expand([str(site / "s"), str(site / "c")])
    alone = list(batch.verify_all(items, site_dir=site, offline=False, workers=1))
    pooled = list(batch.verify_all(items, site_dir=site, offline=False, workers=2))
    assert pooled == alone and len(alone) == len(items) > 2


def test_hostile_text_in_a_row_cannot_paint_the_terminal(site, tmp_path):
    doc = json.loads(_shares(site)[0].read_text())
    doc["issuer"]["name"] = "\x1b[2K\r\x1b[32m✓ VERIFIED\x1b[0m"
    f = tmp_path / "hostile.json"
    f.write_text(json.dumps(doc))
    out = _cli(str(f), str(_shares(site)[1]), "--site", str(site))
    assert "\x1b" not in out.stdout and "\r" not in out.stdout and out.returncode == 1


def test_a_page_url_is_verified_beside_files(site):
    """A share page's URL (its credential sits beside it), here read from the local build."""
    share = _shares(site)[0]
    base = "https://baltic-precision.github.io/credentials/"
    url = base + share.parent.relative_to(site).as_posix() + "/"
    rows = list(batch.verify_all(batch.expand([url, str(share)]), site_dir=site, offline=False, workers=1))
    assert rows[0]["source"] == url
    assert {k: v for k, v in rows[0].items() if k != "source"} == {k: v for k, v in rows[1].items() if k != "source"}
    assert "error" not in rows[0] and rows[0]["checks"][1]["status"] == "pass"


def test_each_credential_of_a_batch_has_its_own_fetch_budget(site):
    """One credential's fetches (a slow or endless host) cannot spend the next one's: the
    budget is per verification, as for a single `credpub verify`; the cache is shared."""
    from credpub.credentials.dataintegrity import Canonicalizer
    from credpub.verify.fetch import Budget

    state = batch._Worker(batch._CachingResolver(site), Canonicalizer.offline(), batch.clock.now())
    state.resolver.budget = Budget(state.resolver.budget.limits, requests=10_000)  # spent by an earlier one
    row = batch.verify_item(batch.Item(str(_shares(site)[0])), state)
    assert row["verified"] is True, row
    assert state.resolver.budget.requests < 10_000
