"""`credpub new DIR`: a new issuer repository from the templates in scaffold/ (shipped in the wheel).

The result holds one achievement, an empty roster (awards.csv and awards.xlsx), home and privacy pages (the first
language's, and a `privacy.en.md`-style variant per other language), the GitHub Pages workflow
(installing credpub from the package index), a .gitignore that keeps keys, site/ and plain
CSVs out of git, and a README for the issuer; then its keys.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2

from credpub.credentials.did import did_web_from_url, did_web_to_url
from credpub.errors import UsageError
from credpub.credentials.keys import Keys, generate_keys
from credpub.content.fields import EMAIL
from credpub.content.seal import ensure_identity
from credpub.context import DEFAULT_KEYS

TEMPLATES = Path(__file__).resolve().parent / "scaffold"
LANGUAGES = {"nl": "Nederlands", "en": "English"}  # the languages the scaffold has texts in
FIRST_ACHIEVEMENT = {"nl": "voorbeeldcursus", "en": "example-course"}
BRANCH = "main"  # the branch the Pages workflow runs on, and the one `credpub new` makes
#: The repository secrets the Pages workflow reads (CREDPUB_KEY_PASSPHRASE only if the key is encrypted).
SECRETS = ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_AGE_KEY")


@dataclass(frozen=True)
class Answers:
    name: str
    url: str  # the site URL, https, ending in "/"
    email: str
    country: str
    languages: tuple[str, ...]


def parse_issuer(name: str, url: str, email: str, country: str, languages: str | tuple[str, ...]) -> Answers:
    """The answers, checked: UsageError naming the flag and what to give instead."""
    name = name.strip()
    if not name:
        raise UsageError("--name: give the issuing organisation's name")
    url = url.strip()
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[^\s?#]*)?", url):
        raise UsageError(f"--url: the site's https address, such as https://org.github.io/credentials/; got {url!r}")
    url = url if url.endswith("/") else url + "/"
    email = email.strip()
    if not EMAIL.match(email):
        raise UsageError(f"--email: not a valid email address: {email!r}")
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise UsageError(f"--country: an ISO 3166-1 alpha-2 code such as NL or BE; got {country!r}")
    parts = (languages,) if isinstance(languages, str) else languages  # "nl,en", or ("nl", "en")
    langs = tuple(dict.fromkeys(lang.strip().lower() for part in parts for lang in part.split(",") if lang.strip()))
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if not langs or unknown:
        raise UsageError(f"--language: one or more of {', '.join(LANGUAGES)} (e.g. nl,en); got {', '.join(unknown or langs) or 'none'}")
    return Answers(name, url, email, country, langs)


def _md(text: str) -> str:
    """Plain text inside Markdown: no markup, no HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", text)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["yaml"] = lambda v: json.dumps(v, ensure_ascii=False)  # a JSON string is a YAML scalar
    env.filters["md"] = _md
    return env


def _version() -> str:
    return metadata.version("credpub")


def _pages(env: jinja2.Environment, name: str, issuer: Answers, values: dict) -> dict[str, str]:
    """A page in every chosen language: `<name>.md` in the first, a `<name>.<lang>.md` variant
    for each other (published at `<name>/<lang>/`, shown to that language's graduates)."""
    first, *others = issuer.languages
    out = {f"content/pages/{name}.md": env.get_template(f"content/pages/{name}.{first}.md").render(values)}
    for lang in others:
        out[f"content/pages/{name}.{lang}.md"] = env.get_template(f"content/pages/{name}.{lang}.md").render(values)
    return out


#: The roster template's columns: (name, .xlsx column format, width); the scaffold README explains each.
ROSTER_COLUMNS = (("learner_id", "text", 14), ("name", "text", 28), ("email", "text", 30), ("achievement", "text", 24),
                  ("issued_on", "date", 12), ("grade", "text", 8), ("evidence_url", "text", 30), ("share_grade", "text", 12))
SHEET = {"nl": "Blad1", "en": "Sheet1"}  # what Excel names a new sheet


def roster_templates(first: str) -> dict[str, bytes]:
    """awards.csv and awards.xlsx: the column names only (both may stay; empty rosters add nothing).
    In the workbook, dates are date cells and the other columns Text, so that Excel keeps a
    grade 8,5 or a learner number 0042 as typed."""
    from credpub.ops.xlsx import workbook

    names = [c[0] for c in ROSTER_COLUMNS]
    return {"content/awards/awards.csv": (",".join(names) + "\n").encode("utf-8"),
            "content/awards/awards.xlsx": workbook(SHEET.get(first, "Sheet1"), [names],  # type: ignore[list-item]
                                                   formats=[c[1] for c in ROSTER_COLUMNS],
                                                   widths=[c[2] for c in ROSTER_COLUMNS])}


def _achievement(languages: tuple[str, ...] | list[str]) -> str:
    """The first achievement: in the first language; with both, every text per language (the
    header comment in the first), so that no language's pages show another's words."""
    folder = TEMPLATES / "content" / "achievements"
    own = (folder / f"{languages[0]}.yml").read_text("utf-8")
    if len(languages) == 1:
        return own
    comment = "".join(line + "\n" for line in own.splitlines() if line.startswith("#"))
    return comment + (folder / "nl-en.yml").read_text("utf-8")


def files(issuer: Answers) -> dict[str, str | bytes]:
    """Every file of the new repository (path → text, or bytes for the workbook), keys aside."""
    did, _ = did_web_from_url(issuer.url)
    values = {
        "name": issuer.name, "url": issuer.url, "issuer_url": issuer.url, "email": issuer.email,
        "country": issuer.country, "languages": issuer.languages, "did": did, "did_url": did_web_to_url(did),
        "version": _version(), "branch": BRANCH,
    }
    env = _env()
    first = issuer.languages[0]
    return {
        "README.md": env.get_template("README.md.j2").render(values),
        ".gitignore": (TEMPLATES / "gitignore").read_text("utf-8"),
        ".github/workflows/pages.yml": env.get_template("workflows/pages.yml.j2").render(values),
        "content/site.yml": env.get_template("content/site.yml.j2").render(values),
        f"content/achievements/{FIRST_ACHIEVEMENT[first]}.yml": _achievement(issuer.languages),
        **roster_templates(first),
        **_pages(env, "index", issuer, values),
        **_pages(env, "privacy", issuer, values),
    }


def create(target: Path, issuer: Answers) -> Keys:
    """Writes the repository into `target` (new or empty), then its keys in target/.credpub."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} exists and is not an empty folder: choose a new one")
    out = files(issuer)
    for rel, text in out.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    keys = generate_keys(target / DEFAULT_KEYS)
    ensure_identity(target / DEFAULT_KEYS)
    return keys


@dataclass(frozen=True)
class GitResult:
    made: bool  # a repository with a first commit on BRANCH
    note: str  # why not, or how the commit was signed


def init_repository(target: Path, issuer: Answers) -> GitResult:
    """`git init` on BRANCH and a first commit of everything .gitignore lets in (never
    .credpub/, never a plain CSV). Without git, nothing: the note says what to run. Without a
    configured identity, the commit is made as the issuer (name and contact email), for this
    commit only."""
    git = shutil.which("git")
    if git is None:
        return GitResult(False, f"git is not installed: install it, then in {target}: git init -b {BRANCH} && git add . && git commit -m 'New issuer'")

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        r = subprocess.run([git, "-C", str(target), *args], capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise _GitFailed(f"git {args[0]} failed ({r.stderr.strip() or r.stdout.strip()})")
        return r

    try:
        return _first_commit(target, issuer, run, git)
    except _GitFailed as e:  # the folder and its keys are made: say what is left to do, fail nothing
        return GitResult(False, f"{e}: make the repository yourself in {target}: git init -b {BRANCH} && git add . && git commit -m 'New issuer'")


class _GitFailed(Exception):
    pass


def _first_commit(target: Path, issuer: Answers, run, git: str) -> GitResult:  # noqa: ANN001 (init_repository's runner)

    if run("init", "-q", "-b", BRANCH, check=False).returncode != 0:  # git older than 2.28
        run("init", "-q")
        run("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
    run("add", "-A")
    leaked = [f for f in run("ls-files", "--cached").stdout.splitlines() if f.startswith(DEFAULT_KEYS.as_posix() + "/") or f.endswith(".csv")]
    if leaked:  # .gitignore was changed or overridden: never commit a key or a roster
        run("rm", "-q", "--cached", "--", *leaked)
    identity: tuple[str, ...] = ()
    note = ""
    if not run("config", "user.email", check=False).stdout.strip() or not run("config", "user.name", check=False).stdout.strip():
        identity = ("-c", f"user.name={issuer.name}", "-c", f"user.email={issuer.email}")
        note = (f"git has no user.name/user.email: the first commit is made in the name of {issuer.name} <{issuer.email}>; "
                f"set yours with git config --global user.name/user.email")
    r = subprocess.run([git, "-C", str(target), *identity, "commit", "-q", "-m", "New credpub issuer repository"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise _GitFailed(f"git commit failed ({r.stderr.strip()})")
    return GitResult(True, note)
