"""The README's pictures: what a graduate gets from the demo issuer — the claim page, the share
page and the verify page — at desktop and phone width, into docs/screenshots/.

Run as `make -o .venv/.installed screenshots` (or `.venv/bin/python docs/make_screenshots.py`).
The demo content is built with a fixed test key into a temporary folder, served on 127.0.0.1 and
photographed in headless Chromium (Debian's /usr/bin/chromium, as tests/browser does); every
request that leaves the local site is aborted and fails the run. The PNGs are re-encoded at zlib's
highest level (pypng, already a dependency), so a rerun gives small files.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

import png as pypng
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import clock, paths
from credpub.build.pipeline import BuildOptions, build, plan_content
from credpub.context import BuildContext
from credpub.credentials.keys import Keys
from credpub.site.chromium import CHROMIUM_ARGS, chromium_path
from credpub.site.serve import serve_in_thread

OUT = Path(__file__).resolve().parent / "screenshots"
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}
#: an English-speaking graduate of the (Dutch-first) demo: English claim page and email
GRADUATE = ("BP-2026-003", "dimensional-metrology")
KEYS = Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32, demo=True)


def _optimise(data: bytes) -> bytes:
    """The same pixels, RGB (screenshots have no transparency), deflated at level 9."""
    w, h, rows, info = pypng.Reader(bytes=data).asRGBA8()
    rgb = [bytes(b for i, b in enumerate(row) if i % 4 != 3) for row in rows]
    out = io.BytesIO()
    pypng.Writer(w, h, greyscale=False, alpha=False, compression=zlib.Z_BEST_COMPRESSION).write(out, rgb)
    smaller = out.getvalue()
    return smaller if len(smaller) < len(data) else data


def _build(tmp: Path) -> tuple[Path, object]:
    content = tmp / "content"
    shutil.copytree(paths.demo_content_dir(), content)
    ctx = BuildContext(today=clock.today(), content_dir=content, keys_dir=None, keys=KEYS)
    site = tmp / "site"
    build(ctx, BuildOptions(site))
    award = next(p for p in plan_content(ctx).awards if (p.award.learner_id, p.achievement.slug) == GRADUATE)
    return site, award


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    if chromium is None:
        print("no Chromium: apt-get install chromium (or set CREDPUB_CHROMIUM)", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    outside: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        site, award = _build(Path(tmp))
        server, base = serve_in_thread(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for kind, (width, height) in WIDTHS.items():
                    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                              reduced_motion="reduce")

                    def route(r):
                        if r.request.url.startswith((base, "data:", "blob:")):
                            r.continue_()
                        else:
                            outside.append(r.request.url)
                            r.abort()

                    ctx.route("**/*", route)
                    page = ctx.new_page()
                    shots = {}
                    # The claim page: the graduate agrees to the terms, the card is drawn and checked.
                    page.goto(base + award.claim_link)
                    page.click("#agree")
                    page.wait_for_selector("#status[data-state=verified]", timeout=15000)
                    shots["claim"] = page.screenshot()
                    # The share page an employer opens, switched to English.
                    page.goto(f"{base}{award.share_path}")
                    page.wait_for_selector("#status[data-state=verified]", timeout=15000)
                    page.click(".lang-switch button[data-lang=en]")
                    page.wait_for_selector("html[lang=en]")
                    shots["share"] = page.screenshot()
                    # The verify page, given the share link.
                    page.goto(f"{base}verify/en/?url={base}{award.share_path}")
                    page.wait_for_selector("#cpv-result:not([hidden])", timeout=15000)
                    page.wait_for_function("document.querySelector('#cpv-verdict-text').textContent.length > 0")
                    page.evaluate("scrollTo(0, document.getElementById('cpv-result').getBoundingClientRect().top + scrollY - 24)")
                    page.wait_for_load_state("networkidle")  # the card's badge image
                    shots["verify"] = page.screenshot()
                    for name, data in shots.items():
                        path = OUT / f"{name}-{kind}.png"
                        path.write_bytes(_optimise(data))
                        print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size / 1000:.0f} KB")
                    ctx.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    if outside:
        print(f"requests left the local site: {outside}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
