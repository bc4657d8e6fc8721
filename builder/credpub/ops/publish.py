"""`credpub publish`: push site/ to a branch (gh-pages) of a git repository — for issuers who
build on their own computer and keep content/ off GitHub entirely.

Git only, with the user's own git credentials (credential helper, SSH agent): nothing is
written into any config file, and URLs carrying a password or token are refused. The work
happens in a temporary git directory, so the user's checkout is never touched.

Each publish is one commit on top of the branch's previous tip (no force push): the branch keeps
the history of what was published when (a revocation, a correction), pushes need no rewrite
rights and pass branch protection, and since builds are deterministic an unchanged file costs
nothing. A build that changes nothing makes no commit.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from credpub import layout
from credpub.errors import UsageError

DEFAULT_BRANCH = "gh-pages"
#: Never published: what would give away learners' data or the issuer's secrets (doctor.py probes the same).
PRIVATE_NAMES = ("status-lock.json", "signing-key.pem", "site-secret", "age-key.txt", "outbox.jsonl")
PRIVATE_DIRS = (".credpub", ".credpub-demo", "content", ".git")


class PublishError(UsageError):
    """The site cannot be published: git failed, or the site folder is not a site."""

    exit_code = 1


@dataclass
class PublishReport:
    remote: str
    branch: str
    commit: str | None  # None: nothing changed, nothing pushed
    parent: str | None
    files: int


def private_files(site_dir: Path) -> list[str]:
    """Files in site/ that must never be published (plain rosters, keys, the lock)."""
    out = []
    for p in site_dir.rglob("*"):
        rel = p.relative_to(site_dir)
        if p.is_file() and (p.name in PRIVATE_NAMES or p.suffix in (".csv", ".xlsx", ".ods", ".pem", ".age", ".eml")
                            or any(part in PRIVATE_DIRS for part in rel.parts)):
            out.append(str(rel))
    return sorted(out)


def _refuse_credentials_in_url(remote: str) -> None:
    if "://" in remote:
        parts = urlsplit(remote)
        if parts.password or (parts.username and parts.scheme in ("http", "https")):
            raise PublishError(f"the repository URL carries a user name or token: use {parts.scheme}://{parts.hostname}"
                               f"{parts.path} and let git's credential helper (or an SSH key) provide the credentials")


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
    if re.fullmatch(r"[A-Za-z0-9._-]+", remote) and not Path(remote).exists():
        return _git(["remote", "get-url", remote], cwd=cwd)
    return remote


def publish(site_dir: Path, remote: str, branch: str = DEFAULT_BRANCH, *, message: str = "Publish the credential site",
            cwd: Path | None = None) -> PublishReport:
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file() or not any((site_dir / p).is_file() for p in layout.DID_DOCUMENTS):
        raise PublishError(f"{site_dir} is not a built site (no index.html or did.json): run `credpub build` first")
    leaked = private_files(site_dir)
    if leaked:
        raise PublishError(f"{site_dir} holds files that must never be published: {', '.join(leaked[:5])}; "
                           f"build into a clean folder")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or ".." in branch:
        raise PublishError(f"not a branch name: {branch!r}")
    url = resolve_remote(remote, Path(cwd or Path.cwd()))
    _refuse_credentials_in_url(url)
    with tempfile.TemporaryDirectory(prefix="credpub-publish-") as tmp:
        git_dir = Path(tmp) / "git"
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_TERMINAL_PROMPT": "0"}
        _git(["init", "--quiet", "--bare", str(git_dir)])
        heads = _git(["ls-remote", "--heads", url, f"refs/heads/{branch}"], git_dir=git_dir, env=env)
        parent = None
        if heads:
            _git(["fetch", "--quiet", "--depth=1", url, f"refs/heads/{branch}"], git_dir=git_dir, env=env)
            parent = _git(["rev-parse", "FETCH_HEAD"], git_dir=git_dir, env=env)
        work = [*(["--work-tree", str(site_dir)])]
        _git([*work, "add", "--all", "--force", "."], git_dir=git_dir, env=env, cwd=site_dir)
        if not (site_dir / ".nojekyll").is_file():  # GitHub Pages: serve .well-known/ and _files as they are
            empty = _git(["hash-object", "-w", "--stdin"], git_dir=git_dir, env=env, stdin=b"")
            _git(["update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll"], git_dir=git_dir, env=env)
        tree = _git(["write-tree"], git_dir=git_dir, env=env)
        files = len(_git(["ls-files"], git_dir=git_dir, env=env).splitlines())
        if parent and _git(["rev-parse", f"{parent}^{{tree}}"], git_dir=git_dir, env=env) == tree:
            return PublishReport(url, branch, None, parent, files)
        commit = _git(["commit-tree", tree, *(["-p", parent] if parent else []), "-m", message],
                      git_dir=git_dir, env=_identity(env, cwd))
        _git(["push", "--quiet", url, f"{commit}:refs/heads/{branch}"], git_dir=git_dir, env=env)
    return PublishReport(url, branch, commit, parent, files)


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
