"""`credpub build --pdf DIR`: one certificate PDF per award, printed by Chromium through
Playwright from the site's own certificate page — the same A4 sheet a
graduate prints from the browser, QR code included.

Needs the `playwright` package and a Chromium (chromium.py says which).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from credpub import csvsafe, layout
from credpub.site.chromium import CHROMIUM_ARGS, chromium_path
from credpub.errors import BuildError
from credpub.site.serve import serve_in_thread


def _slug(text: str, limit: int = 40) -> str:
    """File-name safe, letters of any script kept (李明 stays 李明; accents are dropped)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "-", plain).strip("-_").lower()[:limit] or "x"


def _awards(site_dir: Path) -> list[tuple[str, dict]]:
    out = []
    for d in sorted((site_dir / layout.SHARE_PAGES).iterdir()) if (site_dir / layout.SHARE_PAGES).is_dir() else ():
        f = d / layout.CREDENTIAL_FILE
        if f.is_file():
            out.append((d.name, json.loads(f.read_bytes())))
    return out


def pdf_name(token: str, cred: dict) -> str:
    subject = cred.get("credentialSubject") or {}
    name = next((i.get("identityHash", "") for i in subject.get("identifier", [])
                 if i.get("identityType") == "name" and not i.get("hashed")), "")
    slug = str((subject.get("achievement") or {}).get("id", "")).rstrip("/").rsplit("/", 1)[-1]
    return f"{_slug(slug)}-{_slug(name)}-{token[:8]}.pdf"


def write_pdfs(site_dir: Path, out_dir: Path, *, credentials: dict[str, bytes] | None = None,
               languages: dict[str, str] | None = None, timeout_ms: int = 15000) -> int:
    """Print every award's certificate into `out_dir`; returns how many PDFs were written.
    `out_dir/index.csv` maps each PDF to its share page (revoked awards get none).

    `credentials` (share token → private credential JSON, e.g. from `Signed.awards`) prints
    from the graduate's own credential, as the claim page does; without it, from the share
    credential — which, for encrypted claims, has no readable name, so those get no PDF.
    `languages` (share token → a language other than the site's default) prints from that
    language's certificate page, certificate/<lang>/."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError("--pdf needs Playwright: pip install playwright") from None
    site_dir, out_dir = Path(site_dir), Path(out_dir)
    awards = _awards(site_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    server, base = serve_in_thread(site_dir)
    written = 0
    rows = []
    try:
        with sync_playwright() as p:
            exe = chromium_path()
            browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS) if exe else p.chromium.launch()
            page = browser.new_page()
            # Nothing but the local site: the certificate needs nothing else.
            page.route(re.compile(r"^(?!" + re.escape(base) + ")"), lambda route: route.abort())
            for token, cred in awards:
                private = (credentials or {}).get(token)
                if private is not None:  # the certificate page reads it as after a claim
                    page.goto(f"{base}{layout.CERTIFICATE_PAGE}")
                    page.evaluate("([k, v]) => sessionStorage.setItem(k, v)",
                                  [f"credpub.credential.{token}", private.decode("utf-8")])
                    cred = json.loads(private)
                page.goto("about:blank")  # a new document each time, not a same-page hash change
                lang = (languages or {}).get(token)
                page.goto(f"{base}{layout.in_language(layout.CERTIFICATE_PAGE, lang)}#s={token}")
                page.wait_for_selector("body[data-ready]", timeout=timeout_ms)
                state = page.get_attribute("body", "data-ready")
                name = pdf_name(token, cred)
                if private is not None:
                    page.evaluate("(k) => sessionStorage.removeItem(k)", f"credpub.credential.{token}")
                if state in ("revoked", "invalid", "error"):
                    rows.append((token, cred.get("id", ""), "", state))
                    continue
                page.pdf(path=str(out_dir / name), format="A4", print_background=True,
                         margin={"top": "0", "right": "0", "bottom": "0", "left": "0"}, prefer_css_page_size=True)
                rows.append((token, cred.get("id", ""), name, state))
                written += 1
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    with (out_dir / "index.csv").open("w", newline="", encoding="utf-8") as f:
        w = csvsafe.writer(f)
        w.writerow(["share_token", "share_credential", "pdf", "status"])
        w.writerows(rows)
    return written
