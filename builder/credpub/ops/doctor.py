"""`credpub doctor URL`: check a published site as a verifier would.

Fetches only below the URL given — never anything else, not even what a document points to
elsewhere. `site_url` is the address the site was built for (site.yml `url`); it defaults to
URL, and differs only when checking a copy (a staging host, `credpub serve`): links to
site_url are then read from URL.

Checks: the site answers; did.json at the did:web address, with the current key; every status
list signed and current; a sample share credential verifying (with its status); claim and
share pages kept out of search engines; no secrets, plain CSVs or status lock published; CORS
on did.json and the status lists. Returns findings; the CLI prints them.

Whatever the host does, a run ends: every request has a deadline, every response a size cap,
the run a number of requests and a time of its own (verify/fetch.py; DOCTOR_LIMITS). What a
host returns is untrusted: JSON that is not an object, or fields of the wrong kind, are failed
checks, never a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from credpub import clock
from credpub import layout
from credpub.credentials.did import did_web_from_url
from credpub.content.roster import roster_suffix
from credpub.errors import UsageError
from credpub.credentials.keys import Keys
from credpub.ops.publish import PRIVATE_NAMES
from credpub.rules import loads
from credpub.verify import Resolver, Result, Unavailable, verify_document
from credpub.verify import fetch as http
from credpub.verify.values import as_list

#: A site of millions of awards has a handful of lists (131,072 entries each): a host answering
#: every status/<n> is stopped here.
MAX_STATUS_LISTS = 64
#: A doctor run makes more requests than one verification (probes, pages, every status list),
#: in the same time (verifier.json "fetch" runSeconds).
DOCTOR_LIMITS = http.Limits(max_requests=80 + 2 * MAX_STATUS_LISTS)
#: Paths a careless publish would expose (relative to the site): keys, the lock, plain content.
PROBES = (
    *(f".credpub/{n}" for n in PRIVATE_NAMES if n != "status-lock.json"),
    "status-lock.json", "content/status-lock.json", "content/site.yml", "content/awards/awards.csv",
    ".git/config", ".git/HEAD",
)


@dataclass
class Finding:
    name: str
    status: str  # pass | fail | warn
    message: str


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, parsed as any untrusted input is (depth-capped);
        ValueError when it is not one."""
        data = loads(self.body, what=self.url)
        if not isinstance(data, dict):
            raise ValueError(f"{self.url} is JSON but not an object")
        return data


@dataclass
class Report:
    base: str
    findings: list[Finding] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # every URL requested, for the record

    @property
    def ok(self) -> bool:
        return all(f.status != "fail" for f in self.findings)

    def add(self, name: str, status: str, message: str) -> None:
        self.findings.append(Finding(name, status, message))


class SiteClient:
    """GETs below `base` only, within one run's budget; URLs of `site_url` are read from `base`."""

    def __init__(self, base: str, site_url: str, report: Report, budget: http.Budget) -> None:
        self.base, self.site_url, self.report, self.budget = base, site_url, report, budget

    def local(self, url: str) -> str | None:
        url = url.split("#")[0]
        if url.startswith(self.site_url):
            return self.base + url[len(self.site_url):]
        return url if url.startswith(self.base) else None

    def get(self, url_or_path: str) -> Response:
        url = self.local(urljoin(self.base, url_or_path))
        if url is None:
            raise Unavailable(f"{url_or_path} is outside {self.site_url}: not fetched")
        self.report.fetched.append(url)
        r = http.get(url, self.budget, headers={"User-Agent": "credpub-doctor", "Origin": "https://verifier.example"},
                     allow_redirect=lambda new: new.startswith(self.base))
        return Response(r.url, r.status, r.headers, r.body)

    def fetch(self, url: str) -> bytes:
        """For verify.Resolver: the body of a JSON document of this site, else Unavailable."""
        r = self.get(url)
        if r.status != 200:
            raise Unavailable(f"{r.url}: HTTP {r.status}")
        return r.body


def _normal(url: str, what: str) -> str:
    problem = http.malformed(url)
    if problem:
        raise UsageError(f"{what}: {problem}; give the site's address, e.g. https://org.github.io/credentials/; "
                         f"got {url!r}")
    return url if url.endswith("/") else url + "/"


def _cors(report: Report, what: str, r: Response) -> None:
    origin = r.headers.get("access-control-allow-origin")
    if origin == "*":
        report.add("cors", "pass", f"{what}: Access-Control-Allow-Origin: *")
    else:
        report.add("cors", "fail", f"{what}: no Access-Control-Allow-Origin: * (got {origin!r}); other verifiers' pages "
                                   f"cannot fetch it (GitHub Pages sends it; on another host, see _headers)")


def _noindex(r: Response) -> bool:
    if "noindex" in r.headers.get("x-robots-tag", "").lower():
        return True
    text = r.body.decode("utf-8", "replace").lower()
    return '<meta name="robots" content="noindex' in text


def _verified(result: Result, ignore: tuple[str, ...] = ()) -> tuple[bool, str]:
    checks = [c for c in result.checks if c.name not in ignore]
    failed = [c for c in checks if c.status == "fail"]
    if [c.name for c in failed] == ["status"] and re.match(r"(revoked|suspended) \(checked against the issuer's list", failed[0].message):
        return True, "verified, and revoked: the status list was read and says so"  # the site works
    bad = [f"{c.name}: {c.message}" for c in failed]
    skipped = [f"{c.name}: {c.message}" for c in checks if c.status == "skipped"]
    if result.verified and not bad and not skipped:
        return True, "verified"
    return False, "; ".join(bad or skipped) or "not verified"


def doctor(url: str, *, site_url: str | None = None, shares: tuple[str, ...] = (), site_dir: Path | None = None,
           content_dir: Path | None = None, keys: Keys | None = None, now: dt.datetime | None = None,
           limits: http.Limits = DOCTOR_LIMITS) -> Report:
    base = _normal(url, "URL")
    preview = site_url is None and http.is_loopback(base)
    site_url = _normal(site_url or url, "--site-url")
    now = now or clock.now()
    report = Report(base)
    client = SiteClient(base, site_url, report, http.Budget(limits))
    resolver = Resolver(fetch=client.fetch)

    if preview:
        pass  # said once the site answers, with the address its did.json names
    elif not site_url.startswith("https://"):
        report.add("https", "fail", f"{site_url} is not https: did:web and verifiers need https")
    elif not base.startswith("https://") and not http.is_loopback(base):
        report.add("https", "fail", f"{base} is not https")
    try:
        home = client.get("")
    except Unavailable as e:
        report.add("site", "fail", f"unreachable: {e}")
        return report
    if home.status != 200:
        report.add("site", "fail", f"{base} answers HTTP {home.status}")
        return report
    report.add("site", "pass", f"{base} answers")
    if preview:
        built_for = _built_for(client)
        report.add("site-url", "fail", f"{base} is a copy on this machine (a local preview): pass --site-url, the address "
                                       f"the site was built for (site.yml url), e.g. "
                                       f"`credpub doctor {base} --site-url {built_for or 'https://org.github.io/credentials/'}`")
        return report

    checks = (("did", lambda: _check_did(report, client, site_url, keys)),
              ("status", lambda: _check_status_lists(report, client, resolver, now)),
              ("share", lambda: _check_share(report, client, resolver, now, shares, site_dir)),
              ("robots", lambda: _check_robots(report, client, site_url, site_dir)),
              ("private", lambda: _check_private(report, client, content_dir)))
    for name, check in checks:
        try:
            check()
        except Unavailable as e:  # the run's budget spent, or a fetch no check expected to fail
            report.add(name, "fail", f"not finished: {e}")
    return report


def _built_for(client: SiteClient) -> str | None:
    """The https address a served copy's DID document names (did:web → URL), if it has one."""
    from credpub.credentials.did import did_web_to_url

    for did_path in layout.DID_DOCUMENTS:
        try:
            r = client.get(did_path)
            did = r.json().get("id") if r.status == 200 else None
            if isinstance(did, str) and did.startswith("did:web:"):
                url = did_web_to_url(did)
                return next(url[: -len(end)] for end in (layout.DID_HOST_ROOT, layout.DID_SUB_PATH, "") if url.endswith(end))
        except (Unavailable, ValueError):
            continue
    return None


def _check_did(report: Report, client: SiteClient, site_url: str, keys: Keys | None) -> None:
    did, did_path = did_web_from_url(site_url)
    try:
        r = client.get(did_path)
    except Unavailable as e:
        report.add("did", "fail", str(e))
        return
    if r.status != 200:
        report.add("did", "fail", f"{did} must be at {site_url}{did_path}: HTTP {r.status}")
        return
    try:
        doc = r.json()
    except ValueError:
        report.add("did", "fail", f"{site_url}{did_path} is not a JSON object")
        return
    _cors(report, did_path, r)
    if doc.get("id") != did:
        report.add("did", "fail", f"{did_path} is the document of {str(doc.get('id'))[:200]!r}, not of {did} (site.yml url?)")
        return
    methods = {vm.get("id"): vm.get("publicKeyMultibase") for vm in as_list(doc.get("verificationMethod")) if isinstance(vm, dict)}
    assertion = [methods.get(m) for m in as_list(doc.get("assertionMethod")) if isinstance(m, str) and isinstance(methods.get(m), str)]
    if not assertion:
        report.add("did", "fail", f"{did_path} lists no key under assertionMethod")
    elif keys is None:
        report.add("did", "pass", f"{did} at {did_path} with {len(assertion)} key(s); current key not compared (no key folder)")
    elif keys.public_multikey not in assertion:
        report.add("did", "fail", f"{did_path} does not list your current key {keys.public_multikey}: publish the new build")
    else:
        report.add("did", "pass", f"{did} at {did_path} lists the current key")


def _json_body(report: Report, check: str, where: str, r) -> dict | None:  # noqa: ANN001 (a response)
    """The JSON a fetch returned, or None with the check failed (HTTP error, not JSON)."""
    if r.status != 200:
        report.add(check, "fail", f"{where}: HTTP {r.status}")
        return None
    try:
        return r.json()
    except ValueError:
        report.add(check, "fail", f"{where} is not a JSON object")
        return None


def _check_status_lists(report: Report, client: SiteClient, resolver: Resolver, now: dt.datetime) -> None:
    found = 0
    for n in range(1, MAX_STATUS_LISTS + 2):
        path = layout.status_list(n)
        if n > MAX_STATUS_LISTS:
            report.add("status", "fail", f"{MAX_STATUS_LISTS} status lists answer, and more may: not read further "
                                         f"(does the host answer every path?)")
            break
        try:
            r = client.get(path)
        except Unavailable as e:
            report.add("status", "fail", str(e))
            return
        if r.status == 404:
            break
        found += 1
        if r.status == 200:
            _cors(report, path, r)
        doc = _json_body(report, "status", path, r)
        if doc is None:
            continue
        if "BitstringStatusListCredential" not in as_list(doc.get("type")):
            report.add("status", "fail", f"{path} is not a BitstringStatusListCredential")
            continue
        # a status list has no status of its own: every other check must pass
        ok, why = _verified(verify_document(doc, resolver, now=now, check_status_list=False), ignore=("status",))
        report.add("status", "pass" if ok else "fail", f"{path}: signed and current" if ok else f"{path}: {why}")
    if not found:
        report.add("status", "fail", f"no status list at {layout.status_list(1)}: credentials cannot be checked for revocation")


def _share_sources(shares: tuple[str, ...], site_dir: Path | None) -> list[tuple[str, bytes | None]]:
    """(share link, the local build's bytes of it or None): the links given, else one of the local build."""
    if shares:
        return [(s, None) for s in shares]
    if site_dir is not None:
        local = sorted(site_dir.glob(layout.credential_file(layout.share_page("*"))))
        if local:
            return [(layout.share_page(local[0].parent.name), local[0].read_bytes())]
    return []


def _check_share(report: Report, client: SiteClient, resolver: Resolver, now: dt.datetime,
                 shares: tuple[str, ...], site_dir: Path | None) -> None:
    sources = _share_sources(shares, site_dir)
    if not sources:
        report.add("share", "warn", "no share credential checked: pass --share LINK (a share link you sent), "
                                    "or run doctor beside the local build (site/)")
        return
    for link, local_bytes in sources:
        cred_url = link if link.endswith(layout.CREDENTIAL_FILE) else layout.credential_file(link.rstrip("/") + "/")
        page_url = cred_url[: -len(layout.CREDENTIAL_FILE)]
        try:
            r = client.get(cred_url)
            page = client.get(page_url)
        except Unavailable as e:
            report.add("share", "fail", str(e))
            continue
        doc = _json_body(report, "share", cred_url, r)
        if doc is None:
            continue
        ok, why = _verified(verify_document(doc, resolver, now=now))
        report.add("share", "pass" if ok else "fail", f"{cred_url}: {why}")
        if local_bytes is not None and r.body != local_bytes:
            report.add("share", "warn", f"{cred_url} differs from the local build: publish it again?")
        if page.status == 200 and not _noindex(page):
            report.add("robots", "fail", f"{page_url}: the share page does not ask search engines not to index it")


def _check_robots(report: Report, client: SiteClient, site_url: str, site_dir: Path | None) -> None:
    try:
        r = client.get("robots.txt")
    except Unavailable as e:
        report.add("robots", "fail", str(e))
        return
    path = urlsplit(site_url).path or "/"
    if r.status != 200:
        report.add("robots", "fail", f"robots.txt: HTTP {r.status}; claim pages ({path}{layout.CLAIM_PAGES}…) are open to crawlers")
    else:
        parser = RobotFileParser()
        parser.parse(r.body.decode("utf-8", "replace").splitlines())
        host = urlsplit(site_url)
        probe = f"{host.scheme}://{host.netloc}{path}{layout.claim_page('any-claim-token')}"
        if parser.can_fetch("*", probe):
            report.add("robots", "fail", f"robots.txt lets crawlers read claim pages ({path}{layout.CLAIM_PAGES})")
        else:
            report.add("robots", "pass", f"robots.txt keeps crawlers out of {path}{layout.CLAIM_PAGES}")
    try:
        sitemap = client.get("sitemap.xml")
    except Unavailable:
        sitemap = None
    if sitemap is not None and sitemap.status == 200:
        text = sitemap.body.decode("utf-8", "replace")
        if any(site_url + prefix in text for prefix in layout.PRIVATE_PREFIXES):
            report.add("robots", "fail", "sitemap.xml lists claim or share pages")
    if site_dir is not None:
        claims = sorted(site_dir.glob(layout.claim_page("*") + "index.html"))
        if claims:
            page = client.get(layout.claim_page(claims[0].parent.name))
            if page.status == 200 and not _noindex(page):
                report.add("robots", "fail", f"{page.url}: the claim page does not ask search engines not to index it")


def _check_private(report: Report, client: SiteClient, content_dir: Path | None) -> None:
    probes = list(PROBES)
    if content_dir is not None and (content_dir / "awards").is_dir():
        for f in sorted((content_dir / "awards").iterdir()):
            if roster_suffix(f.name):  # plain or sealed rosters
                probes += [f"content/awards/{f.name}", f"awards/{f.name}", f.name]
    exposed, unread = [], []
    for p in dict.fromkeys(probes):
        try:
            r = client.get(p)
        except Unavailable as e:
            unread.append(str(e))
            continue
        if r.status == 200 and r.body:
            exposed.append(p)
    if unread:
        report.add("private", "fail", f"{len(unread)} of {len(set(probes))} likely places of keys and award lists could "
                                      f"not be read (the last: {unread[-1]}): not known whether they are published")
    if exposed:
        report.add("private", "fail", f"published, and must not be: {', '.join(exposed)} — remove them from the host "
                                      f"now; if a key leaked, make new keys")
    elif not unread:
        report.add("private", "pass", f"none of {len(set(probes))} likely places of keys, award lists or the status lock is published")


# --- the keys at hand (no HTTP): does the age key open every sealed file? ----------------


def check_sealed_keys(content_dir: Path, keys_dir: Path | None = None) -> list[Finding]:
    """Whether the age key at hand (CREDPUB_AGE_KEY, else the key folder's age-key.txt) opens
    every sealed file (the rosters in content/awards, revocations.yml.age), and whether each is
    sealed to the keys site.yml `seal: recipients:` names. [] when nothing is sealed. Local: fetches nothing."""
    import os

    import pyrage

    from credpub.content import reader, seal
    from credpub.content.load import seal_recipients
    from credpub.context import DEFAULT_KEYS
    from credpub.errors import ContentError, ContentErrors, KeyMaterialError

    sealed = seal.sealed_files(content_dir) if content_dir.is_dir() else []  # rosters and revocations.yml.age
    if not sealed:
        return []
    try:
        identity = seal.load_identity(keys_dir, content_dir)
    except KeyMaterialError as e:
        return [Finding("keys", "fail", f"{len(sealed)} sealed file(s), and {e}")]
    where = seal.AGE_KEY_ENV if os.environ.get(seal.AGE_KEY_ENV) else "the age key in " + str(keys_dir or DEFAULT_KEYS)
    try:
        extra = seal_recipients(content_dir)
    except ContentErrors as e:
        extra = None
        out = [Finding("keys", "fail", f"site.yml seal: {e}")]
    else:
        out = []
    expected = seal.expected_stanzas(identity, extra) if extra is not None else None
    closed, others = [], []
    for path in sealed:
        try:
            data = reader.read_bytes(path, content_dir)
            pyrage.decrypt(data, [identity])
        except (pyrage.DecryptError, ContentError):
            closed.append(path.name)
            continue
        if expected is not None and seal.header_stanzas(data) != expected:
            others.append(path.name)
    if closed:
        out.append(Finding("keys", "fail", f"{where} does not open {', '.join(closed)}: find the key they were sealed "
                                           f"with (a backup, or a key site.yml seal: recipients: names)"))
    if others:
        out.append(Finding("keys", "warn", f"{', '.join(others)}: not sealed to exactly the keys site.yml seal: recipients: "
                                           f"names (with the issuer's key): `credpub unseal`, then `credpub seal`"))
    if not closed:
        keys = len(expected) if expected is not None else "?"
        out.append(Finding("keys", "pass", f"{where} opens all {len(sealed)} sealed file(s); each opens with {keys} key(s)"
                           if not others else f"{where} opens all {len(sealed)} sealed file(s)"))
    return out
