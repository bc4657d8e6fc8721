"""`credpub publish`: push site/ to a branch (gh-pages) of a git repository — for issuers who
build on their own computer and keep content/ off GitHub entirely.

Git only, with the user's own git credentials (credential helper, SSH agent): nothing is
written into any config file, and URLs carrying a user name, token, query or fragment are
refused without being echoed. The work happens in a temporary git directory, so the user's
checkout is never touched.

What is pushed is the build's own list of what it wrote (the build manifest in the state
folder, incremental.py), each file checked against it (size and SHA-256): never whatever else
lies in site/. A site whose build was interrupted (the manifest's dirty mark) is refused.

Anyone who can read a repository lists a branch's files: every c/<token>/ is found. So a site
with `link` layer claim pages (the claim credential in plain: name, learner id, grade) is
refused unless the repository is private (`private_repo`); a public repository takes the
GitHub Actions route (the Pages artifact, which no branch holds).

Each publish replaces the branch with one commit of its own (no parent, force-pushed), so a
superseded credential or an erased name leaves the branch (clones and forks made earlier keep
their copies). Only a branch that holds a credpub site is replaced: its tree has the marker
file `.credpub-site` that publish adds to every commit (or, published by an earlier credpub,
`.nojekyll`, a DID document and `verify/index.html`, and no `content/`). A site that did not
change is not pushed again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from credpub import layout
from credpub.build import incremental
from credpub.credentials.claimcrypto import ENVELOPE_TYPE
from credpub.errors import UsageError

DEFAULT_BRANCH = "gh-pages"
#: Never published: what would give away learners' data or the issuer's secrets (doctor.py probes the same).
PRIVATE_NAMES = ("status-lock.json", "signing-key.pem", "site-secret", "age-key.txt", "outbox.jsonl")
PRIVATE_DIRS = (".credpub", ".credpub-demo", "content", ".git")
#: In every commit publish makes: how a branch is recognised as a credpub site (see above).
MARKER = ".credpub-site"
MARKER_TEXT = b"This branch is a site published by credpub: each `credpub publish` replaces it with one commit.\n"


class PublishError(UsageError):
    """The site cannot be published: git failed, or the site folder is not a site."""

    exit_code = 1


@dataclass
class PublishReport:
    remote: str
    branch: str
    commit: str | None  # None: nothing changed, nothing pushed
    replaced: str | None  # the commit the branch held before; None: a new branch
    files: int
    left_out: list[str] = field(default_factory=list)  # in site/ but not written by the build: not pushed


def private_files(site_dir: Path) -> list[str]:
    """Files in site/ that must never be published (plain rosters, keys, the lock)."""
    out = []
    for p in site_dir.rglob("*"):
        rel = p.relative_to(site_dir)
        if p.is_file() and (p.name in PRIVATE_NAMES or p.suffix in (".csv", ".xlsx", ".ods", ".pem", ".age", ".eml")
                            or any(part in PRIVATE_DIRS for part in rel.parts)):
            out.append(str(rel))
    return sorted(out)


def refuse_unsafe_remote(remote: str) -> None:
    """No option for git (`--upload-pack=…` runs a command) and no secret in a URL: a user name
    with a password or on http(s), a query (`?token=`), a fragment. The secret is never echoed."""
    if remote.startswith("-"):
        raise PublishError("--repo must be a remote name, a URL or a path, not something that starts with '-'")
    parts = urlsplit(remote) if "://" in remote else None
    if "?" in remote or "#" in remote or (parts and (parts.password or (parts.username and parts.scheme in ("http", "https")))):
        bare = f"{parts.scheme}://{parts.hostname or ''}{parts.path}" if parts else "the address without it"
        raise PublishError(f"the repository URL carries a user name, token or query: use {bare} and let git's "
                           f"credential helper (or an SSH key) provide the credentials")


def build_files(site_dir: Path, state_dir: Path) -> tuple[list[str], list[str]]:
    """(the files the last build of `site_dir` wrote, each checked against its manifest; the
    files in site/ it did not write). Refused: no record of a build, an interrupted build, a
    file that is not what the build wrote."""
    manifest_file = incremental.manifest_path(state_dir, site_dir)
    if incremental.dirty_mark(manifest_file).exists():
        raise PublishError(f"the last build of {site_dir} was interrupted half-way: run `credpub build` again first")
    manifest = incremental.load(manifest_file, site_dir)
    if manifest is None:
        raise PublishError(f"no record of a build of {site_dir} in {state_dir}: run `credpub build` (with the same "
                           f"--keys) first; publish pushes exactly the files the build wrote")
    on_disk = incremental.site_paths(site_dir)
    for path, known in manifest.files.items():
        if path not in on_disk or incremental.file_entry(site_dir / path) != known:
            raise PublishError(f"{site_dir}/{incremental.shown(path)} is not what the build wrote (changed or missing): "
                               f"run `credpub build` again (it puts it right), then publish")
    return sorted(manifest.files), sorted(on_disk - set(manifest.files))


def link_layer_claims(site_dir: Path, files: list[str]) -> int:
    """How many claim credentials lie in plain (the `link` layer), not in an encrypted envelope."""
    n = 0
    for path in files:
        if path.startswith(layout.CLAIM_PAGES) and path.endswith("/" + layout.CREDENTIAL_FILE):
            try:
                doc = json.loads((site_dir / path).read_bytes())
            except ValueError:
                doc = None
            if not (isinstance(doc, dict) and doc.get("type") == ENVELOPE_TYPE):
                n += 1
    return n


def _git(args: list[str], *, git_dir: Path | None = None, cwd: Path | None = None, env: dict | None = None,
         stdin: bytes | None = None) -> str:
    cmd = ["git", *(["--git-dir", str(git_dir)] if git_dir else []), *args]
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=600)
    except FileNotFoundError:
        raise PublishError("git is not installed: credpub publish pushes with git") from None
    except subprocess.TimeoutExpired:
        raise PublishError(f"git {args[0]} took more than 10 minutes; stopped") from None
    if r.returncode != 0:
        message = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PublishError(f"git {args[0]} failed: {' / '.join(message[-3:]) or f'exit {r.returncode}'}")
    return r.stdout.decode("utf-8", "replace").strip()


def resolve_remote(remote: str, cwd: Path) -> str:
    """A remote name of the current repository (origin) → its URL; a URL or path as it is."""
    if re.fullmatch(r"[A-Za-z0-9._][A-Za-z0-9._-]*", remote) and not Path(remote).exists():
        return _git(["remote", "get-url", "--", remote], cwd=cwd)
    return remote


def publish(site_dir: Path, remote: str, branch: str = DEFAULT_BRANCH, *, state_dir: Path,
            message: str = "Publish the credential site", cwd: Path | None = None,
            private_repo: bool = False) -> PublishReport:
    site_dir = Path(site_dir).resolve()
    refuse_unsafe_remote(remote)
    if not (site_dir / "index.html").is_file() or not any((site_dir / p).is_file() for p in layout.DID_DOCUMENTS):
        raise PublishError(f"{site_dir} is not a built site (no index.html or did.json): run `credpub build` first")
    leaked = private_files(site_dir)
    if leaked:
        raise PublishError(f"{site_dir} holds files that must never be published: {', '.join(leaked[:5])}; "
                           f"build into a clean folder")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or ".." in branch or branch.startswith("-"):
        raise PublishError(f"not a branch name: {branch!r}")
    url = resolve_remote(remote, Path(cwd or Path.cwd()))
    refuse_unsafe_remote(url)
    files, left_out = build_files(site_dir, Path(state_dir))
    plain = link_layer_claims(site_dir, files)
    if plain and not private_repo:
        raise PublishError(
            f"{site_dir} has {plain} claim pages of the `link` layer: their credential file holds the graduate's "
            f"name, learner id and grade in plain, and anyone who can read the repository lists the branch's files, "
            f"so every {layout.claim_page('<token>')} is found. For a public repository publish with GitHub Actions instead (Settings → "
            f"Pages → Source: GitHub Actions, with the workflow `credpub new` writes: the site goes up as a Pages "
            f"artifact that no branch holds), or give the achievements claim_security: encrypted. If the repository "
            f"is private, pass --private-repo.")
    with tempfile.TemporaryDirectory(prefix="credpub-publish-") as tmp:
        git_dir = Path(tmp) / "git"
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_TERMINAL_PROMPT": "0",
               "GIT_LITERAL_PATHSPECS": "1"}
        _git(["init", "--quiet", "--bare", str(git_dir)])
        heads = _git(["ls-remote", "--heads", "--", url, f"refs/heads/{branch}"], git_dir=git_dir, env=env)
        previous = None
        if heads:
            _git(["fetch", "--quiet", "--depth=1", "--", url, f"refs/heads/{branch}"], git_dir=git_dir, env=env)
            previous = _git(["rev-parse", "FETCH_HEAD"], git_dir=git_dir, env=env)
            if not _is_site_branch(git_dir, env, previous):
                raise PublishError(f"branch {branch} of {url} holds something other than a credpub site (no {MARKER}): "
                                   f"publish replaces the whole branch, so it publishes only onto a new branch or one "
                                   f"it published before; pick another --branch (gh-pages)")
        listed = Path(tmp) / "files"
        listed.write_bytes(b"\0".join(f.encode() for f in files))
        _git(["--work-tree", str(site_dir), "add", "--force", f"--pathspec-from-file={listed}", "--pathspec-file-nul"],
             git_dir=git_dir, env=env, cwd=site_dir)
        extra = {MARKER: MARKER_TEXT}
        if ".nojekyll" not in files:  # GitHub Pages: serve .well-known/ and _files as they are
            extra[".nojekyll"] = b""
        for name, data in extra.items():
            blob = _git(["hash-object", "-w", "--stdin"], git_dir=git_dir, env=env, stdin=data)
            _git(["update-index", "--add", "--cacheinfo", f"100644,{blob},{name}"], git_dir=git_dir, env=env)
        tree = _git(["write-tree"], git_dir=git_dir, env=env)
        count = len(_git(["ls-files"], git_dir=git_dir, env=env).splitlines())
        if (previous and _git(["rev-parse", f"{previous}^{{tree}}"], git_dir=git_dir, env=env) == tree
                and not _git(["cat-file", "-p", previous], git_dir=git_dir, env=env).count("\nparent ")):
            return PublishReport(url, branch, None, previous, count, left_out)
        commit = _git(["commit-tree", tree, "-m", message], git_dir=git_dir, env=_identity(env, cwd))
        _git(["push", "--quiet", "--force", "--", url, f"{commit}:refs/heads/{branch}"], git_dir=git_dir, env=env)
    return PublishReport(url, branch, commit, previous, count, left_out)


def _is_site_branch(git_dir: Path, env: dict, commit: str) -> bool:
    """The marker, or the shape of a site an earlier credpub published (before the marker)."""
    names = set(_git(["ls-tree", "--name-only", commit], git_dir=git_dir, env=env).splitlines())
    if MARKER in names:
        return True
    verify_page = layout.VERIFY_PAGE + "index.html"
    has = set(_git(["ls-tree", "-r", "--name-only", commit, "--", verify_page, *layout.DID_DOCUMENTS],
                   git_dir=git_dir, env=env).splitlines())
    return (".nojekyll" in names and verify_page in has and bool(has & set(layout.DID_DOCUMENTS))
            and not names & {"content", ".github", *PRIVATE_DIRS})


def _identity(env: dict, cwd: Path | None) -> dict:
    """The user's git identity for the commit; "credpub" when git has none configured."""
    env = dict(env)
    for key, var, default in (("user.name", "NAME", "credpub"), ("user.email", "EMAIL", "credpub@localhost")):
        try:
            value = _git(["config", key], cwd=cwd)
        except PublishError:
            value = ""
        for who in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{who}_{var}", value or default)
    return env
