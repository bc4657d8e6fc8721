"""Where things live in a built site is defined once: builder/credpub/data/layout.json, read by
credpub/layout.py (and verifier-js); no other module writes those paths by hand."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from credpub import layout
from credpub.credentials.did import did_web_from_url, did_web_to_url
from credpub.site import hostfiles

PACKAGE = Path(__file__).resolve().parent.parent / "builder" / "credpub"


def test_the_pages_and_files_of_an_award_and_an_achievement():
    assert layout.claim_page("tok") == "c/tok/"
    assert layout.share_page("tok") == "s/tok/"
    assert layout.credential_file(layout.claim_page("tok")) == "c/tok/credential.json"
    assert layout.credential_file("https://x.org/s/tok/") == "https://x.org/s/tok/credential.json"
    assert layout.achievement_page("web-basics") == "achievements/web-basics/"
    assert layout.achievement_file("web-basics") == "achievements/web-basics/achievement.json"
    assert layout.badge_png("web-basics") == "achievements/web-basics/badge.png"
    assert layout.badge_svg("web-basics") == "achievements/web-basics/badge.svg"
    assert layout.facts_file("web-basics") == "achievements/web-basics/facts.json"
    assert layout.status_list(1) == "status/1.json" and layout.status_list(12) == "status/12.json"
    assert (layout.VERIFY_PAGE, layout.CERTIFICATE_PAGE, layout.ASSETS) == ("verify/", "certificate/", "assets/")


def test_the_folders_are_the_prefixes_of_their_paths():
    assert layout.claim_page("t").startswith(layout.CLAIM_PAGES) and layout.CLAIM_PAGES == "c/"
    assert layout.share_page("t").startswith(layout.SHARE_PAGES) and layout.SHARE_PAGES == "s/"
    assert layout.achievement_page("a").startswith(layout.ACHIEVEMENT_PAGES)
    assert layout.status_list(3).startswith(layout.STATUS_LISTS) and layout.STATUS_LISTS == "status/"
    # The private folders are exactly the claim and share pages' folders.
    assert layout.PRIVATE_PREFIXES == (layout.CLAIM_PAGES, layout.SHARE_PAGES)
    assert layout.is_private(layout.credential_file(layout.claim_page("t")))
    assert layout.is_private(layout.share_page("t") + "index.html")
    assert not layout.is_private(layout.status_list(1)) and not layout.is_private(layout.VERIFY_PAGE)
    assert not layout.is_private("cs/") and not layout.is_private("assets/c/x")


def test_the_table_is_read_from_the_shared_data_folder():
    table = json.loads(layout.FILE.read_text(encoding="utf-8"))
    assert layout.FILE.parent.name == "data"
    assert table["claim_page"].replace("{token}", "x") == layout.claim_page("x")
    assert table["status_list"].replace("{n}", "7") == layout.status_list(7)
    assert tuple(table["private_prefixes"]) == layout.PRIVATE_PREFIXES


def test_the_did_document_path_follows_did_web():
    assert layout.did_document("https://org.github.io/certs/") == "did.json"
    assert layout.did_document("https://certs.example.org/") == ".well-known/did.json"
    assert layout.did_document("https://certs.example.org") == ".well-known/did.json"
    assert layout.DID_DOCUMENTS == ("did.json", ".well-known/did.json")
    for url in ("https://org.github.io/certs/", "https://certs.example.org/", "https://x.org/a/b/"):
        did, path = did_web_from_url(url)
        assert path == layout.did_document(url)
        assert did_web_to_url(did) == url + path  # the resolver finds what the build wrote


def test_the_one_language_rule():
    assert layout.language_variant("verify/", "en") == "verify/en/"
    assert layout.in_language("verify/", "en", "nl") == "verify/en/"
    assert layout.in_language("verify/", "nl", "nl") == "verify/"
    assert layout.in_language("certificate/", None) == "certificate/"
    assert layout.in_language(layout.achievement_page("a"), "de", "nl") == "achievements/a/de/"


def test_host_files_cover_the_private_and_public_folders():
    robots = hostfiles.robots_txt("https://org.github.io/certs/")
    for prefix in layout.PRIVATE_PREFIXES:
        assert f"Disallow: /certs/{prefix}\n" in robots
        # the credential files are open to other origins (wallets fetch them); their pages are not
        assert hostfiles.headers_for(layout.credential_file(prefix + "tok/")) == {**hostfiles.SECURITY, **hostfiles.NOINDEX, **hostfiles.CORS}
        assert hostfiles.headers_for(prefix + "tok/index.html") == {**hostfiles.SECURITY, **hostfiles.NOINDEX}
    for path in (*layout.DID_DOCUMENTS, layout.status_list(2)):
        assert hostfiles.headers_for(path) == {**hostfiles.SECURITY, **hostfiles.CORS}
    assert hostfiles.headers_for(layout.VERIFY_PAGE + "index.html") == hostfiles.SECURITY


# -- nobody else writes the paths

#: Path-like pieces of the layout (and a credential's midnight-UTC time), not preceded by a
#: letter, dot, slash or backslash, so "content/achievements/" or a regex's "\s/" are not paths.
_PATH = re.compile(r"(?:^|[^\w./\\-])(?:[cs]/|achievements/|status/|verify/|certificate/)"
                   r"|(?:credential|facts|did|achievement)\.json|badge\.(?:png|svg)|T00:00:00Z")
#: Prose that names a path for a person rather than building one (help texts, messages, examples).
_PROSE = ("did.json must list its current key", "add achievements/<slug>.yml", "(achievements/<slug>/)",
          "or did.json)", "(e.g. 2026-06-12T00:00:00Z)")
_OWNERS = {PACKAGE / "layout.py", PACKAGE / "dates.py"}


def hand_written_paths(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in code, docstrings aside, that spells a layout path."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):  # f-strings' literal parts are Constants too
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            if any(p in text for p in _PROSE):
                continue
            if any(_PATH.search(word) for word in text.split(" ")):
                found.append((node.lineno, text))
    return found


def test_the_detector_sees_hand_written_paths():
    source = '''
"""A docstring may say c/<token>/credential.json."""
a = f"c/{token}/"
b = site_url + "status/" + str(n) + ".json"
c = f"{page}credential.json"
d = f"{day}T00:00:00Z"
e = f"Disallow: {base}s/\\n"
ok = ("content/achievements/x.yml", r"[^\\s/?#]+", "facts")
'''
    assert sorted(line for line, _ in hand_written_paths(source)) == [3, 4, 5, 6, 7]


def test_no_module_but_layout_writes_the_layouts_paths():
    found = [f"{f.relative_to(PACKAGE)}:{line}: {text!r}" for f in sorted(PACKAGE.rglob("*.py")) if f not in _OWNERS
             for line, text in hand_written_paths(f.read_text(encoding="utf-8"))]
    assert found == []
