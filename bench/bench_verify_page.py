"""Benchmark: 100 credentials picked at once on the verify page, in Debian's Chromium (headless)
with the CPU slowed 4× through the DevTools protocol (Emulation.setCPUThrottlingRate: a
phone-class budget), against `credpub serve` on 127.0.0.1.

The credentials are generated: one link claim of the demo site, signed again 100 times with a
different learner name each (same issuer key, same status list). Measured in the page, from the
file input's change event to the summary line ("100 of 100 verified"). Target: ≤ 5 s.

    python bench/bench_verify_page.py [--count 100] [--runs 5] [--rate 4]
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import sync_playwright

from credpub import clock
from credpub.build import pipeline
from credpub.context import BuildContext
from credpub.credentials.dataintegrity import sign
from credpub.credentials.keys import Keys
from credpub.site.chromium import CHROMIUM_ARGS, chromium_path
from credpub.site.serve import serve_in_thread

REPO = Path(__file__).resolve().parent.parent
KEYS = Keys(Ed25519PrivateKey.from_private_bytes(bytes(32)), b"\x07" * 32)

#: In the page: the time of the file input's change event, and of the summary line's text.
WATCH = """() => {
    window.__bench = {};
    document.getElementById('cpv-file').addEventListener('change', () => { window.__bench.start = performance.now(); }, true);
    new MutationObserver(() => {
      if (document.getElementById('cpv-batch-summary').textContent) window.__bench.end = performance.now();
    }).observe(document.getElementById('cpv-batch-summary'), {childList: true, characterData: true, subtree: true});
}"""


def generate(site: Path, claim_path: str, count: int, out: Path) -> list[str]:
    """`count` credentials: the claim credential with a new learner name each, signed again."""
    cred = json.loads((site / claim_path / "credential.json").read_text())
    proof = cred["proof"][0] if isinstance(cred["proof"], list) else cred["proof"]
    paths = []
    for i in range(count):
        c = copy.deepcopy({k: v for k, v in cred.items() if k != "proof"})
        c["credentialSubject"]["identifier"][0]["identityHash"] = f"Learner {i:03d}"
        signed = sign(c, KEYS.signing_key, verification_method=proof["verificationMethod"], created=proof["created"])
        path = out / f"credential-{i:03d}.json"
        path.write_text(json.dumps(signed))
        paths.append(str(path))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rate", type=float, default=4, help="CPU slow-down factor (1 = none)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(REPO / "content", content)
        site = Path(tmp) / "site"
        ctx = BuildContext(today=clock.today(), content_dir=content, keys=KEYS)
        awards = pipeline.build(ctx, pipeline.BuildOptions(site)).plan.awards
        link = next(p for p in awards if p.achievement.claim_security == "link" and not p.revocation)
        files = Path(tmp) / "files"
        files.mkdir()
        paths = generate(site, link.claim_path, args.count, files)
        server, base = serve_in_thread(site)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                times = []
                for _ in range(args.runs):
                    # A fresh page each run: nothing cached from the run before but the browser's HTTP cache.
                    context = browser.new_context()
                    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.rate})
                    page.goto(f"{base}verify/en/")  # the English page: its summary line is checked below
                    page.wait_for_timeout(1000)  # the page's idle warm-up of the contexts, as a visitor's
                    page.evaluate(WATCH)
                    page.set_input_files("#cpv-file", paths)
                    summary = page.locator("#cpv-batch-summary")
                    summary.wait_for(state="visible", timeout=120000)
                    page.wait_for_function("() => window.__bench.end", timeout=120000)
                    text = summary.inner_text()
                    if text != f"{args.count} of {args.count} verified":
                        raise SystemExit(f"not all verified: {text!r}")
                    times.append(page.evaluate("() => window.__bench.end - window.__bench.start"))
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    med = statistics.median(times)
    print(f"{args.count} credentials on the verify page, CPU ×{args.rate:g} slower: median {med / 1000:.2f} s "
          f"(min {min(times) / 1000:.2f}, max {max(times) / 1000:.2f}, n={len(times)}; "
          f"{med / args.count:.0f} ms each)   target ≤ 5 s")


if __name__ == "__main__":
    main()
