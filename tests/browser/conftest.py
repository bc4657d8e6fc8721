"""Shared by the browser tests: a site built from the demo content (plus layers 2 and 3, a
hostile name and a revocation), served by `credpub serve` on 127.0.0.1, and Debian's Chromium
with a guard that aborts — and fails the test on — any request that leaves the site."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials.keys import Keys
from credpub.site.chromium import CHROMIUM_ARGS, chromium_path
from credpub.site.serve import serve_in_thread

from ..conftest import REPO, english_first

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = chromium_path()
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 375}
HOSTILE = '<img src=x onerror=alert(1)> "Bob" O\'Brien </script> إيلان 👩‍🔧'
#: The longest strings a page meets: a Dutch compound as achievement name,
#: learner name and grade, on a link award of its own (BP-LONG, achievement `long-words`).
LONG_WORD = "Coördinatenmeetmachinekalibratie"
LONG_TITLE = f"{LONG_WORD}smeetonzekerheidsbegrotingsvaardigheden voor Precisietechnici"
LONG_NAME = f"Maximiliaan {LONG_WORD}-Wolfeschlegelsteinhausenbergerdorff"
LINKEDIN_ORG = "12345678"
ARGS = CHROMIUM_ARGS

if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


# ---------------------------------------------------------------- the site and the browser

KEYS = Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)
PASSPHRASE = "lemon-tree-orbit-42"


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The demo content, plus a hostile name and the longest strings (LONG_*); cnc-five-axis
    `encrypted`, surface-metrology `passphrase` (claim security layers 2 and 3); a LinkedIn
    organisation id."""
    root = tmp_path_factory.mktemp("browser")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    for slug, layer in (("cnc-five-axis", "encrypted"), ("surface-metrology", "passphrase")):
        f = content / "achievements" / f"{slug}.yml"
        f.write_text(f.read_text().replace("claim_security: link", f"claim_security: {layer}"))
    # the pathway over surface-metrology: at least as strong as its components
    pw = content / "pathways" / "precision-metrology.yml"
    pw.write_text(pw.read_text().replace("claim_security: link", "claim_security: passphrase"))
    awards = content / "awards" / "2026-autumn.csv"
    with awards.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("passphrase")
    for row in rows[1:]:
        row.append(PASSPHRASE if row[3] == "surface-metrology" else "")
    rows.append(["BP-HOSTILE", HOSTILE, "bob@example.org", "dimensional-metrology", "2026-10-09", "<b>A+</b>", "", "yes", "", ""])
    rows.append(["BP-LONG", LONG_NAME, "long@example.org", "long-words", "2026-10-09", LONG_WORD, "", "yes", "", ""])
    with awards.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    long_yml = (content / "achievements" / "dimensional-metrology.yml").read_text(encoding="utf-8")
    long_yml = long_yml.replace("  nl: Coördinatenmeettechniek voor maatvoering\n", f"  nl: {LONG_TITLE}\n")
    long_yml = long_yml.replace("  en: Dimensional Metrology with Coordinate Measuring Machines\n", f"  en: {LONG_TITLE}\n")
    long_yml = long_yml.replace("  nl: Basiskennis technisch tekenen", f"  nl: {LONG_WORD}, basiskennis technisch tekenen")
    long_yml = long_yml.replace("  en: Basic technical drawing", f"  en: {LONG_WORD}, basic technical drawing")
    (content / "achievements" / "long-words.yml").write_text(long_yml, encoding="utf-8")
    site_yml = content / "site.yml"
    # English first here (these tests read the English texts); the demo itself is Dutch first,
    # and tests/browser/test_languages_browser.py drives both languages.
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "  country: NL\n", f"  country: NL\n  linkedin_organization_id: {LINKEDIN_ORG}\n").replace(
        "languages: [nl, en]", "languages: [en, nl]"), encoding="utf-8")
    english_first(content)  # the English pages become the plain ones too
    with (content / "revocations.yml").open("a", encoding="utf-8") as f:  # a revoked link claim too
        f.write("- learner_id: BP-2026-002\n  achievement: dimensional-metrology\n  reason: Issued in error (wrong exam session)\n  date: 2026-10-01\n")
    return content


@pytest.fixture(scope="module")
def site(content) -> Path:
    from credpub.build.pipeline import BuildOptions, build

    from tests.conftest import context

    out = content.parent / "site"
    build(context(content, keys=KEYS), BuildOptions(out))
    return out


@pytest.fixture(scope="module")
def base(site):
    server, url = serve_in_thread(site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Guard:
    """Aborts every request that is not to the local site, and remembers it; collects CSP
    violations, page errors and dialogs (a hostile name that ran would open one)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.problems: list[str] = []

    def attach(self, context) -> None:
        def route(r):
            url = r.request.url
            if url.startswith(self.base) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()
        context.route("**/*", route)
        context.on("page", self.watch)

    def watch(self, page) -> None:
        page.on("console", lambda m: "Content Security Policy" in m.text and self.problems.append(f"CSP: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))

    def check(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.problems == [], self.problems


@pytest.fixture
def new_page(browser, base):
    contexts = []
    guard = Guard(base)

    def make(width: int = 1280, *, bypass_csp: bool = False):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True,
                                  bypass_csp=bypass_csp)
        guard.attach(ctx)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
    guard.check()


@pytest.fixture(scope="module")
def awards(site, content) -> list[dict]:
    """Each award as planned (tokens, key fragment, passphrase) and, for link claims, the
    private credential as published."""
    from credpub.build.pipeline import plan_content

    from tests.conftest import context

    out = []
    for p in plan_content(context(content, keys=KEYS)).awards:
        a = {"claim": p.claim_token, "share": p.share_token, "name": p.award.name, "slug": p.achievement.slug,
             "security": p.achievement.claim_security, "fragment": p.claim_fragment, "passphrase": p.passphrase,
             "learner_id": p.award.learner_id}
        if a["security"] == "link":
            a["raw"] = (site / p.claim_path / "credential.json").read_bytes()
            a["cred"] = json.loads(a["raw"])
        out.append(a)
    return out


@pytest.fixture(scope="module")
def plain(awards):
    return next(a for a in awards if a["name"] == "Aistė Jankauskienė")


@pytest.fixture(scope="module")
def hostile(awards):
    return next(a for a in awards if a["name"] == HOSTILE)




@pytest.fixture(scope="module")
def long(awards):
    return next(a for a in awards if a["name"] == LONG_NAME)
