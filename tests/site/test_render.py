"""The site's pages (builder/credpub/render.py, theme/): golden files of a small fixture site,
privacy and security properties of every page, errors for bad content, and speed.

Regenerate the golden files after an intended change, and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/site/test_render.py
"""

from __future__ import annotations

import dataclasses
import shutil
import html.parser
import json
import os
import posixpath
import re
from pathlib import Path

import pytest
from markupsafe import escape

from credpub.content.assets import load_assets
from credpub.site import colours, render, templates
from credpub.site.csp import page_csp, served_csp
from credpub.errors import BuildError, ContentError

from tests.conftest import context

from tests.golden import fixture
from tests.site import loaded

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "site"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
#: What the golden files cover: every page credpub renders; not the JS bundle (verifier-js),
#: the verify page (its template is verifier-js'), binary images or the stylesheet.
GOLDEN_SKIP = re.compile(r"^(assets/|verify/)|\.png$")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("dist")
    (d / "credpub.js").write_text("/* the verifier bundle */\n")
    (d / "credpub-verify.css").write_text("/* verify page styles */\n")
    return d


@pytest.fixture(scope="module")
def signed():
    return loaded.signed()


@pytest.fixture(scope="module")
def site(signed, bundle) -> dict[str, bytes]:
    return render.render_site(signed, assets_js=bundle)


def pages(site) -> dict[str, str]:
    return {k: v.decode() for k, v in site.items() if k.endswith(".html")}


# ---------------------------------------------------------------- golden files

def test_golden(site):
    wanted = {k: v for k, v in site.items() if not GOLDEN_SKIP.search(k)}
    if UPDATE:
        for old in GOLDEN.rglob("*") if GOLDEN.exists() else ():
            if old.is_file() and old.relative_to(GOLDEN).as_posix() not in wanted:
                old.unlink()
        for rel, data in wanted.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    have = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(have) == sorted(wanted), "files differ: UPDATE_GOLDEN=1 pytest tests/site/test_render.py"
    for rel in wanted:
        assert wanted[rel].decode() == have[rel].decode(), f"{rel} differs from tests/golden/site/{rel}"


def test_deterministic(signed, bundle, site):
    assert render.render_site(signed, assets_js=bundle) == site
    assert render.render_site(loaded.signed(), assets_js=bundle) == site  # from a fresh load of the same content


def test_fast_templates_equal_plain_jinja(signed, site):
    r = render.SiteRenderer(signed)
    for sa in signed.awards:
        claim, share = r.render_award_slow(sa)
        assert site[sa.planned.claim_path + "index.html"].decode() == claim
        assert site[sa.planned.share_path + "index.html"].decode() == share


# ---------------------------------------------------------------- privacy and security

class Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._in: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "script":
            self._in = a
            self.scripts.append((a, ""))

    def handle_data(self, data):
        if self._in is not None:
            a, text = self.scripts[-1]
            self.scripts[-1] = (a, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def parse(text: str) -> Tags:
    t = Tags()
    t.feed(text)
    return t


def test_every_page_has_a_strict_csp_and_no_inline_code(site):
    for path, text in pages(site).items():
        t = parse(text)
        csp = [a["content"] for tag, a in t.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert len(csp) == 1, path
        assert "script-src 'self'" in csp[0] and "unsafe-inline" not in csp[0], path
        assert "default-src 'none'" in csp[0], path
        # the one choice of policy: what the page carries is what `credpub serve` sends with it
        assert csp[0] == page_csp(path), path
        assert served_csp(path.removesuffix("index.html")) == csp[0] + "; frame-ancestors 'none'", path
        for a, body in t.scripts:
            assert a.get("src") or a.get("type") == "application/json", f"{path}: inline script"
            if a.get("src"):
                assert not body.strip()
        for tag, a in t.tags:
            assert not any(k.startswith("on") for k in a), f"{path}: <{tag}> event handler attribute"
            assert "style" not in a, f"{path}: <{tag} style=…> (CSP style-src 'self')"
            assert not a.get("href", "").lower().startswith("javascript:"), path


def test_nothing_loads_from_outside_the_site(site):
    for path, text in pages(site).items():
        for tag, a in parse(text).tags:
            if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
                assert not re.match(r"^([a-z]+:)?//", a["src"]) or a["src"].startswith("data:"), f"{path}: {a['src']}"
            if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
                assert not re.match(r"^([a-z]+:)?//", a["href"]), f"{path}: {a['href']}"
    assert "@import" not in site["assets/credpub.css"].decode()
    assert not re.search(r"url\((?!\"?data:)", site["assets/credpub.css"].decode())


def test_claim_and_share_pages_are_private(site, signed):
    for sa in signed.awards:
        for p in (sa.planned.claim_path, sa.planned.share_path):
            t = parse(site[p + "index.html"].decode())
            metas = {a.get("name"): a.get("content") for tag, a in t.tags if tag == "meta" and a.get("name")}
            assert metas["robots"] == "noindex"
            assert metas["referrer"] == "no-referrer"
    robots = site["robots.txt"].decode()
    assert "Disallow: /certs/c/" in robots and "Disallow: /certs/s/" in robots
    assert "/c/" not in site["sitemap.xml"].decode() and "/s/" not in site["sitemap.xml"].decode()


def test_claim_page_holds_no_personal_data(site, signed):
    for sa in signed.awards:
        text = site[sa.planned.claim_path + "index.html"].decode()
        assert sa.planned.award.name not in text and sa.planned.award.email not in text
        assert len(text) < 2000  # a small shell: the card is drawn from credential.json


def test_encrypted_achievements_claim_page_names_nothing(signed, bundle):
    ach = {k: dataclasses.replace(a, claim_security="encrypted") for k, a in signed.plan.content.achievements.items()}
    content = dataclasses.replace(signed.plan.content, achievements=ach)
    awards = tuple(dataclasses.replace(sa, planned=dataclasses.replace(sa.planned, achievement=ach[sa.planned.achievement.slug]))
                   for sa in signed.awards)
    s = dataclasses.replace(signed, plan=dataclasses.replace(signed.plan, content=content), awards=awards)
    r = render.SiteRenderer(s)
    out = r.award_pages()
    for sa in awards:
        text = out[sa.planned.claim_path + "index.html"].decode()
        assert sa.planned.achievement.name not in text and '"layer":"encrypted"' in text
        share = out[sa.planned.share_path + "index.html"].decode()
        assert str(escape(sa.planned.award.name)) not in share and "Name withheld" in share
        assert (text, share) == r.render_award_slow(sa)


def test_links_resolve_inside_the_site(site, signed):
    files = set(site) | {"did.json", "status/1.json"}
    for sa in signed.awards:
        files |= {sa.planned.claim_path + "credential.json", sa.planned.share_path + "credential.json"}
    files |= {f"achievements/{slug}/achievement.json" for slug in signed.achievements}
    for path, text in pages(site).items():
        if path == "404.html":
            continue  # served at any depth: mkdocs gives it absolute links
        for tag, a in parse(text).tags:
            for attr in ("href", "src"):
                url = a.get(attr, "")
                if not url or re.match(r"^([a-z]+:|#|//)", url):
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), url.split("#")[0].split("?")[0]))
                if url.split("?")[0].split("#")[0].endswith("/") or target == ".":
                    target = posixpath.join(target, "index.html") if target != "." else "index.html"
                assert target in files, f"{path}: <{tag} {attr}={url!r}> → {target} is not in the site"


def test_absolute_urls_where_they_must_be(site, signed):
    sa = signed.awards[0]
    t = parse(site[sa.planned.share_path + "index.html"].decode())
    og = {a["property"]: a["content"] for tag, a in t.tags if tag == "meta" and a.get("property")}
    assert og["og:url"] == fixture.URL + sa.planned.share_path
    assert og["og:image"] == f"{fixture.URL}achievements/{sa.planned.achievement.slug}/badge.png"


def test_hostile_names_are_text_everywhere(site, signed):
    hostile = next(sa for sa in signed.awards if sa.planned.award.name == fixture.HOSTILE_NAME)
    for path, text in pages(site).items():
        t = parse(text)
        for tag, a in t.tags:
            assert tag not in ("iframe",), path
            assert not (tag == "img" and a.get("src") == "x"), path
        assert [a for a, _ in t.scripts if not a.get("src") and a.get("type") != "application/json"] == []
    share = site[hostile.planned.share_path + "index.html"].decode()
    assert "&lt;img src=x onerror=alert(1)&gt; &#34;Bob&#34; O&#39;Brien &lt;/script&gt; إيلان 👩‍🔧" in share \
        or "&lt;img src=x onerror=alert(1)&gt; &quot;Bob&quot; O&#x27;Brien &lt;/script&gt; إيلان 👩‍🔧" in share
    assert "&lt;b&gt;A+&lt;/b&gt;" in share  # the grade, too
    ach = site["achievements/hostile/index.html"].decode()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in ach and "&lt;iframe" in ach
    assert "<script>alert" not in site["achievements/hostile/badge.svg"].decode()


def test_verify_page_pins_the_issuers_documents(site, signed):
    t = parse(site["verify/index.html"].decode())
    blocks = [body for a, body in t.scripts if a.get("id") == "credpub-pinned"]
    assert len(blocks) == 1
    pinned = json.loads(blocks[0])
    assert pinned["did"] == {fixture.DID: signed.did_document}
    assert pinned["statusLists"][f"{fixture.URL}status/1.json"] == signed.status_lists[1]
    assert pinned["snapshotDate"] == signed.status_lists[1]["validFrom"]
    assert "</script" not in blocks[0]  # the status list's hostile value is escaped


def test_json_script_escapes_for_html():
    out = templates.json_script({"a": "</script><!-- & \u2028"})
    assert "<" not in out and ">" not in out and "&" not in out.replace("\\u0026", "")
    assert json.loads(str(out)) == {"a": "</script><!-- & \u2028"}


def test_colours_get_readable_text():
    css = colours.theme_css(fixture.site(theme=fixture.Theme(primary="#ffe066", accent="#000")))
    link = re.search(r"--link:(#[0-9a-f]{6})", css).group(1)
    assert colours.contrast(link, "#f5f7fa") >= 4.5
    assert "--on-brand:#111827" in css


@pytest.mark.parametrize("primary, accent", [("#ffe066", "#000000"), ("#0b4f6c", "#f2a541"), ("#767676", "#777777")])
def test_pages_and_mail_choose_text_colours_by_one_rule(primary, accent):
    from credpub.mail.message import colours as mail_colours

    theme = fixture.Theme(primary=primary, accent=accent)
    css = colours.theme_css(fixture.site(theme=theme))
    mail = mail_colours(theme)
    assert f"--on-brand:{mail['on_primary']};" in css
    for background, text in ((primary, mail["on_primary"]), (accent, mail["on_accent"])):
        assert text == colours.on_colour(background)
        assert colours.contrast(background, text) >= 4.5 or text == colours.DARK


# ---------------------------------------------------------------- bad content

def _asset_errors(site):
    errors = []
    load_assets(fixture.CONTENT, site, fixture.achievements(), errors)
    return errors


def test_logo_that_is_not_an_image(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(fixture.CONTENT, content)
    (content / "logo.png").write_text("I am text")
    site = fixture.site()
    errors = []
    site = dataclasses.replace(site, issuer=dataclasses.replace(site.issuer, logo=content / "logo.png"))
    load_assets(content, site, fixture.achievements(), errors)
    [e] = errors
    assert "is not an image" in e.message
    assert e.path == content / "logo.png" and e.field == "issuer.logo"


def test_missing_privacy_page():
    [e] = _asset_errors(fixture.site(privacy_page="nope.md"))
    assert "privacy terms page is missing" in e.message
    assert e.path.name == "nope.md"


def test_the_renderer_reads_no_content_file(signed, bundle, tmp_path):
    """Pages, logo and badges come with the content (loaded once): a renderer whose content
    folder has gone renders the same site (mkdocs reads the pages' Markdown itself)."""
    content = dataclasses.replace(signed.plan.content, root=tmp_path / "gone")
    moved = dataclasses.replace(signed, plan=dataclasses.replace(signed.plan, content=content))
    r = render.SiteRenderer(moved)
    assert r.assets(bundle) == render.SiteRenderer(signed).assets(bundle)
    assert r.achievement_files() == render.SiteRenderer(signed).achievement_files()
    assert r.award_pages() == render.SiteRenderer(signed).award_pages()


def test_missing_bundle_is_clear(signed, tmp_path):
    from credpub import paths

    with pytest.raises(BuildError, match="the browser bundle is missing") as e:
        render.render_site(signed, assets_js=tmp_path)
    assert str(tmp_path / "credpub.js") in str(e.value) and "npm ci && npm run build" in str(e.value)
    with pytest.raises(BuildError) as same:  # one error, one message, wherever the bundle is looked for
        paths.checked_js_bundle(tmp_path)
    assert str(same.value) == str(e.value)


# ---------------------------------------------------------------- mkdocs

def test_mkdocs_build_with_the_plugin_equals_credpub_build(content_dir, tmp_path):
    """`mkdocs build` with `plugins: [credpub]` gives the same site as `credpub build`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from credpub.credentials.keys import generate_keys, load_keys
    from credpub.build.pipeline import BuildOptions, build

    keys_dir = tmp_path / ".credpub"
    generate_keys(keys_dir, demo=True)
    build(context(content_dir, keys=load_keys(keys_dir)), BuildOptions(tmp_path / "credpub-site"))
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: ignored\ndocs_dir: content/pages\nsite_dir: mkdocs-site\nplugins:\n  - credpub\n")
    assert content_dir == tmp_path / "content"
    mkdocs_build(load_config(str(tmp_path / "mkdocs.yml")))

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    a, b = tree(tmp_path / "credpub-site"), tree(tmp_path / "mkdocs-site")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


# ---------------------------------------------------------------- size and speed

def test_per_award_pages_are_small(site, signed):
    plain = [sa for sa in signed.awards if sa.planned.achievement.slug != "hostile"]
    html_bytes = sum(len(site[sa.planned.claim_path + "index.html"]) + len(site[sa.planned.share_path + "index.html"])
                     for sa in plain)
    assert html_bytes / len(plain) < 6500  # + two credentials of ~4 KB each: under the 16 KB per award (SPEC)


def test_award_pages_render_fast(signed):
    """10,000 awards' pages in a few seconds at most: 2,000 here."""
    base = signed.awards[0]
    many = []
    for i in range(2000):
        p = dataclasses.replace(base.planned, claim_token=f"c{i:031d}", share_token=f"s{i:031d}",
                                award=dataclasses.replace(base.planned.award, name=f"Learner {i}"))
        many.append(dataclasses.replace(base, planned=p))
    r = render.SiteRenderer(dataclasses.replace(signed, awards=tuple(many)))
    out = r.award_pages()  # its speed is bench/bench_build.py's (render stage), not a test's
    assert len(out) == 4000
    # One template per achievement, filled per award: each page is its own award's, as plain Jinja makes it.
    assert len(r._fast) == 2
    for sa in (many[0], many[1234], many[-1]):
        claim, share = r.render_award_slow(sa)
        assert out[sa.planned.claim_path + "index.html"].decode() == claim
        assert out[sa.planned.share_path + "index.html"].decode() == share
        assert sa.planned.award.name in share and sa.planned.share_token in share
    assert len({out[sa.planned.share_path + "index.html"] for sa in many}) == len(many)


# ---------------------------------------------------------------- issuer page HTML

def test_page_html_is_cleaned_by_an_allow_list():
    from credpub.content import sanitize

    html = ('<h2 id="terms">Terms</h2><p class="x" style="color:red">a <a href="https://example.org/" '
            'target="_blank">link</a></p><form action="https://evil.example/"><input name="q"></form>'
            '<style>body{display:none}</style><img src="data:image/png;base64,AAAA" alt="d">'
            '<div class="admonition note"><p class="admonition-title">Note</p></div><!-- hidden -->')
    out = sanitize.page_html(html, Path("pages/x.md"))
    assert '<h2 id="terms">Terms</h2>' in out and '<a href="https://example.org/">link</a>' in out
    assert '<div class="admonition note">' in out
    for gone in ("style=", "<form", "<input", "<style", "display:none", "data:image", "target=", "hidden"):
        assert gone not in out, gone


@pytest.mark.parametrize("html, found", [
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta http-equiv>"),
    ("<img src=x onerror=alert(1)>", "onerror="),
    ('<a href="javascript:alert(1)">x</a>', "javascript: URL"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: URL"),
    ('<a href="\tjava\nscript:alert(1)">x</a>', "javascript: URL"),
    ("<script>alert(1)</script>", "<script>"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<svg><animate onbegin="alert(1)"/></svg>', "onbegin="),
])
def test_page_html_refuses_active_content_naming_the_file(html, found):
    from credpub.content import sanitize

    with pytest.raises(ContentError) as e:
        sanitize.page_html(f"<p>ok</p>{html}", Path("pages/privacy.md"))
    assert e.value.path == Path("pages/privacy.md") and found in e.value.message


def test_a_page_with_meta_refresh_fails_the_build_naming_the_file(signed, bundle, tmp_path):
    """The render stage refuses on its own too (the mkdocs plugin), not only `credpub check`."""
    import shutil

    root = tmp_path / "content"
    shutil.copytree(signed.plan.content.root, root)
    privacy = root / "pages" / "privacy.md"
    privacy.write_text(privacy.read_text("utf-8") + '\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n', "utf-8")
    [found] = [e for e in _load_errors(root) if e.path == privacy]
    assert "<meta http-equiv>" in found.message
    content = dataclasses.replace(signed.plan.content, root=root)
    moved = dataclasses.replace(signed, plan=dataclasses.replace(signed.plan, content=content))
    with pytest.raises(ContentError) as e:
        render.render_site(moved, assets_js=bundle)
    assert e.value.path == privacy and "<meta http-equiv>" in e.value.message


def _load_errors(root):
    errors = []
    load_assets(root, fixture.site(), fixture.achievements(), errors)
    return errors


# ---------------------------------------------------------------- _headers and robots.txt

def test_headers_file_for_a_project_site(site):
    text = site["_headers"].decode()
    rules: dict[str, dict[str, str]] = {}
    path = None
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            path = line
            rules[path] = {}
        else:
            name, value = line.strip().split(": ", 1)
            assert name not in rules[path]
            rules[path][name] = value
    assert rules["/certs/*"] == {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY",
                                 "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
    assert rules["/certs/c/*"] == rules["/certs/s/*"] == {"X-Robots-Tag": "noindex"}
    # Wallets fetch the claim credential (and verifiers the share credential) from other origins.
    for p in ("/certs/did.json", "/certs/.well-known/did.json", "/certs/status/*",
              "/certs/c/*/credential.json", "/certs/s/*/credential.json"):
        assert rules[p] == {"Access-Control-Allow-Origin": "*"}
    assert "must be at the root of what you publish" in text


def test_headers_and_robots_for_a_root_site():
    from credpub.site import hostfiles

    text = hostfiles.headers_file("https://credentials.example.org/")
    assert "\n/*\n" in text and "\n/c/*\n  X-Robots-Tag: noindex" in text and "\n/status/*\n" in text
    assert hostfiles.robots_txt("https://credentials.example.org/").startswith("User-agent: *\nDisallow: /c/\nDisallow: /s/\n")
    assert hostfiles.publish_notes("https://credentials.example.org/") == []
    notes = hostfiles.publish_notes("https://org.github.io/credentials/")
    assert "crawlers read only https://org.github.io/robots.txt (RFC 9309)" in notes[0]
    assert "_headers" in notes[1] and "/credentials/" in notes[1]
