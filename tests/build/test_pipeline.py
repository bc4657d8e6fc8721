"""pipeline.py end to end: a full build of the demo issuer, deterministic and atomic; its
credentials validate against the OB 3.0 schema and verify; secrets never reach site/."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from credpub.build import pipeline
from credpub.credentials import statuslist
from credpub.cli import main
from credpub.errors import ContentErrors, KeyMaterialError
from credpub.content.load import STATUS_LOCK_FILE
from credpub.verify import Resolver, verify_document

from tests.conftest import REPO, context, shared


@pytest.fixture
def built(content_dir, keys, tmp_path):
    out = tmp_path / "site"
    report = pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    return out, report, content_dir


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_layout(built):
    out, report, _ = built
    assert report.awards == 30  # 28 from the CSVs, 2 of the precision-metrology pathway
    assert (out / "did.json").is_file() and (out / "status" / "1.json").is_file() and (out / "index.html").is_file()
    for slug in ("dimensional-metrology", "cnc-five-axis", "surface-metrology", "gd-and-t-basics"):
        assert (out / "achievements" / slug / "achievement.json").is_file()
    assert len(list(out.glob("c/*/credential.json"))) == 30
    assert len(list(out.glob("s/*/credential.json"))) == 30


def test_every_credential_verifies_and_the_revoked_one_is_revoked(built):
    out, _, _ = built
    resolver = Resolver(out, offline=True)
    revoked = []
    for path in sorted(out.glob("[cs]/*/credential.json")):
        result = verify_document(json.loads(path.read_text()), resolver)
        checks = {c.name: c for c in result.checks}
        assert checks["proof"].status == "pass" and checks["issuer"].status == "pass", (path, result.checks)
        if checks["status"].status == "fail":
            revoked.append(json.loads(path.read_text()))
        else:
            assert result.verified, (path, result.checks)
    assert len(revoked) == 2  # the claim and share credential of the one revocation
    assert all(r["credentialSubject"]["identifier"][0]["identityHash"] == "Dovydas Petrauskas" for r in revoked)


def test_credentials_validate_against_the_ob30_schema(built):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared("ob-v3p0-schema", "gh-pages_docs_schema_achievementcredential.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    out, _, _ = built
    for path in sorted(out.glob("[cs]/*/credential.json")):
        errors = sorted(validator.iter_errors(json.loads(path.read_text())), key=str)
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_credential_shape(built):
    out, _, _ = built
    cred = json.loads(next(out.glob("c/*/credential.json")).read_text())
    assert cred["@context"] == ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert cred["issuer"]["id"] == "did:web:baltic-precision.github.io:credentials"
    assert cred["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"
    assert cred["credentialSubject"]["achievement"]["id"].startswith("https://baltic-precision.github.io/credentials/achievements/")
    assert isinstance(cred["proof"], list) and isinstance(cred["credentialSchema"], list)
    status = cred["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and isinstance(status["statusListIndex"], str)
    did = json.loads((out / "did.json").read_text())
    assert cred["proof"][0]["verificationMethod"] in did["assertionMethod"]


def test_share_credential_has_no_private_fields(built):
    out, _, content = built
    for path in out.glob("s/*/credential.json"):
        text = path.read_text()
        cred = json.loads(text)
        kinds = [i["identityType"] for i in cred["credentialSubject"]["identifier"]]
        assert kinds == ["name"]
        assert "@" not in "".join(i["identityHash"] for i in cred["credentialSubject"]["identifier"])
        assert "BP-2026-" not in text
        # evidence: only a pathway's components, without ids (the evidence URL and the component
        # claim credentials' ids stay in the claim credential)
        assert all(set(e) == {"type", "name", "url", "awardedDate"} and "/achievements/" in e["url"]
                   for e in cred.get("evidence", []))
    graded_public = [json.loads(p.read_text()) for p in out.glob("s/*/credential.json")]
    assert any("result" in c["credentialSubject"] for c in graded_public)  # share_grade: yes
    names_with_grade = {c["credentialSubject"]["identifier"][0]["identityHash"] for c in graded_public if "result" in c["credentialSubject"]}
    assert "Jānis Bērziņš" not in names_with_grade  # share_grade: no


def test_deterministic(content_dir, keys, tmp_path):
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "a"))
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "b"))
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_failed_build_leaves_the_previous_site_untouched(content_dir, keys, tmp_path, monkeypatch):
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    before = _tree(out)
    # A failure injected in the middle of writing the new site (write.write_site)…
    real = Path.write_bytes
    calls = {"n": 0}

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 40:
            raise OSError("disk full (injected)")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    (content_dir / "awards" / "2026-autumn.csv").write_text(
        (content_dir / "awards" / "2026-autumn.csv").read_text() + "BP-2026-099,New Person,new@example.org,gd-and-t-basics,2026-11-01,,,no\n")
    with pytest.raises(OSError, match="injected"):
        pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    monkeypatch.setattr(Path, "write_bytes", real)
    assert _tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")], "temporary folders left behind"


def test_bad_content_leaves_the_previous_site_untouched(content_dir, keys, tmp_path):
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    before = _tree(out)
    (content_dir / "site.yml").write_text((content_dir / "site.yml").read_text().replace("https://baltic", "http://baltic", 1))
    with pytest.raises(ContentErrors):
        pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    assert _tree(out) == before


def test_status_indexes_are_stable_when_awards_come_and_go(content_dir, keys, tmp_path):
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    lock = json.loads((content_dir / STATUS_LOCK_FILE).read_text())["entries"]
    assert len(lock) == 30 and len(set(lock.values())) == 30

    def index_of(learner):
        for p in out.glob("c/*/credential.json"):
            c = json.loads(p.read_text())
            if any(i["identityHash"] == learner for i in c["credentialSubject"]["identifier"]):
                return c["credentialStatus"]["statusListIndex"]

    before = index_of("BP-2026-021")
    spring = content_dir / "awards" / "2026-spring.csv"
    lines = spring.read_text().splitlines(keepends=True)
    spring.write_text("".join(lines[:1] + lines[3:]) + "BP-2026-100,Alba Ruiz,alba@example.es,cnc-five-axis,2026-11-02,,,no\n")
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    assert index_of("BP-2026-021") == before
    lock2 = json.loads((content_dir / STATUS_LOCK_FILE).read_text())["entries"]
    assert all(lock2[k] == v for k, v in lock.items())  # removed awards keep their index reserved
    assert len(set(lock2.values())) == len(lock2)


def test_status_list_size_and_bits(built):
    out, _, _ = built
    sl = json.loads((out / "status" / "1.json").read_text())
    bits = statuslist.decode(sl["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == statuslist.LIST_SIZE == 131072
    assert sum(bin(b).count("1") for b in bits) == 1


def test_tokens_are_long_url_safe_and_stable(built, content_dir, keys, tmp_path):
    out, _, _ = built
    tokens = [p.parent.name for p in out.glob("[cs]/*/credential.json")]
    assert len(set(tokens)) == 60
    for t in tokens:
        assert len(t) >= 22 and all(c.isalnum() or c in "-_" for c in t)  # ≥128 bits in base64url
    other = tmp_path / "other"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(other))
    assert sorted(p.parent.name for p in other.glob("[cs]/*/credential.json")) == sorted(tokens)


def test_no_secret_reaches_the_site(built, keys):
    out, _, content = built
    secret_hex = keys.site_secret.hex()
    from cryptography.hazmat.primitives import serialization

    seed = keys.signing_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    for path, data in _tree(out).items():
        assert secret_hex.encode() not in data and seed not in data and seed.hex().encode() not in data, path
        assert b"PRIVATE KEY" not in data, path
    emails = [line.split(",")[2] for f in (content / "awards").glob("*.csv") for line in f.read_text().splitlines()[1:]]
    for path, data in _tree(out).items():
        for email in emails:
            assert email.encode() not in data, f"{email} in {path}"


def test_missing_key_is_a_clear_error(content_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("CREDPUB_SIGNING_KEY", raising=False)
    with pytest.raises(KeyMaterialError, match="credpub keygen"):
        pipeline.build(context(content_dir, keys_dir=tmp_path / "nokeys"), pipeline.BuildOptions(tmp_path / "site"))
    assert not (tmp_path / "site").exists()


def test_cli_build_and_links(content_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", "k"]).exit_code == 0
    again = runner.invoke(main, ["keygen", "--keys", "k"])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--keys", "k", "--out", "site"])
    assert result.exit_code == 0, result.output
    assert "built 30 awards" in result.output
    links = runner.invoke(main, ["links", "--content", str(content_dir), "--keys", "k", "--csv"])
    rows = links.output.strip().splitlines()
    assert rows[0] == "learner_id,achievement,name,email,claim_url,share_url,passphrase" and len(rows) == 31
    claim_url = rows[1].split(",")[4]
    token = claim_url.rstrip("/").rsplit("/", 1)[1]
    assert (tmp_path / "site" / "c" / token / "credential.json").is_file()
    verify = runner.invoke(main, ["verify", str(tmp_path / "site" / "c" / token / "credential.json"), "--site", "site", "--json"])
    assert json.loads(verify.output)["verified"] is True and verify.exit_code == 0
    bad = runner.invoke(main, ["verify", "does-not-exist.json"])
    assert bad.exit_code == 2
    share_url = rows[1].split(",")[5]
    by_url = runner.invoke(main, ["verify", share_url, "--site", "site"])  # resolved in the local build
    assert by_url.exit_code == 0 and "VERIFIED" in by_url.output, by_url.output
    offline = runner.invoke(main, ["verify", str(tmp_path / "site" / "c" / token / "credential.json"), "--offline", "--json"])
    assert offline.exit_code == 1 and json.loads(offline.output)["verified"] is False


def test_root_domain_site_serves_well_known_did(content_dir, keys, tmp_path):
    site = content_dir / "site.yml"
    site.write_text(site.read_text().replace("https://baltic-precision.github.io/credentials/", "https://credentials.bpes.example.org/"))
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    doc = json.loads((out / ".well-known" / "did.json").read_text())
    assert doc["id"] == "did:web:credentials.bpes.example.org"


def test_jcs_site_builds_and_verifies(content_dir, keys, tmp_path):
    site = content_dir / "site.yml"
    site.write_text(site.read_text().replace("cryptosuite: eddsa-rdfc-2022", "cryptosuite: eddsa-jcs-2022"))
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    cred = json.loads(next(out.glob("c/*/credential.json")).read_text())
    assert cred["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"
    assert verify_document(cred, Resolver(out, offline=True)).verified


def test_independent_verification_with_digital_bazaars_stack(built, tmp_path):
    """Every credential of the demo build verifies with @digitalbazaar/vc (node, offline loader)."""
    out, _, content = built
    js = REPO / "verifier-js"
    if not (js / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        if os.environ.get("CI"):
            pytest.fail("verifier-js/node_modules is missing: `make test` runs npm ci first")
        pytest.skip("run `npm ci` in verifier-js to enable the independent check")
    revoked = [json.loads(p.read_text())["id"] for p in out.glob("[cs]/*/credential.json")
               if "Dovydas" in p.read_text()]
    env = {**os.environ, "CREDPUB_SITE": str(out), "CREDPUB_EXPECT_REVOKED": ",".join(revoked)}
    proc = subprocess.run(["node", "--test", "test/independent.test.js"], cwd=js, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "# pass 2" in proc.stdout and "# skipped 0" in proc.stdout, proc.stdout[-2000:]


def test_cli_build_with_relative_paths(content_dir, monkeypatch):
    """`credpub build` in an issuer's folder: ./content, ./site, ./.credpub."""
    monkeypatch.chdir(content_dir.parent)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen"]).exit_code == 0
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (content_dir.parent / "site" / "index.html").is_file()


def test_cli_bake_then_verify_the_image(built, tmp_path):
    """`credpub bake` a credential into the badge PNG and SVG; `credpub verify` reads it back."""
    out, _, _ = built
    cred = next(out.glob("c/*/credential.json"))
    slug = json.loads(cred.read_text())["credentialSubject"]["achievement"]["id"].rstrip("/").rsplit("/", 1)[1]
    runner = CliRunner()
    for kind in ("png", "svg"):
        baked = tmp_path / f"baked.{kind}"
        r = runner.invoke(main, ["bake", str(cred), str(out / "achievements" / slug / f"badge.{kind}"), str(baked)])
        assert r.exit_code == 0, r.output
        v = runner.invoke(main, ["verify", str(baked), "--site", str(out), "--json"])
        assert v.exit_code == 0 and json.loads(v.output)["verified"] is True, v.output
    plain = tmp_path / "plain.png"
    plain.write_bytes((out / "achievements" / slug / "badge.png").read_bytes())
    r = runner.invoke(main, ["verify", str(plain), "--json"])
    assert r.exit_code == 2 and "credential" in json.loads(r.output)["error"]


# ---------------------------------------------------------------- dates

FUTURE_ROW = "BP-2027-001,Future Person,future.person@example.org,dimensional-metrology,2026-12-15,A,,no\n"


def _status_dates(site: Path) -> list[str]:
    return [json.loads(p.read_text())["validFrom"] for p in sorted((site / "status").glob("*.json"))]


def test_an_award_dated_after_the_build_day_is_held_back_until_then(content_dir, keys, tmp_path, monkeypatch):
    import datetime as dt

    from credpub import clock
    from credpub.build.plan import token

    with (content_dir / "awards" / "2026-autumn.csv").open("a", encoding="utf-8") as f:
        f.write(FUTURE_ROW)
    share = token(keys.site_secret, "share", "BP-2027-001", "dimensional-metrology")
    claim = token(keys.site_secret, "claim", "BP-2027-001", "dimensional-metrology")
    before, on = dt.date(2026, 12, 1), dt.date(2026, 12, 15)

    out = tmp_path / "site"
    report = pipeline.build(context(content_dir, keys=keys, today=before), pipeline.BuildOptions(out))
    assert not (out / "s" / share).exists() and not (out / "c" / claim).exists()  # not built
    assert report.awards == 30 and report.scheduled == 1
    assert "1 scheduled for later dates held back" in report.summary(out)
    assert all(d <= "2026-12-01T00:00:00Z" for d in _status_dates(out))
    dated = _status_dates(out)
    for p in (out / "c").glob("*/credential.json"):  # nothing published is "not yet valid"
        doc = json.loads(p.read_text())
        assert "validFrom" not in doc or doc["validFrom"] <= "2026-12-01T00:00:00Z"

    monkeypatch.setattr(clock, "today", lambda: before)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--content", str(content_dir)])
    assert checked.exit_code == 0, checked.output
    assert "(1 scheduled)" in checked.output
    assert "2026-12-15  BP-2027-001 / dimensional-metrology  (" in checked.output and "2026-autumn.csv:" in checked.output
    the_plan = pipeline.plan_content(context(content_dir, keys=keys, today=before))
    assert "BP-2027-001" not in {p.award.learner_id for p in the_plan.awards}  # not linked, not emailed
    assert [a.learner_id for a in the_plan.scheduled] == ["BP-2027-001"]

    from credpub.mail.send import run_send  # not emailed: the dry run writes no message for it

    eml = tmp_path / "eml"
    sent = run_send(context(content_dir, keys=keys), site_dir=out, journal=tmp_path / "journal.jsonl", dry_run=eml, env={})
    assert sent.ok and "future.person@example.org" not in "".join(p.read_text("utf-8", "replace") for p in eml.rglob("*.eml"))

    report = pipeline.build(context(content_dir, keys=keys, today=on), pipeline.BuildOptions(out))  # the scheduled build publishes it
    assert report.awards == 31 and report.scheduled == 0
    doc = json.loads((out / "c" / claim / "credential.json").read_text())
    assert doc["validFrom"] == "2026-12-15T00:00:00Z"
    assert _status_dates(out) == dated  # a new award sets no bit: the list keeps the day its bits last changed
    that_day = dt.datetime(2026, 12, 15, 9, tzinfo=dt.timezone.utc)  # the verifier on the day of that build
    assert verify_document(doc, Resolver(out, offline=True), now=that_day).verified
    revoked = token(keys.site_secret, "share", "BP-2026-010", "cnc-five-axis")
    for p in sorted((out / "s").glob("*/credential.json")):  # every other credential still verifies
        result = verify_document(json.loads(p.read_text()), Resolver(out, offline=True), now=that_day)
        assert result.verified == (p.parent.name != revoked), (p, result.as_dict())


def test_links_do_not_list_scheduled_awards(content_dir, tmp_path, monkeypatch):
    import datetime as dt

    from credpub import clock

    with (content_dir / "awards" / "2026-autumn.csv").open("a", encoding="utf-8") as f:
        f.write(FUTURE_ROW)
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 1))
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", str(tmp_path / "k")]).exit_code == 0
    result = runner.invoke(main, ["links", "--content", str(content_dir), "--keys", str(tmp_path / "k"), "--csv"])
    assert result.exit_code == 0, result.output
    assert "Future Person" not in result.stdout and len(result.stdout.strip().splitlines()) == 31
    assert "1 awards dated after today (2026-12-01, UTC) are held back" in result.output
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 15))
    later = runner.invoke(main, ["links", "--content", str(content_dir), "--keys", str(tmp_path / "k"), "--csv"])
    assert "Future Person" in later.stdout


def test_status_list_is_never_dated_after_the_build_day(content_dir, keys):
    """Even from content that skipped validation (a revocation dated after the build day): a list
    is dated by its bits' change, at most the build day."""
    import datetime as dt

    from credpub.content.load import load_content
    from credpub.build.plan import make_plan
    from credpub.build.sign import sign_all

    with (content_dir / "revocations.yml").open("a", encoding="utf-8") as f:
        f.write("- learner_id: BP-2026-001\n  achievement: dimensional-metrology\n  reason: x\n  date: 2026-12-15\n")
    content, _ = load_content(content_dir)
    the_plan = make_plan(content, keys, dt.date(2026, 12, 1))
    assert [c["validFrom"] for c in sign_all(the_plan, keys).status_lists.values()] == ["2026-12-01T00:00:00Z"]


def test_a_revocation_dated_in_the_future_is_refused(content_dir, monkeypatch):
    import datetime as dt

    from credpub import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 1))
    runner = CliRunner()
    before = (content_dir / "revocations.yml").read_text()
    result = runner.invoke(main, ["revoke", "BP-2026-001", "dimensional-metrology", "--reason", "x",
                                  "--date", "2026-12-15", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert "revocations.yml: date: revocation date 2026-12-15 is in the future (today is 2026-12-01, UTC)" in result.output
    assert (content_dir / "revocations.yml").read_text() == before
    bad = runner.invoke(main, ["revoke", "BP-2026-001", "dimensional-metrology", "--reason", "x",
                               "--date", "2026-13-01", "--content", str(content_dir)])
    assert bad.exit_code == 2 and "--date must be YYYY-MM-DD" in bad.output and "Traceback" not in bad.output
    today = runner.invoke(main, ["revoke", "BP-2026-001", "dimensional-metrology", "--reason", "x",
                                 "--content", str(content_dir)])  # default: today, accepted
    assert today.exit_code == 0 and "as of 2026-12-01" in today.output
    _edit_file(content_dir / "revocations.yml", "date: 2026-12-01", "date: 2026-12-15")
    checked = runner.invoke(main, ["check", "--content", str(content_dir)])
    assert checked.exit_code == 1
    assert "revocations.yml:7: date: revocation date 2026-12-15 is in the future" in checked.output
    with pytest.raises(ContentErrors, match="is in the future"):
        pipeline.build(context(content_dir, today=dt.date(2026, 12, 1)), pipeline.BuildOptions(content_dir.parent / "site"))


def _edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


# ---------------------------------------------------------------- serve, _headers, robots

def test_serve_sends_the_headers_of_the_headers_file(built):
    import urllib.request

    from credpub.site.serve import serve_in_thread

    out, _report, _content = built
    server, base = serve_in_thread(out)
    try:
        token = next((out / "c").iterdir()).name
        for prefix in ("", "credentials/"):  # the site also answers under its published path
            with urllib.request.urlopen(f"{base}{prefix}c/{token}/") as r:
                assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
                assert r.headers["X-Frame-Options"] == "DENY"
                assert r.headers["Referrer-Policy"] == "no-referrer"
                assert r.headers["X-Robots-Tag"] == "noindex"
            with urllib.request.urlopen(f"{base}{prefix}c/{token}/credential.json") as r:
                assert r.headers["X-Robots-Tag"] == "noindex"
                # as a wallet fetches it: JSON, from any origin
                assert r.headers["Content-Type"] == "application/json"
                assert r.headers["Access-Control-Allow-Origin"] == "*"
        with urllib.request.urlopen(f"{base}verify/") as r:
            assert "connect-src 'self' https:" in r.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
            assert r.headers["X-Robots-Tag"] is None
        with urllib.request.urlopen(f"{base}status/1.json") as r:
            assert r.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        server.shutdown()
        server.server_close()
    headers = (out / "_headers").read_text()
    assert "/credentials/c/*\n  X-Robots-Tag: noindex" in headers and "/credentials/s/*\n  X-Robots-Tag: noindex" in headers


def test_build_says_where_robots_txt_and_headers_must_go_for_a_project_site(content_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", "k"]).exit_code == 0
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--keys", "k", "--out", "site"])
    assert result.exit_code == 0, result.output
    assert ("note: robots.txt is written at /credentials/robots.txt, but crawlers read only "
            "https://baltic-precision.github.io/robots.txt (RFC 9309)") in result.output
    assert "note: _headers (Netlify, Cloudflare Pages) has rules for /credentials/" in result.output
    _edit_file(content_dir / "site.yml", "url: https://baltic-precision.github.io/credentials/", "url: https://credentials.bpes.example.org/")
    root = runner.invoke(main, ["build", "--content", str(content_dir), "--keys", "k", "--out", "site"])
    assert root.exit_code == 0 and "note:" not in root.output


def test_serve_prints_its_url_and_local_claim_links(content_dir, keys, tmp_path):
    """`credpub serve --links` in a real process: the URL, "Ctrl+C to stop", and a claim link per
    graduate on this server (with its #k= key for encrypted claims) that opens the claim page."""
    import re
    import sys
    import urllib.request

    _edit_file(content_dir / "achievements" / "cnc-five-axis.yml", "claim_security: link", "claim_security: encrypted")
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", str(tmp_path / "k")]).exit_code == 0
    built = runner.invoke(main, ["build", "--content", str(content_dir), "--keys", str(tmp_path / "k"), "--out", str(tmp_path / "site")])
    assert built.exit_code == 0, built.output
    proc = subprocess.Popen(
        [sys.executable, "-m", "credpub", "serve", "--dir", str(tmp_path / "site"), "--port", "0", "--links",
         "--content", str(content_dir), "--keys", str(tmp_path / "k")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl+C to stop" in line:
                break
        text = "".join(lines)
        m = re.search(r"^Serving .* on (http://127\.0\.0\.1:(\d+)/credentials/) ", text, re.M)
        assert m, text
        base = m.group(1)
        links = re.findall(r"^    (http://127\.0\.0\.1:\d+/credentials/c/[\w-]+/(?:#k=[\w-]+)?)$", text, re.M)
        assert len(links) == 30, text
        assert any("#k=" in link for link in links) and any("#k=" not in link for link in links)
        assert "Press Ctrl+C to stop." in text
        for link in (links[0], next(link for link in links if "#k=" in link)):
            assert link.startswith(base)
            with urllib.request.urlopen(link.split("#")[0]) as r:
                assert r.status == 200 and b'data-page="claim"' in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
